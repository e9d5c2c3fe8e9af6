//! Spelling aids for reading a code aloud over the phone: one word per symbol of the
//! codes' alphabet (`0-9`, and the letters `A-Z` without `I L O U`). Letters are
//! spelled with the caller's language's own spelling alphabet where one is in common
//! use for Latin letters (French), else with the ICAO/NATO alphabet; digits with the
//! number's name in the caller's language. Data only, kept small on purpose.

use crate::domain::Language;

const NATO: [(char, &str); 26] = [
    ('A', "Alfa"),
    ('B', "Bravo"),
    ('C', "Charlie"),
    ('D', "Delta"),
    ('E', "Echo"),
    ('F', "Foxtrot"),
    ('G', "Golf"),
    ('H', "Hotel"),
    ('I', "India"),
    ('J', "Juliett"),
    ('K', "Kilo"),
    ('L', "Lima"),
    ('M', "Mike"),
    ('N', "November"),
    ('O', "Oscar"),
    ('P', "Papa"),
    ('Q', "Quebec"),
    ('R', "Romeo"),
    ('S', "Sierra"),
    ('T', "Tango"),
    ('U', "Uniform"),
    ('V', "Victor"),
    ('W', "Whiskey"),
    ('X', "X-ray"),
    ('Y', "Yankee"),
    ('Z', "Zulu"),
];

/// The French spelling alphabet (the one French telephone operators used).
const FRENCH: [(char, &str); 26] = [
    ('A', "Anatole"),
    ('B', "Berthe"),
    ('C', "Célestin"),
    ('D', "Désiré"),
    ('E', "Eugène"),
    ('F', "François"),
    ('G', "Gaston"),
    ('H', "Henri"),
    ('I', "Irma"),
    ('J', "Joseph"),
    ('K', "Kléber"),
    ('L', "Louis"),
    ('M', "Marcel"),
    ('N', "Nicolas"),
    ('O', "Oscar"),
    ('P', "Pierre"),
    ('Q', "Quintal"),
    ('R', "Raoul"),
    ('S', "Suzanne"),
    ('T', "Thérèse"),
    ('U', "Ursule"),
    ('V', "Victor"),
    ('W', "William"),
    ('X', "Xavier"),
    ('Y', "Yvonne"),
    ('Z', "Zoé"),
];

fn digits(lang: Language) -> [&'static str; 10] {
    match lang {
        Language::En => [
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
        ],
        Language::Fr => [
            "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
        ],
        Language::Uk => [
            "нуль",
            "один",
            "два",
            "три",
            "чотири",
            "п'ять",
            "шість",
            "сім",
            "вісім",
            "дев'ять",
        ],
        Language::Ar => [
            "صفر",
            "واحد",
            "اثنان",
            "ثلاثة",
            "أربعة",
            "خمسة",
            "ستة",
            "سبعة",
            "ثمانية",
            "تسعة",
        ],
        Language::FaAf => [
            "صفر", "یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه",
        ],
        Language::Ps => [
            "صفر", "یو", "دوه", "درې", "څلور", "پنځه", "شپږ", "اووه", "اته", "نهه",
        ],
    }
}

/// The word that spells `c` to a caller speaking `lang` (`None` for a dash or
/// anything outside the codes' alphabet).
pub fn word(lang: Language, c: char) -> Option<&'static str> {
    let c = c.to_ascii_uppercase();
    if let Some(d) = c.to_digit(10) {
        return digits(lang).get(d as usize).copied();
    }
    let table: &[(char, &str)] = match lang {
        Language::Fr => &FRENCH,
        _ => &NATO,
    };
    table.iter().find(|(l, _)| *l == c).map(|(_, w)| *w)
}

/// Whether letters are spelled with a table of the caller's own language (else NATO).
pub fn has_own_letters(lang: Language) -> bool {
    lang == Language::Fr
}

/// A group of a code as (symbol, word) pairs.
pub fn spell(lang: Language, group: &str) -> Vec<(char, &'static str)> {
    group
        .chars()
        .filter_map(|c| word(lang, c).map(|w| (c, w)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_symbol_of_the_codes_has_a_word_in_every_language() {
        let alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        for lang in Language::ALL {
            for c in alphabet.chars() {
                assert!(word(lang, c).is_some(), "{lang:?} {c}");
            }
            assert_eq!(spell(lang, "A-1").len(), 2);
        }
        assert_eq!(word(Language::Fr, 'b'), Some("Berthe"));
        assert_eq!(word(Language::Ps, 'B'), Some("Bravo"));
        assert_eq!(word(Language::Ps, '3'), Some("درې"));
        assert!(has_own_letters(Language::Fr) && !has_own_letters(Language::Uk));
    }
}
