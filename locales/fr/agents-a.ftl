# Textes de la branche agents-a (ticket 22, points 1 et 2).

## Questions posées à la personne, dans sa langue
phone-safe-question = Pouvez-vous parler en sécurité maintenant ?
phone-safe-yes = Oui, je peux parler en sécurité maintenant
phone-safe-no = Non, je ne peux pas parler en sécurité maintenant
phone-call-back-question = Quand pouvons-nous vous rappeler ?
phone-call-back-hint = Par exemple : en semaine le matin, pas après 18 h
phone-error-safe = Indiquez si vous pouvez parler en sécurité maintenant
phone-error-call-back = « Quand pouvons-nous vous rappeler ? » doit tenir sur une ligne, sans caractères spéciaux
phone-error-call-back-long = « Quand pouvons-nous vous rappeler ? » doit faire { $max } caractères au plus
caller-number-label = Un numéro donné au téléphone par un membre de l’équipe
caller-number-hint = Seulement si une personne de notre équipe vous a demandé de le saisir ici, pendant votre appel avec elle.

## Console du personnel
phone-link = Prendre un appel
phone-title = Prendre un appel : { $programme }
phone-intro = Remplissez le formulaire pendant l’appel, dans la langue de la personne. Posez la première question avant tout. Rien n’est envoyé avant d’appuyer sur le bouton en bas.
phone-caller-language = Langue de la personne qui appelle
phone-caller-language-button = Afficher le formulaire dans cette langue
phone-receipt-title = Lisez ceci à la personne
phone-receipt-intro = La demande est enregistrée. Lisez lentement le code de référence et la phrase secrète, groupe par groupe, en { $language }, puis demandez à la personne de vous les relire.
phone-spelling-own = Chaque lettre et chaque chiffre a un mot pour l’épeler dans la langue de la personne.
phone-spelling-nato = Les chiffres sont épelés dans la langue de la personne, les lettres avec l’alphabet d’épellation international (Alfa, Bravo, …).
phone-receipt-reference = Code de référence
phone-receipt-passphrase = Phrase secrète
phone-receipt-new-passphrase = Vous avez entendu cette phrase secrète : la personne devra en choisir une nouvelle à sa première ouverture de sa boîte de réponses. Ne la notez pas.
phone-receipt-inbox = Dites à la personne que les réponses arriveront dans sa boîte de réponses, ouverte avec ces deux codes.
phone-read-back = La personne m’a relu les deux codes sans erreur
phone-read-back-missing = Cochez la case une fois que la personne vous a relu les deux codes
phone-done = Terminé
phone-call-heading = L’appel
phone-call-safe = Peut parler en sécurité quand on l’appelle
phone-call-back = Quand rappeler
phone-entered-by = Saisi par
verify-link = Vérifier une personne qui appelle
verify-title = Vérifier une personne qui appelle
verify-back = Retour à la demande
verify-none = Aucune personne n’a été vérifiée pendant cet appel.
verify-waiting = Pas encore vérifiée.
verify-verified = Vérifiée : la personne a saisi le numéro dans la boîte de réponses de cette demande.
verify-expired = Non vérifiée : le numéro a expiré. Affichez-en un nouveau.
verify-too-many = Non vérifiée : trop de numéros erronés ont été saisis. Affichez-en un nouveau.
verify-no-detail = Tant que la personne n’est pas vérifiée, ne donnez ni l’état ni aucun détail de cette demande.
verify-number-heading = Lisez ce numéro à la personne
verify-number-instructions = Demandez à la personne d’ouvrir sa boîte de réponses avec son code de référence et sa phrase secrète, et de saisir ce numéro dans le champ prévu pour un numéro donné au téléphone. Il est valable cinq minutes. Puis vérifiez à nouveau.
verify-refresh = Vérifier à nouveau
verify-issue = Afficher un nouveau numéro à usage unique
