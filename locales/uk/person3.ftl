# Date questions as three boxes (GOV.UK pattern)
date-day = День
date-month = Місяць
date-year = Рік

# The programme editor: a country question's first countries
said-countries-first = країни на початку списку можна вказати лише в питанні про країну: кожна — дволітерний код ISO, як-от AF, один раз, не більше 20

# A country question that lists some countries first
country-first = Пропоновані
country-others = Усі країни

# Discreet mode: a programme's public pages name no programme
said-discreet-address = вкажіть слово з 3–40 символів a-z, 0-9 і - всередині, що починається з літери й відрізняється від slug
discreet-page-title = Форма

# The receipt's "Save as a text file" (where the programme offers it)
receipt-save-text = Зберегти як текстовий файл
receipt-save-text-hint = У файлі лише адреса скриньки відповідей і ваші два коди. Зберігайте його там, де інші не знайдуть.
receipt-file-inbox = Скринька відповідей
receipt-file-reference = Код звернення
receipt-file-passphrase = Парольна фраза
