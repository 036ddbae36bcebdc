//! Measuring the tagger against a gold standard: precision, recall and F1.
//!
//! The gold format (`namegraph-gold/1`, documented in `tests/gold/README.md`) lists, per document
//! id, the name mentions, the demonym mentions, the role mentions (each: code-point `start`, `end`,
//! `text`, `entity`) and the stated relations (`subject`, `relation`, `object`, `negated`, and the
//! clause's `start`, `end`, `text`). [`Evaluation`] compares what the tagger finds with it:
//!
//! - **spans**: name mentions with the same offsets;
//! - **resolution**: name mentions with the same offsets *and* entity, overall, per entity type
//!   and per document;
//! - **demonyms** and **roles**: offsets and entity;
//! - **relations**: strict (subject, relation, object and negation; the polarity follows from
//!   the relation) and relaxed (any relation from the subject to the object), overall and per
//!   document. A symmetric relation ("calls") matches in either direction. A found relation
//!   matches a gold one in the same document whose clause overlaps the found sentence (or
//!   anywhere in the document when the gold gives no offsets); each matches at most once.
//!
//! A gold document id matches the document id, or its end after a `/`. Every false positive and
//! false negative is listed with its sentence. Entity ids the gazetteer
//! does not know are reported, never a crash: a gold file from another annotator may use its own.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::document::CharOffsets;
use crate::error::{Error, Result};
use crate::gazetteer::{AliasKind, Gazetteer};
use crate::relations::RelationLexicon;
use crate::segment::collapse_whitespace;
use crate::tagger::TaggedDocument;

#[derive(Debug, Clone, Deserialize)]
struct GoldFile {
    /// Optional (other annotators' files may leave it out), but checked when given.
    #[serde(default)]
    format: Option<String>,
    documents: Vec<GoldDocument>,
}

/// The format [`Gold::load`] reads.
pub const GOLD_FORMAT: &str = "namegraph-gold/1";

#[derive(Debug, Clone, Deserialize)]
struct GoldDocument {
    id: String,
    #[serde(default)]
    mentions: Vec<GoldSpan>,
    #[serde(default)]
    demonyms: Vec<GoldSpan>,
    #[serde(default)]
    roles: Vec<GoldSpan>,
    #[serde(default)]
    relations: Vec<GoldRelation>,
}

#[derive(Debug, Clone, Deserialize)]
struct GoldSpan {
    start: usize,
    end: usize,
    #[serde(default)]
    text: String,
    entity: String,
}

#[derive(Debug, Clone, Deserialize)]
struct GoldRelation {
    subject: String,
    relation: String,
    object: String,
    #[serde(default)]
    negated: bool,
    #[serde(default)]
    start: Option<usize>,
    #[serde(default)]
    end: Option<usize>,
    #[serde(default)]
    text: String,
}

/// A relation the tagger found, in the gold's terms.
struct FoundRelation {
    subject: String,
    relation: String,
    object: String,
    negated: bool,
    symmetric: bool,
    start: usize,
    end: usize,
    sentence: String,
}

impl FoundRelation {
    fn overlaps(&self, gold: &GoldRelation) -> bool {
        match (gold.start, gold.end) {
            (Some(start), Some(end)) => start < self.end && self.start < end,
            _ => true,
        }
    }

    fn same_pair(&self, gold: &GoldRelation) -> bool {
        (self.subject == gold.subject && self.object == gold.object)
            || (self.symmetric && self.subject == gold.object && self.object == gold.subject)
    }

    fn matches_strictly(&self, gold: &GoldRelation) -> bool {
        self.overlaps(gold)
            && self.same_pair(gold)
            && self.relation == gold.relation
            && self.negated == gold.negated
    }

    fn matches_relaxed(&self, gold: &GoldRelation) -> bool {
        self.overlaps(gold) && self.same_pair(gold)
    }
}

/// Pairs each gold relation with the first unused found relation that `fits`; returns which
/// found relations were used and which gold relations were matched.
fn pair_relations(
    gold: &[GoldRelation],
    found: &[FoundRelation],
    fits: impl Fn(&FoundRelation, &GoldRelation) -> bool,
) -> (Vec<bool>, Vec<bool>) {
    let mut used = vec![false; found.len()];
    let mut matched = vec![false; gold.len()];
    for (g, relation) in gold.iter().enumerate() {
        if let Some(f) = (0..found.len()).find(|&f| !used[f] && fits(&found[f], relation)) {
            used[f] = true;
            matched[g] = true;
        }
    }
    (used, matched)
}

/// A gold standard read from a file.
#[derive(Debug, Clone)]
pub struct Gold {
    documents: BTreeMap<String, GoldDocument>,
}

