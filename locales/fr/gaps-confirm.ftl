## Confirmed contact addresses, the rest (issue 19, item 1).
gaps-confirm-remove-heading = Supprimer l’adresse e-mail
gaps-confirm-remove-intro = Plus rien ne sera envoyé par e-mail à cette personne. Les réponses l’attendent dans sa boîte. Seule la personne peut donner une nouvelle adresse.
gaps-confirm-reason = Pourquoi
gaps-confirm-reason-person-asked = La personne l’a demandé
gaps-confirm-reason-not-theirs = L’adresse n’est pas la sienne
gaps-confirm-reason-unsafe = L’e-mail n’est pas sûr pour elle
gaps-confirm-reason-bounced = Les messages n’y arrivent pas
gaps-confirm-remove-submit = Supprimer l’adresse
gaps-confirm-flash-removed = L’adresse sera supprimée dans la minute. Plus rien ne lui est envoyé.
gaps-confirm-receipt-address = Adresse e-mail donnée : { $address }. Nous ne lui envoyons qu’un code, jusqu’à ce que vous tapiez ce code dans votre boîte.
