## Staff console and administration: programme changes that widen who can read data

widening-title = Confirmer une modification qui élargit l'accès
widening-intro = Cette modification permet à plus de personnes, ou à d'autres personnes, de lire les données de ce programme, ou en laisse partir davantage. Elle n'est enregistrée qu'après que vous avez saisi à nouveau votre mot de passe.
widening-audited = Le journal d’audit nommera chacun de ces éléments, sous votre compte.
widening-submit = Enregistrer avec mon mot de passe
widening-cancel = Annuler et revenir au programme
widening-instance-only = Seul un administrateur de l’instance peut modifier { $settings } ; rien n'a été modifié.
widening-kind-held-answered = Le champ { $field } ne peut pas passer de « { $from } » à « { $to } » : des personnes y ont répondu, et leurs réponses seraient lues comme autre chose. Ajoutez plutôt un nouveau champ ; rien n'a été modifié.
widening-kind-held-shared = Le champ { $field } ne peut pas passer de « { $from } » à « { $to } » : le profil de partage d'un partenaire le nomme. Ajoutez plutôt un nouveau champ ; rien n'a été modifié.
widening-kind-escrow = une clé de séquestre est ajoutée ou remplacée : qui la détient peut ouvrir les données de ce programme hors de Haven, sans la limite horaire ni le journal d’audit.
widening-kind-partner-added = un nouveau partenaire, { $partner }, peut recevoir des orientations.
widening-kind-partner-address = les orientations vers { $partner } partent vers une autre adresse.
widening-kind-partner-recipient = ce qui part vers { $partner } est chiffré pour une autre clé.
widening-kind-partner-profile = davantage peut partir vers { $partner } : { $fields }.
widening-kind-consent = le consentement exigé avant que des données personnelles partent est supprimé ou déplacé vers une autre question.
widening-kind-shared-field = la question { $field }, dont les réponses partent vers un partenaire ou enregistrent le consentement, demande désormais autre chose.
widening-kind-language = la langue { $language } est ajoutée alors que des réponses partent vers des partenaires.
widening-kind-inbox-referrals = la boîte de réponses indiquera à quiconque l'ouvre vers quels partenaires le dossier a été orienté.
widening-kind-two-factor = les agents pourront se connecter sans vérification en deux étapes.
widening-kind-email-full = les courriels annonçant une réponse contiendront la réponse elle-même.
widening-kind-name-field = une réponse, le nom de la personne, figure dans les réponses et les courriels.
widening-kind-contact-email = les personnes peuvent donner une adresse électronique, et les réponses sont annoncées à cette boîte aux lettres.
widening-kind-import-replies-full = les réponses au courrier importé contiendront la réponse elle-même.
widening-kind-import-text-shared = le texte du courrier importé va dans une question dont les réponses partent vers un partenaire.
