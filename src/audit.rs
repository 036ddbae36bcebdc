//! Checking alias resolution: which spelling went to which entity, and why.
//!
//! - [`explain`] answers for one name: the entity, how (exact, normalized, transliterated,
//!   fuzzy, role...), the score, the alias matched, and the runners-up with why they lost.
//! - [`AliasReport`] sums up a corpus: every entity with each surface form seen, its count and
//!   method; then the name-like spans left unresolved, by frequency, with the nearest entity as
//!   a suggestion; and [`AliasReport::suggestions_toml`] writes those as a gazetteer fragment for
//!   a person to review.
//!
//! This module only reads what the tagger decided; it decides nothing itself.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::document::Document;
use crate::gazetteer::{alias_key, AliasKind, EntityIndex, Gazetteer};
use crate::matcher::{is_known_given_name, word_keys};
use crate::resolve::{round_score, Reason};
use crate::tagger::{TaggedDocument, Tagger};

/// A runner-up entity for a name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunnerUp {
    pub entity: String,
    pub alias: String,
    pub score: f64,
    /// Why it was not chosen.
    pub reason: String,
}

/// How one name resolves.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub name: String,
    /// None when the name does not resolve.
    pub entity: Option<String>,
    pub entity_name: Option<String>,
    #[serde(rename = "type")]
    pub entity_type: Option<String>,
    /// exact, normalized, transliterated, fuzzy, context, role, default; or unresolved.
    pub method: String,
    pub score: f64,
    /// The gazetteer alias that matched.
    pub alias: Option<String>,
    /// When that alias is a role form the gazetteer derived, the listed role it comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listed_as: Option<String>,
    /// The name was read as a French romanization ("Poutine") to find its entity.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub read_as_french: bool,
    /// When unresolved, why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub runners_up: Vec<RunnerUp>,
}

/// Why a lone capitalized common word is not resolved (see `src/matcher/stopwords.txt`).
const COMMON_WORD: &str =
    "a common word (src/matcher/stopwords.txt), never a name by itself, capitalized or not";

