# متن‌های شاخهٔ incident2 (مسئلهٔ ۲۰، بندهای ۲، ۴، ۵، ۶).

## کنسول: اطلاع‌رسانی
incident2-notify-heading = آگاه ساختن افراد متأثر
incident2-notify-intro = یک پیام برای هر فرد، به زبان خودش، دقیقاً به درخواست‌های متأثر: همه آن را در صندوق پاسخ‌های خود می‌گیرند و آدرس‌های تأییدشده از راه ایمیل نیز. تنها پس از تأیید یک ناظر دوم فرستاده می‌شود.
incident2-ways = هر فرد چگونه آگاه شد
incident2-way-email = ایمیل فرستاده شد (آدرس تأییدشده)
incident2-way-unconfirmed-notice = اطلاعیهٔ بی‌طرف فرستاده شد (آدرس هرگز تأیید نشده)
incident2-way-pending = هنوز فرستاده نشده
incident2-way-failed = ایمیل ناکام ماند: تنها صندوق پاسخ‌ها
incident2-way-inbox-only = تنها صندوق پاسخ‌ها
incident2-way-not-notified = آگاه نشده
incident2-state-pending = در انتظار تأیید
incident2-state-dispatched = تأیید و فرستاده شد
incident2-state-cancelled = لغو شد
incident2-unconfirmed-asked = خواسته شد آدرس‌های تأییدنشده نیز آگاه شوند
incident2-campaign-page = صفحهٔ پاسخ گروهی
incident2-prepare-heading = آماده ساختن اطلاعیه
incident2-template = قالب
incident2-unconfirmed-ask = به آدرس‌هایی که هرگز تأیید نشده‌اند نیز یک اطلاعیهٔ بی‌طرف بفرست که به صندوق پاسخ‌ها اشاره کند (تنها اگر تأییدکننده نیز آن را نشانی کند)
incident2-prepare-button = آماده ساختن اطلاعیه
incident2-approve-heading = تأیید اطلاعیه
incident2-approve-text = متن، به همهٔ زبان‌ها
incident2-unconfirmed-approve = موافقم: آدرس‌هایی که هرگز تأیید نشده‌اند یک اطلاعیهٔ بی‌طرف می‌گیرند که به صندوق پاسخ‌ها اشاره می‌کند
incident2-approve-button = تأیید و فرستادن
incident2-problem-template = یک قالب را از فهرست برگزینید.
incident2-problem-empty = هیچ‌یک از درخواست‌های متأثر دیگر نگه‌داری نمی‌شود: کسی برای آگاه ساختن نیست.
incident2-problem-closed = این رویداد بسته شده است.
incident2-problem-pending = یک اطلاعیهٔ این رویداد از پیش در انتظار تأیید است.
incident2-done-prepared = اطلاعیه آماده شد. یک ناظر دوم باید آن را تأیید کند.
incident2-done-dispatched = اطلاعیه تأیید شد و در حال فرستادن است.
incident2-done-conflict = کس دیگری پیش از شما دربارهٔ این اطلاعیه تصمیم گرفت.
incident2-done-changed = قالب پس از آماده‌سازی تغییر کرده است: چیزی فرستاده نشد. دوباره آماده‌اش کنید.
incident2-done-own = شما این اطلاعیه را آماده ساختید: یک ناظر دوم باید آن را تأیید کند.

## اطلاعیهٔ بی‌طرف به آدرسی که هرگز تأیید نشده
incident2-neutral-subject = پیامی برای شما
incident2-neutral-body = یک پیام تازه در صندوق پاسخ‌های شما است: { $inbox_url }. آن را با کود مرجع و عبارت رمز خود باز کنید.

## کنسول: مهار و اقدام‌ها
incident2-contain-heading = متوقف ساختن آنچه هنوز فرستاده می‌شود
incident2-contain-intro = پیام‌های فرستاده‌نشدهٔ یک پاسخ گروهی را موقتاً متوقف، از سر گرفته یا لغو کنید. هر استفاده در اقدام‌های این رویداد ثبت می‌شود.
incident2-contain-what = چه کاری
incident2-contain-pause = توقف موقت
incident2-contain-resume = از سر گرفتن
incident2-contain-cancel = لغو آنچه هنوز فرستاده نشده
incident2-contain-button = اجرا
incident2-emergency-button = توقف اضطراری: نگه داشتن همهٔ ایمیل‌های بیرون‌رو
incident2-emergency-admin = توقف اضطراری همهٔ ایمیل‌های بیرون‌رو در صفحهٔ ایمیل بیرون‌روی مدیران نمونه است.
incident2-done-contained = انجام شد و در اقدام‌های این رویداد ثبت گردید.
incident2-done-unchanged = چیزی تغییر نکرد (از پیش چنین بود، یا چیزی برای توقف نمانده). در اقدام‌های این رویداد ثبت شد.
incident2-done-reason = دلیل را بنویسید (دلیل ثبت می‌شود).
incident2-actions-heading = اقدام‌ها
incident2-actions-none = هنوز اقدامی ثبت نشده است.
incident2-col-action = اقدام

## کنسول: کلیدی که گمان می‌رود افشا شده
incident2-by-key = از کلیدی که گمان می‌رود افشا شده
incident2-by-key-intro = همهٔ درخواست‌هایی که متن، یادداشت‌ها، پاسخ‌ها یا ایمیل‌های آن‌ها با کلید برنامه‌ای مهر شده که گمان می‌رود افشا شده است؛ یا برای کلید اصلی، همهٔ درخواست‌های برنامه (کلید اصلی همهٔ کلیدهای برنامه را باز می‌کند).
incident2-key = شناسهٔ کلید، یا master
incident2-key-hint = شناسهٔ کلید چنان‌که صفحهٔ کلیدهای برنامه نشان می‌دهد، یا واژهٔ master.
incident2-problem-key = شناسهٔ کلید ۳۲ حرف و رقم است، چنان‌که صفحهٔ کلیدها نشان می‌دهد؛ یا master بنویسید.
incident2-rotate-link = چرخاندن کلید برنامه (مدیران برنامه؛ رمز عبور شما دوباره پرسیده می‌شود): این چرخش در اقدام‌های این رویداد نشان داده می‌شود
