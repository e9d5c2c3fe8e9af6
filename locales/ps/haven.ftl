# Haven interface text, Pashto.
# Programme texts (titles, questions, options) come from each programme's own file, not from here.

site-name = Haven
skip-to-content = اصلي منځپانګې ته ورشئ
language-switch = ژبه
footer-note = هغه څه چې تاسو یې لېږئ، له ساتلو مخکې پټ (کوډ) کېږي. دا وېبسایټ ستاسو څارنه نه کوي او له نورو وېبسایټونو هېڅ شی نه راوړي.

## The public form
field-optional = (اختیاري)
form-submit = غوښتنه ولېږئ
form-privacy-heading = موږ ستاسو معلومات څنګه کاروو
select-choose = وټاکئ…
country-choose = یو هېواد وټاکئ
date-hint = نېټه په دې بڼه ولیکئ: کال-میاشت-ورځ، د بېلګې په توګه 2021-08-15.
contact-heading = موږ تاسو ته څنګه ځواب درکړو؟
contact-hint = تاسو کولای شئ زموږ ځوابونه په یوه شخصي د ځوابونو صندوق کې ولولئ. د دې لپاره هغه د حوالې کوډ او پټ عبارت وکاروئ چې له لېږلو وروسته به یې ترلاسه کړئ. اړتیا نشته چې د ایمیل پته راکړئ.
contact-inbox = یوازې د ځوابونو په صندوق کې (له ایمیل پرته)
contact-email = په ایمیل هم
contact-email-label = د ایمیل پته
contact-email-hint = موږ یوازې یو لنډ پیغام درلېږو چې ځواب مو راغلی دی. یوازې هغه پته وکاروئ چې ستاسو لپاره خوندي وي.
contact-inbox-only = ځوابونه په یوه شخصي د ځوابونو صندوق کې لوستل کېږي. موږ د ایمیل پته نه غواړو.
honeypot-label = دا خانه خالي پرېږدئ

## Errors on the form
error-summary-title = یوه ستونزه شته
error-required-text = د «{ $label }» لپاره ځواب ولیکئ
error-required-choice = د «{ $label }» لپاره یو ځواب وټاکئ
error-required-box = د «{ $label }» خانه نښه کړئ
error-too-long = «{ $label }» باید له { $max } تورو څخه زیات نه وي
error-invalid-choice = د «{ $label }» لپاره له ښودل شویو ځوابونو څخه یو وټاکئ
error-invalid-email = د ایمیل پته په سمه بڼه ولیکئ، لکه name@example.com
error-invalid-phone = د تلیفون شمېره یوازې په عددونو، تشو ځایونو او + ( ) - ولیکئ
error-invalid-date = د «{ $label }» لپاره یوه سمه نېټه ولیکئ، لکه 2021-08-15
error-invalid-country = د «{ $label }» لپاره له لېست څخه یو هېواد وټاکئ
error-invalid-characters = په «{ $label }» کې داسې توري یا نښې شته چې نه منل کېږي
error-single-line = «{ $label }» باید په یوه کرښه کې وي
error-contact-missing-email = هغه ایمیل پته ولیکئ چې موږ ورته ځواب ولېږو، یا یوازې د ځوابونو صندوق وټاکئ
error-contact-mode = وټاکئ چې ځوابونه څنګه ترلاسه کول غواړئ
error-honeypot = د «{ honeypot-label }» خانه خالي پرېږدئ
error-form-expired = دا فورمه ډېر وخت خلاصه وه، یا له بل وېبسایټ څخه لېږل شوې ده. ستاسو ځوابونه لاندې دي: هغه وګورئ او بیا یې ولېږئ.

## Receipt
receipt-title = ستاسو غوښتنه ولېږل شوه
receipt-reference-label = ستاسو د حوالې کوډ
receipt-passphrase-label = ستاسو پټ عبارت
receipt-keep-safe = دواړه ولیکئ، یا یې په داسې ځای کې وساتئ چې یوازې تاسو یې لیدلای شئ. موږ یې تاسو ته بیا نشو ښودلای. زموږ د ځوابونو د لوستلو لپاره دواړو ته اړتیا لرئ.
receipt-danger = که بل څوک دا وسیله کتلای شي، کله چې مو کوډونه ولیکل، دا پاڼه وتړئ.
receipt-next-heading = اوس به څه کېږي
receipt-next = زموږ د ټیم یو غړی به ستاسو غوښتنه ولولي. ځوابونه به ستاسو د ځوابونو په صندوق کې ښکاره شي.
receipt-inbox-link = خپل د ځوابونو صندوق ته ورشئ

