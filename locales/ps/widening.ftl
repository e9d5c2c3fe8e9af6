## Staff console and administration: programme changes that widen who can read data

widening-title = د هغه بدلون تایید چې لاسرسی پراخوي
widening-intro = دا بدلون ډېرو یا نورو خلکو ته اجازه ورکوي چې د دې پروګرام معلومات ولولي، یا اجازه ورکوي چې له هغه نه ډېر څه ولېږل شي. یوازې هغه وخت خوندي کېږي چې تاسو خپل پټنوم بیا ولیکئ.
widening-audited = د پلټنې دفتر به دا هر یو د ستاسو د حساب تر نوم لاندې ثبت کړي.
widening-submit = زما په پټنوم خوندي کول
widening-cancel = لغوه کول او پروګرام ته ستنېدل
widening-instance-only = یوازې د سیستم مدیر کولای شي { $settings } بدل کړي؛ هېڅ شی بدل نه شو.
widening-kind-held-answered = د { $field } خانې ډول له «{ $from }» نه «{ $to }» ته نه شي بدلېدای: خلکو ورته ځواب ورکړی، او د هغوی ځوابونه به بل شی ولوستل شي. پر ځای یې نوې خانه زیاته کړئ؛ هېڅ شی بدل نه شو.
widening-kind-held-shared = د { $field } خانې ډول له «{ $from }» نه «{ $to }» ته نه شي بدلېدای: د یوه شریک د شریکولو پروفایل یې نوم اخلي. پر ځای یې نوې خانه زیاته کړئ؛ هېڅ شی بدل نه شو.
widening-kind-escrow = د امانت کلي زیاتېږي یا بدلېږي: هر څوک چې دا ولري کولای شي د دې پروګرام معلومات له Haven بهر، پرته له ساعتي حد او د پلټنې دفتر، پرانیزي.
widening-kind-partner-added = یو نوی شریک، { $partner }، کولای شي ارجاعونه ترلاسه کړي.
widening-kind-partner-address = { $partner } ته ارجاعونه بلې پتې ته ځي.
widening-kind-partner-recipient = هغه څه چې { $partner } ته لېږل کېږي په بل کلي کوډ کېږي.
widening-kind-partner-profile = { $partner } ته ډېر څه لېږل کېدای شي: { $fields }.
widening-kind-consent = هغه رضایت چې د شخصي معلوماتو له لېږلو مخکې اړین دی لرې شوی یا بلې پوښتنې ته وړل شوی.
widening-kind-shared-field = د { $field } پوښتنه، چې ځوابونه یې یوه شریک ته ځي یا رضایت ثبتوي، اوس بل څه پوښتي.
widening-kind-language = د { $language } ژبه زیاتېږي په داسې حال کې چې ځوابونه شریکانو ته ځي.
widening-kind-inbox-referrals = د ځوابونو صندوق به هر هغه چا ته چې یې پرانیزي ووایي چې قضیه کومو شریکانو ته راجع شوې.
widening-kind-two-factor = کارکوونکي کولای شي پرته له دوه‌پړاویز تایید ننوځي.
widening-kind-email-full = هغه برېښنالیکونه چې د ځواب خبر ورکوي پخپله ځواب به ولري.
widening-kind-name-field = یو ځواب، د کس نوم، په ځوابونو او برېښنالیکونو کې ځي.
widening-kind-contact-email = خلک کولای شي برېښنالیک پته ورکړي، او د ځوابونو خبر هغه صندوق ته ورکول کېږي.
widening-kind-import-replies-full = راوړل شویو برېښنالیکونو ته ځوابونه به پخپله ځواب ولري.
widening-kind-import-text-shared = د راوړل شویو برېښنالیکونو متن داسې پوښتنې ته ځي چې ځوابونه یې یوه شریک ته لېږل کېږي.