/// Explains how `name` resolves with `tagger`'s gazetteer, as if it stood alone in a document of
/// `date` (role aliases need one).
pub fn explain(tagger: &Tagger, name: &str, date: Option<&str>) -> Explanation {
    let gazetteer = tagger.gazetteer();
    let mut document = Document::new("name", name.trim());
    document.date = date.map(str::to_string);
    let tagged = tagger.tag(&document);
    let text = &document.text;
    // The mention that stands for the whole name: every word outside it and the other
    // mentions of its entity is a common word ("the Belarusian leader") or a possessive ending.
    // A role and the name after it are one person ("Russian President Vladimir Putin"), shown
    // by the name.
    let of_entity = |entity| tagged.mentions.iter().filter(move |m| m.entity == entity);
    let whole = tagged
        .mentions
        .iter()
        .max_by_key(|m| m.end - m.start)
        // "Russian" is not the answer for "former Russian president": the role around it was
        // left unresolved, and that is what to explain.
        .filter(|m| {
            !tagged
                .unresolved
                .iter()
                .any(|u| u.start <= m.start && m.end <= u.end && u.end - u.start > m.end - m.start)
        })
        .filter(|m| {
            tagged
                .segmented
                .tokens
                .iter()
                .filter(|t| t.kind == crate::segment::TokenKind::Word)
                .filter(|t| !of_entity(m.entity).any(|o| o.start <= t.start && t.end <= o.end))
                .all(|t| {
                    let word = t.text(text);
                    word == "s"
                        || crate::matcher::is_stopword(word)
                        || word.chars().all(char::is_lowercase)
                })
        })
        .map(|m| {
            of_entity(m.entity)
                .filter(|o| o.kind == AliasKind::Name)
                .max_by_key(|o| o.end - o.start)
                .filter(|_| m.kind == AliasKind::Role)
                .unwrap_or(m)
        });
    let mut runners_up = Vec::new();
    let chosen = whole.map(|m| m.entity);
    // With no mention standing for the whole name, its words may still name several entities
    // ("Russian President Lukashenko", "Lukashenko Putin"): that, not the gazetteer, is why.
    let named_apart = match whole {
        Some(_) => Vec::new(),
        None => entities_named_apart(&tagged),
    };
    // One capitalized common word ("Some", "Prime") is never a name, whatever a gazetteer lists.
    let common_word = crate::matcher::is_stopword(text);
    // Names are read only where capitalized: "putin" is no mention, though "Putin" is.
    let capitalized = match whole {
        None if !common_word && is_uncapitalized(text) => {
            // What the capitalized spelling comes to: an entity, or the several it names.
            let capitalized = capitalize_words(text);
            let explained = explain(tagger, &capitalized, date);
            match (explained.entity, explained.reason) {
                (Some(entity), _) => Some(format!("\"{capitalized}\" resolves to {entity}")),
                (None, Some(reason)) if reason.starts_with(SEVERAL_ENTITIES) => {
                    Some(format!("as \"{capitalized}\", {reason}"))
                }
                _ => None,
            }
        }
        _ => None,
    };
    let mut read_as_french = false;
    if let Some(index) = tagger.fuzzy() {
        let proposal = index.propose(gazetteer, text);
        read_as_french =
            proposal.read_as_french && proposal.candidates.iter().any(|s| Some(s.entity) == chosen);
        for scored in proposal
            .candidates
            .iter()
            .filter(|s| Some(s.entity) != chosen)
            .take(5)
        {
            let reason = match whole {
                Some(_) => "the chosen entity matched better".to_string(),
                None if common_word => COMMON_WORD.to_string(),
                None if capitalized.is_some() => WRITTEN_WITHOUT_CAPITALS.to_string(),
                None if scored.score < crate::resolve::FUZZY_THRESHOLD => {
                    format!("scores below {:.2}", crate::resolve::FUZZY_THRESHOLD)
                }
                None => "no clear winner".to_string(),
            };
            runners_up.push(RunnerUp {
                entity: gazetteer.entity(scored.entity).id.to_string(),
                alias: gazetteer.alias(scored.alias).text.clone(),
                score: round_score(scored.score),
                reason,
            });
        }
        for refused in proposal
            .refused
            .iter()
            .filter(|r| Some(r.entity) != chosen)
            .take(5)
        {
            // The whole text was compared with this entity's name, and the words that name
            // another entity counted against it: say which part did match.
            let part = named_apart
                .iter()
                .find(|(entity, _)| *entity == refused.entity)
                .filter(|_| named_apart.len() > 1);
            let reason = match part {
                Some((_, part)) => {
                    format!("names only \"{part}\"; the other words name another entity")
                }
                // Compared in lower case: the refusal is not why.
                None if capitalized.is_some() => WRITTEN_WITHOUT_CAPITALS.to_string(),
                None => format!("refused: {}", refused.reason),
            };
            runners_up.push(RunnerUp {
                entity: gazetteer.entity(refused.entity).id.to_string(),
                alias: gazetteer.alias(refused.alias).text.clone(),
                score: 0.0,
                reason,
            });
        }
    }
    match whole {
        Some(mention) => {
            let entity = gazetteer.entity(mention.entity);
            Explanation {
                name: name.to_string(),
                entity: Some(entity.id.to_string()),
                entity_name: Some(entity.name.clone()),
                entity_type: Some(entity.entity_type.to_string()),
                method: mention.method.to_string(),
                score: round_score(mention.score),
                alias: Some(gazetteer.alias(mention.alias).text.clone()),
                listed_as: gazetteer
                    .alias(mention.alias)
                    .role
                    .as_ref()
                    .and_then(|role| role.derived_from.clone()),
                read_as_french,
                reason: None,
                runners_up,
            }
        }
        None => {
            let reason = if let Some(outcome) = capitalized {
                format!("{WRITTEN_WITHOUT_CAPITALS}; {outcome}")
            } else if named_apart.len() > 1 {
                let parts: Vec<String> = named_apart
                    .iter()
                    .map(|(entity, part)| {
                        format!("\"{part}\" names {}", gazetteer.entity(*entity).id)
                    })
                    .collect();
                format!(
                    "{SEVERAL_ENTITIES} {} entities, not one: {}",
                    named_apart.len(),
                    parts.join(", ")
                )
            } else {
                tagged
                    .unresolved
                    .iter()
                    .max_by_key(|u| {
                        (
                            u.reason.text(gazetteer) != "no alias is close",
                            u.end - u.start,
                            std::cmp::Reverse(u.start),
                        )
                    })
                    .map(|u| u.reason.text(gazetteer).into_owned())
                    .unwrap_or_else(|| {
                        if common_word {
                            COMMON_WORD
                        } else {
                            "not a name the gazetteer knows (and not name-like enough to compare)"
                        }
                        .to_string()
                    })
            };
            Explanation {
                name: name.to_string(),
                entity: None,
                entity_name: None,
                entity_type: None,
                method: "unresolved".to_string(),
                score: 0.0,
                alias: None,
                listed_as: None,
                read_as_french: false,
                reason: Some(reason),
                runners_up,
            }
        }
    }
}

