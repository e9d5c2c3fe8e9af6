# Texts of the keyring branch: campaign pinning (what a bulk reply sends is fixed when
# it is prepared, and approved as shown).

## Staff console and administration
campaign-text-heading = The text it sends
campaign-text-intro = Exactly what this bulk reply sends, in each language, fixed when it was prepared. The words in braces are filled in for each person.
campaign-text-changed = This bulk reply cannot be approved: its template has changed since it was prepared (or it was prepared before Haven kept the text it sends). Nothing has been sent. Cancel it and prepare a new one.
campaign-flash-changed = Not approved: the template changed after this bulk reply was prepared. Nothing was sent.
campaign-text-fallback = People who use { $languages } get the text in { $default }.
