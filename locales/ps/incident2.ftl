# د incident2 څانګې متنونه (۲۰مه مسئله، ۲، ۴، ۵، ۶ بندونه).

## کنسول: خبرتیاوې
incident2-notify-heading = اغېزمنو کسانو ته خبر ورکول
incident2-notify-intro = هر کس ته یو پیغام، د هغه په ژبه، سم اغېزمنو غوښتنو ته: ټول یې د ځوابونو په صندوق کې ترلاسه کوي، او تایید شوي پتې یې په برېښنالیک هم. یوازې د دویم څارونکي له تایید وروسته لېږل کېږي.
incident2-ways = هر کس ته څنګه ورسېدو
incident2-way-email = برېښنالیک ولېږل شو (تایید شوې پته)
incident2-way-unconfirmed-notice = بې‌طرفه خبرتیا ولېږل شوه (پته هېڅکله نه ده تایید شوې)
incident2-way-pending = لا نه دی لېږل شوی
incident2-way-failed = برېښنالیک ناکام شو: یوازې د ځوابونو صندوق
incident2-way-inbox-only = یوازې د ځوابونو صندوق
incident2-way-not-notified = خبر نه دی شوی
incident2-state-pending = د تایید په تمه
incident2-state-dispatched = تایید او ولېږل شو
incident2-state-cancelled = لغوه شو
incident2-unconfirmed-asked = غوښتل شوي چې نه تایید شوو پتو ته هم ورسېږي
incident2-campaign-page = د ډله‌ییز ځواب پاڼه
incident2-prepare-heading = خبرتیا چمتو کول
incident2-template = کينډۍ
incident2-unconfirmed-ask = هغو پتو ته چې هېڅکله نه دي تایید شوې هم یوه بې‌طرفه خبرتیا ولېږه چې د ځوابونو صندوق ته اشاره کوي (یوازې که تاییدوونکی یې هم په نښه کړي)
incident2-prepare-button = خبرتیا چمتو کړه
incident2-approve-heading = خبرتیا تایید کړه
incident2-approve-text = متن، په ټولو ژبو
incident2-unconfirmed-approve = زه موافق یم: هغه پتې چې هېڅکله نه دي تایید شوې یوه بې‌طرفه خبرتیا ترلاسه کوي چې د ځوابونو صندوق ته اشاره کوي
incident2-approve-button = تایید او ولېږه
incident2-problem-template = له لړلیک څخه یوه کينډۍ وټاکئ.
incident2-problem-empty = له اغېزمنو غوښتنو څخه هېڅ یوه نوره ساتل شوې نه ده: څوک نشته چې خبر شي.
incident2-problem-closed = پېښه تړل شوې ده.
incident2-problem-pending = د دې پېښې یوه خبرتیا لا دمخه د تایید په تمه ده.
incident2-done-prepared = خبرتیا چمتو شوه. دویم څارونکی باید تایید یې کړي.
incident2-done-dispatched = خبرتیا تایید شوه او لېږل کېږي.
incident2-done-conflict = بل چا ستاسو څخه دمخه د دې خبرتیا په اړه پرېکړه وکړه.
incident2-done-changed = کينډۍ د چمتو کولو وروسته بدله شوې: هېڅ ونه لېږل شو. بیا یې چمتو کړئ.
incident2-done-own = تاسو دا خبرتیا چمتو کړې: دویم څارونکی باید تایید یې کړي.

## هغې پتې ته بې‌طرفه خبرتیا چې هېڅکله نه ده تایید شوې
incident2-neutral-subject = ستاسو لپاره یو پیغام
incident2-neutral-body = ستاسو د ځوابونو په صندوق کې یو نوی پیغام دی: { $inbox_url }. هغه د خپل د حوالې کوډ او پټ عبارت په مرسته پرانیزئ.

## کنسول: مهار او اقدامات
incident2-contain-heading = هغه څه ودروئ چې لا لېږل کېږي
incident2-contain-intro = د ډله‌ییز ځواب هغه پیغامونه چې لا نه دي لېږل شوي ودروئ، بیا پیل یې کړئ یا یې لغوه کړئ. هره کارونه د دې پېښې په اقداماتو کې ثبتېږي.
incident2-contain-what = څه وشي
incident2-contain-pause = لنډمهاله درول
incident2-contain-resume = بیا پیل
incident2-contain-cancel = هغه څه لغوه کړه چې لا نه دي لېږل شوي
incident2-contain-button = پلی کړه
incident2-emergency-button = بیړنی درول: ټول وتونکي برېښنالیکونه ونیسه
incident2-emergency-admin = د ټولو وتونکو برېښنالیکونو بیړنی درول د بېلګې د مدیرانو د وتونکو برېښنالیکونو په پاڼه کې دی.
incident2-done-contained = وشو، او د دې پېښې په اقداماتو کې ثبت شو.
incident2-done-unchanged = هېڅ بدل نه شو (دمخه همداسې و، یا د درولو لپاره څه پاتې نه دي). د دې پېښې په اقداماتو کې ثبت شو.
incident2-done-reason = ووایاست ولې (دلیل ثبتېږي).
incident2-actions-heading = اقدامات
incident2-actions-none = لا کوم اقدام نه دی ثبت شوی.
incident2-col-action = اقدام

## کنسول: هغه کیلي چې ګومان کېږي افشا شوې
incident2-by-key = له هغې کیلي چې ګومان کېږي افشا شوې
incident2-by-key-intro = ټولې هغه غوښتنې چې متن، یادښتونه، ځوابونه یا برېښنالیکونه یې د پروګرام په داسې کیلي مهر شوي چې ګومان کېږي افشا شوې؛ یا، د اصلي کیلي لپاره، د پروګرام ټولې غوښتنې (اصلي کیلي د پروګرامونو ټولې کیلي پرانیزي).
incident2-key = د کیلي پېژند، یا master
incident2-key-hint = د کیلي پېژند لکه څنګه چې د پروګرام د کیليو پاڼه یې ښيي، یا د master کلمه.
incident2-problem-key = د کیلي پېژند ۳۲ توري او شمېرې دي، لکه د کیليو په پاڼه کې؛ یا master ولیکئ.
incident2-rotate-link = د پروګرام کیلي بدلول (د پروګرام مدیران؛ پټنوم مو بیا غوښتل کېږي): بدلون د دې پېښې په اقداماتو کې ښودل کېږي