/// How the reason for words that name several entities starts.
const SEVERAL_ENTITIES: &str = "the words name";

/// Why a name written in lower case is not resolved.
const WRITTEN_WITHOUT_CAPITALS: &str =
    "written without capitals: a word is read as a name only where it is capitalized";

/// Whether every word of `text` starts with a lower-case letter.
fn is_uncapitalized(text: &str) -> bool {
    text.split_whitespace()
        .all(|word| word.chars().next().is_some_and(char::is_lowercase))
}

/// `text` with the first letter of every word in upper case ("alexander lukashenko" ->
/// "Alexander Lukashenko").
fn capitalize_words(text: &str) -> String {
    text.split_whitespace()
        .map(crate::wording::capitalized)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The entities `tagged` names, each once, in text order, with the text of its first mention;
/// a mention inside a longer one ("Russian" in "Russian President") is left out.
fn entities_named_apart<'t>(tagged: &'t TaggedDocument<'_>) -> Vec<(EntityIndex, &'t str)> {
    let mentions = &tagged.mentions;
    let inside_another = |m: &crate::resolve::Mention| {
        mentions
            .iter()
            .any(|o| o.start <= m.start && m.end <= o.end && o.end - o.start > m.end - m.start)
    };
    let mut named: Vec<(EntityIndex, &str)> = Vec::new();
    for mention in mentions.iter().filter(|m| !inside_another(m)) {
        if named.iter().all(|(entity, _)| *entity != mention.entity) {
            named.push((
                mention.entity,
                &tagged.document.text[mention.start..mention.end],
            ));
        }
    }
    named
}

/// One surface form of an entity in a corpus.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurfaceCount {
    pub text: String,
    pub method: String,
    pub count: u64,
}

/// One entity and how the corpus named it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityForms {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub entity_type: String,
    pub mentions: u64,
    pub forms: Vec<SurfaceCount>,
}

/// A name-like text the corpus used but no entity took.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnresolvedName {
    pub text: String,
    pub count: u64,
    pub reason: String,
    /// The nearest entity and its score, as a suggestion.
    pub nearest: Option<String>,
    pub score: Option<f64>,
    /// For a shared alias, the entities it could mean.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<String>,
}

/// What `namegraph aliases` reports for a corpus.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AliasReport {
    pub documents: usize,
    pub entities: Vec<EntityForms>,
    pub unresolved: Vec<UnresolvedName>,
}

#[derive(Default)]
struct UnresolvedTally {
    count: u64,
    /// The first span's (rendered when the report is finished).
    reason: Option<Reason>,
    nearest: Option<(f64, EntityIndex)>,
    candidates: BTreeSet<EntityIndex>,
}

/// Accumulates tagged documents into an [`AliasReport`].
#[derive(Default)]
pub struct AliasReportBuilder {
    documents: usize,
    forms: BTreeMap<EntityIndex, BTreeMap<(String, String), u64>>,
    unresolved: BTreeMap<String, UnresolvedTally>,
}

impl AliasReportBuilder {
    pub fn add(&mut self, tagged: &TaggedDocument<'_>) {
        self.documents += 1;
        let text = &tagged.document.text;
        for mention in &tagged.mentions {
            let key = (
                text[mention.start..mention.end].to_string(),
                mention.method.to_string(),
            );
            *self
                .forms
                .entry(mention.entity)
                .or_default()
                .entry(key)
                .or_default() += 1;
        }
        for span in &tagged.unresolved {
            if span.sentence_initial && span.nearest.is_none() {
                continue;
            }
            let tally = self
                .unresolved
                .entry(text[span.start..span.end].to_string())
                .or_default();
            tally.count += 1;
            if tally.reason.is_none() {
                tally.reason = Some(span.reason.clone());
            }
            if let Some(nearest) = &span.nearest {
                if tally.nearest.is_none_or(|(score, _)| nearest.score > score) {
                    tally.nearest = Some((nearest.score, nearest.entity));
                }
            }
            tally.candidates.extend(span.candidates.iter().copied());
        }
    }