impl Gold {
    /// Reads a gold file, naming the file and line of any syntax error.
    pub fn load(path: &Path) -> Result<Gold> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = crate::document::decode_utf8(path, bytes)?;
        let text = text
            .strip_prefix(crate::document::BYTE_ORDER_MARK)
            .unwrap_or(&text);
        if !text.trim_start().starts_with('{') {
            // serde would read an array as the struct's fields in order.
            return Err(Error::malformed(
                path,
                1,
                "not a namegraph gold file: expected a JSON object with a \"documents\" list",
            ));
        }
        let file: GoldFile = serde_json::from_str(text).map_err(|e| {
            let message = crate::error::json_file_message(&e);
            Error::malformed(
                path,
                e.line(),
                format!("not a namegraph gold file: {message}"),
            )
        })?;
        if let Some(format) = file.format.as_deref().filter(|&f| f != GOLD_FORMAT) {
            return Err(Error::malformed(
                path,
                line_of(text, "\"format\"", format, 1),
                format!("gold format `{format}` is not one namegraph reads (`{GOLD_FORMAT}`)"),
            ));
        }
        let mut documents = BTreeMap::new();
        for document in file.documents {
            if documents.contains_key(&document.id) {
                return Err(Error::malformed(
                    path,
                    line_of(text, "\"id\"", &document.id, 2),
                    format!(
                        "gold document `{}` is listed twice (merge its annotations into one entry)",
                        document.id
                    ),
                ));
            }
            documents.insert(document.id.clone(), document);
        }
        if documents.is_empty() {
            return Err(Error::malformed(
                path,
                line_of_key(text, "\"documents\""),
                "the gold lists no documents: there is nothing to measure against",
            ));
        }
        Ok(Gold { documents })
    }

    /// How many documents the gold annotates.
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// A few of the gold's document ids, in order: for a message about ids that match nothing.
    pub fn some_ids(&self, at_most: usize) -> Vec<&str> {
        self.documents
            .keys()
            .take(at_most)
            .map(String::as_str)
            .collect()
    }
}

/// The 1-based line of the `nth` (from 1) place in `text` where `key` is followed by `:` and
/// `value` as a JSON string, or line 1 when there is none: where a check of a parsed gold file
/// points the user.
fn line_of(text: &str, key: &str, value: &str, nth: usize) -> usize {
    let literal = serde_json::to_string(value).expect("a string serializes");
    let mut seen = 0;
    for (at, _) in text.match_indices(key) {
        let rest = text[at + key.len()..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            continue;
        };
        if rest.trim_start().starts_with(&literal) {
            seen += 1;
            if seen == nth {
                return line_at(text, at);
            }
        }
    }
    1
}

/// The 1-based line of the first `key` in `text`, or line 1.
fn line_of_key(text: &str, key: &str) -> usize {
    text.find(key).map_or(1, |at| line_at(text, at))
}

/// The 1-based line of byte offset `at` in `text`.
fn line_at(text: &str, at: usize) -> usize {
    crate::error::line_column(text.as_bytes(), at).0
}

/// Counts and scores for one comparison.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Score {
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Score {
    fn add(&mut self, tp: usize, fp: usize, fn_: usize) {
        self.true_positives += tp;
        self.false_positives += fp;
        self.false_negatives += fn_;
        self.finish();
    }

    fn finish(&mut self) {
        let (tp, fp, fn_) = (
            self.true_positives as f64,
            self.false_positives as f64,
            self.false_negatives as f64,
        );
        self.precision = if tp + fp > 0.0 {
            round(tp / (tp + fp))
        } else {
            0.0
        };
        self.recall = if tp + fn_ > 0.0 {
            round(tp / (tp + fn_))
        } else {
            0.0
        };
        self.f1 = if self.precision + self.recall > 0.0 {
            round(2.0 * self.precision * self.recall / (self.precision + self.recall))
        } else {
            0.0
        };
    }
}

fn round(x: f64) -> f64 {
    (x * 10000.0).round() / 10000.0
}

/// One disagreement with the gold standard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disagreement {
    /// `false positive` (found, not in the gold) or `false negative` (in the gold, not found).
    pub kind: &'static str,
    /// mention, demonym, role, relation
    pub layer: &'static str,
    pub document: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub entity: String,
    pub sentence: String,
}

/// The result of an evaluation.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Evaluation {
    pub documents: usize,
    pub spans: Score,
    pub resolution: Score,
    pub resolution_by_type: BTreeMap<String, Score>,
    pub resolution_by_document: BTreeMap<String, Score>,
    pub demonyms: Score,
    pub roles: Score,
    pub relations_strict: Score,
    pub relations_relaxed: Score,
    /// Strict relation scores per document.
    pub relations_by_document: BTreeMap<String, Score>,
    /// Gold entity ids the gazetteer does not know.
    pub unknown_entities: Vec<String>,
    /// Gold documents the input did not have.
    pub missing_documents: Vec<String>,
    /// Gold spans whose offsets do not give back their text (a misaligned gold file).
    pub misaligned_spans: Vec<String>,
    pub disagreements: Vec<Disagreement>,
}

