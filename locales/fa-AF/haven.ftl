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

## Security hardening: emails to staff when a factor of their account changes
staff-notice-subject = حساب Haven شما تغییر کرد
staff-notice-totp-enrolled = تأیید دو مرحله‌ای در حساب Haven شما در { $time } فعال شد.
staff-notice-totp-reset = یک مدیر تأیید دو مرحله‌ای حساب Haven شما را در { $time } بازنشانی کرد. در ورود بعدی دوباره آن را تنظیم خواهید کرد.
staff-notice-recovery-code-used = یکی از کدهای بازیابی شما برای ورود به حساب Haven در { $time } استفاده شد. هر کد فقط یک بار کار می‌کند.
staff-notice-not-you = اگر این کار را شما نکرده‌اید، همین حالا به مدیر Haven خود اطلاع دهید: ممکن است کسی رمز عبور شما را داشته باشد.
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
## Programme editor (/admin/programmes)
pe-nav = برنامه‌ها
pe-list-title = برنامه‌ها
pe-list-empty = هنوز هیچ برنامه‌ای وجود ندارد.
pe-col-programme = برنامه
pe-col-slug = نام در آدرس ویب
pe-col-status = وضعیت
pe-history = چه کسی و چه وقت آن را تغییر داد (دفتر بررسی)
pe-col-version = نسخه
pe-new-title = باز کردن یک برنامهٔ جدید
pe-new-intro = از یک فورم خالی شروع کنید یا یک برنامهٔ موجود را کاپی کنید (فورم، صف‌ها، قاعده‌ها و قالب‌های آن، بدون هیچ‌یک از درخواست‌هایش). برنامهٔ جدید یک پیش‌نویس با کلید خودش است: تا وقتی آن را باز نکنید، مردم آن را نمی‌بینند.
pe-new-from = شروع از
pe-new-blank = یک فورم خالی
pe-new-copy-of = کاپی { $slug }
pe-new-slug = نام در آدرس ویب
pe-new-slug-hint = ۳ تا ۴۰ حرف کوچک لاتین، عدد و خط تیره، مثلاً sudan-2026. فورم در آدرس ‎/p/‎ و پس از آن همین نام خواهد بود. بعداً تغییر داده نمی‌شود.
pe-new-name = عنوان
pe-new-name-hint = فقط برای فورم خالی: عنوانی که مردم بالای فورم می‌بینند.
pe-new-language = زبان پیش‌فرض
pe-new-submit = ساختن پیش‌نویس
pe-error-title = مشکلی وجود دارد
pe-error-password = رمز شما درست نیست؛ هیچ چیزی تغییر نکرد.
pe-error-slug = یک نام آدرس از ۳ تا ۴۰ حرف کوچک لاتین، عدد و خط تیره بنویسید که با یک حرف شروع شود.
pe-error-name = برای برنامهٔ جدید یک عنوان بنویسید.
pe-error-exists = برنامه‌ای با این نام آدرس از قبل وجود دارد. نام دیگری انتخاب کنید.
pe-error-stale = در این میان کس دیگری این برنامه را ذخیره کرده است (اکنون نسخهٔ { $version } است). چیزی ذخیره نشد: نسخهٔ فعلی را ببینید و تغییر خود را دوباره انجام دهید.
pe-error-slug-changed = نام آدرس یک برنامهٔ موجود تغییر داده نمی‌شود. برای نام دیگر، برنامه را کاپی کنید.
pe-error-status-changed = وضعیت فقط در بخش «وضعیت» تغییر می‌کند که رمز شما را می‌پرسد.
pe-error-default-language = زبان پیش‌فرض را از میان زبان‌های نشانی‌شده انتخاب کنید.
pe-error-retention = تعداد روزها را به عدد صحیح بنویسید، مثلاً ۳۶۵.
pe-error-max-length = بلندترین پاسخ را به عدد صحیح حروف بنویسید، یا خالی بگذارید.
pe-error-priority = اولویتی از ۱ تا ۹ انتخاب کنید.
pe-error-operator = برای هر شرط یک آزمون انتخاب کنید.
pe-error-options-cells = گزینه‌ها، سطر { $line }: تعداد برچسب‌ها از تعداد زبان‌های برنامه بیشتر است.
pe-done-created = برنامه به شکل پیش‌نویس ساخته شد. تا وقتی آن را باز نکنید، هیچ کس از بیرون آن را نمی‌بیند.
pe-done-saved = به عنوان نسخهٔ جدید ذخیره شد.
pe-done-unchanged = چیزی تغییر نکرده بود، پس نسخهٔ جدیدی ذخیره نشد.
pe-status-draft = پیش‌نویس
pe-status-open = باز
pe-status-closed = بسته
pe-status-archived = بایگانی‌شده
pe-status-draft-means = این فورم را فقط کارمندان در پیش‌نمایش می‌بینند. هیچ کس نمی‌تواند آن را بفرستد.
pe-status-open-means = فورم عمومی است و درخواست می‌پذیرد.
pe-status-closed-means = فورم دیگر درخواست نمی‌پذیرد؛ آدرس آن پیام بسته‌بودن را نشان می‌دهد. کارمندان به کار روی درخواست‌های رسیده ادامه می‌دهند.
pe-status-archived-means = برنامه پایان یافته است: آدرس آن «پیدا نشد» پاسخ می‌دهد و دوباره باز نمی‌شود. درخواست‌ها تا پایان مدت نگهداری‌شان نگه داشته می‌شوند.
pe-in-language = به { $language }
pe-password = رمز خودتان، برای تأیید
pe-back = بازگشت به برنامه
pe-toml-title = ویرایش { $slug } به شکل TOML
pe-toml-intro = این همان متنی است که «haven programme export» چاپ می‌کند و «haven programme apply» می‌خواند. هنگام ذخیره، دقیقاً مانند خط فرمان بررسی می‌شود؛ مشکلات با شمارهٔ سطر نشان داده می‌شوند و متن شما نگه داشته می‌شود.
pe-toml-label = تعریف برنامه (TOML)
pe-toml-submit = بررسی و ذخیره
pe-toml-link = ویرایش به شکل TOML
pe-preview = پیش‌نمایش فورم
pe-sections = بخش‌های برنامه
pe-general = عمومی
pe-fields = خانه‌های فورم
pe-queues = صف‌ها
pe-routing = قاعده‌های مسیردهی
pe-templates = قالب‌های پاسخ
pe-status = وضعیت
pe-languages = زبان‌ها
pe-languages-hint = متن‌های زبانی که نشانی آن را بردارید، هنگام ذخیره پاک می‌شوند. پس از نشانی کردن یک زبان جدید، ذخیره کنید و سپس متن‌های آن را اضافه کنید.
pe-default-language = زبان پیش‌فرض (هر متن باید به این زبان باشد)
pe-title = عنوان
pe-intro = مقدمه بالای فورم
pe-privacy = اطلاعیهٔ حریم خصوصی
pe-closed-message = پیام پس از بسته شدن (به جای آن به کجا مراجعه کنند)
pe-retention = درخواست‌ها را این تعداد روز نگه دارید
pe-contact = چگونه می‌توان به مردم پاسخ داد
pe-contact-email = می‌توانند آدرس ایمیل بدهند، یا فقط از صندوق پاسخ استفاده کنند
pe-contact-inbox = فقط صندوق پاسخ: آدرس ایمیل پرسیده نمی‌شود
pe-email-mode = ایمیل دربارهٔ یک پاسخ چه می‌تواند بگوید
pe-email-minimal = فقط این که پاسخی هست و لینک صندوق پاسخ (امن‌ترین)
pe-email-full = خود پاسخ
pe-name-field = خانه‌ای که نام شخص در آن است (برای جای‌نگهدار { "{name}" })
pe-none = (هیچ)
pe-save = ذخیره
pe-field-label = سؤال
pe-key = کلید
pe-key-hint = یک حرف کوچک لاتین، سپس تا ۳۹ حرف کوچک لاتین، عدد یا _. در قاعده‌ها و خروجی‌ها به کار می‌رود؛ بعداً تغییر داده نمی‌شود.
pe-kind = نوع پاسخ
pe-required = پاسخ لازمی است
pe-actions = کارها
pe-kind-text = متن کوتاه
pe-kind-textarea = متن بلند
pe-kind-email = آدرس ایمیل
pe-kind-phone = شمارهٔ تلفون
pe-kind-select = انتخاب از فهرست
pe-kind-radio = یک انتخاب از میان دکمه‌ها
pe-kind-checkbox = خانه‌های نشانی
pe-kind-country = کشور
pe-kind-date = تاریخ
pe-yes = بلی
pe-no = نخیر
pe-add-field = افزودن خانه
pe-label-in = متن به { $language }
pe-options = گزینه‌ها
pe-options-hint = در هر سطر یک گزینه: مقدار | برچسب به { $languages }. مقدار یک کود کوتاه است که در قاعده‌ها به کار می‌رود (حروف لاتین، عدد، _ و -). فقط برای فهرست‌ها، دکمه‌ها و خانه‌های نشانی.
pe-queue-name = نام صف
pe-add-queue = افزودن صف
pe-routing-intro = قاعده‌ها به ترتیب آزموده می‌شوند؛ نخستین قاعده‌ای که جور بیاید صف و اولویت را تعیین می‌کند. درخواستی که با هیچ قاعده جور نیاید به صف پیش‌فرض می‌رود.
pe-rule-name = نام قاعده
pe-rule-when = شرط‌ها
pe-rule-queue = صف
pe-priority = اولویت
pe-priority-most = فوری‌ترین
pe-add-rule = افزودن قاعده
pe-default-queue = صف پیش‌فرض
pe-templates-none = این برنامه هنوز قالب پاسخ ندارد.
pe-template-name = نام قالب
pe-add-template = افزودن قالب
pe-status-now = وضعیت این برنامه: { $status }.
pe-status-to = وضعیت جدید
pe-status-submit = تغییر وضعیت
pe-test-title = آزمودن این قاعده‌ها
pe-test-intro = پاسخ‌های نمونه بنویسید تا ببینید چنین درخواستی به کجا می‌رود. چیزی ذخیره یا فرستاده نمی‌شود.
pe-test-result = به صف «{ $queue }» با اولویت { $priority } می‌رود.
pe-test-by-rule = با قاعدهٔ «{ $rule }» تعیین شد.
pe-test-by-default = هیچ قاعده‌ای جور نیامد: صف و اولویت پیش‌فرض به کار می‌رود.
pe-test-submit = آزمودن قاعده‌ها
pe-up = بالا بردن
pe-down = پایین بردن
pe-remove = حذف
pe-field-title = خانهٔ { $key }
pe-hint = متن راهنما زیر سؤال
pe-max-length = بلندترین پاسخ به حرف (خالی: حد معمول)
pe-queue-title = صف { $key }
pe-rule-title = قاعدهٔ «{ $name }»
pe-match = قاعده وقتی جور می‌آید که
pe-match-all = همهٔ شرط‌ها برقرار باشند
pe-match-any = دست‌کم یک شرط برقرار باشد
pe-conditions-hint = برای حذف یک شرط، خانه را خالی بگذارید. برای «یکی از»، مقدارها را با ویرگول جدا کنید. مقدارها، مقدارهای گزینه‌ها هستند نه برچسب‌هایشان.
pe-condition-field = خانه
pe-condition-op = آزمون
pe-condition-value = مقدار
pe-op-equals = برابر است با
pe-op-in = یکی از این‌هاست
pe-op-contains = این متن را دارد
pe-op-answered = پاسخ داده شده
pe-op-unanswered = خالی مانده
pe-template-title = قالب { $key }
pe-template-placeholders = جای‌نگهدارها: { "{reference}" }، { "{name}" }، { "{inbox_url}" } و { "{programme}" }. هیچ چیز دیگری میان قوس‌ها مجاز نیست.
pe-subject = موضوع (یک سطر)
pe-body = متن
programme-blank-intro = دربارهٔ وضعیت خود به ما بگویید. ما هر درخواست را می‌خوانیم.
programme-blank-privacy = آنچه می‌نویسید به محض رسیدن به ما رمزگذاری می‌شود و تنها کارمندانی که به این درخواست‌ها رسیدگی می‌کنند می‌توانند آن را بخوانند. ما آن را ۹۰ روز پس از فرستادن پاک می‌کنیم.
programme-blank-question = چگونه می‌توانیم به شما کمک کنیم؟
programme-blank-queue = عمومی
