//! Tokens, sentences and paragraphs, as spans into the original text.
//!
//! A *token* is a run of letters and digits (with their combining marks), or one other
//! non-space character; so `Putin’s` is `Putin` `’` `s` and `U.S.` is `U` `.` `S` `.`, and a
//! gazetteer alias tokenized the same way can only ever match whole tokens.
//!
//! A *sentence* ends at `.`, `!`, `?` or `…` (with any closing quotes and brackets right after
//! it) when what follows starts a new sentence, but not after an abbreviation (`Mr.`, `Sept.`,
//! `St.`), a single initial (`J.`, the dots of `U.S.`), or inside a number or a web address.
//! Scraped news puts headlines, bylines and captions on lines of their own without final
//! punctuation: every line break ends a sentence, except a single line break inside a sentence
//! that goes on in lower case, and, in text found to be hard-wrapped, a single line break after a
//! line that ran full (see `LineWrap`). A blank line ends a *paragraph*.
//!
//! This module owns boundaries only; it does not fold text (see [`crate::normalize`]).

mod tokenize;

use std::ops::Range;

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters and digits.
    Word,
    /// Any single other character that is not white space.
    Punct,
}

/// One token: byte offsets into the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
    /// Line breaks in the white space just before this token (capped at 2).
    pub breaks_before: u8,
    /// Whether any white space stands just before this token.
    pub space_before: bool,
}

impl Token {
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

/// One sentence (or headline, byline, caption): byte offsets and its tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    /// Index range into [`Segmented::tokens`].
    pub tokens: Range<usize>,
    /// Paragraph number, from 0.
    pub paragraph: usize,
}

/// A text cut into tokens and sentences.
#[derive(Debug, Clone, Default)]
pub struct Segmented {
    pub tokens: Vec<Token>,
    /// The indexes into `tokens` of the tokens that start with an ASCII capital or with a
    /// character beyond ASCII (a letter of another script, or punctuation such as `«`), in
    /// order: where a name can start, and nearly every alias. The matchers look only at these
    /// where they can, instead of at every token, so a `Segmented` made other than by
    /// [`segment`] must list them too (the matchers find nothing in tokens it leaves out).
    pub capitalized: Vec<usize>,
    /// Every token lies in one sentence, in order.
    pub sentences: Vec<Sentence>,
}

impl Segmented {
    /// The [`Segmented::capitalized`] tokens, each with the index of its sentence.
    pub fn capitalized_in_sentences(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let mut sentence = 0;
        self.capitalized.iter().filter_map(move |&token| {
            while self
                .sentences
                .get(sentence)
                .is_some_and(|s| s.tokens.end <= token)
            {
                sentence += 1;
            }
            let within = self.sentences.get(sentence)?.tokens.contains(&token);
            within.then_some((token, sentence))
        })
    }
}

fn is_separator(ch: char) -> bool {
    ch.is_whitespace() || ch.is_control() || ch == '\u{FEFF}'
}

fn is_word_char(ch: char) -> bool {
    ch.is_alphanumeric() || unicode_normalization::char::is_combining_mark(ch)
}

/// `text` with every run of white space (line breaks included) made one space, and none at
/// either end: how a sentence is shown on one line.
pub fn collapse_whitespace(text: &str) -> String {
    collapse_whitespace_prefix(text, usize::MAX)
}

/// [`collapse_whitespace`], borrowing `text` when it already reads so (nearly every name).
pub fn collapse_whitespace_cow(text: &str) -> std::borrow::Cow<'_, str> {
    if is_collapsed(text.as_bytes()) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(collapse_whitespace(text))
    }
}

/// Whether `text` certainly reads the same collapsed: single ASCII spaces between words, none
/// at either end, no other white space. Texts with the lead byte of a non-ASCII white-space
/// character (and of many other characters) are not judged here.
fn is_collapsed(bytes: &[u8]) -> bool {
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    #[cfg(target_arch = "x86_64")]
    {
        let mut blocks = bytes.chunks_exact(16);
        // Whether the byte before the block is a space.
        let mut space_before = false;
        for block in &mut blocks {
            let (spaces, other) = tokenize::collapse_masks(block.try_into().expect("16 bytes"));
            if other != 0 || spaces & ((spaces << 1) | u32::from(space_before)) != 0 {
                return false;
            }
            space_before = spaces & (1 << 15) != 0;
        }
        let rest = blocks.remainder();
        if space_before && rest.first() == Some(&b' ') {
            return false;
        }
        is_collapsed_bytewise(rest)
    }
    #[cfg(not(target_arch = "x86_64"))]
    is_collapsed_bytewise(bytes)
}

