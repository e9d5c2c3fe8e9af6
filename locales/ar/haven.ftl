# Haven interface text, Arabic (Modern Standard).
# Programme texts (titles, questions, options) come from each programme's own file, not from here.

site-name = Haven
skip-to-content = الانتقال إلى المحتوى الرئيسي
language-switch = اللغة
footer-note = يُشفَّر ما ترسله قبل حفظه. لا يستخدم هذا الموقع أي وسيلة تتبّع، ولا يحمّل أي شيء من مواقع أخرى.

## The public form
field-optional = (اختياري)
form-submit = إرسال الطلب
form-privacy-heading = كيف نستخدم معلوماتك
select-choose = اختر…
country-choose = اختر بلدًا
date-hint = اكتب التاريخ بالصيغة سنة-شهر-يوم، مثل 2021-08-15.
contact-heading = كيف نرد عليك؟
contact-hint = يمكنك قراءة ردودنا في صندوق ردود خاص، باستخدام الرمز المرجعي وعبارة المرور اللذين ستحصل عليهما بعد الإرسال. لا يلزمك إعطاء عنوان بريد إلكتروني.
contact-inbox = في صندوق الردود فقط (بدون بريد إلكتروني)
contact-email = عبر البريد الإلكتروني أيضًا
contact-email-label = عنوان البريد الإلكتروني
contact-email-hint = نرسل فقط إشعارًا قصيرًا يخبرك بأن لديك ردًا. لا تستخدم إلا عنوانًا آمنًا لك.
contact-inbox-only = تُقرأ الردود في صندوق ردود خاص. لا نطلب عنوان بريد إلكتروني.
honeypot-label = اترك هذا الحقل فارغًا

## Errors on the form
error-summary-title = توجد مشكلة
error-required-text = أدخل إجابة عن «{ $label }»
error-required-choice = اختر إجابة عن «{ $label }»
error-required-box = ضع علامة في مربع «{ $label }»
error-too-long = «{ $label }» أطول من المسموح: الحد الأقصى لعدد الأحرف هو { $max }
error-invalid-choice = اختر إحدى الإجابات المعروضة عن «{ $label }»
error-invalid-email = أدخل عنوان بريد إلكتروني بالصيغة الصحيحة، مثل name@example.com
error-invalid-phone = أدخل رقم هاتف لا يحتوي إلا على أرقام ومسافات والرموز + ( ) -
error-invalid-date = أدخل تاريخًا صحيحًا في «{ $label }»، مثل 2021-08-15
error-invalid-country = اختر بلدًا من القائمة في «{ $label }»
error-invalid-characters = يحتوي «{ $label }» على رموز لا يمكن قبولها
error-single-line = يجب أن يكون «{ $label }» في سطر واحد
error-contact-missing-email = أدخل عنوان البريد الإلكتروني الذي نرسل إليه الرد، أو اختر صندوق الردود فقط
error-contact-mode = اختر الطريقة التي تريد أن تصلك بها الردود
error-honeypot = اترك الحقل «{ honeypot-label }» فارغًا
error-form-expired = بقي هذا النموذج مفتوحًا مدة طويلة جدًا، أو أُرسل من موقع آخر. إجاباتك موجودة أدناه: راجعها وأرسلها مرة أخرى.

## Receipt
receipt-title = تم إرسال طلبك
receipt-reference-label = رمزك المرجعي
receipt-passphrase-label = عبارة المرور الخاصة بك
receipt-keep-safe = اكتبهما، أو احفظهما في مكان لا يراه أحد غيرك. لا يمكننا أن نعرضهما عليك مرة أخرى. تحتاج إلى كليهما لقراءة ردودنا.
receipt-danger = إذا كان من الممكن أن يطّلع شخص آخر على هذا الجهاز، فأغلق هذه الصفحة بعد أن تدوّن الرمزين.
receipt-next-heading = ماذا يحدث بعد ذلك
receipt-next = سيقرأ أحد أعضاء فريقنا طلبك. ستظهر الردود في صندوق الردود الخاص بك.
receipt-inbox-link = اذهب إلى صندوق الردود

