# Haven interface text, Dari (Afghan Persian).
# Programme texts (titles, questions, options) come from each programme's own file, not from here.

site-name = Haven
skip-to-content = رفتن به محتوای اصلی
language-switch = زبان
footer-note = آنچه می‌فرستید، پیش از ذخیره شدن رمزگذاری می‌شود. این سایت شما را ردیابی نمی‌کند و هیچ چیزی را از ویب‌سایت‌های دیگر بارگیری نمی‌کند.

## The public form
field-optional = (اختیاری)
form-submit = فرستادن درخواست
form-privacy-heading = ما از معلومات شما چگونه استفاده می‌کنیم
select-choose = انتخاب کنید…
country-choose = یک کشور را انتخاب کنید
date-hint = تاریخ را به شکل سال-ماه-روز بنویسید، مثلاً 2021-08-15.
contact-heading = چگونه به شما جواب بدهیم؟
contact-hint = شما می‌توانید جواب‌های ما را در یک صندوق شخصی جواب‌ها بخوانید. برای این کار کود مرجع و عبارت رمزی را که پس از فرستادن به شما داده می‌شود، به کار ببرید. لازم نیست آدرس ایمیل بدهید.
contact-inbox = فقط در صندوق جواب‌ها (بدون ایمیل)
contact-email = از راه ایمیل هم
contact-email-label = آدرس ایمیل
contact-email-hint = ما فقط یک پیام کوتاه می‌فرستیم که برای شما جواب آمده است. فقط آدرسی را بدهید که برای شما امن باشد.
contact-inbox-only = جواب‌ها در یک صندوق شخصی جواب‌ها خوانده می‌شوند. ما آدرس ایمیل نمی‌خواهیم.
honeypot-label = این خانه را خالی بگذارید

## Errors on the form
error-summary-title = یک مشکل وجود دارد
error-required-text = برای «{ $label }» جواب بنویسید
error-required-choice = برای «{ $label }» یک جواب را انتخاب کنید
error-required-box = برای «{ $label }» خانه را علامت بزنید
error-too-long = «{ $label }» باید { $max } حرف یا کمتر باشد
error-invalid-choice = برای «{ $label }» یکی از جواب‌های فهرست را انتخاب کنید
error-invalid-email = آدرس ایمیل را به شکل درست بنویسید، مثلاً name@example.com
error-invalid-phone = شماره تیلفون را فقط با رقم‌ها، فاصله و + ( ) - بنویسید
error-invalid-date = برای «{ $label }» یک تاریخ درست بنویسید، مثلاً 2021-08-15
error-invalid-country = برای «{ $label }» یک کشور را از فهرست انتخاب کنید
error-invalid-characters = در «{ $label }» حروف یا نشانه‌هایی هست که پذیرفته نمی‌شود
error-single-line = «{ $label }» باید در یک سطر باشد
error-contact-missing-email = آدرس ایمیلی را که باید به آن جواب بفرستیم بنویسید، یا فقط صندوق جواب‌ها را انتخاب کنید
error-contact-mode = انتخاب کنید که جواب‌ها را چگونه دریافت کنید
error-honeypot = خانه «{ honeypot-label }» را خالی بگذارید
error-form-expired = این فورم مدت زیادی باز مانده بود یا از یک سایت دیگر فرستاده شده است. جواب‌های شما در پایین است: آن‌ها را بررسی کنید و دوباره بفرستید.

## Receipt
receipt-title = درخواست شما فرستاده شد
receipt-reference-label = کود مرجع شما
receipt-passphrase-label = عبارت رمز شما
receipt-keep-safe = هر دو را بنویسید، یا در جایی نگه دارید که فقط خود شما آن‌ها را می‌بینید. ما نمی‌توانیم آن‌ها را دوباره به شما نشان بدهیم. برای خواندن جواب‌های ما به هر دو نیاز دارید.
receipt-danger = اگر ممکن است شخص دیگری این دستگاه را ببیند، پس از نوشتن کودها این صفحه را ببندید.
receipt-next-heading = پس از این چه می‌شود
receipt-next = یکی از اعضای تیم ما درخواست شما را می‌خواند. جواب‌ها در صندوق جواب‌های شما دیده می‌شوند.
receipt-inbox-link = رفتن به صندوق جواب‌های شما

