# Data handling (issue 17): the exposure guard's refusals.

console-reply-error-encoded-word = Тема містить закодоване слово (=?…?=). Поштові програми розкодовують такі слова й показують те, що в них приховано, тож у темі їх бути не може. Напишіть тему звичайним текстом.
