# Haven interface text, French.
# Programme texts (titles, questions, options) come from each programme's own file, not from here.

site-name = Haven
skip-to-content = Aller au contenu principal
language-switch = Langue
footer-note = Ce que vous envoyez est chiffré avant d’être enregistré. Ce site n’utilise aucun pistage et ne charge rien depuis d’autres sites web.

## The public form
field-optional = (facultatif)
form-submit = Envoyer la demande
form-privacy-heading = Comment nous utilisons vos informations
select-choose = Choisissez…
country-choose = Choisissez un pays
date-hint = Utilisez le format année-mois-jour, par exemple 2021-08-15.
contact-heading = Comment voulez-vous recevoir notre réponse ?
contact-hint = Vous pouvez lire nos réponses dans une boîte de réponses privée, avec le code de référence et la phrase secrète que vous recevrez après l’envoi. Vous n’avez pas à donner d’adresse e-mail.
contact-inbox = Seulement dans la boîte de réponses (pas d’e-mail)
contact-email = Aussi par e-mail
contact-email-label = Adresse e-mail
contact-email-hint = Nous envoyons seulement un court message pour vous dire que vous avez une réponse. Utilisez uniquement une adresse sans risque pour vous.
contact-inbox-only = Les réponses se lisent dans une boîte de réponses privée. Nous ne demandons pas d’adresse e-mail.
honeypot-label = Laissez ce champ vide

## Errors on the form
error-summary-title = Il y a un problème
error-required-text = Saisissez une réponse pour « { $label } »
error-required-choice = Choisissez une réponse pour « { $label } »
error-required-box = Cochez la case « { $label } »
error-too-long = « { $label } » doit contenir au maximum { $max } caractères
error-invalid-choice = Choisissez une des réponses proposées pour « { $label } »
error-invalid-email = Saisissez une adresse e-mail au bon format, par exemple name@example.com
error-invalid-phone = Saisissez un numéro de téléphone avec seulement des chiffres, des espaces et + ( ) -
error-invalid-date = Saisissez une date qui existe pour « { $label } », par exemple 2021-08-15
error-invalid-country = Choisissez un pays dans la liste pour « { $label } »
error-invalid-characters = « { $label } » contient des caractères qui ne peuvent pas être acceptés
error-single-line = « { $label } » doit tenir sur une seule ligne
error-contact-missing-email = Saisissez l’adresse e-mail à laquelle nous devons répondre, ou choisissez seulement la boîte de réponses
error-contact-mode = Choisissez comment vous voulez recevoir les réponses
error-honeypot = Laissez le champ « { honeypot-label } » vide
error-form-expired = Ce formulaire est resté ouvert trop longtemps ou a été envoyé depuis un autre site. Vos réponses sont ci-dessous : vérifiez-les et envoyez-les à nouveau.

## Receipt
receipt-title = Votre demande a été envoyée
receipt-reference-label = Votre code de référence
receipt-passphrase-label = Votre phrase secrète
receipt-keep-safe = Notez les deux, ou gardez-les dans un endroit où personne d’autre ne peut les voir. Nous ne pourrons pas vous les montrer à nouveau. Il vous faut les deux pour lire nos réponses.
receipt-danger = Si quelqu’un d’autre peut regarder cet appareil, fermez cette page dès que vous avez noté les codes.
receipt-next-heading = Et ensuite ?
receipt-next = Une personne de notre équipe va lire votre demande. Les réponses apparaîtront dans votre boîte de réponses.
receipt-inbox-link = Aller à votre boîte de réponses

## Reply inbox
inbox-title = Votre boîte de réponses
inbox-intro = Saisissez le code de référence et la phrase secrète que vous avez reçus quand vous avez envoyé votre demande.
inbox-reference-label = Code de référence
inbox-reference-hint = 20 lettres et chiffres, par exemple ABCDE-FGHJK-MNPQR-STVWX
inbox-passphrase-label = Phrase secrète
inbox-submit = Ouvrir ma boîte de réponses
inbox-failed = Nous n’avons pas pu ouvrir de boîte de réponses avec ce code de référence et cette phrase secrète. Vérifiez les deux et réessayez.
inbox-status-heading = État de votre demande
inbox-no-replies = Il n’y a pas encore de réponse. Merci de revenir plus tard.
inbox-sign-out = Fermer la boîte de réponses
status-new = Reçue, en attente de lecture
status-in-progress = En cours de traitement
status-awaiting-reply = En attente d’informations complémentaires de votre part
status-closed = Clôturée