/// [`is_collapsed`] without its check of the ends, a byte at a time.
fn is_collapsed_bytewise(bytes: &[u8]) -> bool {
    let mut after_space = false;
    for &byte in bytes {
        match byte {
            b' ' if after_space => return false,
            b' ' => after_space = true,
            b'\t'..=b'\r' | 0xC2 | 0xE1 | 0xE2 | 0xE3 => return false,
            _ => after_space = false,
        }
    }
    true
}

/// The start of [`collapse_whitespace`]`(text)`: whole words, stopping after the first one that
/// brings it to `at_least` bytes (or at the end). For excerpts of long windows.
pub fn collapse_whitespace_prefix(text: &str, at_least: usize) -> String {
    // As `split_whitespace` and `join(" ")` would, without the list of words: build keeps one
    // such excerpt per edge of the graph.
    let bytes = text.as_bytes();
    if is_collapsed(bytes) {
        // Most sentences: nothing to do but copy.
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut word_start = None;
    let mut at = 0;
    while at < bytes.len() {
        let (white, width) = match bytes[at] {
            byte if byte.is_ascii() => (matches!(byte, b'\t'..=b'\r' | b' '), 1),
            _ => {
                let ch = text[at..].chars().next().expect("at a character boundary");
                (ch.is_whitespace(), ch.len_utf8())
            }
        };
        if !white && word_start.is_none() {
            word_start = Some(at);
        } else if white {
            if let Some(start) = word_start.take() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&text[start..at]);
                if out.len() >= at_least {
                    return out;
                }
            }
        }
        at += width;
    }
    if let Some(start) = word_start {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&text[start..]);
    }
    out
}

/// Cuts `text` into tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    tokenize::tokenize_into::<false>(text, &mut tokens, &mut Vec::new());
    tokens
}

/// The word tokens of `text`, exactly as [`tokenize`] cuts them, without building the token list.
pub fn words(text: &str) -> impl DoubleEndedIterator<Item = &str> {
    text.split(|ch: char| !is_word_char(ch))
        .filter(|word| !word.is_empty())
}

/// Words after which a full stop does not end a sentence (compared without case), in byte
/// order for a binary search.
const ABBREVIATIONS: &[&str] = &[
    "adm", "al", "amb", "approx", "apr", "aug", "ca", "capt", "cf", "cmdr", "co", "col", "corp",
    "dec", "dept", "dr", "e.g", "est", "etc", "feb", "fig", "fri", "ft", "gen", "gov", "hon",
    "i.e", "inc", "jan", "jr", "jul", "jun", "lt", "ltd", "maj", "mar", "mon", "mr", "mrs", "ms",
    "mt", "no", "nos", "nov", "oct", "op", "pres", "prof", "rep", "rev", "sat", "sen", "sep",
    "sept", "sgt", "sr", "st", "sun", "thu", "thurs", "tue", "tues", "univ", "vol", "vs", "wed",
];

/// A word of up to eight bytes as a number that sorts as the word does (bytes first to last,
/// zeros after).
const fn packed_word(word: &[u8]) -> u64 {
    let mut key = 0u64;
    let mut i = 0;
    while i < 8 {
        let byte = if i < word.len() { word[i] } else { 0 };
        key = (key << 8) | byte as u64;
        i += 1;
    }
    key
}

/// [`ABBREVIATIONS`] packed, in the same order.
const ABBREVIATION_KEYS: [u64; ABBREVIATIONS.len()] = {
    let mut keys = [0; ABBREVIATIONS.len()];
    let mut i = 0;
    while i < keys.len() {
        keys[i] = packed_word(ABBREVIATIONS[i].as_bytes());
        i += 1;
    }
    keys
};

fn is_abbreviation(word: &str) -> bool {
    let mut lower = [0u8; 6];
    let Some(lower) = lower.get_mut(..word.len()) else {
        return false;
    };
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    ABBREVIATION_KEYS.binary_search(&packed_word(lower)).is_ok()
}

fn is_terminal(ch: &str) -> bool {
    matches!(ch, "." | "!" | "?" | "…")
}

/// Whether a token is a terminal (`is_terminal`), read from its first byte.
fn is_terminal_token(text: &str, token: &Token) -> bool {
    token.kind == TokenKind::Punct
        && matches!(text.as_bytes()[token.start], b'.' | b'!' | b'?' | 0xE2)
        && is_terminal(token.text(text))
}

fn is_closer(ch: &str) -> bool {
    matches!(ch, "\"" | "'" | "”" | "’" | ")" | "]" | "»" | "}")
}

fn starts_lowercase(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_lowercase)
}

