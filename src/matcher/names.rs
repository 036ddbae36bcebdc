//! Name-like spans: the runs of capitalized words the exact pass left alone.
//!
//! A run is a sequence of capitalized word tokens, joined by name particles (`von`, `van`, `de`,
//! `al` ...) and by hyphens or apostrophes written without spaces (`Ungern-Sternberg`,
//! `O'Brien`). Tokens the exact pass covered, common capitalized words (see `stopwords.txt`:
//! function words, weekdays, months, titles, page noise such as "Advertising" or "Share") and
//! short all-capital acronyms end a run. Initials written with a full stop and a space after
//! it belong to the run they stand before (`V. Putin`, `Vladimir V. Putin`); letters with dots
//! and no space (`D.C.`, `U.S.`) are abbreviations, not initials. A title right before a run
//! (`Mr`, `President`) is noted, because it says the run is a person.

use std::ops::Range;
use std::sync::OnceLock;

use super::table::{packed, packed_ascii_lowercase, packed_at, PackedToken, Table};
use super::{is_known_given_name, Candidate};
use crate::gazetteer::{AliasKind, EntityType};
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

/// Each word of a list of short words, [`packed`]: a word of the text is looked for among them
/// as one number, with no string compared. Every word must be at most 15 bytes long.
const fn packed_list<const N: usize>(words: &[&str]) -> [u128; N] {
    let mut keys = [0; N];
    let mut i = 0;
    while i < N {
        keys[i] = match packed(words[i]) {
            Some(key) => key,
            None => panic!("a listed word is at most 15 bytes long"),
        };
        i += 1;
    }
    keys
}

const PARTICLE_KEYS: [u128; PARTICLES.len()] = packed_list(PARTICLES);
const TITLE_KEYS: [u128; TITLES.len()] = packed_list(TITLES);

/// Whether the token `text[token.start..token.end]` is a name particle, as written.
fn is_particle(text: &str, token: &Token) -> bool {
    packed_at(text.as_bytes(), token.start, token.end)
        .is_some_and(|key| PARTICLE_KEYS.contains(&key))
}

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
    is_stopword_in(word, 0, word.len())
}

/// Whether an alias is a common capitalized word and so, like any such word, never a name: one
/// word of a name alias of a person, place or state that is a stop word ("Some", "Prime"; large
/// imported gazetteers hold places so named) and no acronym (those match only in capitals).
/// Organizations keep theirs: news agencies and platforms ("Reuters", "Twitter") are stop words
/// as page noise and named as sources all the same. `entity_type` is asked only of a stop word.
pub fn is_common_word_alias(
    text: &str,
    kind: AliasKind,
    entity_type: impl FnOnce() -> EntityType,
) -> bool {
    kind == AliasKind::Name
        && !text.contains(char::is_whitespace)
        && is_stopword(text)
        && !super::is_acronym(text)
        && entity_type() != EntityType::Organization
}

/// [`is_stopword`] of the word `text[start..end]`. Reading it in place lets a short ASCII word
/// be loaded as one 16-byte word of the text (a word cut out of it would be copied first).
fn is_stopword_in(text: &str, start: usize, end: usize) -> bool {
    let key = match packed_ascii_lowercase(text.as_bytes(), start, end) {
        Some(key) => Some(key),
        None => {
            let word = &text[start..end];
            // Too long or not ASCII: lower-cased by Unicode's rules first (the Kelvin sign is
            // a k).
            if word.is_ascii() {
                None
            } else {
                packed(&word.to_lowercase())
            }
        }
    };
    key.is_some_and(|key| stopwords().get(PackedToken::new(key)).is_some())
}