## Reply inbox
inbox-title = صندوق الردود الخاص بك
inbox-intro = أدخل الرمز المرجعي وعبارة المرور اللذين حصلت عليهما عند إرسال طلبك.
inbox-reference-label = الرمز المرجعي
inbox-reference-hint = 20 من الحروف والأرقام، مثل ABCDE-FGHJK-MNPQR-STVWX
inbox-passphrase-label = عبارة المرور
inbox-submit = افتح صندوق الردود
inbox-failed = لم نتمكن من فتح صندوق ردود بهذا الرمز المرجعي وعبارة المرور. تحقق منهما وحاول مرة أخرى.
inbox-status-heading = حالة طلبك
inbox-no-replies = لا توجد ردود بعد. يُرجى العودة لاحقًا.
inbox-sign-out = أغلق صندوق الردود
status-new = تم الاستلام، في انتظار القراءة
status-in-progress = قيد المعالجة
status-awaiting-reply = في انتظار معلومات إضافية منك
status-closed = مغلق

## Closed programme
closed-title = هذا النموذج مغلق
closed-default = لم يعد هذا البرنامج يستقبل طلبات.

## Error pages
error-incident = الرقم المرجعي للخطأ: { $id }
error-back-home = ارجع وحاول مرة أخرى
error-400-title = هناك خطأ في ما أُرسل
error-400-body = أرسل متصفحك شيئًا لم نتمكن من قراءته. ارجع، وراجع إجاباتك، وحاول مرة أخرى.
error-403-title = تم رفض هذه العملية
error-403-body = ربما انتهت صلاحية الصفحة التي جئت منها. ارجع، وأعد تحميل الصفحة، وحاول مرة أخرى.
error-404-title = الصفحة غير موجودة
error-404-body = تحقق من عنوان الصفحة. إذا وصلت إليها عبر رابط، فربما يكون الرابط قديمًا.
error-405-title = هذا الإجراء غير ممكن هنا
error-405-body = ارجع واستخدم الأزرار الموجودة في الصفحة.
error-408-title = كان الاتصال بطيئًا جدًا
error-408-body = استغرق وصول إجاباتك وقتًا طويلًا جدًا. تحقق من اتصالك وأرسلها مرة أخرى.
error-410-title = هذا النموذج مغلق
error-410-body = لم يعد هذا البرنامج يستقبل طلبات.
error-413-title = ما أرسلته كبير جدًا
error-413-body = كانت إجاباتك أطول من أن تُرسل دفعة واحدة. ارجع واختصرها.
error-415-title = هناك خطأ في ما أُرسل
error-415-body = أرسل متصفحك النموذج بطريقة لا نستطيع قراءتها. ارجع وحاول مرة أخرى.
error-429-title = محاولات كثيرة جدًا
error-429-body = لحماية جميع من يستخدمون هذه الخدمة، هناك حد لعدد مرات الإرسال. انتظر ساعة، ثم حاول مرة أخرى. ما أرسلته من قبل في أمان.
error-500-title = عذرًا، حدث خطأ من جهتنا
error-500-body = إذا رأيت رمزًا مرجعيًا، فقد وصلنا طلبك. وإن لم تره، فلم يُحفظ أي شيء: يُرجى المحاولة مرة أخرى لاحقًا.
error-503-title = الخدمة مشغولة حاليًا
error-503-body = يُرجى المحاولة مرة أخرى بعد بضع دقائق. إذا رأيت رمزًا مرجعيًا، فقد وصلنا طلبك.
inbox-replies-heading = الردود
inbox-reply-date = أُرسل في { $date }

