## الرسائل إلى أصحاب الطلبات، وإعداداتها وضوابطها

mail-footer-never-asks = لن نطلب منك أبدًا عبارة المرور عبر البريد الإلكتروني. لقراءة الردود، لا تتبع الروابط الموجودة في الرسائل: اكتب هذا العنوان بنفسك في متصفحك: { $inbox }
widening-kind-sender-programme = ستذكر الرسائل المرسلة إلى أصحاب الطلبات اسم البرنامج (عنوانه اسمًا للمرسل وفي النص): فيعرف كل من يقرأ صندوق بريد الشخص موضوع ما كتب عنه.
mail-stop-heading = إيقاف الإرسال
mail-stop-intro = يمكن حجز الرسائل التي لم تُرسل بعد (إيقاف مؤقت ثم استئناف) أو عدم إرسالها أبدًا (إيقاف نهائي). يتحقق العامل قبل كل رسالة، فلا يخرج إلا القليل مما يُسلَّم للخادم في تلك اللحظة.
mail-stop-reason = السبب (يُحفظ في سجل التدقيق)
mail-stop-pause = إيقاف الإرسال مؤقتًا
mail-stop-resume = استئناف الإرسال
mail-stop-cancel = إيقاف نهائي: لا تُرسل البقية أبدًا
mail-stop-paused = أوقفه مؤقتًا { $who } في { $time } UTC: { $reason }
mail-stop-cancelled = أوقفه نهائيًا { $who } في { $time } UTC: { $reason }
mail-stop-reason-missing = اذكر سببًا: يُحفظ في سجل التدقيق.
mail-outbound-title = البريد الصادر
mail-outbound-sending = البريد الصادر يُرسل.
mail-outbound-paused = كل البريد الصادر متوقف مؤقتًا منذ { $time } UTC، بواسطة { $who }: { $reason }
mail-outbound-intro = يحجز الإيقاف الطارئ كل رسالة من كل برنامج، على كل عامل في كل نسخة، حتى بعد إعادة التشغيل، إلى أن يُستأنف الإرسال. قد تخرج الرسائل التي كانت تُسلَّم للخادم لحظة الضغط (واحدة على الأكثر لكل اتصال). سطر الأوامر يفعل الشيء نفسه: haven outbound pause، resume، status.
mail-outbound-pause = إيقاف كل البريد الصادر مؤقتًا
mail-outbound-resume = استئناف البريد الصادر
mail-withdraw-button = سحب الرسالة المنتظرة منذ { $time } UTC (لم تُرسل بعد؛ يبقى الرد في صندوق الردود)
mail-template-missing = لم يُكتب بعد باللغات: { $languages }. من كتبوا بهذه اللغات سيتلقون لغة أخرى، أو ردًا مكتوبًا يدويًا.

# Templates checked before use (issue 19, item 6).
template-all-languages = مكتوب بكل لغات البرنامج.
template-test-language = لغة رسالة الاختبار
template-test-button = أرسل لي اختبارًا
template-test-sent = أُرسلت رسالة اختبار إلى عنوان عملك الخاص.
template-test-failed = تعذّر إرسال رسالة الاختبار. حاول لاحقًا، أو اطلب من مسؤول النظام فحص خادم البريد.
template-test-stopped = إرسال البريد متوقف، لذلك لم تُرسل أي رسالة اختبار.
template-test-limit = أرسلت رسائل اختبار كثيرة في الساعة الأخيرة. انتظر قليلًا قبل إرسال رسالة أخرى.
template-test-tag = اختبار
template-test-note = هذا اختبار للقالب «{ $template }» باللغة { $language }، أُرسل إليك وحدك. وهو مملوء ببيانات تجريبية، لا ببيانات طلب حقيقي.
reply-language-held = اختر طريقة الرد
reply-language-warning = كتب هذا الشخص باللغة { $language }، وليس لهذا القالب نص باللغة { $language }. لم يُرسل شيء بعد.
reply-language-fallback = أرسل باللغة { $fallback }
reply-language-by-hand = اكتب يدويًا
reply-language-by-hand-hint = اخترت كتابة هذا الرد يدويًا: عدّل النص كما يلزم، ثم أرسله.
pe-template-missing = اللغات الناقصة
pe-template-previews = المعاينات، ورسائل الاختبار إلى عنوانك الخاص