type Key = (usize, usize, String);

/// Compares tagged documents with a gold standard, one document at a time.
pub struct Evaluator<'g> {
    gold: &'g Gold,
    gazetteer: &'g Gazetteer,
    lexicon: Option<&'g RelationLexicon>,
    seen: BTreeSet<String>,
    unknown: BTreeSet<String>,
    result: Evaluation,
}

impl<'g> Evaluator<'g> {
    /// An evaluator; `lexicon` names the relation types of the tagger's relations (without one,
    /// no relations are found and relation recall is 0).
    pub fn new(
        gold: &'g Gold,
        gazetteer: &'g Gazetteer,
        lexicon: Option<&'g RelationLexicon>,
    ) -> Self {
        Evaluator {
            gold,
            gazetteer,
            lexicon,
            seen: BTreeSet::new(),
            unknown: BTreeSet::new(),
            result: Evaluation::default(),
        }
    }

    fn entity_type(&mut self, id: &str) -> String {
        match self.gazetteer.find(id) {
            Some(entity) => self.gazetteer.entity(entity).entity_type.to_string(),
            None => {
                self.unknown.insert(id.to_string());
                "unknown".to_string()
            }
        }
    }

    /// Adds one tagged document; documents the gold does not have are skipped.
    pub fn add(&mut self, tagged: &TaggedDocument<'_>) {
        // A gold id matches the document id, or its end after a `/` (a file named by its path:
        // `articles/a.txt` is gold `a.txt`).
        let id = &tagged.document.id;
        let gold = self.gold.documents.get(id).or_else(|| {
            // One lookup for each `/` in the id, not a comparison with every gold document.
            let mut suffixes = id
                .match_indices('/')
                .filter_map(|(slash, _)| self.gold.documents.get(&id[slash + 1..]));
            match (suffixes.next(), suffixes.next()) {
                (Some(only), None) => Some(only),
                _ => None,
            }
        });
        let Some(gold) = gold else {
            return;
        };
        self.seen.insert(gold.id.clone());
        self.result.documents += 1;
        let text = &tagged.document.text;
        let offsets = CharOffsets::new(text);
        let predicted = |kind: AliasKind| -> BTreeSet<Key> {
            tagged
                .mentions
                .iter()
                .filter(|m| m.kind == kind)
                .map(|m| {
                    let id = self.gazetteer.entity(m.entity).id.to_string();
                    (offsets.char_offset(m.start), offsets.char_offset(m.end), id)
                })
                .collect()
        };
        let gold_keys = |spans: &[GoldSpan]| -> BTreeSet<Key> {
            spans
                .iter()
                .map(|s| (s.start, s.end, s.entity.clone()))
                .collect()
        };
        let sentences: Vec<(usize, usize, String)> = tagged
            .segmented
            .sentences
            .iter()
            .map(|s| {
                (
                    offsets.char_offset(s.start),
                    offsets.char_offset(s.end),
                    collapse_whitespace(&text[s.start..s.end]),
                )
            })
            .collect();
        let sentence_of = |start: usize| -> String {
            sentences
                .iter()
                .find(|(s, e, _)| *s <= start && start < *e)
                .map(|(_, _, t)| t.clone())
                .unwrap_or_default()
        };
        let chars: Vec<char> = text.chars().collect();
        let slice = |start: usize, end: usize| -> String {
            chars
                .get(start..end.min(chars.len()))
                .map(|c| c.iter().collect())
                .unwrap_or_default()
        };

        for span in gold
            .mentions
            .iter()
            .chain(&gold.demonyms)
            .chain(&gold.roles)
        {
            let actual = slice(span.start, span.end);
            if !span.text.is_empty() && actual != span.text {
                self.result.misaligned_spans.push(format!(
                    "{} {}..{}: the gold says \"{}\", the text has \"{}\"",
                    gold.id, span.start, span.end, span.text, actual
                ));
            }
        }
        // Names: spans, resolution, per type, per document.
        let found = predicted(AliasKind::Name);
        let expected = gold_keys(&gold.mentions);
        let found_spans: BTreeSet<(usize, usize)> =
            found.iter().map(|(s, e, _)| (*s, *e)).collect();
        let expected_spans: BTreeSet<(usize, usize)> =
            expected.iter().map(|(s, e, _)| (*s, *e)).collect();
        let tp = found_spans.intersection(&expected_spans).count();
        self.result
            .spans
            .add(tp, found_spans.len() - tp, expected_spans.len() - tp);
        let tp = found.intersection(&expected).count();
        let (fp, fn_) = (found.len() - tp, expected.len() - tp);
        self.result.resolution.add(tp, fp, fn_);
        self.result
            .resolution_by_document
            .entry(gold.id.clone())
            .or_default()
            .add(tp, fp, fn_);
        for key in found.union(&expected) {
            let entity_type = self.entity_type(&key.2);
            let (tp, fp, fn_) = match (found.contains(key), expected.contains(key)) {
                (true, true) => (1, 0, 0),
                (true, false) => (0, 1, 0),
                _ => (0, 0, 1),
            };
            self.result
                .resolution_by_type
                .entry(entity_type)
                .or_default()
                .add(tp, fp, fn_);
        }
        for (layer, found, expected, score) in [
            ("mention", found, expected, None),
            (
                "demonym",
                predicted(AliasKind::Demonym),
                gold_keys(&gold.demonyms),
                Some(0),
            ),
            (
                "role",
                predicted(AliasKind::Role),
                gold_keys(&gold.roles),
                Some(1),
            ),
        ] {
            if let Some(which) = score {
                let tp = found.intersection(&expected).count();
                let target = if which == 0 {
                    &mut self.result.demonyms
                } else {
                    &mut self.result.roles
                };
                target.add(tp, found.len() - tp, expected.len() - tp);
            }
            for (kind, listed, other) in [
                ("false negative", &expected, &found),
                ("false positive", &found, &expected),
            ] {
                for key in listed.iter().filter(|k| !other.contains(k)) {
                    self.entity_type(&key.2);
                    self.result.disagreements.push(Disagreement {
                        kind,
                        layer,
                        document: gold.id.clone(),
                        start: key.0,
                        end: key.1,
                        text: slice(key.0, key.1),
                        entity: key.2.clone(),
                        sentence: sentence_of(key.0),
                    });
                }
            }
        }
        // Relations.
        for relation in &gold.relations {
            for id in [&relation.subject, &relation.object] {
                self.entity_type(id);
            }
        }
        let found: Vec<FoundRelation> = match self.lexicon {
            Some(lexicon) => tagged
                .relations
                .iter()
                .map(|r| {
                    let (start, end, sentence) = &sentences[r.sentence];
                    let relation_type = &lexicon.relations[r.relation];
                    FoundRelation {
                        subject: self.gazetteer.entity(r.subject).id.to_string(),
                        relation: relation_type.name.clone(),
                        object: self.gazetteer.entity(r.object).id.to_string(),
                        negated: r.negated,
                        symmetric: relation_type.symmetric,
                        start: *start,
                        end: *end,
                        sentence: sentence.clone(),
                    }
                })
                .collect(),
            None => Vec::new(),
        };
        let (used, matched) =
            pair_relations(&gold.relations, &found, FoundRelation::matches_strictly);
        let tp = matched.iter().filter(|&&m| m).count();
        let (fp, fn_) = (found.len() - tp, gold.relations.len() - tp);
        self.result.relations_strict.add(tp, fp, fn_);
        self.result
            .relations_by_document
            .entry(gold.id.clone())
            .or_default()
            .add(tp, fp, fn_);
        let (_, relaxed) = pair_relations(&gold.relations, &found, FoundRelation::matches_relaxed);
        let tp = relaxed.iter().filter(|&&m| m).count();
        self.result
            .relations_relaxed
            .add(tp, found.len() - tp, gold.relations.len() - tp);
        let missed = gold.relations.iter().zip(&matched).filter(|(_, m)| !**m);
        let missed = missed.map(|(r, _)| {
            let (start, end) = (r.start.unwrap_or(0), r.end.unwrap_or(0));
            let triple = (&r.subject, r.negated, &r.relation, &r.object);
            ("false negative", start, end, triple, &r.text)
        });
        let extra = found.iter().zip(&used).filter(|(_, u)| !**u);
        let extra = extra.map(|(r, _)| {
            let triple = (&r.subject, r.negated, &r.relation, &r.object);
            ("false positive", r.start, r.end, triple, &r.sentence)
        });
        for (kind, start, end, (subject, negated, relation, object), sentence) in
            missed.chain(extra)
        {
            self.result.disagreements.push(Disagreement {
                kind,
                layer: "relation",
                document: gold.id.clone(),
                start,
                end,
                text: format!(
                    "{subject} {}{relation} {object}",
                    if negated { "not " } else { "" }
                ),
                entity: subject.clone(),
                sentence: sentence.clone(),
            });
        }
    }

    pub fn finish(mut self) -> Evaluation {
        self.result.unknown_entities = self.unknown.into_iter().collect();
        self.result.missing_documents = self
            .gold
            .documents
            .keys()
            .filter(|id| !self.seen.contains(*id))
            .cloned()
            .collect();
        self.result
    }
}
