//! Name-like spans: the runs of capitalized words the exact pass left alone.
//!
//! A run is a sequence of capitalized word tokens, joined by name particles (`von`, `van`, `de`,
//! `al` ...) and by hyphens or apostrophes written without spaces (`Ungern-Sternberg`,
//! `O'Brien`). Tokens the exact pass covered, common capitalized words (see `stopwords.txt`:
//! function words, weekdays, months, titles, page noise such as "Advertising" or "Share") and
//! short all-capital acronyms end a run. A title right before a run (`Mr`, `President`) is noted,
//! because it says the run is a person.

use std::ops::Range;
use std::sync::OnceLock;

use super::table::{packed, packed_ascii_lowercase, PackedToken, Table};
use super::{is_known_given_name, Candidate};
use crate::gazetteer::AliasKind;
use crate::segment::{Segmented, Token, TokenKind};

const PARTICLES: &[&str] = &[
    "von", "van", "de", "der", "den", "da", "di", "du", "la", "le", "al", "el", "bin", "ibn",
    "ter", "ten", "del", "della", "dos", "das", "zu",
];

const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "president",
    "premier",
    "chancellor",
    "minister",
    "secretary",
    "ambassador",
    "sir",
    "madam",
    "senator",
    "governor",
    "mayor",
    "general",
    "colonel",
    "captain",
    "judge",
];

/// The stop words, packed (see [`packed`]): every one is ASCII and at most 15 bytes long.
fn stopwords() -> &'static Table<PackedToken, ()> {
    static WORDS: OnceLock<Table<PackedToken, ()>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words = Table::default();
        let listed = include_str!("stopwords.txt")
            .lines()
            .filter(|line| !line.starts_with('#'))
            .flat_map(str::split_whitespace);
        for word in listed {
            let key = packed(word).expect("stop words are at most 15 bytes long");
            words.insert(PackedToken::new(key), ());
        }
        words
    })
}

/// Whether a capitalized word is a common word, never a name by itself.
pub fn is_stopword(word: &str) -> bool {
    let key = match packed_ascii_lowercase(word.as_bytes(), 0, word.len()) {
        Some(key) => Some(key),
        // Too long or not ASCII: lower-cased by Unicode's rules first (the Kelvin sign is a k).
        None if word.is_ascii() => None,
        None => packed(&word.to_lowercase()),
    };
    key.is_some_and(|key| stopwords().get(PackedToken::new(key)).is_some())
}

/// Takes back from the exact pass every one-word alias match that a capitalized word stands
/// right before ("Aleksandr Lukashenko", "Viktor Lukashenko", "Richard Wagner"): the two words
/// are one name, and only the fuzzy pass can judge the given name against the entity's. For a
/// person alias any capitalized word counts as a given name; for any other alias (a demonym, an
/// organization, a state) only a known given name does ("Alena German", "Michael Jordan").
pub fn release_bare_names(text: &str, segmented: &Segmented, candidates: &mut Vec<Candidate>) {
    let tokens = &segmented.tokens;
    let mut covered = vec![false; tokens.len()];
    for candidate in candidates.iter() {
        covered[candidate.tokens.clone()].fill(true);
    }
    candidates.retain(|candidate| {
        let words = tokens[candidate.tokens.clone()]
            .iter()
            .filter(|t| t.kind == TokenKind::Word)
            .count();
        let first = candidate.tokens.start;
        let sentence_start = segmented.sentences[candidate.sentence].tokens.start;
        if words != 1
            || first == sentence_start
            || !tokens[first].space_before
            || covered[first - 1]
        {
            return true;
        }
        let before = tokens[first - 1];
        let word = before.text(text);
        let capitalized = before.kind == TokenKind::Word
            && word.chars().next().is_some_and(char::is_uppercase)
            && word.chars().any(char::is_lowercase)
            && !is_stopword(word);
        if !capitalized {
            return true;
        }
        let all_persons = candidate
            .choices
            .iter()
            .all(|c| c.facts.kind == AliasKind::Name && c.facts.person);
        !(all_persons || is_known_given_name(word))
    });
}

/// A run of capitalized words that no alias matched exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameSpan {
    pub start: usize,
    pub end: usize,
    pub tokens: Range<usize>,
    pub sentence: usize,
    /// A title (Mr, President ...) stands right before the span.
    pub titled: bool,
    /// The span starts its sentence (so its capital may be only the sentence's).
    pub sentence_initial: bool,
    /// The span stands in a headline-style line where every longer word is capitalized.
    pub headline: bool,
}

/// Whether every longer word of a sentence is capitalized, as in a headline (three at least).
fn title_case(text: &str, segmented: &Segmented, sentence: usize) -> bool {
    let mut longer_words = 0;
    for token in &segmented.tokens[segmented.sentences[sentence].tokens.clone()] {
        if token.kind == TokenKind::Word && token.end - token.start > 3 {
            if !token
                .text(text)
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
            {
                return false;
            }
            longer_words += 1;
        }
    }
    longer_words >= 3
}

