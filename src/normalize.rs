//! Folding text for matching: case, diacritics, typographic quotes and dashes.
//!
//! Folding works on one token at a time (see [`crate::segment`]), so it never has to keep an
//! offset map of its own: a folded token still knows its span in the original text. This module
//! owns *what* is folded; it never decides what matches.
//!
//! - `’ ‘ ʼ ´ \`` fold to `'`; `“ ” „ « »` to `"`; en and em dashes and the like to `-`;
//! - Latin diacritics are removed (`Łukaszenka` → `lukaszenka`, `Tsikhanoŭskaya` →
//!   `tsikhanouskaya`), including letters Unicode does not decompose (ł, ø, đ, ß, æ, œ, ı);
//! - case is folded to lower case by [`fold`], kept by [`fold_keep_case`].
//!
//! Other scripts (Cyrillic, Greek) keep their letters and only lose case and accents.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Lower-cased, diacritic-free, quote-folded form of `text`, for dictionary keys.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, true, &mut out);
    out
}

/// Like [`fold`] but keeps letter case, for case-sensitive aliases such as acronyms.
pub fn fold_keep_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, false, &mut out);
    out
}

/// Appends the folded form of `text` to `out`.
pub fn fold_into(text: &str, lower: bool, out: &mut String) {
    if text.is_ascii() {
        if lower {
            out.extend(text.bytes().map(|b| b.to_ascii_lowercase() as char));
        } else {
            out.push_str(text);
        }
        return;
    }
    for ch in text.chars() {
        if lower {
            for lowered in ch.to_lowercase() {
                fold_char(lowered, out);
            }
        } else {
            fold_char(ch, out);
        }
    }
}

fn fold_char(ch: char, out: &mut String) {
    if ch.is_ascii() {
        out.push(ch);
        return;
    }
    let replacement = match ch {
        '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{00B4}' | '\u{2032}' | '\u{201B}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' | '\u{2033}'
        | '\u{201F}' => "\"",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => "-",
        'ł' => "l",
        'Ł' => "L",
        'ø' => "o",
        'Ø' => "O",
        'đ' | 'ð' => "d",
        'Đ' | 'Ð' => "D",
        'ß' => "ss",
        'æ' => "ae",
        'Æ' => "AE",
        'œ' => "oe",
        'Œ' => "OE",
        'ı' => "i",
        'þ' => "th",
        'Þ' => "Th",
        _ => "",
    };
    if !replacement.is_empty() {
        out.push_str(replacement);
        return;
    }
    decompose_canonical(ch, |part| {
        if !is_combining_mark(part) {
            out.push(part);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_diacritics_and_quotes() {
        assert_eq!(fold("Łukaszenka"), "lukaszenka");
        assert_eq!(fold("Tsikhanoŭskaya"), "tsikhanouskaya");
        assert_eq!(fold("Linkevičius"), "linkevicius");
        assert_eq!(fold("Lukashenko’s"), "lukashenko's");
        assert_eq!(fold("“problems”"), "\"problems\"");
        assert_eq!(fold("Türkiye"), "turkiye");
        assert_eq!(fold("MOSCOW"), "moscow");
        assert_eq!(fold("Лукашэнка"), "лукашэнка");
        assert_eq!(fold("Straße"), "strasse");
    }

    #[test]
    fn keep_case_keeps_case() {
        assert_eq!(fold_keep_case("EU"), "EU");
        assert_eq!(fold_keep_case("Côte"), "Cote");
    }
}
