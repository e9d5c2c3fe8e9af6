## Confirming an email address (issue 19, item 1).
contact-confirm-subject = Votre code de confirmation
contact-confirm-body = Quelqu’un a donné cette adresse e-mail pour recevoir des messages. Si c’était vous, tapez ce code là où il vous a été demandé : { $code }

    Si ce n’était pas vous, ignorez ce message : rien d’autre ne sera envoyé à cette adresse.
contact-email-heading = Adresse e-mail
contact-address = Adresse : { $address }
contact-confirmed = Confirmée. Nous vous préviendrons par e-mail quand il y aura une réponse.
contact-unconfirmed = Pas encore confirmée. Nous n’envoyons rien à cette adresse tant que vous n’avez pas tapé ici le code que nous lui avons envoyé. D’ici là, vos réponses attendent seulement dans cette boîte.
contact-none = Vous n’avez pas donné d’adresse e-mail. Les réponses apparaissent seulement dans cette boîte.
contact-code-label = Code reçu par e-mail
contact-code-submit = Confirmer l’adresse
contact-resend = M’envoyer un nouveau code
contact-resend-hint = Demandez un nouveau code seulement quand vous pouvez recevoir des e-mails sans danger.
contact-change-label = Nouvelle adresse e-mail
contact-change-submit = Utiliser plutôt cette adresse
contact-remove = Supprimer mon adresse e-mail
contact-asked-code = Merci. Si le code est juste, l’adresse est confirmée dans la minute. Rouvrez votre boîte pour le voir.
contact-asked-send = Un nouveau code sera envoyé à l’adresse dans la minute (trois par jour au plus).
contact-asked-change = La nouvelle adresse sera utilisée dans la minute. Elle doit être confirmée avec le code que nous lui enverrons.
contact-asked-remove = L’adresse sera supprimée dans la minute. Plus rien ne lui sera envoyé.
contact-back = Retour à ma boîte
contact-error-code = Tapez le code reçu par e-mail : huit lettres et chiffres.
contact-error-email = Tapez une adresse e-mail valide, par exemple nom@example.org.