## Reply inbox
inbox-title = صندوق جواب‌های شما
inbox-intro = کود مرجع و عبارت رمزی را که هنگام فرستادن درخواست به شما داده شد، وارد کنید.
inbox-reference-label = کود مرجع
inbox-reference-hint = 20 حرف و رقم، مثلاً ABCDE-FGHJK-MNPQR-STVWX
inbox-passphrase-label = عبارت رمز
inbox-submit = باز کردن صندوق من
inbox-failed = با این کود مرجع و عبارت رمز نتوانستیم صندوقی را باز کنیم. هر دو را بررسی کنید و دوباره کوشش کنید.
inbox-status-heading = وضعیت درخواست شما
inbox-no-replies = هنوز جوابی نیامده است. لطفاً بعداً دوباره سر بزنید.
inbox-sign-out = بستن صندوق
status-new = دریافت شد، منتظر خوانده شدن است
status-in-progress = در حال رسیدگی است
status-awaiting-reply = منتظر معلومات بیشتر از شما
status-closed = بسته شده

## Closed programme
closed-title = این فورم بسته است
closed-default = این برنامه دیگر درخواست نمی‌پذیرد.

## Error pages
error-incident = کود مرجع این خطا: { $id }
error-back-home = برگردید و دوباره کوشش کنید
error-400-title = در آنچه فرستاده شد مشکلی بود
error-400-body = براوزر شما چیزی فرستاد که ما نتوانستیم بخوانیم. برگردید، جواب‌های خود را بررسی کنید و دوباره کوشش کنید.
error-403-title = این کار پذیرفته نشد
error-403-body = شاید وقت صفحه‌ای که از آن آمده‌اید تمام شده باشد. برگردید، صفحه را دوباره باز کنید و دوباره کوشش کنید.
error-404-title = صفحه پیدا نشد
error-404-body = آدرس ویب‌سایت را بررسی کنید. اگر از یک لینک آمده‌اید، شاید آن لینک کهنه باشد.
error-405-title = این کار در اینجا ممکن نیست
error-405-body = برگردید و از تکمه‌های همین صفحه استفاده کنید.
error-408-title = اتصال بسیار کند بود
error-408-body = رسیدن جواب‌های شما بسیار طول کشید. اتصال انترنت خود را بررسی کنید و دوباره بفرستید.
error-410-title = این فورم بسته است
error-410-body = این برنامه دیگر درخواست نمی‌پذیرد.
error-413-title = آنچه فرستادید بسیار زیاد بود
error-413-body = جواب‌های شما برای یک بار فرستادن بسیار طولانی بود. برگردید و آن‌ها را کوتاه‌تر کنید.
error-415-title = در آنچه فرستاده شد مشکلی بود
error-415-body = براوزر شما فورم را به شکلی فرستاد که ما نمی‌توانیم بخوانیم. برگردید و دوباره کوشش کنید.
error-429-title = کوشش‌های بسیار زیاد
error-429-body = برای محافظت از همه کسانی که از این خدمت استفاده می‌کنند، تعداد فرستادن‌ها محدود است. یک ساعت صبر کنید، سپس دوباره کوشش کنید. آنچه قبلاً فرستاده‌اید، در امان است.
error-500-title = متأسفیم، از طرف ما مشکلی پیش آمد
error-500-body = اگر یک کود مرجع دیدید، درخواست شما رسیده است. اگر ندیدید، هیچ چیزی ذخیره نشده است: لطفاً بعداً دوباره کوشش کنید.
error-503-title = این خدمت فعلاً مصروف است
error-503-body = لطفاً چند دقیقه بعد دوباره کوشش کنید. اگر یک کود مرجع دیدید، درخواست شما رسیده است.
inbox-replies-heading = جواب‌ها
inbox-reply-date = فرستاده شده در { $date }

## Email about a reply
reply-email-subject = شما یک جواب تازه دارید
reply-email-body = به درخواست شما یک جواب تازه رسیده است.

    آن را در صندوق جواب‌های خود بخوانید: { $inbox_url }
    به کد مرجع و رمز عبوری که به شما داده شد نیاز دارید.

    برای حفظ حریم خصوصی شما، متن جواب در این ایمیل نیست.
