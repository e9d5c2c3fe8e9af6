## Staff console and administration: programme changes that widen who can read data

widening-title = تأكيد تغيير يوسّع الوصول
widening-intro = يتيح هذا التغيير لعدد أكبر من الناس، أو لأشخاص آخرين، قراءة بيانات هذا البرنامج، أو يتيح إرسال المزيد منها. لا يُحفظ إلا بعد أن تكتب كلمة المرور مرة أخرى.
widening-audited = سيذكر سجل التدقيق كل عنصر من هذه العناصر باسم حسابك.
widening-submit = الحفظ بكلمة المرور الخاصة بي
widening-cancel = الإلغاء والعودة إلى البرنامج
widening-instance-only = لا يستطيع تغيير { $settings } إلا مسؤول النظام؛ لم يتغير شيء.
widening-kind-held-answered = لا يمكن تغيير نوع الحقل { $field } من «{ $from }» إلى «{ $to }»: أجاب عنه أشخاص، وستُقرأ إجاباتهم على أنها شيء آخر. أضف حقلًا جديدًا بدلًا من ذلك؛ لم يتغير شيء.
widening-kind-held-shared = لا يمكن تغيير نوع الحقل { $field } من «{ $from }» إلى «{ $to }»: يذكره ملف المشاركة الخاص بأحد الشركاء. أضف حقلًا جديدًا بدلًا من ذلك؛ لم يتغير شيء.
widening-kind-escrow = يُضاف مفتاح ضمان أو يُستبدل: من يملكه يستطيع فتح بيانات هذا البرنامج خارج Haven، دون الحد الساعي ودون سجل التدقيق.
widening-kind-partner-added = يمكن لشريك جديد، { $partner }، أن يتلقى الإحالات.
widening-kind-partner-address = تذهب الإحالات إلى { $partner } إلى عنوان آخر.
widening-kind-partner-recipient = ما يُرسَل إلى { $partner } يُشفَّر بمفتاح آخر.
widening-kind-partner-profile = يمكن إرسال المزيد إلى { $partner }: { $fields }.
widening-kind-consent = الموافقة المطلوبة قبل إرسال البيانات الشخصية أُزيلت أو نُقلت إلى سؤال آخر.
widening-kind-shared-field = السؤال { $field }، الذي تُرسَل إجاباته إلى شريك أو تسجّل الموافقة، يسأل الآن عن شيء آخر.
widening-kind-language = تُضاف اللغة { $language } بينما تُرسَل الإجابات إلى الشركاء.
widening-kind-inbox-referrals = سيخبر صندوق الردود كل من يفتحه بالشركاء الذين أُحيلت القضية إليهم.
widening-kind-two-factor = يمكن للموظفين تسجيل الدخول دون التحقق بخطوتين.
widening-kind-email-full = ستحمل الرسائل التي تعلن عن رد الردَّ نفسه.
widening-kind-name-field = إحدى الإجابات، وهي اسم الشخص، تدخل في الردود والرسائل.
widening-kind-contact-email = يمكن للناس إعطاء عنوان بريد إلكتروني، ويُعلَن عن الردود في ذلك الصندوق.
widening-kind-import-replies-full = ستحمل الردود على البريد المستورد الردَّ نفسه.
widening-kind-import-text-shared = يذهب نص البريد المستورد إلى سؤال تُرسَل إجاباته إلى شريك.
