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
