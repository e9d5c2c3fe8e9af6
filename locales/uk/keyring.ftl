# Texts of the keyring branch: campaign pinning (what a bulk reply sends is fixed when
# it is prepared, and approved as shown).

## Staff console and administration
campaign-text-heading = Текст, який буде надіслано
campaign-text-intro = Саме те, що надсилає ця масова відповідь, кожною мовою, зафіксоване під час її підготовки. Слова у фігурних дужках заповнюються для кожної людини.
campaign-text-changed = Цю масову відповідь не можна схвалити: її шаблон змінився після підготовки (або її підготовлено до того, як Haven почав зберігати текст, що надсилається). Нічого не надіслано. Скасуйте її та підготуйте нову.
campaign-flash-changed = Не схвалено: шаблон змінився після підготовки цієї масової відповіді. Нічого не надіслано.
campaign-text-fallback = Люди, які користуються мовою { $languages }, отримують текст мовою { $default }.
