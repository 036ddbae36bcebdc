//! Candidates → mentions: the one place that decides which entity a span names.
//!
//! An alias that belongs to one entity resolves to it (method `exact` when the text reads as the
//! alias is written, `normalized` when case, diacritics or quotes had to be folded). An alias that
//! several entities share (listed under `ambiguous`) goes to the one the same document names
//! unambiguously elsewhere (`context`); failing that, to the entity that declares itself the
//! alias's default (`default`); failing that, it stays unresolved and is reported with its
//! candidates, never guessed.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::gazetteer::{AliasIndex, AliasKind, EntityIndex, Gazetteer};
use crate::matcher::Candidate;

/// How a mention was resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// The text reads exactly as a gazetteer alias.
    Exact,
    /// The text matches an alias after folding case, diacritics or quotes.
    Normalized,
    /// A shared alias, decided by what else the document names.
    Context,
    /// A shared alias, given to the entity that declares itself its default.
    Default,
    /// A shared alias that nothing decided.
    Unresolved,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Exact => "exact",
            Method::Normalized => "normalized",
            Method::Context => "context",
            Method::Default => "default",
            Method::Unresolved => "unresolved",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A resolved (or knowingly unresolved) mention.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Byte offsets into the original text.
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
    /// `None` when the span is ambiguous and nothing decided.
    pub entity: Option<EntityIndex>,
    /// The alias the span matched (for an unresolved mention, the first of them).
    pub alias: AliasIndex,
    pub kind: AliasKind,
    pub method: Method,
    /// Confidence in `[0, 1]`; 1 for exact-pass matches.
    pub score: f64,
    /// For an unresolved mention, the entities it could be.
    pub candidates: Vec<EntityIndex>,
}

/// Turns one document's candidates into mentions.
pub fn resolve(gazetteer: &Gazetteer, candidates: Vec<Candidate>) -> Vec<Mention> {
    // What the document names unambiguously decides its ambiguous aliases.
    let mut named: BTreeMap<EntityIndex, usize> = BTreeMap::new();
    for candidate in &candidates {
        if let [only] = entities_of(gazetteer, candidate).as_slice() {
            *named.entry(*only).or_default() += 1;
        }
    }
    candidates
        .into_iter()
        .map(|candidate| {
            let entities = entities_of(gazetteer, &candidate);
            let pick = |entity: EntityIndex| {
                candidate
                    .choices
                    .iter()
                    .filter(|c| gazetteer.alias(c.alias).entity == entity)
                    .max_by_key(|c| c.verbatim)
                    .copied()
                    .expect("entity comes from a choice")
            };
            let (entity, method, choice) = if let [only] = entities.as_slice() {
                let choice = pick(*only);
                let method = if choice.verbatim {
                    Method::Exact
                } else {
                    Method::Normalized
                };
                (Some(*only), method, choice)
            } else if let Some(entity) = by_context(&entities, &named) {
                (Some(entity), Method::Context, pick(entity))
            } else if let Some(choice) = candidate
                .choices
                .iter()
                .find(|c| gazetteer.alias(c.alias).default)
            {
                (
                    Some(gazetteer.alias(choice.alias).entity),
                    Method::Default,
                    *choice,
                )
            } else {
                (None, Method::Unresolved, candidate.choices[0])
            };
            Mention {
                start: candidate.start,
                end: candidate.end,
                sentence: candidate.sentence,
                entity,
                alias: choice.alias,
                kind: gazetteer.alias(choice.alias).kind,
                method,
                score: 1.0,
                candidates: if entity.is_none() {
                    entities
                } else {
                    Vec::new()
                },
            }
        })
        .collect()
}

fn entities_of(gazetteer: &Gazetteer, candidate: &Candidate) -> Vec<EntityIndex> {
    let mut entities: Vec<EntityIndex> = candidate
        .choices
        .iter()
        .map(|c| gazetteer.alias(c.alias).entity)
        .collect();
    entities.sort();
    entities.dedup();
    entities
}

/// The one candidate the document names most often elsewhere, if there is a single such one.
fn by_context(
    entities: &[EntityIndex],
    named: &BTreeMap<EntityIndex, usize>,
) -> Option<EntityIndex> {
    let mut counted: Vec<(usize, EntityIndex)> = entities
        .iter()
        .filter_map(|e| named.get(e).map(|&n| (n, *e)))
        .collect();
    counted.sort_by(|a, b| b.cmp(a));
    match counted.as_slice() {
        [] => None,
        [(_, only)] => Some(*only),
        [(best, entity), (second, _), ..] if best > second => Some(*entity),
        _ => None,
    }
}
