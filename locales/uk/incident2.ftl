# Тексти гілки incident2 (задача 20, пункти 2, 4, 5, 6).

## Консоль: сповіщення
incident2-notify-heading = Сповістити постраждалих людей
incident2-notify-intro = Одне повідомлення кожній людині, її мовою, саме на постраждалі звернення: кожен отримує його у своїй скриньці відповідей, а підтверджені адреси — ще й електронною поштою. Його надсилають лише після схвалення другим керівником.
incident2-ways = Як повідомили кожну людину
incident2-way-email = Лист надіслано (підтверджена адреса)
incident2-way-unconfirmed-notice = Надіслано нейтральне повідомлення (адресу не підтверджено)
incident2-way-pending = Ще не надіслано
incident2-way-failed = Лист не доставлено: лише скринька відповідей
incident2-way-inbox-only = Лише скринька відповідей
incident2-way-not-notified = Не сповіщено
incident2-state-pending = Чекає на схвалення
incident2-state-dispatched = Схвалено й надіслано
incident2-state-cancelled = Скасовано
incident2-unconfirmed-asked = запропоновано сповістити непідтверджені адреси
incident2-campaign-page = Сторінка масової відповіді
incident2-prepare-heading = Підготувати сповіщення
incident2-template = Шаблон
incident2-unconfirmed-ask = Також надіслати непідтвердженим адресам одне нейтральне повідомлення з посиланням на скриньку відповідей (лише якщо той, хто схвалює, теж це позначить)
incident2-prepare-button = Підготувати сповіщення
incident2-approve-heading = Схвалити сповіщення
incident2-approve-text = Текст усіма мовами
incident2-unconfirmed-approve = Погоджуюся: непідтверджені адреси отримають одне нейтральне повідомлення з посиланням на скриньку відповідей
incident2-approve-button = Схвалити й надіслати
incident2-problem-template = Виберіть шаблон зі списку.
incident2-problem-empty = Жодне з постраждалих звернень більше не зберігається: немає кого сповіщати.
incident2-problem-closed = Інцидент закрито.
incident2-problem-pending = Сповіщення щодо цього інциденту вже чекає на схвалення.
incident2-done-prepared = Сповіщення підготовлено. Його має схвалити другий керівник.
incident2-done-dispatched = Сповіщення схвалено, воно надсилається.
incident2-done-conflict = Хтось інший ухвалив рішення щодо цього сповіщення раніше.
incident2-done-changed = Шаблон змінився після підготовки: нічого не надіслано. Підготуйте сповіщення знову.
incident2-done-own = Ви підготували це сповіщення: його має схвалити другий керівник.

## Нейтральне повідомлення на непідтверджену адресу
incident2-neutral-subject = Повідомлення для вас
incident2-neutral-body = У вашій скриньці відповідей є нове повідомлення: { $inbox_url }. Відкрийте її за допомогою коду звернення і парольної фрази.

## Консоль: стримування і дії
incident2-contain-heading = Зупинити те, що ще надсилається
incident2-contain-intro = Призупинити, відновити або скасувати ще не надіслані повідомлення масової відповіді. Кожну дію записано в дії цього інциденту.
incident2-contain-what = Що зробити
incident2-contain-pause = Призупинити
incident2-contain-resume = Відновити
incident2-contain-cancel = Скасувати ще не надіслане
incident2-contain-button = Застосувати
incident2-emergency-button = Аварійна зупинка: затримати всю вихідну пошту
incident2-emergency-admin = Аварійна зупинка всієї вихідної пошти — на сторінці «Вихідна пошта» адміністраторів екземпляра.
incident2-done-contained = Зроблено й записано в дії цього інциденту.
incident2-done-unchanged = Нічого не змінилося (вже так або нічого зупиняти). Записано в дії цього інциденту.
incident2-done-reason = Вкажіть причину (її буде записано).
incident2-actions-heading = Дії
incident2-actions-none = Дій ще не записано.
incident2-col-action = Дія