## Closed programme
closed-title = Ce formulaire est fermé
closed-default = Ce programme n’accepte plus de demandes.

## Error pages
error-incident = Référence de l’incident : { $id }
error-back-home = Revenir en arrière et réessayer
error-400-title = Il y a un problème dans ce qui a été envoyé
error-400-body = Votre navigateur a envoyé quelque chose que nous n’avons pas pu lire. Revenez en arrière, vérifiez vos réponses et réessayez.
error-403-title = Cette requête a été refusée
error-403-body = La page d’où vous venez a peut-être expiré. Revenez en arrière, rechargez la page et réessayez.
error-404-title = Page introuvable
error-404-body = Vérifiez l’adresse web. Si vous avez suivi un lien, il n’est peut-être plus à jour.
error-405-title = Cette action n’est pas possible ici
error-405-body = Revenez en arrière et utilisez les boutons de la page.
error-408-title = La connexion était trop lente
error-408-body = Vos réponses ont mis trop de temps à arriver. Vérifiez votre connexion et envoyez-les à nouveau.
error-410-title = Ce formulaire est fermé
error-410-body = Ce programme n’accepte plus de demandes.
error-413-title = Il y avait trop de contenu à envoyer
error-413-body = Vos réponses étaient trop longues pour être envoyées en une seule fois. Revenez en arrière et raccourcissez-les.
error-415-title = Il y a un problème dans ce qui a été envoyé
error-415-body = Votre navigateur a envoyé le formulaire sous une forme que nous ne pouvons pas lire. Revenez en arrière et réessayez.
error-429-title = Trop de tentatives
error-429-body = Pour protéger toutes les personnes qui utilisent ce service, le nombre d’envois est limité. Attendez une heure, puis réessayez. Ce que vous avez déjà envoyé est en sécurité.
error-500-title = Désolés, un problème est survenu de notre côté
error-500-body = Si vous avez vu un code de référence, votre demande a bien été reçue. Sinon, rien n’a été enregistré : merci de réessayer plus tard.
error-503-title = Le service est surchargé
error-503-body = Merci de réessayer dans quelques minutes. Si vous avez vu un code de référence, votre demande a bien été reçue.
inbox-replies-heading = Réponses
inbox-reply-date = Envoyée le { $date }

## Email about a reply
reply-email-subject = Vous avez une nouvelle réponse
reply-email-body = Votre demande a reçu une nouvelle réponse.

    Lisez-la dans votre boîte de réponses : { $inbox_url }
    Il vous faut le code de référence et la phrase secrète qui vous ont été donnés.

    Pour protéger votre vie privée, la réponse n'est pas dans ce courriel.
preview-notice = Aperçu pour l'équipe : voici le formulaire tel que le public le voit. Il ne peut pas être envoyé d'ici.

