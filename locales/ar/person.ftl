## Submit once (issue 21)
already-sent-title = تم إرسال هذا النموذج من قبل
already-sent-body = وصل طلبك مرة واحدة وهو في أمان لدينا. لم يُرسَل مرة ثانية. إذا احتفظت بالرمز المرجعي وعبارة المرور، يمكنك قراءة ردودنا في صندوق الردود.
already-sent-new = إرسال طلب جديد مختلف
receipt-gone-title = لم تعد رموزك معروضة هنا
receipt-gone-body = لحمايتك، تعرض هذه الصفحة الرمز المرجعي وعبارة المرور لبضع دقائق فقط بعد إرسال النموذج. إذا احتفظت بهما، يمكنك قراءة ردودنا في صندوق الردود.

## Language switch inside the form (issue 21)
form-switch-language = اقرأ هذا النموذج بلغة أخرى (ما كتبته يبقى محفوظًا)

## Leave quickly, the inbox from the form (issue 21)
leave-quickly = مغادرة هذا الموقع بسرعة
form-inbox-link = هل أرسلت إلينا طلبًا من قبل؟ اقرأ ردودنا في صندوق الردود

## The receipt names no programme (issue 21)
receipt-inbox-address = صندوق الردود الخاص بك على هذا العنوان. في المرة القادمة اكتبه بنفسك:
receipt-codes-open = هذان الرمزان معًا يفتحان كل ما يعرضه صندوق الردود الخاص بك. احتفظ بهما لنفسك: لا تشاركهما مع أحد، ولا ترسلهما أبدًا في رسالة.