## Reply inbox
inbox-title = ستاسو د ځوابونو صندوق
inbox-intro = هغه د حوالې کوډ او پټ عبارت ولیکئ چې د غوښتنې د لېږلو پر مهال درکړل شوي وو.
inbox-reference-label = د حوالې کوډ
inbox-reference-hint = 20 توري او عددونه، لکه ABCDE-FGHJK-MNPQR-STVWX
inbox-passphrase-label = پټ عبارت
inbox-submit = زما صندوق پرانیزئ
inbox-failed = موږ ونه شو کولای چې په دې د حوالې کوډ او پټ عبارت صندوق پرانیزو. دواړه وګورئ او بیا هڅه وکړئ.
inbox-status-heading = ستاسو د غوښتنې حالت
inbox-no-replies = تر اوسه هېڅ ځواب نشته. مهرباني وکړئ وروسته بیا راشئ.
inbox-sign-out = صندوق وتړئ
status-new = ترلاسه شوې، د لوستلو په تمه ده
status-in-progress = کار پرې روان دی
status-awaiting-reply = له تاسو څخه د نورو معلوماتو په تمه ده
status-closed = تړل شوې

## Closed programme
closed-title = دا فورمه تړل شوې ده
closed-default = دا پروګرام نور غوښتنې نه مني.

## Error pages
error-incident = د دې ستونزې د حوالې کوډ: { $id }
error-back-home = بېرته لاړ شئ او بیا هڅه وکړئ
error-400-title = په لېږل شویو معلوماتو کې ستونزه وه
error-400-body = ستاسو براوزر داسې څه ولېږل چې موږ یې ونه شو لوستلای. بېرته لاړ شئ، خپل ځوابونه وګورئ او بیا هڅه وکړئ.
error-403-title = دا کار ونه منل شو
error-403-body = کېدای شي د هغې پاڼې وخت تېر شوی وي چې تاسو ترې راغلي یاست. بېرته لاړ شئ، پاڼه تازه کړئ او بیا هڅه وکړئ.
error-404-title = پاڼه ونه موندل شوه
error-404-body = د وېبسایټ پته وګورئ. که تاسو په یوه لینک راغلي یاست، کېدای شي هغه زوړ وي.
error-405-title = دا کار دلته نه شي کېدای
error-405-body = بېرته لاړ شئ او په پاڼه کې تڼۍ وکاروئ.
error-408-title = اړیکه ډېره ورو وه
error-408-body = ستاسو ځوابونو د رارسېدو لپاره ډېر وخت ونیو. خپله انټرنټي اړیکه وګورئ او بیا یې ولېږئ.
error-410-title = دا فورمه تړل شوې ده
error-410-body = دا پروګرام نور غوښتنې نه مني.
error-413-title = د لېږلو لپاره ډېر زیات معلومات وو
error-413-body = ستاسو ځوابونه دومره اوږده وو چې په یو ځل نه شول لېږل کېدای. بېرته لاړ شئ او لنډ یې کړئ.
error-415-title = په لېږل شویو معلوماتو کې ستونزه وه
error-415-body = ستاسو براوزر فورمه په داسې ډول ولېږله چې موږ یې نه شو لوستلای. بېرته لاړ شئ او بیا هڅه وکړئ.
error-429-title = ډېرې زیاتې هڅې
error-429-body = د هغو ټولو کسانو د ساتنې لپاره چې دا خدمت کاروي، د لېږلو شمېر محدود دی. یو ساعت صبر وکړئ، بیا هڅه وکړئ. هغه څه چې تاسو مخکې لېږلي، خوندي دي.
error-500-title = بښنه غواړو، زموږ له خوا یوه ستونزه پېښه شوه
error-500-body = که تاسو د حوالې کوډ لیدلی وي، ستاسو غوښتنه ترلاسه شوې ده. که مو نه وي لیدلی، هېڅ شی نه دی ساتل شوی: مهرباني وکړئ وروسته بیا هڅه وکړئ.
error-503-title = خدمت اوس بوخت دی
error-503-body = مهرباني وکړئ څو دقیقې وروسته بیا هڅه وکړئ. که تاسو د حوالې کوډ لیدلی وي، ستاسو غوښتنه ترلاسه شوې ده.
inbox-replies-heading = ځوابونه
inbox-reply-date = په { $date } واستول شو

