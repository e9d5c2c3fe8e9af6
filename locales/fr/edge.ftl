# Limits at the edge (issue 17): a quota that refuses a form, the reply inbox's
# throttle, the true wait on the 429 page, sign-in under load, second-factor locks.

## The public form and the reply inbox
form-not-sent-client = Votre demande n’a pas été envoyée : trop de demandes sont venues de votre connexion au cours de la dernière heure. Tout ce que vous avez écrit est toujours ci-dessous. Envoyez-la à nouveau dans { $minutes } min.
form-not-sent-network = Votre demande n’a pas été envoyée : trop de demandes sont venues de votre réseau au cours de la dernière heure. Tout ce que vous avez écrit est toujours ci-dessous. Envoyez-la à nouveau dans { $minutes } min.
form-not-sent-global = Votre demande n’a pas été envoyée : le service reçoit en ce moment plus de demandes qu’il ne peut en traiter. Tout ce que vous avez écrit est toujours ci-dessous. Envoyez-la à nouveau dans { $minutes } min.
inbox-throttled = Trop de tentatives pour ouvrir cette boîte de réponses : votre code de référence et votre phrase secrète n’ont pas été vérifiés. Réessayez dans { $minutes } min.

## Error pages
error-429-wait = Réessayez dans { $minutes } min.
error-429-later = Attendez quelques minutes, puis réessayez.

## Staff console and administration
console-signin-busy = La connexion est très sollicitée en ce moment : votre mot de passe n’a pas été vérifié. Attendez quelques secondes, puis réessayez.
reauth-busy = Les vérifications de mot de passe sont très sollicitées en ce moment : votre mot de passe n’a pas été vérifié. Attendez quelques secondes et réessayez ; rien n’a été modifié.
console-code-locked = La vérification en deux étapes de ce compte est suspendue jusqu’au { $time } après trop de codes erronés, et l’adresse e-mail du compte a été prévenue. Si ce n’était pas vous, quelqu’un connaît votre mot de passe : prévenez votre administrateur.
staff-notice-second-factor-locked = Le { $time }, quelqu’un a saisi le bon mot de passe de votre compte Haven, puis un code de validation en deux étapes erroné après l’autre. La validation en deux étapes de votre compte est suspendue pour un temps.