/// Takes back from the exact pass every one-word alias match that is only part of a longer
/// name, so that the fuzzy pass judges the whole name.
///
/// A capitalized word right before the alias ("Aleksandr Lukashenko", "Viktor Lukashenko",
/// "Richard Wagner"): for a person alias any capitalized word counts as a given name; for any
/// other alias (a demonym, an organization, a state), and in a headline, where verbs are
/// capitalized too ("Putin Backs Lukashenko"), only a known given name does ("Alena German",
/// "Michael Jordan"). Initials before a person alias count as given names too ("V.
/// Putin", "Vladimir V. Putin"): the fuzzy pass holds them against the entity's given names ("V.
/// Lukashenko" is not Alexander).
///
/// A Roman numeral in capitals right after a capitalized word ("Louis XI", "Pope Pius XI") is
/// that name's regnal number, not an alias written in capitals ("XI" is not Xi). The case check
/// already refuses it in plain sentences; this is for lines where every longer word is
/// capitalized, as in a headline, where capitals count for nothing.
///
/// A capitalized word right after the name of a state or place, one no alias matched: the two
/// words are someone's or something's name, not the place ("Jordan Bardella", "Paris Hilton",
/// "Washington Post", "Georgia Tech"). Titles, weekdays and other common capitalized words do
/// not count ("Minsk Sunday", "Belarus President Lukashenko"), and neither does a headline,
/// where every longer word is capitalized anyway. These are returned: when the words after
/// the place name someone the fuzzy pass knows ("in Minsk Łukaszenka spoke"), the place was a
/// place after all.
pub fn release_bare_names(
    text: &str,
    segmented: &Segmented,
    candidates: &mut Vec<Candidate>,
) -> Vec<Candidate> {
    let tokens = &segmented.tokens;
    let mut covered = vec![false; tokens.len()];
    for candidate in candidates.iter() {
        covered[candidate.tokens.clone()].fill(true);
    }
    let mut places = Vec::new();
    candidates.retain(|candidate| {
        let words = tokens[candidate.tokens.clone()]
            .iter()
            .filter(|t| t.kind == TokenKind::Word)
            .count();
        if words != 1
            || given_name_before(text, segmented, &covered, candidate)
            || regnal_number_after_name(text, segmented, candidate)
        {
            return words != 1;
        }
        if name_word_after_place(text, segmented, &covered, candidate) {
            places.push(candidate.clone());
            return false;
        }
        true
    });
    places
}

/// Whether a one-word candidate follows a given name or initials of the same name (see
/// [`release_bare_names`]).
fn given_name_before(
    text: &str,
    segmented: &Segmented,
    covered: &[bool],
    candidate: &Candidate,
) -> bool {
    let tokens = &segmented.tokens;
    let first = candidate.tokens.start;
    let sentence_range = &segmented.sentences[candidate.sentence].tokens;
    let Some(before) = token_before(segmented, candidate).filter(|&b| !covered[b]) else {
        return false;
    };
    let all_persons = || {
        candidate
            .choices
            .iter()
            .all(|c| c.facts.kind == AliasKind::Name && c.facts.person())
    };
    let sentence = Sentence::new(text, tokens, covered, sentence_range);
    if sentence.initials_end_at(first) {
        // "V. Putin", "Vladimir V. Putin": the initials are the person's given names.
        return all_persons();
    }
    let before = &tokens[before];
    // In a headline every longer word is capitalized, verbs too ("Putin Backs Lukashenko"):
    // there only a known given name is one.
    is_written_as_name(text, before)
        && (is_known_given_name(before.text(text))
            || (all_persons() && !title_case(text, segmented, candidate.sentence)))
}

/// Whether a one-word candidate is a Roman numeral in capitals that its alias does not write so,
/// right after a capitalized word of the same sentence (see [`release_bare_names`]).
fn regnal_number_after_name(text: &str, segmented: &Segmented, candidate: &Candidate) -> bool {
    let tokens = &segmented.tokens;
    let word = tokens[candidate.tokens.start].text(text);
    let numeral = word.len() >= 2 && word.bytes().all(|b| b"IVXLCDM".contains(&b));
    // An alias written so keeps its match: "ICC" stays the court.
    let written_otherwise = candidate.choices.iter().all(|c| !c.verbatim);
    numeral
        && written_otherwise
        && token_before(segmented, candidate).is_some_and(|b| is_written_as_name(text, &tokens[b]))
}

/// The token right before a candidate, when it is in the same sentence with a space between.
fn token_before(segmented: &Segmented, candidate: &Candidate) -> Option<usize> {
    let first = candidate.tokens.start;
    let starts_sentence = first == segmented.sentences[candidate.sentence].tokens.start;
    (!starts_sentence && segmented.tokens[first].space_before).then(|| first - 1)
}