/// Cuts `text` into tokens, sentences and paragraphs.
pub fn segment(text: &str) -> Segmented {
    let mut tokens = Vec::new();
    let mut capitalized = Vec::new();
    tokenize::tokenize_into::<true>(text, &mut tokens, &mut capitalized);
    // News sentences run to about twenty tokens: room for nearly every text's at once.
    let mut sentences = Vec::with_capacity(tokens.len() / 16 + 1);
    let mut wrap = LineWrap::new(text);
    let mut paragraph = 0;
    let mut first = 0;
    let mut index = 0;
    while index < tokens.len() {
        // Only a terminal, a token right before a line break, or the last token can end a
        // sentence: most tokens are passed over here.
        let next_breaks = tokens.get(index + 1).map_or(1, |next| next.breaks_before);
        if next_breaks == 0 && !is_terminal_token(text, &tokens[index]) {
            index += 1;
            continue;
        }
        // Where would a sentence that ended at this token be cut (after closers)?
        let mut last = index;
        let token = tokens[index];
        let terminal = token.kind == TokenKind::Punct && is_terminal(token.text(text));
        if terminal {
            while last + 1 < tokens.len()
                && tokens[last + 1].kind == TokenKind::Punct
                && !tokens[last + 1].space_before
                && (is_closer(tokens[last + 1].text(text))
                    || is_terminal(tokens[last + 1].text(text)))
            {
                last += 1;
            }
        }
        let next = tokens.get(last + 1);
        // A line of hard-wrapped text that ran full breaks where a space would stand.
        let soft_break = next.is_some_and(|n| {
            n.breaks_before == 1 && wrap.is_full_line(tokens[last].end, n.text(text))
        });
        let mut ends = terminal && terminal_ends_sentence(text, &tokens, index, last, soft_break);
        if let Some(next) = next {
            if next.breaks_before >= 2 {
                ends = true;
            } else if next.breaks_before == 1 && !ends && !soft_break {
                let line_is_open = !(token.kind == TokenKind::Punct
                    && (is_terminal(token.text(text)) || is_closer(token.text(text))));
                let continues = line_is_open
                    && next.kind == TokenKind::Word
                    && starts_lowercase(next.text(text))
                    && !ends_with_title_line(text, &tokens, first, last);
                ends = !continues;
            }
        }
        if ends || next.is_none() {
            sentences.push(Sentence {
                start: tokens[first].start,
                end: tokens[last].end,
                tokens: first..last + 1,
                paragraph,
            });
            if next.is_some_and(|n| n.breaks_before >= 2) {
                paragraph += 1;
            }
            first = last + 1;
        }
        index = last + 1;
    }
    Segmented {
        tokens,
        capitalized,
        sentences,
    }
}

/// A line whose every word is capitalized reads as a headline: it never wraps into the next.
fn ends_with_title_line(text: &str, tokens: &[Token], first: usize, last: usize) -> bool {
    let line_start = (first..=last)
        .rev()
        .find(|&i| tokens[i].breaks_before > 0 || i == first)
        .unwrap_or(first);
    let words: Vec<&str> = tokens[line_start..=last]
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| t.text(text))
        .collect();
    words.len() >= 2 && words.iter().all(|w| !starts_lowercase(w))
}

/// Whether a text is hard-wrapped, and if so how long a line must be to have run full: worked
/// out once, when the first line break asks.
///
/// A text counts as hard-wrapped when at least three of its single line breaks, and at least a
/// third of them, fall inside a sentence that goes on in lower case on the next line. Scraped
/// news, with its paragraphs, headlines, bylines and captions each on a line, has nearly none.
/// A line counts as full from three quarters of the median length of those wrapped lines: the
/// last line of a paragraph, a headline or a byline is shorter.
struct LineWrap<'t> {
    text: &'t str,
    /// Characters from which a line is full; `Some(None)` once found not hard-wrapped.
    full_from: Option<Option<usize>>,
}

impl<'t> LineWrap<'t> {
    fn new(text: &'t str) -> Self {
        LineWrap {
            text,
            full_from: None,
        }
    }

    /// Whether the line that ends at byte `end` (its last token's end) ran full in a
    /// hard-wrapped text, `next` being the first token of the next line. A line of capitalized
    /// words alone, with no sentence ending in it, is a headline however long, unless the next
    /// line goes on in lower case.
    fn is_full_line(&mut self, end: usize, next: &str) -> bool {
        let text = self.text;
        let Some(full_from) = *self.full_from.get_or_insert_with(|| full_line_length(text)) else {
            return false;
        };
        let line = &text[text[..end].rfind('\n').map_or(0, |i| i + 1)..end];
        let is_prose = starts_lowercase(next)
            || words(line).any(starts_lowercase)
            || [". ", "! ", "? "]
                .iter()
                .any(|ending| line.contains(ending));
        is_prose && line.chars().count() >= full_from
    }
}

