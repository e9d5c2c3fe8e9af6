# Date questions as three boxes (GOV.UK pattern)
date-day = روز
date-month = ماه
date-year = سال

# The programme editor: a country question's first countries
said-countries-first = کشورها را فقط در سؤال کشور در اول فهرست بگذارید: هر کدام یک کد دوحرفی ISO مانند AF، یک بار، حداکثر ۲۰

# A country question that lists some countries first
country-first = پیشنهادی
country-others = همه کشورها

# Discreet mode: a programme's public pages name no programme
said-discreet-address = یک کلمه ۳ تا ۴۰ حرفی از a-z، 0-9 و - در میان بدهید که با حرف شروع شود و با slug فرق داشته باشد
discreet-page-title = فورم

# The receipt's "Save as a text file" (where the programme offers it)
receipt-save-text = ذخیره به شکل فایل متنی
receipt-save-text-hint = این فایل فقط نشانی صندوق جواب‌ها و دو کود شما را دارد. آن را جایی نگه دارید که دیگران پیدا نکنند.
receipt-file-inbox = صندوق جواب‌ها
receipt-file-reference = کود مرجع
receipt-file-passphrase = عبارت رمز