/// The token right after a candidate, when it is in the same sentence with a space between.
fn token_after(segmented: &Segmented, candidate: &Candidate) -> Option<usize> {
    let next = candidate.tokens.end;
    let in_sentence = next < segmented.sentences[candidate.sentence].tokens.end;
    (in_sentence && segmented.tokens[next].space_before).then_some(next)
}

/// Whether a one-word candidate naming only states or places stands right before a capitalized
/// word of another name (see [`release_bare_names`]).
fn name_word_after_place(
    text: &str,
    segmented: &Segmented,
    covered: &[bool],
    candidate: &Candidate,
) -> bool {
    let Some(next) = token_after(segmented, candidate).filter(|&n| !covered[n]) else {
        return false;
    };
    let places_only = candidate.choices.iter().all(|c| {
        c.facts.kind == AliasKind::Name
            && matches!(c.facts.entity_type, EntityType::State | EntityType::Place)
    });
    let after = &segmented.tokens[next];
    places_only
        && is_written_as_name(text, after)
        && !is_title_at(text, after)
        && !title_case(text, segmented, candidate.sentence)
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

/// [`is_title`] of the token `text[token.start..token.end]`, read in place.
fn is_title_at(text: &str, token: &Token) -> bool {
    match packed_ascii_lowercase(text.as_bytes(), token.start, token.end) {
        Some(key) => TITLE_KEYS.contains(&key),
        // Not ASCII, or longer than any title.
        None => is_title(token.text(text)),
    }
}

/// Whether the word token `text[token.start..token.end]` may be (part of) a name.
fn is_name_word(text: &str, token: &Token) -> bool {
    let word = token.text(text);
    let bytes = word.as_bytes();
    if bytes.iter().all(u8::is_ascii) {
        // Most words: the same tests on bytes.
        let all_caps = !bytes.iter().any(u8::is_ascii_lowercase);
        return bytes.len() >= 2
            && bytes[0].is_ascii_uppercase()
            && !(all_caps && bytes.len() <= 4)
            && !is_stopword_in(text, token.start, token.end);
    }
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !first.is_uppercase() || word.chars().count() < 2 {
        return false;
    }
    !is_stopword_in(text, token.start, token.end)
}

/// Whether a token is a word written as a name is, capitalized with lower-case letters after
/// ("Viktor", "Bardella"; not "NATO", "Sunday" or a stop word): the word a one-word alias
/// stands beside when [`release_bare_names`] takes it back.
fn is_written_as_name(text: &str, token: &Token) -> bool {
    token.kind == TokenKind::Word
        && is_name_word(text, token)
        && token.text(text).chars().any(char::is_lowercase)
}

/// Whether a word token that is not covered may start or continue a name, by its first byte
/// alone (most words are lower-case ASCII, and tell before any slicing).
fn may_be_name(bytes: &[u8], token: &Token, covered: bool) -> bool {
    let first = bytes[token.start];
    token.kind == TokenKind::Word && !covered && (!first.is_ascii() || first.is_ascii_uppercase())
}

/// At most this many initials in a row stand before a name (`J. R. R. Tolkien`).
const MAX_INITIALS: usize = 3;

/// Whether a token may be one capital letter, by its length and first byte alone: most tokens
/// asked about are longer words or lower case, and are told without decoding.
#[inline(always)]
fn may_be_initial(bytes: &[u8], token: &Token) -> bool {
    let first = bytes[token.start];
    match token.end - token.start {
        1 => first.is_ascii_uppercase(),
        2..=4 => first >= 0xC0,
        _ => false,
    }
}

/// One sentence of a text as the rules for initials read it: its tokens `range`, and which
/// tokens the exact pass covered.
#[derive(Clone, Copy)]
struct Sentence<'a> {
    text: &'a str,
    tokens: &'a [Token],
    covered: &'a [bool],
    range: &'a Range<usize>,
}

impl<'a> Sentence<'a> {
    fn new(
        text: &'a str,
        tokens: &'a [Token],
        covered: &'a [bool],
        range: &'a Range<usize>,
    ) -> Self {
        Sentence {
            text,
            tokens,
            covered,
            range,
        }
    }

