# Texts of the keyring branch: campaign pinning (what a bulk reply sends is fixed when
# it is prepared, and approved as shown).

## Staff console and administration
campaign-text-heading = النص الذي يُرسَل
campaign-text-intro = ما يرسله هذا الرد الجماعي بالضبط، بكل لغة، كما ثُبّت عند تحضيره. الكلمات بين الأقواس المعقوفة تُملأ لكل شخص.
campaign-text-changed = لا يمكن الموافقة على هذا الرد الجماعي: تغيّر قالبه بعد تحضيره (أو حُضّر قبل أن يحتفظ Haven بالنص الذي يرسله). لم يُرسَل أي شيء. ألغِه وحضّر ردًا جديدًا.
campaign-flash-changed = لم تتم الموافقة: تغيّر القالب بعد تحضير هذا الرد الجماعي. لم يُرسَل أي شيء.
campaign-text-fallback = يتلقى من يستخدمون { $languages } النص باللغة { $default }.