## Email about a reply
reply-email-subject = تاسو یو نوی ځواب لرئ
reply-email-body = ستاسو غوښتنې ته یو نوی ځواب راغلی دی.

    هغه د خپلو ځوابونو په صندوق کې ولولئ: { $inbox_url }
    تاسو ته د هغه حوالې کوډ او پټ عبارت اړتیا ده چې درکړل شوي وو.

    ستاسو د محرمیت لپاره، د ځواب متن په دې بریښنالیک کې نشته.
preview-notice = د کارکوونکو لپاره مخکتنه: خلک فورمه داسې ویني. له دې ځایه نه لیږل کیږي.

## Security hardening: emails to staff when a factor of their account changes
staff-notice-subject = ستاسو د Haven حساب بدل شو
staff-notice-totp-enrolled = ستاسو د Haven په حساب کې دوه پړاوي تایید په { $time } جوړ شو.
staff-notice-totp-reset = یوه مدیر ستاسو د Haven حساب دوه پړاوي تایید په { $time } بیا تنظیم کړ. په راتلونکي ننوتلو کې به یې بیا جوړ کړئ.
staff-notice-recovery-code-used = ستاسو د بیا رغونې له کوډونو څخه یو په { $time } ستاسو Haven حساب ته د ننوتلو لپاره وکارول شو. هر کوډ یوازې یو ځل کار کوي.
staff-notice-not-you = که دا تاسو نه وئ، همدا اوس خپل Haven مدیر ته خبر ورکړئ: کېدای شي څوک ستاسو پټنوم ولري.
## Referrals to partner organisations (reply inbox)
inbox-referred-heading = همکارو سازمانونو ته لېږل شوې
inbox-referred = موږ ستاسو دوسیه { $partner } ته ولېږله.
## Console: importing mail from an upload (/console/p/{slug}/import) and kept attachments
import-title = بریښنالیکونه راوړل
import-back = ډشبورډ ته بېرته تګ
import-intro = د ‎.eml فایلونه یا یو mbox فایل چې له بریښنالیک صندوق څخه ایستل شوی، پورته کړئ. هر پیغام په { $programme } کې په یوه غوښتنه بدلېږي، لکه په سرور کې د haven import په څېر: لېږل شوي پیغامونه اصلي لېږونکي ته بېرته ګرځول کېږي، هغه پیغامونه چې مخکې راوړل شوي پرېښودل کېږي، او پخپله فایلونه هېڅکله نه ساتل کېږي (یوازې غوښتنې، کوډ شوې).
import-limit = ټول ټال تر { $mib } مېبي‌بایټه. لوی صندوق په برخو کې پورته کړئ یا په سرور کې haven import وکاروئ.
import-unavailable = دا پروګرام راوړل شوي بریښنالیکونه نشي منلای
import-unavailable-archived = دا پروګرام ارشیف شوی دی.
import-unavailable-inbox-only = دا پروګرام یوازې د ځوابونو صندوق کاروي: هغه کسان چې په بریښنالیک یې لیکلي، هېڅکله ځواب نشي لوستلای.
import-unavailable-no-text-field = دا پروګرام د پیغام لپاره د متن ځای نه لري: د پروګرام په فایل کې یې د ‎[import] text_field سره وټاکئ.
import-password-label = ستاسو پټنوم، د تایید لپاره
import-password-hint = راوړل د ډېرو خلکو پیغامونه یو ځل راننباسي، نو ستاسو پټنوم بیا غوښتل کېږي.
import-files-label = د بریښنالیک فایلونه (‎.eml یا mbox)
import-files-hint = تاسو کولای شئ څو فایلونه یو ځای وټاکئ.
import-submit = راوړل
import-error-password = ستاسو پټنوم سم نه دی؛ هېڅ شی رانه وړل شو.
import-error-no-files = لږ تر لږه یو ‎.eml یا mbox فایل وټاکئ.
import-done-title = راوړل پای ته ورسېدل
import-done-summary = پیغامونه: { $messages } په { $files } فایلونو کې. راوړل شوي: { $imported }، تکراري: { $duplicates }، ناکام: { $failed }.
import-done-imported = راوړل شوي
import-done-duplicates = مخکې په Haven کې (پرېښودل شول)
import-done-failed = ناکام
import-failed-heading = هغه پیغامونه چې رانه وړل شول
import-failed-which = پیغام
import-failed-why = لامل
import-again = نور بریښنالیکونه راوړل
import-too-large-title = پورته شوي فایلونه ډېر لوی دي
import-too-large-body = یو ځل پورته کول تر { $mib } مېبي‌بایټه کېدای شي. هېڅ شی رانه وړل شو. هر ځل لږ فایلونه پورته کړئ، یا په سرور کې haven import وکاروئ.
import-failed-not-mail = بریښنالیک نه دی (هېڅ سرلیک ونه موندل شو)
import-failed-no-sender = د لېږونکي پته نه لري (د From سرلیک نشته)
import-failed-invalid-sender = د لېږونکي پته یوه سمه بریښنالیک پته نه ده
import-failed-too-large = له { $mib } مېبي‌بایټه لوی
import-failed-read = نه لوستل کېږي ({ $why })
import-failed-seal = کوډ نشو
import-failed-store = خوندي نشو