    /// The token after the initial at token `i`, or None when `i` is no initial: one capital
    /// letter not covered by the exact pass, with white space or the sentence's start before it
    /// (not a letter or full stop: `D.C.`), a full stop written right after it, and white space
    /// after that.
    #[inline(always)]
    fn after_initial(self, i: usize) -> Option<usize> {
        if !may_be_initial(self.text.as_bytes(), &self.tokens[i]) {
            return None;
        }
        self.after_initial_letter(i)
    }

    /// [`Sentence::after_initial`] for a token [`may_be_initial`] let through.
    #[inline(never)]
    fn after_initial_letter(self, i: usize) -> Option<usize> {
        let (text, tokens, covered) = (self.text, self.tokens, self.covered);
        let token = &tokens[i];
        let (dot, next) = (i + 1, i + 2);
        if token.kind != TokenKind::Word || next >= self.range.end || covered[i] || covered[dot] {
            return None;
        }
        let mut letters = token.text(text).chars();
        let one_capital =
            letters.next().is_some_and(char::is_uppercase) && letters.next().is_none();
        let free_before = i == self.range.start
            || token.space_before
            || !(tokens[i - 1].kind == TokenKind::Word || tokens[i - 1].text(text) == ".");
        let full_stop = tokens[dot].kind == TokenKind::Punct
            && !tokens[dot].space_before
            && tokens[dot].text(text) == ".";
        (one_capital && free_before && full_stop && tokens[next].space_before).then_some(next)
    }

    /// The name word after the initials that start at token `i` (`Putin` after `V.`), or None
    /// when no initial starts there or no name word follows them.
    fn initials_before_name(self, i: usize) -> Option<usize> {
        let mut name = i;
        for _ in 0..MAX_INITIALS {
            match self.after_initial(name) {
                Some(next) => name = next,
                None => break,
            }
        }
        (name != i
            && name < self.range.end
            && may_be_name(self.text.as_bytes(), &self.tokens[name], self.covered[name])
            && is_name_word(self.text, &self.tokens[name]))
        .then_some(name)
    }

    /// Whether a name-like span may start at token `i`: a name word, or initials before one.
    fn starts_name(self, i: usize) -> bool {
        may_be_name(self.text.as_bytes(), &self.tokens[i], self.covered[i])
            && (is_name_word(self.text, &self.tokens[i]) || self.initials_before_name(i).is_some())
    }

    /// Whether the initials just before token `first` end right there (`V.` before `Putin`).
    fn initials_end_at(self, first: usize) -> bool {
        first >= self.range.start + 2 && self.after_initial(first - 2) == Some(first)
    }
}

/// The last token of the name-like span whose first name word is `first`, in the sentence
/// of tokens `range`: capitalized words, joined by particles and by hyphens or apostrophes
/// written without spaces.
fn span_end(
    text: &str,
    tokens: &[Token],
    covered: &[bool],
    range: Range<usize>,
    first: usize,
) -> usize {
    let bytes = text.as_bytes();
    let word = |i: usize| tokens[i].kind == TokenKind::Word && !covered[i];
    let name_at =
        |i: usize| may_be_name(bytes, &tokens[i], covered[i]) && is_name_word(text, &tokens[i]);
    let in_sentence = Sentence::new(text, tokens, covered, &range);
    let mut last = first;
    let mut j = first + 1;
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
        let particle = word(j) && is_particle(text, &token) && j + 1 < range.end && name_at(j + 1);
        if glue || particle {
            last = j + 1;
            j += 2;
        } else if name_at(j) {
            last = j;
            j += 1;
        } else if let Some(name) = in_sentence.initials_before_name(j) {
            // An initial is one letter, never a name word itself.
            last = name;
            j = name + 1;
        } else {
            break;
        }
    }
    last
}