## Security hardening: emails to staff when a factor of their account changes
staff-notice-subject = Votre compte Haven a changé
staff-notice-totp-enrolled = La validation en deux étapes a été configurée sur votre compte Haven le { $time }.
staff-notice-totp-reset = Un administrateur a réinitialisé la validation en deux étapes de votre compte Haven le { $time }. Vous la configurerez de nouveau à votre prochaine connexion.
staff-notice-recovery-code-used = L’un de vos codes de récupération a servi à vous connecter à votre compte Haven le { $time }. Chaque code ne fonctionne qu’une fois.
staff-notice-not-you = Si ce n’était pas vous, prévenez tout de suite votre administrateur Haven : quelqu’un connaît peut-être votre mot de passe.
## Referrals to partner organisations (reply inbox)
inbox-referred-heading = Transmis à des partenaires
inbox-referred = Nous avons transmis votre dossier à { $partner }.
## Console: importing mail from an upload (/console/p/{slug}/import) and kept attachments
import-title = Importer du courrier
import-back = Retour au tableau de bord
import-intro = Déposez des fichiers .eml ou un fichier mbox exporté d'une boîte aux lettres. Chaque message devient une demande dans { $programme }, exactement comme avec haven import sur le serveur : les messages transférés sont ramenés à leur expéditeur d'origine, les messages déjà importés sont ignorés, et les fichiers eux-mêmes ne sont jamais conservés (seulement les demandes, chiffrées).
import-limit = Jusqu'à { $mib } Mio au total. Pour une boîte plus grande, déposez-la en plusieurs fois ou utilisez haven import sur le serveur.
import-unavailable = Ce programme ne peut pas recevoir de courrier importé
import-unavailable-archived = Le programme est archivé.
import-unavailable-inbox-only = Le programme fonctionne uniquement par boîte de réponses : les personnes qui ont écrit par courriel ne pourraient jamais lire de réponse.
import-unavailable-no-text-field = Le programme n'a pas de champ de texte pour le message : indiquez-en un avec [import] text_field dans le fichier du programme.
import-password-label = Votre mot de passe, pour confirmer
import-password-hint = Une importation fait entrer d'un coup les messages de nombreuses personnes : votre mot de passe vous est donc redemandé.
import-files-label = Fichiers de courrier (.eml ou mbox)
import-files-hint = Vous pouvez choisir plusieurs fichiers à la fois.
import-submit = Importer
import-error-password = Votre mot de passe n'est pas correct ; rien n'a été importé.
import-error-no-files = Choisissez au moins un fichier .eml ou mbox.
import-done-title = Importation terminée
import-done-summary = { $messages } messages dans { $files } fichiers : { $imported } importés, { $duplicates } doublons, { $failed } en échec.
import-done-imported = Importés
import-done-duplicates = Déjà dans Haven (ignorés)
import-done-failed = En échec
import-failed-heading = Messages non importés
import-failed-which = Message
import-failed-why = Raison
import-again = Importer d'autres messages
import-too-large-title = Le dépôt est trop volumineux
import-too-large-body = Un dépôt peut contenir jusqu'à { $mib } Mio. Rien n'a été importé. Déposez moins de fichiers à la fois, ou utilisez haven import sur le serveur.
import-failed-not-mail = pas un courriel (aucun en-tête trouvé)
import-failed-no-sender = pas d'adresse d'expéditeur (pas d'en-tête From)
import-failed-invalid-sender = l'adresse de l'expéditeur n'est pas une adresse électronique valide
import-failed-too-large = plus de { $mib } Mio
import-failed-read = illisible ({ $why })
import-failed-seal = n'a pas pu être chiffré
import-failed-store = n'a pas pu être enregistré

## Email answering imported mail when the programme says [import] replies = "minimal"
reply-email-imported-body = Nous avons répondu au message que vous nous avez envoyé par courriel.

    Pour votre sécurité, la réponse n'est pas dans ce courriel. Pour lire nos réponses en sécurité, écrivez-nous de nouveau par notre formulaire : { $form_url }
    Vous recevrez un code de référence et une phrase secrète pour lire nos réponses.
## Programme editor (/admin/programmes)
pe-nav = Programmes
pe-list-title = Programmes
pe-list-empty = Il n'y a encore aucun programme.
pe-col-programme = Programme
pe-col-slug = Nom dans l'adresse web
pe-col-status = État
pe-history = Qui l'a modifié, et quand (journal d'audit)
pe-col-version = Version
pe-new-title = Ouvrir un nouveau programme
pe-new-intro = Partez d'un formulaire vierge ou copiez un programme existant (son formulaire, ses files, ses règles et ses modèles, aucune de ses demandes). Le nouveau programme est un brouillon avec sa propre clé : le public ne le voit pas tant que vous ne l'avez pas ouvert.
pe-new-from = Partir de
pe-new-blank = Un formulaire vierge
pe-new-copy-of = Une copie de { $slug }
pe-new-slug = Nom dans l'adresse web
pe-new-slug-hint = De 3 à 40 lettres minuscules, chiffres et tirets, par exemple sudan-2026. Le formulaire sera à l'adresse /p/ suivie de ce nom. Il ne pourra plus être changé.
pe-new-name = Titre
pe-new-name-hint = Seulement pour un formulaire vierge : le titre affiché au-dessus du formulaire.
pe-new-language = Langue par défaut
pe-new-submit = Créer le brouillon
pe-error-title = Il y a un problème
pe-error-password = Votre mot de passe n'est pas le bon ; rien n'a été modifié.
pe-error-slug = Saisissez un nom d'adresse de 3 à 40 lettres minuscules, chiffres et tirets, commençant par une lettre.
pe-error-name = Saisissez un titre pour le nouveau programme.
pe-error-exists = Un programme porte déjà ce nom d'adresse. Choisissez-en un autre.
pe-error-stale = Quelqu'un d'autre a enregistré ce programme entre-temps (il est maintenant à la version { $version }). Rien n'a été enregistré : vérifiez la version actuelle et refaites votre modification.
pe-error-slug-changed = Le nom d'adresse d'un programme existant ne peut pas être changé. Pour utiliser un autre nom, copiez le programme.
pe-error-status-changed = L'état ne se change que dans la section État, qui demande votre mot de passe.
pe-error-default-language = Choisissez comme langue par défaut l'une des langues cochées.
pe-error-retention = Saisissez le nombre de jours en nombre entier, par exemple 365.
pe-error-max-length = Saisissez la longueur maximale en nombre entier de caractères, ou laissez vide.
pe-error-priority = Choisissez une priorité de 1 à 9.
pe-error-operator = Choisissez un test pour chaque condition.
pe-error-options-cells = Options, ligne { $line } : il y a plus de libellés que le programme n'a de langues.
pe-done-created = Le programme a été créé en brouillon. Personne à l'extérieur ne peut le voir tant que vous ne l'avez pas ouvert.
pe-done-saved = Enregistré comme nouvelle version.
pe-done-unchanged = Rien n'avait changé : aucune nouvelle version n'a été enregistrée.
pe-status-draft = Brouillon
pe-status-open = Ouvert
pe-status-closed = Fermé
pe-status-archived = Archivé
pe-status-draft-means = Seul le personnel voit ce formulaire, dans l'aperçu. Personne ne peut l'envoyer.
pe-status-open-means = Le formulaire est public et reçoit des demandes.
pe-status-closed-means = Le formulaire ne reçoit plus de demandes ; son adresse affiche le message de fermeture. Le personnel continue de traiter ce qui est arrivé.
pe-status-archived-means = Le programme est terminé : son adresse répond « introuvable » et il ne peut pas être rouvert. Les demandes sont conservées jusqu'à la fin de leur durée de conservation.
pe-in-language = En { $language }
pe-password = Votre propre mot de passe, pour confirmer
pe-back = Retour au programme
pe-toml-title = Modifier { $slug } en TOML
pe-toml-intro = Voici le texte qu'affiche « haven programme export » et que lit « haven programme apply ». L'enregistrement le vérifie exactement comme la ligne de commande ; les problèmes sont indiqués avec leur numéro de ligne et votre texte est conservé.
pe-toml-label = Définition du programme (TOML)
pe-toml-submit = Vérifier et enregistrer
pe-toml-link = Modifier en TOML
pe-preview = Aperçu du formulaire
pe-sections = Sections du programme
pe-general = Général
pe-fields = Champs du formulaire
pe-queues = Files
pe-routing = Règles d'aiguillage
pe-templates = Modèles de réponse
pe-status = État
pe-languages = Langues
pe-languages-hint = Les textes d'une langue que vous décochez sont supprimés à l'enregistrement. Après avoir coché une nouvelle langue, enregistrez, puis ajoutez ses textes.
pe-default-language = Langue par défaut (chaque texte doit l'avoir)
pe-title = Titre
pe-intro = Introduction au-dessus du formulaire
pe-privacy = Avis de confidentialité
pe-closed-message = Message une fois fermé (où s'adresser à la place)
pe-retention = Conserver les demandes pendant ce nombre de jours
pe-contact = Comment répondre aux personnes
pe-contact-email = Elles peuvent donner une adresse électronique, ou n'utiliser que la boîte de réponses
pe-contact-inbox = Boîte de réponses seulement : aucune adresse électronique n'est demandée
pe-email-mode = Ce qu'un courriel au sujet d'une réponse peut dire
pe-email-minimal = Seulement qu'il y a une réponse, avec le lien vers la boîte de réponses (le plus sûr)
pe-email-full = La réponse elle-même
pe-name-field = Champ qui contient le nom de la personne (pour l'espace réservé { "{name}" })
pe-none = (aucun)
pe-save = Enregistrer
pe-field-label = Question
pe-key = Clé
pe-key-hint = Une lettre minuscule, puis jusqu'à 39 lettres minuscules, chiffres ou _. Utilisée dans les règles et les exports ; elle ne pourra plus être changée.
pe-kind = Type de réponse
pe-required = Une réponse est obligatoire
pe-actions = Actions
pe-kind-text = Texte court
pe-kind-textarea = Texte long
pe-kind-email = Adresse électronique
pe-kind-phone = Numéro de téléphone
pe-kind-select = Choix dans une liste
pe-kind-radio = Un choix parmi des boutons
pe-kind-checkbox = Cases à cocher
pe-kind-country = Pays
pe-kind-date = Date
pe-yes = Oui
pe-no = Non
pe-add-field = Ajouter un champ
pe-label-in = Texte en { $language }
pe-options = Options
pe-options-hint = Une option par ligne : valeur | libellé en { $languages }. La valeur est un code court utilisé dans les règles (lettres, chiffres, _ et -). Seulement pour les listes, les boutons et les cases à cocher.
pe-queue-name = Nom de la file
pe-add-queue = Ajouter une file
pe-routing-intro = Les règles sont essayées dans l'ordre ; la première qui correspond décide de la file et de la priorité. Une demande à laquelle aucune règle ne correspond va dans la file par défaut.
pe-rule-name = Nom de la règle
pe-rule-when = Conditions
pe-rule-queue = File
pe-priority = Priorité
pe-priority-most = la plus urgente
pe-add-rule = Ajouter une règle
pe-default-queue = File par défaut
pe-templates-none = Ce programme n'a pas encore de modèle de réponse.
pe-template-name = Nom du modèle
pe-add-template = Ajouter un modèle
pe-status-now = Ce programme est à l'état : { $status }.
pe-status-to = Nouvel état
pe-status-submit = Changer l'état
pe-test-title = Tester ces règles
pe-test-intro = Remplissez des réponses d'exemple pour voir où irait une telle demande. Rien n'est enregistré ni envoyé.
pe-test-result = Elle irait dans la file « { $queue } » avec la priorité { $priority }.
pe-test-by-rule = Décidé par la règle « { $rule } ».
pe-test-by-default = Aucune règle ne correspond : la file et la priorité par défaut s'appliquent.
pe-test-submit = Tester les règles
pe-up = Monter
pe-down = Descendre
pe-remove = Supprimer
pe-field-title = Champ { $key }
pe-hint = Texte d'aide sous la question
pe-max-length = Réponse la plus longue, en caractères (vide : la limite habituelle)
pe-queue-title = File { $key }
pe-rule-title = Règle « { $name } »
pe-match = La règle s'applique quand
pe-match-all = toutes les conditions sont remplies
pe-match-any = au moins une condition est remplie
pe-conditions-hint = Laissez le champ vide pour retirer une condition. Pour « fait partie de », séparez les valeurs par des virgules. Les valeurs sont celles des options, pas leurs libellés.
pe-condition-field = Champ
pe-condition-op = Test
pe-condition-value = Valeur
pe-op-equals = est
pe-op-in = fait partie de
pe-op-contains = contient le texte
pe-op-answered = a une réponse
pe-op-unanswered = est laissé vide
pe-template-title = Modèle { $key }
pe-template-placeholders = Espaces réservés : { "{reference}" }, { "{name}" }, { "{inbox_url}" } et { "{programme}" }. Rien d'autre entre accolades n'est permis.
pe-subject = Objet (une ligne)
pe-body = Texte
programme-blank-intro = Décrivez-nous votre situation. Nous lisons chaque demande.
programme-blank-privacy = Ce que vous écrivez est chiffré dès son arrivée, et seul le personnel chargé de ces demandes peut le lire. Nous le supprimons 90 jours après son envoi.
programme-blank-question = Comment pouvons-nous vous aider ?
programme-blank-queue = Général