/// For [`LineWrap`]: the length in characters from which a line of `text` is full, when `text`
/// is hard-wrapped.
fn full_line_length(text: &str) -> Option<usize> {
    let ends_open = |line: &str| {
        line.chars().next_back().is_some_and(|last| {
            let mut buffer = [0; 4];
            let last = &*last.encode_utf8(&mut buffer);
            !is_terminal(last) && !is_closer(last)
        })
    };
    let mut single_breaks = 0;
    let mut wrapped_lengths = Vec::new();
    let mut lines = text.split('\n').map(str::trim_end).peekable();
    while let (Some(line), Some(&next)) = (lines.next(), lines.peek()) {
        let next = next.trim_start();
        if line.trim_start().is_empty() || next.is_empty() {
            continue;
        }
        single_breaks += 1;
        if ends_open(line) && starts_lowercase(next) {
            wrapped_lengths.push(line.chars().count());
        }
    }
    if wrapped_lengths.len() < 3 || wrapped_lengths.len() * 3 < single_breaks {
        return None;
    }
    wrapped_lengths.sort_unstable();
    Some(wrapped_lengths[wrapped_lengths.len() / 2] * 3 / 4)
}

/// Decides whether the terminal at `index` (closers up to `last`) ends its sentence; with
/// `soft_break`, the line break after it is read as a space (see [`LineWrap`]).
fn terminal_ends_sentence(
    text: &str,
    tokens: &[Token],
    index: usize,
    last: usize,
    soft_break: bool,
) -> bool {
    let terminal = tokens[index].text(text);
    let next = tokens.get(last + 1);
    // Inside a word, number or address: "U.S", "1.5", "example.com".
    if last == index && next.is_some_and(|n| !n.space_before && n.kind == TokenKind::Word) {
        return false;
    }
    if terminal == "." && index > 0 {
        let previous = tokens[index - 1];
        if previous.kind == TokenKind::Word && !tokens[index].space_before {
            let word = previous.text(text);
            let is_initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
            if is_abbreviation(word) || is_initial {
                return false;
            }
        }
    }
    match next {
        None => true,
        Some(next) if next.breaks_before > 0 && !soft_break => true,
        Some(next) => !starts_lowercase(next.text(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapsing_borrows_what_needs_no_change() {
        use std::borrow::Cow;
        assert!(matches!(
            collapse_whitespace_cow("Michael von Ungern-Sternberg"),
            Cow::Borrowed("Michael von Ungern-Sternberg")
        ));
        assert_eq!(
            collapse_whitespace_cow("Michael\nvon  Ungern-Sternberg"),
            "Michael von Ungern-Sternberg"
        );
    }

    #[test]
    fn collapsed_texts_are_told_sixteen_bytes_at_a_time_as_a_byte_at_a_time() {
        let reference = |text: &str| {
            let bytes = text.as_bytes();
            bytes.first() != Some(&b' ')
                && bytes.last() != Some(&b' ')
                && is_collapsed_bytewise(bytes)
        };
        let pieces = ["a", "b", " ", "  ", "\n", "\t", "é", "\u{a0}", "—", "ab"];
        let mut seed = 7u64;
        for _ in 0..20_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let words = (seed >> 58) as usize;
            let mut text = String::new();
            let mut state = seed;
            for _ in 0..words * 3 {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
                // Mostly letters and single spaces, so that long collapsed runs cross blocks.
                let pick = (state >> 60) as usize;
                text.push_str(if pick < 6 {
                    ["a", "b", " ", "ab", "a", " "][pick]
                } else {
                    pieces[pick % pieces.len()]
                });
            }
            assert_eq!(is_collapsed(text.as_bytes()), reference(&text), "{text:?}");
        }
        let long = "word ".repeat(20);
        assert!(is_collapsed(long.trim_end().as_bytes()));
        // Two spaces where one block ends and the next begins.
        let straddling = format!("{} {}", "a".repeat(15), " b".repeat(10));
        assert!(!is_collapsed(straddling.as_bytes()));
        // ... and where the last block ends and the bytes after the blocks begin.
        let before_the_rest = format!("{}  b", "a".repeat(31));
        assert!(!is_collapsed(before_the_rest.as_bytes()));
    }

    fn sentences(text: &str) -> Vec<&str> {
        segment(text)
            .sentences
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    fn tokens(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn tokens_split_possessives_and_dotted_acronyms() {
        assert_eq!(
            tokens("Putin’s U.S. ally"),
            ["Putin", "’", "s", "U", ".", "S", ".", "ally"]
        );
        assert_eq!(
            tokens("Belarus' von Ungern-Sternberg"),
            ["Belarus", "'", "von", "Ungern", "-", "Sternberg"]
        );
        assert_eq!(
            tokens("Tsikhanoŭskaya 1.5"),
            ["Tsikhanoŭskaya", "1", ".", "5"]
        );
    }

    #[test]
    fn abbreviations_are_sorted_for_their_binary_search() {
        assert!(ABBREVIATIONS.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(ABBREVIATION_KEYS.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(is_abbreviation("Sept") && is_abbreviation("MR") && !is_abbreviation("Putin"));
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        assert_eq!(
            sentences(
                "Mr. Putin met Dr. Smith on Sept. 14 in the U.S. and St. Petersburg. They spoke."
            ),
            [
                "Mr. Putin met Dr. Smith on Sept. 14 in the U.S. and St. Petersburg.",
                "They spoke."
            ]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            sentences("He said it was \"overcome.\" Then he left! Why? Nobody knows… The end"),
            [
                "He said it was \"overcome.\"",
                "Then he left!",
                "Why?",
                "Nobody knows…",
                "The end"
            ]
        );
    }

    #[test]
    fn numbers_and_addresses_do_not_end_sentences() {
        assert_eq!(
            sentences("A loan of $1.5 billion. See themoscowtimes.com now."),
            ["A loan of $1.5 billion.", "See themoscowtimes.com now."]
        );
    }

    #[test]
    fn lines_without_final_punctuation_are_their_own_units() {
        let text = "Putin backs Lukashenko\n\nVladimir Isachenkov\nMOSCOW\nThe Associated Press\nPutin met Lukashenko.";
        assert_eq!(
            sentences(text),
            [
                "Putin backs Lukashenko",
                "Vladimir Isachenkov",
                "MOSCOW",
                "The Associated Press",
                "Putin met Lukashenko."
            ]
        );
        let segmented = segment(text);
        let paragraphs: Vec<usize> = segmented.sentences.iter().map(|s| s.paragraph).collect();
        assert_eq!(paragraphs, [0, 1, 1, 1, 1]);
    }

    #[test]
    fn hard_wrapped_lines_continue_in_lower_case() {
        assert_eq!(
            sentences("Putin said that the problems\nwould be settled soon.\nLukashenko agreed."),
            [
                "Putin said that the problems\nwould be settled soon.",
                "Lukashenko agreed."
            ]
        );
    }

    /// A paragraph of news wrapped at 60 columns, after a headline and a byline.
    const WRAPPED: &str = "Putin Backs Lukashenko\nBy Vladimir Isachenkov\n\n\
        The opposition leader and presidential candidate Sviatlana\n\
        Tsikhanouskaya said on Monday that President Alexander\n\
        Lukashenko had lost the election, and that his friend Mr.\n\
        Putin should not talk to him in the streets of Minsk,\n\
        where thousands marched again on Sunday against the\n\
        results announced by the Central Election Commission\n\
        of Belarus.\n";

    #[test]
    fn full_lines_of_hard_wrapped_text_go_on_before_a_capital() {
        let body = &WRAPPED[WRAPPED.find("The").unwrap()..WRAPPED.len() - 1];
        // The headline and the byline are too short to have run full.
        assert_eq!(
            sentences(WRAPPED),
            ["Putin Backs Lukashenko", "By Vladimir Isachenkov", body]
        );
    }

    #[test]
    fn only_text_wrapped_inside_its_sentences_reads_as_hard_wrapped() {
        assert!(full_line_length(WRAPPED).is_some());
        // Scraped news: each line a paragraph, headline, byline or caption.
        let scraped = "Putin Backs Lukashenko\nVladimir Isachenkov\nMOSCOW\n\
            The Associated Press\nBelarusian President Alexander Lukashenko arrived in Sochi.\n\
            Putin met him on Monday.\nThe talks lasted four hours.";
        assert_eq!(full_line_length(scraped), None);
        // Two lines going on in lower case are not yet enough.
        assert_eq!(
            full_line_length(
                "Putin said that the problems\nwould be settled, and that\nthe talks went well."
            ),
            None
        );
    }

    #[test]
    fn lowercase_after_full_stop_continues() {
        assert_eq!(
            sentences("It was 5 p.m. when he came."),
            ["It was 5 p.m. when he came."]
        );
    }
}
