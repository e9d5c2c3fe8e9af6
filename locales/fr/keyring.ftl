# Texts of the keyring branch: campaign pinning (what a bulk reply sends is fixed when
# it is prepared, and approved as shown).

## Staff console and administration
campaign-text-heading = Le texte envoyé
campaign-text-intro = Exactement ce que cette réponse groupée envoie, dans chaque langue, fixé au moment où elle a été préparée. Les mots entre accolades sont remplis pour chaque personne.
campaign-text-changed = Cette réponse groupée ne peut pas être approuvée : son modèle a changé depuis qu’elle a été préparée (ou elle a été préparée avant que Haven conserve le texte envoyé). Rien n’a été envoyé. Annulez-la et préparez-en une nouvelle.
campaign-flash-changed = Non approuvée : le modèle a changé après la préparation de cette réponse groupée. Rien n’a été envoyé.
campaign-text-fallback = Les personnes qui utilisent { $languages } reçoivent le texte en { $default }.
