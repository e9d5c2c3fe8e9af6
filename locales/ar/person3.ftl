# Date questions as three boxes (GOV.UK pattern)
date-day = اليوم
date-month = الشهر
date-year = السنة

# The programme editor: a country question's first countries
said-countries-first = لا تُدرج دولًا في أول القائمة إلا في سؤال عن الدولة: كلٌّ منها رمز ISO من حرفين مثل AF، مرة واحدة، و20 على الأكثر

# A country question that lists some countries first
country-first = مقترحة
country-others = كل الدول

# Discreet mode: a programme's public pages name no programme
said-discreet-address = أدخل كلمة من 3 إلى 40 حرفًا من a-z و0-9 و- في الوسط، تبدأ بحرف، وتختلف عن الاسم المختصر (slug)
discreet-page-title = استمارة

# The receipt's "Save as a text file" (where the programme offers it)
receipt-save-text = حفظ كملف نصي
receipt-save-text-hint = يحتوي الملف على عنوان صندوق الردود ورمزيك فقط. احفظه حيث لا يجده غيرك.
receipt-file-inbox = صندوق الردود
receipt-file-reference = الرمز المرجعي
receipt-file-passphrase = عبارة المرور
