## Courriels aux personnes qui nous écrivent, et leurs réglages et contrôles

mail-footer-never-asks = Nous ne vous demanderons jamais votre phrase secrète par courriel. Pour lire nos réponses, ne suivez pas de lien reçu par message : tapez vous-même cette adresse dans votre navigateur : { $inbox }
widening-kind-sender-programme = les courriels aux demandeurs nommeront le programme (son titre comme expéditeur et dans le texte) : quiconque lit aussi la boîte d'une personne apprend à quel sujet elle a écrit.