## Email about a reply
reply-email-subject = لديك رد جديد
reply-email-body = وصل رد جديد على طلبك.

    اقرأه في صندوق الردود الخاص بك: { $inbox_url }
    ستحتاج إلى الرمز المرجعي وعبارة المرور اللذين حصلت عليهما.

    حفاظًا على خصوصيتك، لا يتضمن هذا البريد نص الرد.
preview-notice = معاينة للموظفين: هكذا يرى الجمهور النموذج. لا يمكن إرساله من هنا.

## Security hardening: emails to staff when a factor of their account changes
staff-notice-subject = تغيّر حسابك في Haven
staff-notice-totp-enrolled = تم إعداد التحقق بخطوتين في حسابك على Haven في { $time }.
staff-notice-totp-reset = أعاد أحد المسؤولين ضبط التحقق بخطوتين في حسابك على Haven في { $time }. ستعدّه مجددًا عند تسجيل دخولك التالي.
staff-notice-recovery-code-used = استُخدم أحد رموز الاسترداد الخاصة بك لتسجيل الدخول إلى حسابك على Haven في { $time }. يعمل كل رمز مرة واحدة فقط.
staff-notice-not-you = إذا لم تكن أنت من فعل ذلك، فأبلغ مسؤول Haven لديك فورًا: ربما يعرف شخص ما كلمة المرور الخاصة بك.
## Referrals to partner organisations (reply inbox)
inbox-referred-heading = الإحالة إلى الشركاء
inbox-referred = أحلنا ملفك إلى { $partner }.
## Console: importing mail from an upload (/console/p/{slug}/import) and kept attachments
import-title = استيراد البريد
import-back = العودة إلى لوحة المعلومات
import-intro = ارفع ملفات ‎.eml أو ملف mbox مُصدَّرًا من صندوق بريد. تصبح كل رسالة طلبًا في { $programme }، تمامًا كما مع haven import على الخادم: تُفكّ الرسائل المُعاد توجيهها إلى مرسلها الأصلي، وتُتخطّى الرسائل المستوردة من قبل، ولا تُحفظ الملفات نفسها أبدًا (تُحفظ الطلبات فقط، مشفّرة).
import-limit = حتى { $mib } ميبيبايت في المجموع. لصندوق بريد أكبر، ارفعه على أجزاء أو استخدم haven import على الخادم.
import-unavailable = لا يمكن لهذا البرنامج استقبال بريد مستورد
import-unavailable-archived = البرنامج مؤرشف.
import-unavailable-inbox-only = يعمل البرنامج عبر صندوق الردود فقط: لن يتمكن من كتبوا بالبريد الإلكتروني من قراءة أي رد.
import-unavailable-no-text-field = ليس في البرنامج حقل نصي للرسالة: حدّد واحدًا باستخدام ‎[import] text_field في ملف البرنامج.
import-password-label = كلمة المرور الخاصة بك، للتأكيد
import-password-hint = يُدخل الاستيراد رسائل أشخاص كثيرين دفعة واحدة، لذلك تُطلب كلمة المرور مرة أخرى.
import-files-label = ملفات البريد (‎.eml أو mbox)
import-files-hint = يمكنك اختيار عدة ملفات معًا.
import-submit = استيراد
import-error-password = كلمة المرور غير صحيحة؛ لم يُستورد شيء.
import-error-no-files = اختر ملف ‎.eml أو mbox واحدًا على الأقل.
import-done-title = انتهى الاستيراد
import-done-summary = الرسائل: { $messages } في { $files } ملفات. المستوردة: { $imported }، المكررة: { $duplicates }، الفاشلة: { $failed }.
import-done-imported = المستوردة
import-done-duplicates = موجودة في Haven من قبل (تم تخطيها)
import-done-failed = الفاشلة
import-failed-heading = رسائل لم تُستورد
import-failed-which = الرسالة
import-failed-why = السبب
import-again = استيراد مزيد من البريد
import-too-large-title = الملفات المرفوعة كبيرة جدًا
import-too-large-body = يمكن أن يحمل الرفع الواحد حتى { $mib } ميبيبايت. لم يُستورد شيء. ارفع ملفات أقل في كل مرة، أو استخدم haven import على الخادم.
import-failed-not-mail = ليست رسالة بريد إلكتروني (لم يُعثر على ترويسات)
import-failed-no-sender = لا يوجد عنوان مرسل (لا توجد ترويسة From)
import-failed-invalid-sender = عنوان المرسل ليس عنوان بريد إلكتروني صالحًا
import-failed-too-large = أكبر من { $mib } ميبيبايت
import-failed-read = تتعذر قراءتها ({ $why })
import-failed-seal = تعذّر تشفيرها
import-failed-store = تعذّر حفظها

