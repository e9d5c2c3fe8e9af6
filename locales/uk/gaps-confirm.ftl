## Confirmed contact addresses, the rest (issue 19, item 1).
gaps-confirm-remove-heading = Видалити адресу електронної пошти
gaps-confirm-remove-intro = Цій людині більше нічого не надсилатимуть електронною поштою. Відповіді чекатимуть у її скриньці. Нову адресу може дати лише сама людина.
gaps-confirm-reason = Чому
gaps-confirm-reason-person-asked = Людина про це попросила
gaps-confirm-reason-not-theirs = Це не її адреса
gaps-confirm-reason-unsafe = Електронна пошта для неї небезпечна
gaps-confirm-reason-bounced = Листи на неї не доходять
gaps-confirm-remove-submit = Видалити адресу
gaps-confirm-flash-removed = Адресу буде видалено протягом хвилини. На неї більше нічого не надсилається.
gaps-confirm-receipt-address = Адреса електронної пошти, яку ви дали: { $address }. Ми надсилаємо на неї лише код, доки ви не введете цей код у своїй скриньці.