    pub fn finish(self, gazetteer: &Gazetteer) -> AliasReport {
        let mut entities: Vec<EntityForms> = self
            .forms
            .into_iter()
            .map(|(entity, forms)| {
                let data = gazetteer.entity(entity);
                let mut forms: Vec<SurfaceCount> = forms
                    .into_iter()
                    .map(|((text, method), count)| SurfaceCount {
                        text,
                        method,
                        count,
                    })
                    .collect();
                forms.sort_by(|a, b| {
                    b.count
                        .cmp(&a.count)
                        .then_with(|| a.text.cmp(&b.text))
                        .then_with(|| a.method.cmp(&b.method))
                });
                EntityForms {
                    id: data.id.to_string(),
                    name: data.name.clone(),
                    entity_type: data.entity_type.to_string(),
                    mentions: forms.iter().map(|f| f.count).sum(),
                    forms,
                }
            })
            .collect();
        entities.sort_by(|a, b| a.id.cmp(&b.id));
        let mut unresolved: Vec<UnresolvedName> = self
            .unresolved
            .into_iter()
            .map(|(text, tally)| UnresolvedName {
                text,
                count: tally.count,
                reason: tally
                    .reason
                    .map(|reason| reason.text(gazetteer).into_owned())
                    .unwrap_or_default(),
                nearest: tally
                    .nearest
                    .map(|(_, e)| gazetteer.entity(e).id.to_string()),
                score: tally.nearest.map(|(s, _)| round_score(s)),
                candidates: tally
                    .candidates
                    .iter()
                    .map(|&e| gazetteer.entity(e).id.to_string())
                    .collect(),
            })
            .collect();
        unresolved.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.text.cmp(&b.text)));
        AliasReport {
            documents: self.documents,
            entities,
            unresolved,
        }
    }
}

/// Words that suggest an organization when a name contains them.
const ORGANIZATION_WORDS: &[&str] = &[
    "council",
    "ministry",
    "committee",
    "party",
    "agency",
    "union",
    "bank",
    "group",
    "company",
    "office",
    "commission",
    "assembly",
    "parliament",
    "court",
    "service",
    "institute",
    "university",
    "association",
    "movement",
    "front",
    "organization",
    "organisation",
    "corporation",
    "news",
    "times",
    "press",
    "television",
    "tv",
    "radio",
];

impl AliasReport {
    /// The unresolved names as `[[entity]]` entries a person can review and merge: each a new
    /// entity (id, name, guessed type), with the nearest existing entity in a comment. Shared
    /// aliases that nothing decided are left out: they need `default_for`, not a new entity.
    pub fn suggestions_toml(&self, gazetteer: &Gazetteer, min_count: u64) -> String {
        let mut out = String::from(
            "# Suggested by `namegraph aliases`: name-like spans no entity took, most frequent first.\n\
             # Review each entry before merging it into a gazetteer. Keep it as a new entity, or\n\
             # delete it and add the name to the aliases of the entity its comment names.\n",
        );
        let mut used: BTreeSet<String> = gazetteer
            .entities()
            .iter()
            .map(|e| e.id.to_string())
            .collect();
        for name in self
            .unresolved
            .iter()
            .filter(|u| u.count >= min_count && u.candidates.is_empty())
        {
            let words = word_keys(&name.text).len();
            let base = alias_key(&name.text).replace(|c: char| !c.is_alphanumeric(), "-");
            let base: String = base
                .split('-')
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("-");
            if base.is_empty() {
                continue;
            }
            let mut id = base.clone();
            let mut n = 2;
            while used.contains(&id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            used.insert(id.clone());
            let lower = name.text.to_lowercase();
            let first_word = name.text.split_whitespace().next().unwrap_or("");
            let entity_type = if lower
                .split_whitespace()
                .any(|w| ORGANIZATION_WORDS.contains(&w))
            {
                "organization"
            } else if words >= 2 && is_known_given_name(first_word) {
                "person"
            } else {
                "place"
            };
            out.push('\n');
            out.push_str(&format!(
                "# \"{}\": seen {}; {}\n",
                name.text,
                crate::wording::counted_s(name.count, "time"),
                name.reason
            ));
            if let (Some(nearest), Some(score)) = (&name.nearest, name.score) {
                out.push_str(&format!("# nearest entity: `{nearest}` (score {score:.2}): if it is the same, add the name to its aliases instead\n"));
            }
            out.push_str("[[entity]]\n");
            out.push_str(&format!("id = {}\n", toml_string(&id)));
            out.push_str(&format!("name = {}\n", toml_string(&name.text)));
            out.push_str(&format!("type = \"{entity_type}\"  # guessed: check it\n"));
            out.push_str("aliases = []\n");
        }
        out
    }
}

fn toml_string(text: &str) -> String {
    serde_json::to_string(text).expect("strings serialize")
}