/// Whether a word is a title (Mr, President ...), in any case.
fn is_title(word: &str) -> bool {
    if word.is_ascii() {
        TITLES.iter().any(|title| title.eq_ignore_ascii_case(word))
    } else {
        TITLES.contains(&word.to_lowercase().as_str())
    }
}

fn is_name_word(word: &str) -> bool {
    let bytes = word.as_bytes();
    if bytes.iter().all(u8::is_ascii) {
        // Most words: the same tests on bytes.
        let all_caps = !bytes.iter().any(u8::is_ascii_lowercase);
        return bytes.len() >= 2
            && bytes[0].is_ascii_uppercase()
            && !(all_caps && bytes.len() <= 4)
            && !is_stopword(word);
    }
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !first.is_uppercase() || word.chars().count() < 2 {
        return false;
    }
    !is_stopword(word)
}

/// Finds the name-like spans of a segmented text; `covered[i]` is true for tokens the exact pass
/// matched.
pub fn name_spans(text: &str, segmented: &Segmented, covered: &[bool]) -> Vec<NameSpan> {
    let tokens = &segmented.tokens;
    let bytes = text.as_bytes();
    let word = |i: usize| tokens[i].kind == TokenKind::Word && !covered[i];
    // Most words are lower-case ASCII: their first byte tells, before any slicing.
    let may_be_name = |token: &Token, covered: bool| {
        let first = bytes[token.start];
        token.kind == TokenKind::Word
            && !covered
            && (!first.is_ascii() || first.is_ascii_uppercase())
    };
    let name_at =
        |i: usize| may_be_name(&tokens[i], covered[i]) && is_name_word(tokens[i].text(text));
    let mut spans = Vec::new();
    for (sentence_index, sentence) in segmented.sentences.iter().enumerate() {
        let range = sentence.tokens.clone();
        let first_word = range.clone().find(|&i| tokens[i].kind == TokenKind::Word);
        // Asked only of sentences with a span.
        let mut headline = None;
        let mut i = range.start;
        while i < range.end {
            // The next word that may be a name, in one tight scan.
            let Some(ahead) = tokens[i..range.end]
                .iter()
                .zip(&covered[i..range.end])
                .position(|(token, &covered)| may_be_name(token, covered))
            else {
                break;
            };
            i += ahead;
            if !is_name_word(tokens[i].text(text)) {
                i += 1;
                continue;
            }
            let first = i;
            let mut last = i;
            let mut j = i + 1;
            while j < range.end {
                let token = tokens[j];
                let glue = token.kind == TokenKind::Punct
                    && matches!(token.text(text), "-" | "'" | "’")
                    && !token.space_before
                    && j + 1 < range.end
                    && !tokens[j + 1].space_before
                    && name_at(j + 1)
                    // a possessive 's is not part of a name
                    && !(token.text(text) != "-" && tokens[j + 1].text(text).len() <= 2);
                let particle = word(j)
                    && PARTICLES.contains(&token.text(text))
                    && j + 1 < range.end
                    && name_at(j + 1);
                if glue || particle {
                    last = j + 1;
                    j += 2;
                } else if name_at(j) {
                    last = j;
                    j += 1;
                } else {
                    break;
                }
            }
            let titled = first > range.start
                && tokens[first - 1].kind == TokenKind::Word
                && is_title(tokens[first - 1].text(text));
            let titled = titled
                || (first > range.start + 1
                    && tokens[first - 1].text(text) == "."
                    && is_title(tokens[first - 2].text(text)));
            let headline =
                *headline.get_or_insert_with(|| title_case(text, segmented, sentence_index));
            spans.push(NameSpan {
                start: tokens[first].start,
                end: tokens[last].end,
                tokens: first..last + 1,
                sentence: sentence_index,
                titled,
                sentence_initial: Some(first) == first_word,
                headline,
            });
            i = last + 1;
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::segment;

    fn spans(text: &str, covered_words: &[&str]) -> Vec<String> {
        let segmented = segment(text);
        let covered: Vec<bool> = segmented
            .tokens
            .iter()
            .map(|t| covered_words.contains(&t.text(text)))
            .collect();
        name_spans(text, &segmented, &covered)
            .iter()
            .map(|s| text[s.start..s.end].to_string())
            .collect()
    }

    #[test]
    fn runs_of_capitalized_words_with_particles_and_hyphens() {
        assert_eq!(
            spans("German ambassador Michael von Ungern-Sternberg met Sviatlana Tsikhanouskaya’s aides.", &[]),
            ["German", "Michael von Ungern-Sternberg", "Sviatlana Tsikhanouskaya"]
        );
    }

    #[test]
    fn common_words_titles_and_covered_tokens_are_not_names() {
        assert_eq!(
            spans(
                "However, on Saturday Mr Lukashenka met Putin. Advertising Share",
                &["Putin"]
            ),
            ["Lukashenka"]
        );
        let segmented = segment("Mr Lukashenka.");
        let found = name_spans("Mr Lukashenka.", &segmented, &[false, false, false]);
        assert!(found[0].titled);
    }

    #[test]
    fn acronyms_are_left_to_the_exact_pass() {
        assert_eq!(
            spans("The IST time and the OSCE said so.", &[]),
            Vec::<String>::new()
        );
    }
}
