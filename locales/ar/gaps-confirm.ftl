## Confirmed contact addresses, the rest (issue 19, item 1).
gaps-confirm-remove-heading = حذف عنوان البريد الإلكتروني
gaps-confirm-remove-intro = لن يُرسل أي شيء آخر إلى هذا الشخص بالبريد الإلكتروني. تنتظر الردود في صندوقه. الشخص وحده يمكنه إعطاء عنوان جديد.
gaps-confirm-reason = السبب
gaps-confirm-reason-person-asked = طلب الشخص ذلك
gaps-confirm-reason-not-theirs = العنوان ليس عنوانه
gaps-confirm-reason-unsafe = البريد الإلكتروني غير آمن له
gaps-confirm-reason-bounced = الرسائل لا تصل إليه
gaps-confirm-remove-submit = حذف العنوان
gaps-confirm-flash-removed = سيُحذف العنوان خلال دقيقة. لن يُرسل إليه أي شيء بعد الآن.
gaps-confirm-receipt-address = عنوان البريد الإلكتروني الذي أعطيته: { $address }. لا نرسل إليه إلا رمزًا حتى تكتب ذلك الرمز في صندوقك.
