signed-state-unavailable-title = Ce formulaire n'est pas disponible
signed-state-unavailable-body = Le formulaire ne peut pas recevoir de demandes pour le moment. Rien de ce que vous saisiriez ici ne serait envoyé. Veuillez réessayer plus tard ou contacter l'organisation par un autre moyen.
signed-state-refused = Les paramètres enregistrés de ce programme ne portent pas la signature de la console : ils ont peut-être été modifiés directement dans la base de données. Rien n'a été enregistré. Un opérateur doit vérifier le programme et lancer `haven programme re-sign`.
