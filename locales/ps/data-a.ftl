# Data handling (issue 17): the exposure guard's refusals.

console-reply-error-encoded-word = موضوع کې یوه کوډ شوې کلمه (=?…?=) شته. د برېښنالیک پروګرامونه دا کلمې کوډ ماتوي او هغه څه ښيي چې پټ یې کړي دي، نو موضوع باید داسې کلمه ونه لري. موضوع په ساده متن ولیکئ.