/// Whether a title (`Mr`, `Mr.`, `President`) stands right before token `first`, in the
/// sentence of tokens `range`.
fn titled(text: &str, tokens: &[Token], range: Range<usize>, first: usize) -> bool {
    (first > range.start
        && tokens[first - 1].kind == TokenKind::Word
        && is_title_at(text, &tokens[first - 1]))
        || (first > range.start + 1
            && tokens[first - 1].text(text) == "."
            && is_title_at(text, &tokens[first - 2]))
}

/// Finds the name-like spans of a segmented text; `covered[i]` is true for tokens the exact pass
/// matched.
///
/// A span starts at a capitalized word, so only the text's capitalized tokens
/// ([`Segmented::capitalized`]) are looked at, not every token.
pub fn name_spans(text: &str, segmented: &Segmented, covered: &[bool]) -> Vec<NameSpan> {
    let tokens = &segmented.tokens;
    let sentences = &segmented.sentences;
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    // The sentence of the tokens looked at, with its first word and whether it reads as a
    // headline: found only for sentences with a span.
    let mut sentence_index = usize::MAX;
    let mut first_word: Option<Option<usize>> = None;
    let mut headline: Option<bool> = None;
    // Spans never overlap: the first token the next one may start at.
    let mut free = 0;
    for (first, sentence) in segmented.capitalized_in_sentences() {
        if first < free || !may_be_name(bytes, &tokens[first], covered[first]) {
            continue;
        }
        let range = sentences[sentence].tokens.clone();
        let in_sentence = Sentence::new(text, tokens, covered, &range);
        if !in_sentence.starts_name(first) {
            continue;
        }
        if sentence != sentence_index {
            sentence_index = sentence;
            first_word = None;
            headline = None;
        }
        let name = in_sentence.initials_before_name(first).unwrap_or(first);
        let last = span_end(text, tokens, covered, range.clone(), name);
        let first_word = *first_word
            .get_or_insert_with(|| range.clone().find(|&i| tokens[i].kind == TokenKind::Word));
        let headline = *headline.get_or_insert_with(|| title_case(text, segmented, sentence_index));
        spans.push(NameSpan {
            start: tokens[first].start,
            end: tokens[last].end,
            tokens: first..last + 1,
            sentence: sentence_index,
            titled: titled(text, tokens, range, first),
            sentence_initial: Some(first) == first_word,
            headline,
        });
        free = last + 1;
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::segment;

    #[test]
    fn common_words_are_never_aliases_of_people_places_or_states() {
        let place = || EntityType::Place;
        assert!(is_common_word_alias("Some", AliasKind::Name, place));
        // "May", the month, is no bare surname either.
        assert!(is_common_word_alias("May", AliasKind::Name, || {
            EntityType::Person
        }));
        // Organizations keep theirs (agencies named as sources), and acronyms match in capitals
        // ("PRIME" would be one).
        assert!(!is_common_word_alias("Reuters", AliasKind::Name, || {
            EntityType::Organization
        }));
        assert!(!is_common_word_alias("US", AliasKind::Name, || {
            EntityType::State
        }));
        // Only one word, only a name alias, only a stop word.
        assert!(!is_common_word_alias("Some Place", AliasKind::Name, place));
        assert!(!is_common_word_alias("Western", AliasKind::Demonym, place));
        assert!(!is_common_word_alias("Minsk", AliasKind::Name, place));
    }

    /// [`name_spans`] by a scan of every token of every sentence, as it was before it read
    /// only the capitalized ones: the definition it must agree with.
    fn name_spans_by_scan(text: &str, segmented: &Segmented, covered: &[bool]) -> Vec<NameSpan> {
        let tokens = &segmented.tokens;
        let mut spans = Vec::new();
        for (sentence_index, sentence) in segmented.sentences.iter().enumerate() {
            let range = sentence.tokens.clone();
            let first_word = range.clone().find(|&i| tokens[i].kind == TokenKind::Word);
            let mut i = range.start;
            while i < range.end {
                let in_sentence = Sentence::new(text, tokens, covered, &range);
                if !in_sentence.starts_name(i) {
                    i += 1;
                    continue;
                }
                let name = in_sentence.initials_before_name(i).unwrap_or(i);
                let last = span_end(text, tokens, covered, range.clone(), name);
                spans.push(NameSpan {
                    start: tokens[i].start,
                    end: tokens[last].end,
                    tokens: i..last + 1,
                    sentence: sentence_index,
                    titled: titled(text, tokens, range.clone(), i),
                    sentence_initial: Some(i) == first_word,
                    headline: title_case(text, segmented, sentence_index),
                });
                i = last + 1;
            }
        }
        spans
    }

    proptest::proptest! {
        /// Looking only at the capitalized tokens finds what a scan of every token finds.
        #[test]
        fn spans_from_capitalized_tokens_are_the_scans(
            words in proptest::collection::vec(
                proptest::prop_oneof![
                    "[A-Z][a-z]{1,6}",
                    "[a-z]{1,5}",
                    "[A-Z]{2,5}",
                    // Initials, and letters with dots (`D.C.`).
                    "[A-Z]\\.",
                    proptest::strategy::Just("von".to_string()),
                    proptest::strategy::Just("Mr".to_string()),
                    proptest::strategy::Just("The".to_string()),
                    "Ł[a-zó]{1,5}",
                    "[-.'’,«»]",
                    proptest::strategy::Just("\n\n".to_string()),
                    proptest::strategy::Just(". ".to_string()),
                ],
                0..40,
            ),
            separators in proptest::collection::vec(proptest::prop_oneof![" ", "", "\n"], 40),
            covered_seed in proptest::collection::vec(proptest::bool::weighted(0.2), 80),
        ) {
            let mut text = String::new();
            for (word, separator) in words.iter().zip(&separators) {
                text.push_str(word);
                text.push_str(separator);
            }
            let segmented = segment(&text);
            let covered: Vec<bool> =
                (0..segmented.tokens.len()).map(|i| covered_seed[i % covered_seed.len()]).collect();
            proptest::prop_assert_eq!(
                name_spans(&text, &segmented, &covered),
                name_spans_by_scan(&text, &segmented, &covered)
            );
        }
    }

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

    /// The packed lookups of particles and titles agree with the word lists, case included.
    #[test]
    fn particles_and_titles_are_found_as_the_lists_write_them() {
        let mut words: Vec<String> = Vec::new();
        for word in PARTICLES.iter().chain(TITLES) {
            for variant in [
                word.to_string(),
                word.to_uppercase(),
                format!("{}{}", word[..1].to_uppercase(), &word[1..]),
                format!("{word}s"),
                word[1..].to_string(),
            ] {
                words.push(variant);
            }
        }
        words.extend(["ſir", "Mr\u{301}", "Ambassadorships", "vön", ""].map(String::from));
        for word in &words {
            // The word alone, and inside a longer text (read in place).
            for (text, start) in [(word.clone(), 0), (format!("x {word} yz"), 2)] {
                let token = Token {
                    start,
                    end: start + word.len(),
                    kind: TokenKind::Word,
                    breaks_before: 0,
                    space_before: false,
                };
                assert_eq!(is_title_at(&text, &token), is_title(word), "{word:?}");
                assert_eq!(
                    is_particle(&text, &token),
                    PARTICLES.contains(&word.as_str()),
                    "{word:?}"
                );
            }
        }
    }

    #[test]
    fn initials_belong_to_the_name_they_stand_before() {
        assert_eq!(
            spans(
                "V. Putin met Alexander G. Lukashenko and J. R. R. Tolkien (S. Tikhanovskaya).",
                &[]
            ),
            [
                "V. Putin",
                "Alexander G. Lukashenko",
                "J. R. R. Tolkien",
                "S. Tikhanovskaya"
            ]
        );
        // Letters with dots and no space are abbreviations; an initial needs a name after it.
        assert_eq!(
            spans(
                "In Washington, D.C. Mahoney and the U.S. Senate. Plan B. then Smith.",
                &[]
            ),
            ["Washington", "Mahoney", "Senate", "Plan", "Smith"]
        );
        // An initial the exact pass covered is not one.
        assert_eq!(spans("V. Putin", &["V"]), ["Putin"]);
    }

    #[test]
    fn acronyms_are_left_to_the_exact_pass() {
        assert_eq!(
            spans("The IST time and the OSCE said so.", &[]),
            Vec::<String>::new()
        );
    }
}