## Email answering imported mail when the programme says [import] replies = "minimal"
reply-email-imported-body = موږ هغه پیغام ته ځواب ورکړی چې تاسو موږ ته په بریښنالیک لېږلی و.

    ستاسو د خوندیتوب لپاره، ځواب په دې بریښنالیک کې نشته. زموږ د ځوابونو د خوندي لوستلو لپاره، موږ ته بیا زموږ د فورمې له لارې ولیکئ: { $form_url }
    تاسو ته به د حوالې کوډ او پټ عبارت درکړل شي چې زموږ ځوابونه ولولئ.
## Programme editor (/admin/programmes)
pe-nav = پروګرامونه
pe-list-title = پروګرامونه
pe-list-empty = لا تر اوسه هېڅ پروګرام نشته.
pe-col-programme = پروګرام
pe-col-slug = د وېب پتې نوم
pe-col-status = حالت
pe-history = چا او کله بدل کړ (د پلټنې دفتر)
pe-col-version = نسخه
pe-new-title = یو نوی پروګرام پرانیستل
pe-new-intro = له یوې تشې فورمې پیل وکړئ یا یو موجود پروګرام کاپي کړئ (د هغه فورمه، لیکې، قاعدې او قالبونه، پرته له هغو غوښتنو). نوی پروګرام یوه مسوده ده چې خپله کیلي لري: تر هغه چې تاسو یې پرانیزئ، خلک یې نه شي لیدلی.
pe-new-from = پیل له
pe-new-blank = یوه تشه فورمه
pe-new-copy-of = د { $slug } کاپي
pe-new-slug = د وېب پتې نوم
pe-new-slug-hint = له ۳ تر ۴۰ پورې کوچني لاتیني توري، شمېرې او خط تیره، د بېلګې په توګه sudan-2026. فورمه به په ‎/p/‎ پتې او ورپسې دې نوم کې وي. وروسته نه بدلېږي.
pe-new-name = سرلیک
pe-new-name-hint = یوازې د تشې فورمې لپاره: هغه سرلیک چې خلک یې د فورمې پورته ګوري.
pe-new-language = ډیفالټ ژبه
pe-new-submit = مسوده جوړول
pe-error-title = یوه ستونزه شته
pe-error-password = ستاسو پټنوم سم نه دی؛ هېڅ شی بدل نه شو.
pe-error-slug = د پتې یو نوم ولیکئ چې له ۳ تر ۴۰ کوچني لاتیني توري، شمېرې او خط تیره ولري او په توري پیل شي.
pe-error-name = د نوي پروګرام لپاره یو سرلیک ولیکئ.
pe-error-exists = په دې نوم یو پروګرام له مخکې شته. بل نوم غوره کړئ.
pe-error-stale = په دې منځ کې بل چا دا پروګرام خوندي کړی (اوس { $version } نسخه ده). هېڅ شی خوندي نه شو: اوسنۍ نسخه وګورئ او خپل بدلون بیا وکړئ.
pe-error-slug-changed = د یو موجود پروګرام د پتې نوم نه بدلېږي. د بل نوم لپاره، پروګرام کاپي کړئ.
pe-error-status-changed = حالت یوازې د «حالت» په برخه کې بدلېږي، چې ستاسو پټنوم غواړي.
pe-error-default-language = ډیفالټ ژبه د نښه شویو ژبو له منځه غوره کړئ.
pe-error-retention = د ورځو شمېر په بشپړه شمېره ولیکئ، د بېلګې په توګه ۳۶۵.
pe-error-max-length = تر ټولو اوږد ځواب د تورو په بشپړه شمېره ولیکئ، یا یې تش پرېږدئ.
pe-error-priority = له ۱ تر ۹ پورې یو لومړیتوب غوره کړئ.
pe-error-operator = د هر شرط لپاره یوه ازموینه غوره کړئ.
pe-error-options-cells = انتخابونه، { $line } کرښه: د نښانونو شمېر د پروګرام له ژبو ډېر دی.
pe-done-created = پروګرام د مسودې په توګه جوړ شو. تر هغه چې تاسو یې پرانیزئ، له بهر هېڅوک یې نه شي لیدلی.
pe-done-saved = د نوې نسخې په توګه خوندي شو.
pe-done-unchanged = هېڅ شی بدل شوی نه و، نو نوې نسخه خوندي نه شوه.
pe-status-draft = مسوده
pe-status-open = پرانیستی
pe-status-closed = تړلی
pe-status-archived = آرشیف شوی
pe-status-draft-means = دا فورمه یوازې کارکوونکي په مخکتنه کې ګوري. هېڅوک یې نه شي لېږلی.
pe-status-open-means = فورمه عامه ده او غوښتنې مني.
pe-status-closed-means = فورمه نور غوښتنې نه مني؛ پته یې د تړلو پیغام ښیي. کارکوونکي په رسېدلو غوښتنو کار ته دوام ورکوي.
pe-status-archived-means = پروګرام پای ته رسېدلی: پته یې «ونه موندل شو» ځواب ورکوي او بیا نه پرانیستل کېږي. غوښتنې د ساتلو تر مودې پای پورې ساتل کېږي.
pe-in-language = په { $language }
pe-password = ستاسو خپل پټنوم، د تایید لپاره
pe-back = پروګرام ته ستنېدل
pe-toml-title = { $slug } د TOML په بڼه سمول
pe-toml-intro = دا هغه متن دی چې «haven programme export» یې چاپوي او «haven programme apply» یې لولي. د خوندي کولو پر مهال لکه د کمانډ کرښې په څېر کتل کېږي؛ ستونزې د کرښې له شمېرې سره ښودل کېږي او ستاسو متن ساتل کېږي.
pe-toml-label = د پروګرام تعریف (TOML)
pe-toml-submit = کتل او خوندي کول
pe-toml-link = د TOML په بڼه سمول
pe-preview = د فورمې مخکتنه
pe-sections = د پروګرام برخې
pe-general = عمومي
pe-fields = د فورمې خانې
pe-queues = لیکې
pe-routing = د لارښوونې قاعدې
pe-templates = د ځواب قالبونه
pe-status = حالت
pe-languages = ژبې
pe-languages-hint = د هغې ژبې متنونه چې نښه یې لرې کړئ، د خوندي کولو پر مهال ړنګېږي. د نوې ژبې تر نښه کولو وروسته، خوندي یې کړئ او بیا یې متنونه ورزیات کړئ.
pe-default-language = ډیفالټ ژبه (هر متن باید په دې ژبه وي)
pe-title = سرلیک
pe-intro = د فورمې پورته پېژندنه
pe-privacy = د محرمیت خبرتیا
pe-closed-message = د تړلو وروسته پیغام (پر ځای یې چېرته ورشي)
pe-retention = غوښتنې دومره ورځې وساتئ
pe-contact = خلکو ته څنګه ځواب ورکول کېدای شي
pe-contact-email = دوی کولی شي بریښنالیک پته ورکړي، یا یوازې د ځوابونو بکس وکاروي
pe-contact-inbox = یوازې د ځوابونو بکس: بریښنالیک پته نه غوښتل کېږي
pe-email-mode = د یو ځواب په اړه بریښنالیک څه ویلی شي
pe-email-minimal = یوازې دا چې ځواب شته او د ځوابونو بکس لینک (تر ټولو خوندي)
pe-email-full = پخپله ځواب
pe-name-field = هغه خانه چې د کس نوم لري (د { "{name}" } ځای نیونکي لپاره)
pe-none = (هېڅ)
pe-save = خوندي کول
pe-field-label = پوښتنه
pe-key = کیلي
pe-key-hint = یو کوچنی لاتیني توری، بیا تر ۳۹ پورې کوچني لاتیني توري، شمېرې یا _. په قاعدو او صادرولو کې کارېږي؛ وروسته نه بدلېږي.
pe-kind = د ځواب ډول
pe-required = ځواب اړین دی
pe-actions = کړنې
pe-kind-text = لنډ متن
pe-kind-textarea = اوږد متن
pe-kind-email = بریښنالیک پته
pe-kind-phone = د تلیفون شمېره
pe-kind-select = له لېست څخه انتخاب
pe-kind-radio = د تڼیو له منځه یو انتخاب
pe-kind-checkbox = د نښه کولو خانې
pe-kind-country = هېواد
pe-kind-date = نېټه
pe-yes = هو
pe-no = نه
pe-add-field = خانه ورزیاتول
pe-label-in = متن په { $language }
pe-options = انتخابونه
pe-options-hint = په هره کرښه کې یو انتخاب: ارزښت | نښان په { $languages }. ارزښت یو لنډ کوډ دی چې په قاعدو کې کارېږي (لاتیني توري، شمېرې، _ او -). یوازې د لېستونو، تڼیو او نښه کولو خانو لپاره.
pe-queue-name = د لیکې نوم
pe-add-queue = لیکه ورزیاتول
pe-routing-intro = قاعدې په ترتیب سره ازمول کېږي؛ لومړۍ قاعده چې برابره شي لیکه او لومړیتوب ټاکي. هغه غوښتنه چې له هېڅ قاعدې سره برابره نه شي ډیفالټ لیکې ته ځي.
pe-rule-name = د قاعدې نوم
pe-rule-when = شرطونه
pe-rule-queue = لیکه
pe-priority = لومړیتوب
pe-priority-most = تر ټولو بېړنی
pe-add-rule = قاعده ورزیاتول
pe-default-queue = ډیفالټ لیکه
pe-templates-none = دا پروګرام لا تر اوسه د ځواب قالب نه لري.
pe-template-name = د قالب نوم
pe-add-template = قالب ورزیاتول
pe-status-now = د دې پروګرام حالت: { $status }.
pe-status-to = نوی حالت
pe-status-submit = حالت بدلول
pe-test-title = دا قاعدې ازمویل
pe-test-intro = نمونه‌یي ځوابونه ولیکئ ترڅو وګورئ چې داسې غوښتنه به چېرته ځي. هېڅ شی نه خوندي کېږي او نه لېږل کېږي.
pe-test-result = دا به د «{ $queue }» لیکې ته د { $priority } لومړیتوب سره ځي.
pe-test-by-rule = د «{ $rule }» قاعدې له مخې وټاکل شو.
pe-test-by-default = هېڅ قاعده برابره نه شوه: ډیفالټ لیکه او لومړیتوب کارېږي.
pe-test-submit = قاعدې ازمویل
pe-up = پورته وړل
pe-down = ښکته وړل
pe-remove = لرې کول
pe-field-title = د { $key } خانه
pe-hint = د پوښتنې لاندې د مرستې متن
pe-max-length = تر ټولو اوږد ځواب، په تورو (تش: معمول حد)
pe-queue-title = د { $key } لیکه
pe-rule-title = د «{ $name }» قاعده
pe-match = قاعده هغه وخت برابرېږي چې
pe-match-all = ټول شرطونه پوره وي
pe-match-any = لږ تر لږه یو شرط پوره وي
pe-conditions-hint = د یو شرط د لرې کولو لپاره خانه تشه پرېږدئ. د «له دې یو» لپاره، ارزښتونه په کامې سره جلا کړئ. ارزښتونه د انتخابونو ارزښتونه دي، نه د هغو نښانونه.
pe-condition-field = خانه
pe-condition-op = ازموینه
pe-condition-value = ارزښت
pe-op-equals = برابر دی له
pe-op-in = له دې یو دی
pe-op-contains = دا متن لري
pe-op-answered = ځواب ورکړل شوی
pe-op-unanswered = تش پاتې دی
pe-template-title = د { $key } قالب
pe-template-placeholders = ځای نیونکي: { "{reference}" }، { "{name}" }، { "{inbox_url}" } او { "{programme}" }. د لونګو قوسونو ترمنځ بل هېڅ شی اجازه نه لري.
pe-subject = موضوع (یوه کرښه)
pe-body = متن
programme-blank-intro = موږ ته د خپل حالت په اړه ووایاست. موږ هره غوښتنه لولو.
programme-blank-privacy = څه چې تاسو لیکئ، موږ ته له رسېدو سره سم کوډ کېږي، او یوازې هغه کارکوونکي یې لوستلی شي چې دا غوښتنې سمبالوي. موږ یې د لېږلو ۹۰ ورځې وروسته ړنګوو.
programme-blank-question = موږ ستاسو سره څنګه مرسته کولی شو؟
programme-blank-queue = عمومي
