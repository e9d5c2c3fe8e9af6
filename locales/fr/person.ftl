## Submit once (issue 21)
already-sent-title = Ce formulaire a déjà été envoyé
already-sent-body = Votre demande est arrivée une fois et elle est en sécurité chez nous. Elle n’a pas été envoyée une deuxième fois. Si vous avez gardé votre code de référence et votre phrase secrète, vous pouvez lire nos réponses dans votre boîte de réponses.
already-sent-new = Envoyer une nouvelle demande, différente
receipt-gone-title = Vos codes ne sont plus affichés ici
receipt-gone-body = Pour vous protéger, cette page n’affiche votre code de référence et votre phrase secrète que pendant quelques minutes après l’envoi du formulaire. Si vous les avez gardés, vous pouvez lire nos réponses dans votre boîte de réponses.

## Language switch inside the form (issue 21)
form-switch-language = Lire ce formulaire dans une autre langue (ce que vous avez écrit est conservé)

## Leave quickly, the inbox from the form (issue 21)
leave-quickly = Quitter ce site rapidement
form-inbox-link = Vous nous avez déjà envoyé une demande ? Lisez nos réponses dans votre boîte de réponses

## The receipt names no programme (issue 21)
receipt-inbox-address = Votre boîte de réponses se trouve à cette adresse. La prochaine fois, tapez-la vous-même :
receipt-codes-open = Ensemble, ces deux codes ouvrent tout ce que montre votre boîte de réponses. Gardez-les pour vous : ne les partagez jamais et ne les envoyez jamais dans un message.
