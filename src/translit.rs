//! Transliteration keys: one spelling for the many romanizations of a Slavic name.
//!
//! News spells Лукашэнка as Lukashenko, Lukashenka, Łukaszenka and Lukaschenko, and
//! Ціханоўская as Tsikhanouskaya, Tikhanovskaya and Tichanowska. [`name_key`] maps one token to a
//! key in which the differences that come from transliteration are gone, so that string
//! similarity (in [`crate::matcher`]) measures only what is really different:
//!
//! - Cyrillic (Russian, Belarusian, Ukrainian letters) is romanized first;
//! - Latin diacritics go, with the digraph they stand for (`š` → `sh`, `ž` → `zh`, `ł` → `l`);
//! - sibilants and gutturals merge: `sch`, `sz`, `shch` → `sh`; `kh`, `ch`, `cz`, `tsch`, `g` → `h`;
//! - `ts`, `tz` → `c`; `x` → `ks`; `w` → `v`; `j`, `y` → `i`; `ph` → `f`; `ck`, `q` → `k`;
//! - `ou` → `ov` (Belarusian `ў`) and every `o` → `a` (Belarusian writes unstressed o as a:
//!   Kolesnikova / Kalesnikava, Latushko / Latushka, -enko / -enka);
//! - doubled letters collapse; the feminine endings `-skaya` / `-skaja` / `-ska` become `-ska`, and
//!   the Belarusian masculine `-au` becomes `-av`.
//!
//! French romanizations (Poutine, Loukachenko) read some of these letters otherwise; a token
//! spelt so has a second reading, [`french_reading`].
//!
//! Keys are for comparison only: never shown, never stored in output. The masculine and feminine
//! forms of one surname keep different keys (`-ski` / `-ska`, `-av` / `-ava`), so relatives are
//! not merged by the key alone.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Romanization of one lower-case Cyrillic letter (None: not Cyrillic).
fn cyrillic(ch: char) -> Option<&'static str> {
    Some(match ch {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "h",
        'ґ' => "g",
        'д' => "d",
        'е' => "e",
        'ё' => "yo",
        'є' => "ye",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'і' => "i",
        'ї' => "yi",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ў' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'э' => "e",
        'ю' => "yu",
        'я' => "ya",
        _ => return None,
    })
}

/// Whether a token is written (at least partly) in Cyrillic.
pub fn is_cyrillic(text: &str) -> bool {
    text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
}

/// Romanizes and strips diacritics: plain lower-case ASCII letters and digits.
fn romanize(token: &str) -> String {
    let mut out = String::with_capacity(token.len() + 4);
    if token.bytes().all(|b| b.is_ascii_alphanumeric()) {
        out.extend(token.bytes().map(|b| b.to_ascii_lowercase() as char));
        return out;
    }
    for ch in token.chars().flat_map(char::to_lowercase) {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
            continue;
        }
        if let Some(latin) = cyrillic(ch) {
            out.push_str(latin);
            continue;
        }
        let special = match ch {
            'š' | 'ș' | 'ş' => "sh",
            'ž' | 'ż' => "zh",
            'č' => "ch",
            'ł' => "l",
            'ŭ' => "u",
            'ß' => "ss",
            'ø' => "o",
            'æ' => "ae",
            'œ' => "oe",
            'đ' => "d",
            'ı' => "i",
            _ => "",
        };
        if !special.is_empty() {
            out.push_str(special);
            continue;
        }
        decompose_canonical(ch, |part| {
            if part.is_ascii_alphanumeric() && !is_combining_mark(part) {
                out.push(part);
            }
        });
    }
    out
}

/// Rewrite rules, tried in order at each position (first match wins).
const RULES: &[(&str, &str)] = &[
    ("tsch", "h"),
    ("shch", "sh"),
    ("sch", "sh"),
    ("sz", "sh"),
    ("cz", "h"),
    ("kh", "h"),
    ("ch", "h"),
    ("ts", "c"),
    ("tz", "c"),
    ("ph", "f"),
    ("ck", "k"),
    ("ou", "av"),
    ("g", "h"),
    ("x", "ks"),
    ("w", "v"),
    ("q", "k"),
    ("j", "i"),
    ("y", "i"),
    ("o", "a"),
];

/// Which bytes begin a rule in [`RULES`]: every other byte is copied without trying them.
const RULE_STARTS: [bool; 256] = {
    let mut starts = [false; 256];
    let mut i = 0;
    while i < RULES.len() {
        starts[RULES[i].0.as_bytes()[0] as usize] = true;
        i += 1;
    }
    starts
};

