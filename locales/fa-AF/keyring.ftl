# Texts of the keyring branch: campaign pinning (what a bulk reply sends is fixed when
# it is prepared, and approved as shown).

## Staff console and administration
campaign-text-heading = متنی که فرستاده می‌شود
campaign-text-intro = دقیقاً همان چیزی که این پاسخ گروهی به هر زبان می‌فرستد، که هنگام آماده‌سازی ثابت شده است. کلمه‌های داخل آکولاد برای هر شخص پر می‌شوند.
campaign-text-changed = این پاسخ گروهی را نمی‌توان تأیید کرد: قالب آن پس از آماده‌سازی تغییر کرده است (یا پیش از آن آماده شده که Haven متن ارسالی را نگه دارد). هیچ چیزی فرستاده نشده است. آن را لغو کنید و یک پاسخ گروهی تازه آماده کنید.
campaign-flash-changed = تأیید نشد: قالب پس از آماده‌سازی این پاسخ گروهی تغییر کرده است. هیچ چیزی فرستاده نشد.
campaign-text-fallback = کسانی که از { $languages } استفاده می‌کنند، متن را به { $default } دریافت می‌کنند.
