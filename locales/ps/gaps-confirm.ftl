## Confirmed contact addresses, the rest (issue 19, item 1).
gaps-confirm-remove-heading = د برېښنالیک پته لرې کول
gaps-confirm-remove-intro = دې کس ته به نور هېڅ برېښنالیک ونه لېږل شي. ځوابونه د هغه په صندوق کې پاتې کېږي. یوازې پخپله کس کولی شي نوې پته ورکړي.
gaps-confirm-reason = ولې
gaps-confirm-reason-person-asked = کس پخپله وغوښتل
gaps-confirm-reason-not-theirs = دا پته د هغه نه ده
gaps-confirm-reason-unsafe = برېښنالیک د هغه لپاره خوندي نه دی
gaps-confirm-reason-bounced = پیغامونه ورته نه رسېږي
gaps-confirm-remove-submit = پته لرې کړئ
gaps-confirm-flash-removed = پته به په یوه دقیقه کې لرې شي. نور هېڅ شی ورته نه لېږل کېږي.
gaps-confirm-receipt-address = هغه برېښنالیک پته چې تاسو ورکړه: { $address }. تر هغې چې تاسو دا کوډ په خپل صندوق کې ونه لیکئ، موږ ورته له یوه کوډ پرته هېڅ نه لېږو.
