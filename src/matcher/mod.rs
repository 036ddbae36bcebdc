//! Finding candidate mentions: spans of text that a gazetteer alias could name.
//!
//! The exact pass ([`ExactMatcher`]) finds every alias as written, up to case, diacritics and
//! typographic quotes. A [`Candidate`] may name several entities (an ambiguous alias). Then the
//! name-like spans the exact pass left ([`name_spans`]) go to the fuzzy pass ([`FuzzyIndex`]),
//! which proposes scored entities on transliteration keys. The matcher never chooses between
//! candidates: [`crate::resolve`] does.

mod exact;
mod fuzzy;
mod names;

pub use exact::{ExactMatcher, TokenIds, Vocabulary};
pub use fuzzy::{
    given_name_similarity, is_known_given_name, word_key_iter, word_keys, FuzzyIndex, FuzzyMethod,
    Proposal, Refused, Scored,
};
pub use names::{is_stopword, name_spans, release_bare_names, NameSpan};

use std::ops::Range;

use crate::gazetteer::AliasIndex;

/// One alias that fits a candidate span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub alias: AliasIndex,
    /// The span reads exactly as the alias is written (no folding was needed).
    pub verbatim: bool,
}

/// A span that one or more aliases match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Byte offsets into the original text.
    pub start: usize,
    pub end: usize,
    /// Index range into the document's tokens.
    pub tokens: Range<usize>,
    /// Index of the sentence the span lies in.
    pub sentence: usize,
    pub choices: Vec<Choice>,
}
