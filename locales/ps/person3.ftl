# Date questions as three boxes (GOV.UK pattern)
date-day = ورځ
date-month = میاشت
date-year = کال

# The programme editor: a country question's first countries
said-countries-first = هېوادونه یوازې د هېواد په پوښتنه کې د لړلیک په سر کې کېږدئ: هر یو دوه توريز ISO کوډ لکه AF، یو ځل، تر ۲۰ پورې

# A country question that lists some countries first
country-first = وړاندیز شوي
country-others = ټول هېوادونه

# Discreet mode: a programme's public pages name no programme
said-discreet-address = یوه کلمه ورکړئ چې له ۳ تر ۴۰ پورې a-z، 0-9 او په منځ کې - ولري، په توري پیل شي او له slug سره توپیر ولري
discreet-page-title = فورمه

# The receipt's "Save as a text file" (where the programme offers it)
receipt-save-text = د متني فایل په توګه خوندي کړئ
receipt-save-text-hint = په فایل کې یوازې د ځوابونو صندوق پته او ستاسو دوه کوډونه دي. داسې ځای یې وساتئ چې نور یې ونه مومي.
receipt-file-inbox = د ځوابونو صندوق
receipt-file-reference = د حوالې کوډ
receipt-file-passphrase = پټ عبارت