## Email answering imported mail when the programme says [import] replies = "minimal"
reply-email-imported-body = لقد رددنا على الرسالة التي أرسلتها إلينا بالبريد الإلكتروني.

    حفاظًا على سلامتك، الرد ليس في هذه الرسالة. لقراءة ردودنا بأمان، راسلنا مرة أخرى عبر النموذج: { $form_url }
    ستحصل على رمز مرجعي وعبارة مرور لقراءة ردودنا.
## Programme editor (/admin/programmes)
pe-nav = البرامج
pe-list-title = البرامج
pe-list-empty = لا توجد برامج بعد.
pe-col-programme = البرنامج
pe-col-slug = الاسم في عنوان الويب
pe-col-status = الحالة
pe-history = من غيّره ومتى (سجل التدقيق)
pe-col-version = الإصدار
pe-new-title = فتح برنامج جديد
pe-new-intro = ابدأ من نموذج فارغ أو انسخ برنامجًا موجودًا (نموذجه وطوابيره وقواعده وقوالبه، دون أي من طلباته). البرنامج الجديد مسودة بمفتاح خاص به: لا يراه الجمهور حتى تفتحه.
pe-new-from = البدء من
pe-new-blank = نموذج فارغ
pe-new-copy-of = نسخة من { $slug }
pe-new-slug = الاسم في عنوان الويب
pe-new-slug-hint = من 3 إلى 40 حرفًا لاتينيًا صغيرًا وأرقامًا وشرطات، مثل sudan-2026. سيكون النموذج على العنوان ‎/p/‎ متبوعًا بهذا الاسم. لا يمكن تغييره لاحقًا.
pe-new-name = العنوان
pe-new-name-hint = للنموذج الفارغ فقط: العنوان الذي يراه الناس فوق النموذج.
pe-new-language = اللغة الافتراضية
pe-new-submit = إنشاء المسودة
pe-error-title = هناك مشكلة
pe-error-password = كلمة المرور غير صحيحة؛ لم يتغير شيء.
pe-error-slug = أدخل اسمًا للعنوان من 3 إلى 40 حرفًا لاتينيًا صغيرًا وأرقامًا وشرطات، يبدأ بحرف.
pe-error-name = أدخل عنوانًا للبرنامج الجديد.
pe-error-exists = يوجد برنامج بهذا الاسم في العنوان. اختر اسمًا آخر.
pe-error-stale = حفظ شخص آخر هذا البرنامج في الأثناء (أصبح الآن في الإصدار { $version }). لم يُحفظ شيء: راجع الإصدار الحالي وأعد إجراء تعديلك.
pe-error-slug-changed = لا يمكن تغيير اسم العنوان لبرنامج موجود. لاستخدام اسم آخر، انسخ البرنامج.
pe-error-status-changed = لا تتغير الحالة إلا في قسم الحالة، الذي يطلب كلمة المرور.
pe-error-default-language = اختر لغة افتراضية من بين اللغات المحددة.
pe-error-retention = أدخل عدد الأيام رقمًا صحيحًا، مثل 365.
pe-error-max-length = أدخل أطول إجابة بعدد صحيح من الأحرف، أو اترك الحقل فارغًا.
pe-error-priority = اختر أولوية من 1 إلى 9.
pe-error-operator = اختر اختبارًا لكل شرط.
pe-error-options-cells = الخيارات، السطر { $line }: عدد التسميات أكبر من عدد لغات البرنامج.
pe-done-created = أُنشئ البرنامج مسودةً. لا يمكن لأحد من الخارج رؤيته حتى تفتحه.
pe-done-saved = حُفظ كإصدار جديد.
pe-done-unchanged = لم يتغير شيء، فلم يُحفظ إصدار جديد.
pe-status-draft = مسودة
pe-status-open = مفتوح
pe-status-closed = مغلق
pe-status-archived = مؤرشف
pe-status-draft-means = لا يرى هذا النموذج إلا الموظفون، في المعاينة. لا يمكن لأحد إرساله.
pe-status-open-means = النموذج متاح للجمهور ويستقبل الطلبات.
pe-status-closed-means = لم يعد النموذج يستقبل طلبات؛ يعرض عنوانه رسالة الإغلاق. يواصل الموظفون العمل على ما وصل.
pe-status-archived-means = انتهى البرنامج: يجيب عنوانه بأنه «غير موجود» ولا يمكن إعادة فتحه. تُحفظ الطلبات حتى انتهاء مدة الاحتفاظ بها.
pe-in-language = بـ{ $language }
pe-password = كلمة المرور الخاصة بك، للتأكيد
pe-back = العودة إلى البرنامج
pe-toml-title = تعديل { $slug } بصيغة TOML
pe-toml-intro = هذا هو النص الذي يطبعه «haven programme export» ويقرؤه «haven programme apply». عند الحفظ يُفحص تمامًا كما في سطر الأوامر؛ تظهر المشكلات مع رقم السطر ويبقى نصك كما كتبته.
pe-toml-label = تعريف البرنامج (TOML)
pe-toml-submit = فحص وحفظ
pe-toml-link = تعديل بصيغة TOML
pe-preview = معاينة النموذج
pe-sections = أقسام البرنامج
pe-general = عام
pe-fields = حقول النموذج
pe-queues = الطوابير
pe-routing = قواعد التوجيه
pe-templates = قوالب الردود
pe-status = الحالة
pe-languages = اللغات
pe-languages-hint = تُحذف نصوص اللغة التي تلغي تحديدها عند الحفظ. بعد تحديد لغة جديدة، احفظ ثم أضف نصوصها.
pe-default-language = اللغة الافتراضية (يجب أن يكون كل نص بها)
pe-title = العنوان
pe-intro = المقدمة فوق النموذج
pe-privacy = إشعار الخصوصية
pe-closed-message = رسالة بعد الإغلاق (إلى أين يتوجه الناس بدلًا منه)
pe-retention = الاحتفاظ بالطلبات هذا العدد من الأيام
pe-contact = كيف يمكن الرد على الناس
pe-contact-email = يمكنهم إعطاء عنوان بريد إلكتروني، أو استخدام صندوق الردود فقط
pe-contact-inbox = صندوق الردود فقط: لا يُطلب عنوان بريد إلكتروني
pe-email-mode = ما يمكن أن يقوله بريد إلكتروني عن رد
pe-email-minimal = فقط أن هناك ردًا ورابط صندوق الردود (الأكثر أمانًا)
pe-email-full = الرد نفسه
pe-name-field = الحقل الذي يحمل اسم الشخص (للعنصر النائب { "{name}" })
pe-none = (لا شيء)
pe-save = حفظ
pe-field-label = السؤال
pe-key = المفتاح
pe-key-hint = حرف لاتيني صغير، ثم حتى 39 من الأحرف اللاتينية الصغيرة أو الأرقام أو _. يُستخدم في القواعد والتصدير؛ لا يمكن تغييره لاحقًا.
pe-kind = نوع الإجابة
pe-required = الإجابة مطلوبة
pe-actions = الإجراءات
pe-kind-text = نص قصير
pe-kind-textarea = نص طويل
pe-kind-email = عنوان بريد إلكتروني
pe-kind-phone = رقم هاتف
pe-kind-select = اختيار من قائمة
pe-kind-radio = اختيار واحد بين أزرار
pe-kind-checkbox = مربعات اختيار
pe-kind-country = البلد
pe-kind-date = التاريخ
pe-yes = نعم
pe-no = لا
pe-add-field = إضافة حقل
pe-label-in = النص بـ{ $language }
pe-options = الخيارات
pe-options-hint = خيار واحد في كل سطر: القيمة | التسمية بـ{ $languages }. القيمة رمز قصير يُستخدم في القواعد (أحرف لاتينية وأرقام و_ و-). للقوائم والأزرار ومربعات الاختيار فقط.
pe-queue-name = اسم الطابور
pe-add-queue = إضافة طابور
pe-routing-intro = تُجرَّب القواعد بالترتيب؛ أول قاعدة تنطبق تحدد الطابور والأولوية. الطلب الذي لا تنطبق عليه أي قاعدة يذهب إلى الطابور الافتراضي.
pe-rule-name = اسم القاعدة
pe-rule-when = الشروط
pe-rule-queue = الطابور
pe-priority = الأولوية
pe-priority-most = الأكثر إلحاحًا
pe-add-rule = إضافة قاعدة
pe-default-queue = الطابور الافتراضي
pe-templates-none = ليس لهذا البرنامج قوالب ردود بعد.
pe-template-name = اسم القالب
pe-add-template = إضافة قالب
pe-status-now = حالة هذا البرنامج: { $status }.
pe-status-to = الحالة الجديدة
pe-status-submit = تغيير الحالة
pe-test-title = اختبار هذه القواعد
pe-test-intro = املأ إجابات نموذجية لترى أين سيذهب طلب كهذا. لا يُحفظ شيء ولا يُرسل.
pe-test-result = سيذهب إلى الطابور «{ $queue }» بالأولوية { $priority }.
pe-test-by-rule = قررته القاعدة «{ $rule }».
pe-test-by-default = لم تنطبق أي قاعدة: يُطبَّق الطابور والأولوية الافتراضيان.
pe-test-submit = اختبار القواعد
pe-up = نقل لأعلى
pe-down = نقل لأسفل
pe-remove = إزالة
pe-field-title = الحقل { $key }
pe-hint = نص مساعد تحت السؤال
pe-max-length = أطول إجابة بالأحرف (فارغ: الحد المعتاد)
pe-queue-title = الطابور { $key }
pe-rule-title = القاعدة «{ $name }»
pe-match = تنطبق القاعدة عندما
pe-match-all = تتحقق جميع الشروط
pe-match-any = يتحقق شرط واحد على الأقل
pe-conditions-hint = اترك الحقل فارغًا لحذف شرط. في «واحد من»، افصل القيم بفواصل. القيم هي قيم الخيارات، لا تسمياتها.
pe-condition-field = الحقل
pe-condition-op = الاختبار
pe-condition-value = القيمة
pe-op-equals = يساوي
pe-op-in = واحد من
pe-op-contains = يحتوي على النص
pe-op-answered = أُجيب عنه
pe-op-unanswered = تُرك فارغًا
pe-template-title = القالب { $key }
pe-template-placeholders = العناصر النائبة: { "{reference}" } و{ "{name}" } و{ "{inbox_url}" } و{ "{programme}" }. لا يُسمح بأي شيء آخر بين الأقواس المعقوفة.
pe-subject = الموضوع (سطر واحد)
pe-body = النص
programme-blank-intro = أخبرنا عن وضعك. نحن نقرأ كل طلب.
programme-blank-privacy = ما تكتبه يُشفَّر بمجرد وصوله إلينا، ولا يستطيع قراءته إلا الموظفون الذين يتولون هذه الطلبات. نحذفه بعد 90 يومًا من إرساله.
programme-blank-question = كيف يمكننا مساعدتك؟
programme-blank-queue = عام
