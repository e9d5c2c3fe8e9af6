# Date questions as three boxes (GOV.UK pattern)
date-day = Jour
date-month = Mois
date-year = Année

# The programme editor: a country question's first countries
said-countries-first = ne placez des pays en tête que dans une question de pays : chacun un code ISO à deux lettres comme AF, une seule fois, 20 au plus

# A country question that lists some countries first
country-first = Suggestions
country-others = Tous les pays

# Discreet mode: a programme's public pages name no programme
said-discreet-address = indiquez un mot de 3 à 40 caractères parmi a-z, 0-9 et - (pas au début ni à la fin), commençant par une lettre, autre que le slug
discreet-page-title = Formulaire

# The receipt's "Save as a text file" (where the programme offers it)
receipt-save-text = Enregistrer dans un fichier texte
receipt-save-text-hint = Le fichier contient l’adresse de la boîte de réponses et vos deux codes, rien d’autre. Gardez-le là où personne ne peut le trouver.
receipt-file-inbox = Boîte de réponses
receipt-file-reference = Code de référence
receipt-file-passphrase = Phrase secrète
