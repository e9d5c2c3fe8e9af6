# Texts of the keyring branch: campaign pinning (what a bulk reply sends is fixed when
# it is prepared, and approved as shown).

## Staff console and administration
campaign-text-heading = هغه متن چې لېږل کېږي
campaign-text-intro = دقیقاً هغه څه چې دا ډله‌ییز ځواب په هره ژبه لېږي، چې د چمتو کولو پر مهال ثابت شوی. په قوسونو کې کلمې د هر کس لپاره ډکېږي.
campaign-text-changed = دا ډله‌ییز ځواب نه شي تایید کېدای: کينډۍ یې له چمتو کېدو وروسته بدله شوې (یا مخکې له دې چمتو شوی چې Haven لېږل شوی متن وساتي). هېڅ شی نه دی لېږل شوی. لغوه یې کړئ او یو نوی چمتو کړئ.
campaign-flash-changed = تایید نه شو: کينډۍ د دې ډله‌ییز ځواب له چمتو کېدو وروسته بدله شوې. هېڅ شی ونه لېږل شو.
campaign-text-fallback = هغه کسان چې { $languages } کاروي، متن په { $default } ترلاسه کوي.