/// A name token romanized the French way, spelt the English way: `ou` for u (Poutine), `ch`
/// for sh (Loukachenko), `tch` for ch (Gorbatchev) and `-ine` for -in. None when the token has
/// neither `ou` nor `ch`, the marks of that romanization.
///
/// The key maps `ou` to `ov` for the Belarusian `ў` (Tsikhanouskaya), which French spellings
/// read as u: so a French spelling is a second reading, tried when the first finds nothing.
pub fn french_reading(token: &str) -> Option<String> {
    let romanized = romanize(token);
    if !romanized.contains("ou") && !romanized.contains("ch") {
        return None;
    }
    let bytes = romanized.as_bytes();
    let mut english = String::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let rest = &bytes[at..];
        let (written, read) = if rest.starts_with(b"tch") {
            (3, "ch")
        } else if rest.starts_with(b"ch") {
            (2, "sh")
        } else if rest.starts_with(b"ou") {
            (2, "u")
        } else {
            (1, "")
        };
        if read.is_empty() {
            english.push(char::from(bytes[at]));
        } else {
            english.push_str(read);
        }
        at += written;
    }
    if english.len() > 5 && english.ends_with("ine") {
        english.pop();
    }
    Some(english)
}

/// The transliteration key of one name token (see the module documentation).
pub fn name_key(token: &str) -> String {
    let mut key = String::new();
    name_key_into(token, &mut key);
    key
}

/// Appends [`name_key`] of `token` to `out` (a gazetteer's million aliases are keyed word by
/// word into one text, with no allocation per key).
pub fn name_key_into(token: &str, out: &mut String) {
    // Most tokens are short plain ASCII: lower-cased on the stack instead of romanized.
    const SHORT: usize = 32;
    if token.len() <= SHORT && token.bytes().all(|b| b.is_ascii_alphanumeric()) {
        let mut lower = [0u8; SHORT];
        for (to, from) in lower.iter_mut().zip(token.bytes()) {
            *to = from.to_ascii_lowercase();
        }
        return key_of_romanized_into(&lower[..token.len()], out);
    }
    key_of_romanized_into(romanize(token).as_bytes(), out);
}

/// [`name_key`] of a token already romanized (lower-case ASCII letters and digits).
#[cfg(test)]
fn key_of_romanized(bytes: &[u8]) -> String {
    let mut key = String::new();
    key_of_romanized_into(bytes, &mut key);
    key
}

/// Appends [`key_of_romanized`] of `bytes` to `out`.
fn key_of_romanized_into(bytes: &[u8], out: &mut String) {
    // The romanized text and every rule's output are ASCII: each byte is a char.
    let from_byte = out.len();
    out.reserve(bytes.len() + 2);
    // Doubled letters collapse as the rewritten letters are appended (within this key only).
    let mut push = |byte: u8| {
        if out.len() == from_byte || out.as_bytes().last() != Some(&byte) || byte.is_ascii_digit() {
            out.push(char::from(byte));
        }
    };
    let mut at = 0;
    'outer: while at < bytes.len() {
        let byte = bytes[at];
        if !RULE_STARTS[byte as usize] {
            push(byte);
            at += 1;
            continue;
        }
        for (from, to) in RULES {
            let from = from.as_bytes();
            if from[0] == byte && bytes[at..].starts_with(from) {
                to.bytes().for_each(&mut push);
                at += from.len();
                continue 'outer;
            }
        }
        push(byte);
        at += 1;
    }
    let key = &out[from_byte..];
    if key.ends_with("skaia") {
        // -skaia → -ska
        out.truncate(out.len() - 2);
    } else if key.len() > 4 && key.ends_with("au") {
        // -au → -av
        out.pop();
        out.push('v');
    }
}

/// The grammatical gender a surname's ending shows, when it shows one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Feminine,
    Masculine,
}

