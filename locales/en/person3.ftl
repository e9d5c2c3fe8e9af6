# Date questions as three boxes (GOV.UK pattern)
date-day = Day
date-month = Month
date-year = Year

# The programme editor: a country question's first countries
said-countries-first = list countries first only in a country question: each a two-letter ISO code such as AF, once, at most 20

# A country question that lists some countries first
country-first = Suggested
country-others = All countries

# Discreet mode: a programme's public pages name no programme
said-discreet-address = give a word of 3 to 40 of a-z, 0-9 and inner -, starting with a letter, other than the slug
discreet-page-title = Form

# The receipt's "Save as a text file" (where the programme offers it)
receipt-save-text = Save as a text file
receipt-save-text-hint = The file holds the reply inbox address and your two codes, nothing else. Keep it where others cannot find it.
receipt-file-inbox = Reply inbox
receipt-file-reference = Reference code
receipt-file-passphrase = Passphrase
