# نصوص فرع incident2 (المسألة 20، البنود 2 و4 و5 و6).

## وحدة التحكم: الإشعارات
incident2-notify-heading = إشعار الأشخاص المتأثرين
incident2-notify-intro = رسالة واحدة لكل شخص بلغته، إلى الطلبات المتأثرة بالضبط: يتلقاها الجميع في صندوق الردود، والعناوين المؤكدة بالبريد الإلكتروني أيضاً. لا تُرسل إلا بعد موافقة مشرف ثانٍ.
incident2-ways = كيف وصلنا إلى كل شخص
incident2-way-email = أُرسل بريد إلكتروني (عنوان مؤكد)
incident2-way-unconfirmed-notice = أُرسل إشعار محايد (عنوان لم يُؤكد قط)
incident2-way-pending = لم يُرسل بعد
incident2-way-failed = فشل البريد: صندوق الردود فقط
incident2-way-inbox-only = صندوق الردود فقط
incident2-way-not-notified = لم يُبلَّغ
incident2-state-pending = بانتظار الموافقة
incident2-state-dispatched = تمت الموافقة والإرسال
incident2-state-cancelled = أُلغي
incident2-unconfirmed-asked = طُلب الوصول إلى العناوين غير المؤكدة
incident2-campaign-page = صفحة الرد الجماعي
incident2-prepare-heading = إعداد الإشعار
incident2-template = القالب
incident2-unconfirmed-ask = أرسل أيضاً إلى العناوين التي لم تُؤكد قط إشعاراً محايداً واحداً يشير إلى صندوق الردود (فقط إذا أشّر عليه المُوافِق أيضاً)
incident2-prepare-button = إعداد الإشعار
incident2-approve-heading = الموافقة على الإشعار
incident2-approve-text = النص بكل اللغات
incident2-unconfirmed-approve = أوافق: تتلقى العناوين التي لم تُؤكد قط إشعاراً محايداً واحداً يشير إلى صندوق الردود
incident2-approve-button = الموافقة والإرسال
incident2-problem-template = اختر قالباً من القائمة.
incident2-problem-empty = لم يعد أي من الطلبات المتأثرة محفوظاً: لا أحد لإشعاره.
incident2-problem-closed = الحادثة مغلقة.
incident2-problem-pending = إشعار لهذه الحادثة ينتظر الموافقة بالفعل.
incident2-done-prepared = أُعدّ الإشعار. يجب أن يوافق عليه مشرف ثانٍ.
incident2-done-dispatched = تمت الموافقة على الإشعار وهو قيد الإرسال.
incident2-done-conflict = قرّر شخص آخر بشأن هذا الإشعار قبلك.
incident2-done-changed = تغيّر القالب منذ إعداد الإشعار: لم يُرسل شيء. أعدّه من جديد.
incident2-done-own = أنت من أعدّ هذا الإشعار: يجب أن يوافق عليه مشرف ثانٍ.

## الإشعار المحايد إلى عنوان لم يُؤكد قط
incident2-neutral-subject = رسالة لك
incident2-neutral-body = توجد رسالة جديدة لك في صندوق الردود: { $inbox_url }. افتحه باستخدام رمزك المرجعي وعبارة المرور.

## وحدة التحكم: الاحتواء والإجراءات
incident2-contain-heading = إيقاف ما لا يزال يُرسل
incident2-contain-intro = إيقاف مؤقت أو استئناف أو إلغاء رسائل رد جماعي لم تُرسل بعد. يُسجَّل كل استخدام في إجراءات هذه الحادثة.
incident2-contain-what = ما العمل
incident2-contain-pause = إيقاف مؤقت
incident2-contain-resume = استئناف
incident2-contain-cancel = إلغاء ما لم يُرسل بعد
incident2-contain-button = تطبيق
incident2-emergency-button = إيقاف طارئ: احتجاز كل البريد الصادر
incident2-emergency-admin = الإيقاف الطارئ لكل البريد الصادر موجود في صفحة البريد الصادر لمسؤولي النسخة.
incident2-done-contained = تم، وسُجّل في إجراءات هذه الحادثة.
incident2-done-unchanged = لم يتغير شيء (هو كذلك أصلاً، أو لم يبقَ ما يُوقف). سُجّل في إجراءات هذه الحادثة.
incident2-done-reason = اذكر السبب (يُسجَّل السبب).
incident2-actions-heading = الإجراءات
incident2-actions-none = لم يُسجَّل أي إجراء بعد.
incident2-col-action = الإجراء

## وحدة التحكم: مفتاح يُعتقد أنه سُرّب
incident2-by-key = من مفتاح يُعتقد أنه سُرّب
incident2-by-key-intro = كل الطلبات التي خُتم نصها أو ملاحظاتها أو ردودها أو رسائلها بمفتاح برنامج يُعتقد أنه سُرّب؛ أو، للمفتاح الرئيسي، كل طلبات البرنامج (المفتاح الرئيسي يفتح كل مفاتيح البرامج).
incident2-key = معرّف المفتاح، أو master
incident2-key-hint = معرّف المفتاح كما تعرضه صفحة مفاتيح البرنامج، أو كلمة master.
incident2-problem-key = معرّف المفتاح 32 حرفاً ورقماً كما في صفحة المفاتيح؛ أو اكتب master.
incident2-rotate-link = تدوير مفتاح البرنامج (لمسؤولي البرنامج؛ تُطلب كلمة السر مجدداً): يظهر التدوير في إجراءات هذه الحادثة
