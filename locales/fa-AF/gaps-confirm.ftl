## Confirmed contact addresses, the rest (issue 19, item 1).
gaps-confirm-remove-heading = حذف آدرس ایمیل
gaps-confirm-remove-intro = دیگر هیچ چیزی به این شخص ایمیل نمی‌شود. پاسخ‌ها در صندوق او منتظر می‌مانند. فقط خود شخص می‌تواند آدرس تازه بدهد.
gaps-confirm-reason = چرا
gaps-confirm-reason-person-asked = خود شخص خواست
gaps-confirm-reason-not-theirs = این آدرس از او نیست
gaps-confirm-reason-unsafe = ایمیل برای او امن نیست
gaps-confirm-reason-bounced = پیام‌ها به آن نمی‌رسند
gaps-confirm-remove-submit = حذف آدرس
gaps-confirm-flash-removed = آدرس در یک دقیقه حذف می‌شود. دیگر هیچ چیزی به آن فرستاده نمی‌شود.
gaps-confirm-receipt-address = آدرس ایمیلی که دادید: { $address }. تا وقتی آن کود را در صندوق خود ننوشته‌اید، به آن جز یک کود چیزی نمی‌فرستیم.
