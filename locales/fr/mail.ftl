## Courriels aux personnes qui nous écrivent, et leurs réglages et contrôles

mail-footer-never-asks = Nous ne vous demanderons jamais votre phrase secrète par courriel. Pour lire nos réponses, ne suivez pas de lien reçu par message : tapez vous-même cette adresse dans votre navigateur : { $inbox }
widening-kind-sender-programme = les courriels aux demandeurs nommeront le programme (son titre comme expéditeur et dans le texte) : quiconque lit aussi la boîte d'une personne apprend à quel sujet elle a écrit.
mail-stop-heading = Arrêter l'envoi
mail-stop-intro = Les messages pas encore envoyés peuvent être retenus (pause, puis reprise) ou ne jamais partir (arrêt définitif). Le service d'envoi vérifie avant chaque message : seuls les quelques messages déjà remis au relais peuvent encore partir.
mail-stop-reason = Pourquoi (conservé dans le journal d'audit)
mail-stop-pause = Suspendre l'envoi
mail-stop-resume = Reprendre l'envoi
mail-stop-cancel = Arrêter définitivement : ne jamais envoyer le reste
mail-stop-paused = Suspendu par { $who } le { $time } UTC : { $reason }
mail-stop-cancelled = Arrêté définitivement par { $who } le { $time } UTC : { $reason }
mail-stop-reason-missing = Indiquez une raison : elle est conservée dans le journal d'audit.
mail-outbound-title = Courriels sortants
mail-outbound-sending = Les courriels sortants sont envoyés.
mail-outbound-paused = Tous les courriels sortants sont suspendus depuis le { $time } UTC, par { $who } : { $reason }
mail-outbound-intro = L'arrêt d'urgence retient chaque message de chaque programme, sur chaque service d'envoi de chaque instance, même après un redémarrage, jusqu'à la reprise. Les messages déjà en cours de remise au relais au moment de l'arrêt (au plus un par connexion) peuvent encore partir. La ligne de commande fait de même : haven outbound pause, resume, status.
mail-outbound-pause = Suspendre tous les courriels sortants
mail-outbound-resume = Reprendre les courriels sortants
mail-withdraw-button = Retirer le courriel mis en file le { $time } UTC (pas encore envoyé ; la réponse reste dans la boîte de réponses)
mail-template-missing = Pas encore rédigé en : { $languages }. Les personnes qui ont écrit dans ces langues recevraient une autre langue, ou une réponse écrite à la main.

# Templates checked before use (issue 19, item 6).
template-all-languages = Rédigé dans toutes les langues du programme.
template-test-language = Langue de l’essai
template-test-button = M’envoyer un essai
template-test-sent = Un message d’essai a été envoyé à votre propre adresse professionnelle.
template-test-failed = Le message d’essai n’a pas pu être envoyé. Réessayez plus tard, ou demandez à un administrateur de l’instance de vérifier le relais de messagerie.
template-test-stopped = L’envoi de courriels est arrêté : aucun message d’essai n’a été envoyé.
template-test-limit = Vous avez envoyé beaucoup de messages d’essai dans la dernière heure. Attendez un peu avant d’en envoyer un autre.
template-test-tag = ESSAI
template-test-note = Ceci est un essai du modèle « { $template } » en { $language }, envoyé à vous seul. Il est rempli de données d’exemple, pas de celles d’une vraie demande.
reply-language-held = Choisissez comment répondre
reply-language-warning = Cette personne a écrit en { $language }, et ce modèle n’a pas de texte en { $language }. Rien n’a encore été envoyé.
reply-language-fallback = Envoyer en { $fallback }
reply-language-by-hand = Écrire à la main
reply-language-by-hand-hint = Vous avez choisi d’écrire cette réponse à la main : modifiez le texte comme il faut, puis envoyez-le.
pe-template-missing = Langues manquantes
pe-template-previews = Aperçus, et messages d’essai à votre propre adresse
