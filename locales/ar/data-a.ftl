# Data handling (issue 17): the exposure guard's refusals.

console-reply-error-encoded-word = يحتوي الموضوع على كلمة مُرمَّزة (=?…?=). تفكّ برامج البريد ترميز هذه الكلمات وتعرض ما تخفيه، لذلك لا يجوز أن يحتوي الموضوع على أيٍّ منها. اكتب الموضوع نصاً عادياً.