preview-notice = پیش‌نمایش برای کارمندان: فورم برای مردم این‌گونه دیده می‌شود. از این‌جا فرستاده نمی‌شود.

## Referrals to partner organisations (reply inbox)
inbox-referred-heading = ارجاع به سازمان‌های همکار
inbox-referred = ما پروندهٔ شما را به { $partner } فرستادیم.
## Console: importing mail from an upload (/console/p/{slug}/import) and kept attachments
import-title = وارد کردن ایمیل‌ها
import-back = بازگشت به داشبورد
import-intro = فایل‌های ‎.eml یا یک فایل mbox را که از یک صندوق ایمیل گرفته شده است بارگذاری کنید. هر پیام به یک درخواست در { $programme } تبدیل می‌شود، درست مانند haven import روی سرور: پیام‌های فرستاده‌شده به فرستندهٔ اصلی آن برگردانده می‌شوند، پیام‌هایی که قبلاً وارد شده‌اند نادیده گرفته می‌شوند، و خود فایل‌ها هرگز نگهداری نمی‌شوند (فقط درخواست‌ها، به صورت رمزگذاری‌شده).
import-limit = روی‌هم‌رفته تا { $mib } مبی‌بایت. صندوق بزرگ‌تر را چند بخش بارگذاری کنید یا از haven import روی سرور استفاده کنید.
import-unavailable = این برنامه نمی‌تواند ایمیل وارد‌شده را بپذیرد
import-unavailable-archived = این برنامه بایگانی شده است.
import-unavailable-inbox-only = این برنامه فقط با صندوق جواب کار می‌کند: کسانی که با ایمیل نوشته‌اند هرگز نمی‌توانند جوابی بخوانند.
import-unavailable-no-text-field = این برنامه خانهٔ متنی برای پیام ندارد: در فایل برنامه یکی را با ‎[import] text_field مشخص کنید.
import-password-label = رمز عبور شما، برای تأیید
import-password-hint = وارد کردن، پیام‌های بسیاری از مردم را یک‌باره وارد می‌کند، بنابراین رمز عبور شما دوباره پرسیده می‌شود.
import-files-label = فایل‌های ایمیل (‎.eml یا mbox)
import-files-hint = می‌توانید چند فایل را یک‌جا انتخاب کنید.
import-submit = وارد کردن
import-error-password = رمز عبور شما درست نیست؛ هیچ چیزی وارد نشد.
import-error-no-files = دست‌کم یک فایل ‎.eml یا mbox انتخاب کنید.
import-done-title = وارد کردن تمام شد
import-done-summary = پیام‌ها: { $messages } در { $files } فایل. وارد شده: { $imported }، تکراری: { $duplicates }، ناموفق: { $failed }.
import-done-imported = وارد شده
import-done-duplicates = از قبل در Haven (نادیده گرفته شد)
import-done-failed = ناموفق
import-failed-heading = پیام‌هایی که وارد نشدند
import-failed-which = پیام
import-failed-why = دلیل
import-again = وارد کردن ایمیل‌های بیشتر
import-too-large-title = بارگذاری بیش از حد بزرگ است
import-too-large-body = هر بارگذاری می‌تواند تا { $mib } مبی‌بایت باشد. هیچ چیزی وارد نشد. هر بار فایل‌های کمتری بارگذاری کنید، یا از haven import روی سرور استفاده کنید.
import-failed-not-mail = پیام ایمیل نیست (هیچ سرآیندی پیدا نشد)
import-failed-no-sender = نشانی فرستنده ندارد (سرآیند From ندارد)
import-failed-invalid-sender = نشانی فرستنده یک نشانی ایمیل معتبر نیست
import-failed-too-large = بزرگ‌تر از { $mib } مبی‌بایت
import-failed-read = خوانده نمی‌شود ({ $why })
import-failed-seal = رمزگذاری نشد
import-failed-store = ذخیره نشد

## Email answering imported mail when the programme says [import] replies = "minimal"
reply-email-imported-body = ما به پیامی که با ایمیل برای ما فرستادید جواب داده‌ایم.

    برای امنیت شما، جواب در این ایمیل نیست. برای خواندن امن جواب‌های ما، دوباره از راه فورم ما برای ما بنویسید: { $form_url }
    به شما یک کد مرجع و رمز عبور داده می‌شود تا جواب‌های ما را بخوانید.
