# Textes de la branche incident2 (ticket 20, points 2, 4, 5, 6).

## Console : notifications
incident2-notify-heading = Informer les personnes concernées
incident2-notify-intro = Un message par personne, dans sa langue, exactement aux demandes concernées : chacun le reçoit dans sa boîte de réponses, et les adresses confirmées aussi par courriel. Il n'est envoyé qu'après l'approbation d'un second superviseur.
incident2-ways = Comment chaque personne a été jointe
incident2-way-email = Courriel envoyé (adresse confirmée)
incident2-way-unconfirmed-notice = Avis neutre envoyé (adresse jamais confirmée)
incident2-way-pending = Pas encore envoyé
incident2-way-failed = Courriel en échec : boîte de réponses seulement
incident2-way-inbox-only = Boîte de réponses seulement
incident2-way-not-notified = Pas informée
incident2-state-pending = En attente d'approbation
incident2-state-dispatched = Approuvée et envoyée
incident2-state-cancelled = Annulée
incident2-unconfirmed-asked = demande de joindre les adresses jamais confirmées
incident2-campaign-page = Page de la réponse groupée
incident2-prepare-heading = Préparer la notification
incident2-template = Modèle
incident2-unconfirmed-ask = Envoyer aussi aux adresses jamais confirmées un avis neutre qui renvoie à la boîte de réponses (seulement si l'approbateur le coche aussi)
incident2-prepare-button = Préparer la notification
incident2-approve-heading = Approuver la notification
incident2-approve-text = Le texte, dans chaque langue
incident2-unconfirmed-approve = J'accepte : les adresses jamais confirmées reçoivent un avis neutre qui renvoie à la boîte de réponses
incident2-approve-button = Approuver et envoyer
incident2-problem-template = Choisissez un modèle dans la liste.
incident2-problem-empty = Aucune des demandes concernées n'est encore conservée : il n'y a personne à informer.
incident2-problem-closed = L'incident est clos.
incident2-problem-pending = Une notification de cet incident attend déjà une approbation.
incident2-done-prepared = La notification est préparée. Un second superviseur doit l'approuver.
incident2-done-dispatched = La notification a été approuvée et part.
incident2-done-conflict = Quelqu'un d'autre a décidé de cette notification avant vous.
incident2-done-changed = Le modèle a changé depuis la préparation : rien n'a été envoyé. Préparez-la de nouveau.
incident2-done-own = Vous avez préparé cette notification : un second superviseur doit l'approuver.

## L'avis neutre à une adresse jamais confirmée
incident2-neutral-subject = Un message pour vous
incident2-neutral-body = Un nouveau message vous attend dans votre boîte de réponses : { $inbox_url }. Ouvrez-la avec votre code de référence et votre phrase secrète.

## Console : endiguement et actions
incident2-contain-heading = Arrêter ce qui part encore
incident2-contain-intro = Suspendre, reprendre ou annuler les messages pas encore envoyés d'une réponse groupée. Chaque usage est consigné dans les actions de cet incident.
incident2-contain-what = Que faire
incident2-contain-pause = Suspendre
incident2-contain-resume = Reprendre
incident2-contain-cancel = Annuler ce qui n'est pas encore envoyé
incident2-contain-button = Appliquer
incident2-emergency-button = Arrêt d'urgence : retenir tout le courrier sortant
incident2-emergency-admin = L'arrêt d'urgence de tout le courrier sortant se trouve sur la page Courrier sortant des administrateurs de l'instance.
incident2-done-contained = C'est fait, et consigné dans les actions de cet incident.
incident2-done-unchanged = Rien n'a changé (déjà fait, ou plus rien à arrêter). Consigné dans les actions de cet incident.
incident2-done-reason = Indiquez pourquoi (la raison est consignée).
incident2-actions-heading = Actions
incident2-actions-none = Aucune action consignée pour l'instant.
incident2-col-action = Action

## Console : une clé qu'on croit divulguée
incident2-by-key = D'une clé qu'on croit divulguée
incident2-by-key-intro = Toutes les demandes dont le texte, les notes, les réponses ou les courriels sont scellés sous une clé de programme qu'on croit divulguée ; ou, pour la clé maîtresse, toutes les demandes du programme (la clé maîtresse ouvre toutes les clés de programme).
incident2-key = Identifiant de la clé, ou master
incident2-key-hint = L'identifiant de la clé tel que la page Clés du programme l'affiche, ou le mot master.
incident2-problem-key = Un identifiant de clé compte 32 lettres et chiffres, comme sur la page Clés ; ou écrivez master.
incident2-rotate-link = Renouveler la clé du programme (administrateurs du programme ; votre mot de passe est redemandé) : le renouvellement figure dans les actions de cet incident