/// Gender of a surname key, from Slavic endings (-ava / -av, -ska / -ski, -ina / -in).
pub fn surname_gender(key: &str) -> Option<Gender> {
    const FEMININE: &[&str] = &["ava", "eva", "ina", "ska", "aia", "cka"];
    const MASCULINE: &[&str] = &["av", "ev", "in", "ski", "ii", "cki"];
    if key.len() < 4 {
        return None;
    }
    if FEMININE.iter().any(|e| key.ends_with(e)) {
        Some(Gender::Feminine)
    } else if MASCULINE.iter().any(|e| key.ends_with(e)) {
        Some(Gender::Masculine)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) {
        assert_eq!(name_key(a), name_key(b), "{a} / {b}");
    }

    /// Appending a key after other text gives the key alone after it: no doubled letter
    /// collapses across the boundary, and the endings are the key's own.
    #[test]
    fn keys_appended_to_a_text_are_the_keys_alone() {
        for token in [
            "Aaron",
            "Au",
            "au",
            "Kau",
            "Tsikhanouskaya",
            "Kaskaia",
            "1",
            "Łukaszenka",
            "Лукашэнка",
            "",
            "’",
        ] {
            for before in ["", "a", "sk", "xa", "1"] {
                let mut out = before.to_string();
                name_key_into(token, &mut out);
                assert_eq!(
                    out,
                    format!("{before}{}", name_key(token)),
                    "{before:?} + {token:?}"
                );
            }
        }
    }

    #[test]
    fn the_short_ascii_path_gives_the_romanized_key() {
        let tokens = [
            "Lukashenko",
            "TSCHAIKOWSKI",
            "Kalesnikava",
            "Shchedrin",
            "Qux7Xylophone",
            "Tsikhanouskaya",
            "Ooo",
            "A",
            "",
        ];
        let long = "Tsikhanouskaya".repeat(3);
        for token in tokens
            .iter()
            .copied()
            .chain([long.as_str(), &long[..32], &long[..33]])
        {
            assert_eq!(
                name_key(token),
                key_of_romanized(romanize(token).as_bytes()),
                "{token}"
            );
        }
        // Rules at every position, each rule's start byte against the full table.
        for (from, to) in RULES {
            assert_eq!(
                key_of_romanized(format!("e{from}").as_bytes()),
                format!("e{to}")
            );
        }
    }

    #[test]
    fn romanizations_of_one_name_share_a_key() {
        for variant in [
            "Lukashenka",
            "Łukaszenka",
            "Lukaschenko",
            "Лукашэнка",
            "Лукашенко",
            "LUKASHENKO",
        ] {
            same("Lukashenko", variant);
        }
        for variant in ["Tsikhanovskaya", "Ціханоўская", "Tsikhanouskaja"] {
            same("Tsikhanouskaya", variant);
        }
        same("Tikhanovskaya", "Tichanowska");
        same("Kolesnikova", "Kalesnikava");
        same("Latushko", "Latushka");
        same("Aliaksandr", "Alyaksandr");
        same("Sviatlana", "Sviatłana");
        same("Taraikovsky", "Taraikovskiy");
        same("Taraikovsky", "Taraikouski");
        same("Путин", "Putin");
    }

    #[test]
    fn different_names_keep_different_keys() {
        assert_ne!(name_key("Prussia"), name_key("Russia"));
        assert_ne!(name_key("Niger"), name_key("Nigeria"));
        assert_ne!(name_key("Tsikhanouski"), name_key("Tsikhanouskaya"));
        assert_ne!(name_key("Ivanov"), name_key("Ivanova"));
    }

    #[test]
    fn gender_shows_in_slavic_surname_endings() {
        assert_eq!(
            surname_gender(&name_key("Kolesnikova")),
            Some(Gender::Feminine)
        );
        assert_eq!(
            surname_gender(&name_key("Tsikhanouskaya")),
            Some(Gender::Feminine)
        );
        assert_eq!(
            surname_gender(&name_key("Tsikhanouski")),
            Some(Gender::Masculine)
        );
        assert_eq!(surname_gender(&name_key("Ivanov")), Some(Gender::Masculine));
        assert_eq!(surname_gender(&name_key("Lukashenko")), None);
    }

    #[test]
    fn french_spellings_read_the_english_way() {
        for (french, english) in [
            ("Poutine", "putin"),
            ("Loukachenko", "lukashenko"),
            ("Gorbatchev", "gorbachev"),
            ("Khrouchtchev", "khrushchev"),
            ("Tsikhanouskaïa", "tsikhanuskaia"),
        ] {
            assert_eq!(french_reading(french).as_deref(), Some(english), "{french}");
        }
        // No `ou`, no `ch`: no French reading to try.
        assert_eq!(french_reading("Putin"), None);
        assert_eq!(french_reading("Kolesnikova"), None);
        // The reading keys like the English spelling; the first reading does not.
        assert_eq!(
            name_key(&french_reading("Poutine").unwrap()),
            name_key("Putin")
        );
        assert_ne!(name_key("Poutine"), name_key("Putin"));
    }
}
