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
mod table;

pub use exact::{ExactMatcher, TokenIds, Vocabulary};
pub use fuzzy::{
    french_word_keys, given_name_similarity, is_known_given_name, word_key_iter, word_keys,
    FuzzyIndex, FuzzyMethod, Proposal, Refused, Scored,
};
pub use names::{is_common_word_alias, is_stopword, name_spans, release_bare_names, NameSpan};

use std::ops::Range;

use crate::gazetteer::{AliasIndex, AliasKind, EntityIndex, EntityType, Gazetteer};

/// Whether an alias is an acronym: no lower-case letter, and at least two upper-case ones
/// (`EU`, `U.S.`, `NATO`). An acronym names its entity only as written: the exact pass matches
/// it in exactly that case, and the fuzzy pass only for an acronym in another script or its own
/// letters in another case, from four letters up (a word that merely folds like one, "Key" and
/// `KEI`, is a word, and so is "Set" for `SET`).
pub(crate) fn is_acronym(text: &str) -> bool {
    // Told by the first lower-case letter for nearly every alias ("Oman": its second byte):
    // the fuzzy index asks of every alias as it loads.
    let mut upper = 0;
    if text.is_ascii() {
        for byte in text.bytes() {
            if byte.is_ascii_lowercase() {
                return false;
            }
            upper += usize::from(byte.is_ascii_uppercase());
        }
    } else {
        for letter in text.chars() {
            if letter.is_lowercase() {
                return false;
            }
            upper += usize::from(letter.is_uppercase());
        }
    }
    upper >= 2
}

/// One alias that fits a candidate span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub alias: AliasIndex,
    /// The span reads exactly as the alias is written (no folding was needed).
    pub verbatim: bool,
    pub facts: AliasFacts,
}

/// What deciding a candidate needs to know of an alias, kept by the matcher beside the alias
/// itself: the gazetteer's alias and entity records lie far apart in memory, and reading two
/// of them for every candidate cost more than the rest of resolving it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AliasFacts {
    pub entity: EntityIndex,
    pub kind: AliasKind,
    /// The entity's type.
    pub entity_type: EntityType,
    /// The alias holds only within a period (a role).
    pub has_period: bool,
    /// The entity declares itself the alias's default (`default_for`).
    pub default: bool,
}

impl AliasFacts {
    /// Whether the entity is a person.
    pub fn person(&self) -> bool {
        self.entity_type == EntityType::Person
    }

    pub fn of(gazetteer: &Gazetteer, alias: AliasIndex) -> Self {
        let record = gazetteer.alias(alias);
        AliasFacts {
            entity: record.entity,
            kind: record.kind,
            entity_type: gazetteer.entity(record.entity).entity_type,
            has_period: record.role.is_some(),
            default: record.default,
        }
    }
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
    pub choices: Choices,
}

/// The aliases that fit a candidate, in gazetteer order: held in place, as there is nearly always
/// just one.
pub type Choices = smallvec::SmallVec<[Choice; 2]>;
