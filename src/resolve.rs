//! Candidates → mentions: the one place that decides which entity a span names.
//!
//! Inputs are the exact pass's [`Candidate`]s and the fuzzy pass's [`Proposal`]s for the
//! name-like spans left over, for one document. They are decided in text order:
//!
//! - **Exact.** An alias of one entity resolves to it: `exact` when the text reads as the alias
//!   is written, `normalized` when case, diacritics or quotes were folded. A role alias
//!   ("Russian president") resolves (`role`) only when the document's date falls in the role's
//!   period. In a document with no date, a role written right before the name of one of its
//!   holders ("Russian President Vladimir Putin") is that person (`context`). (A one-word
//!   alias with a given name before it, "Viktor Lukashenko", never gets here: the matcher
//!   hands it to the fuzzy pass, which judges the given name.)
//! - **Shared aliases.** An alias several entities list under `ambiguous` goes to the one the
//!   document names unambiguously elsewhere (`context`, the one it names most often), else, in a
//!   document that names none of them, to the entity declaring itself the alias's default
//!   (`default`), else stays unresolved.
//! - **Fuzzy.** A name-like span resolves to the best proposal when it scores at least
//!   [`FUZZY_THRESHOLD`] and beats the runner-up entity by [`FUZZY_MARGIN`] (`transliterated`
//!   when the keys are equal, `fuzzy` otherwise).
//! - **One sense per discourse.** Once a document names a person in full, a later bare surname
//!   (or "Mr X") with the same transliteration key is that person (`context`), and it wins over
//!   a fuzzy guess. A bare surname after the document named *another*, unknown, person with that
//!   surname stays unresolved.
//!
//! Nothing is guessed: every span that is not resolved is returned as an [`UnresolvedSpan`]
//! with the reason and the nearest entity, for `namegraph aliases` to report.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use smallvec::SmallVec;

use rustc_hash::{FxHashMap, FxHashSet};
use std::fmt;

use serde::Serialize;

use crate::gazetteer::{AliasIndex, AliasKind, EntityIndex, EntityType, Gazetteer};
use crate::matcher::{Candidate, Choice, FuzzyIndex, FuzzyMethod, NameSpan, Proposal, Scored};
use crate::segment::words;
use crate::segment::{Segmented, TokenKind};
use crate::translit::name_key;

/// A fuzzy proposal must score at least this to resolve.
pub const FUZZY_THRESHOLD: f64 = 0.90;
/// ... and beat the runner-up entity by this much.
pub const FUZZY_MARGIN: f64 = 0.03;
/// Score given to a context resolution.
const CONTEXT_SCORE: f64 = 0.95;

/// A score rounded to three decimals, as namegraph shows scores.
pub fn round_score(score: f64) -> f64 {
    (score * 1000.0).round() / 1000.0
}

/// How a mention was resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// The text reads exactly as a gazetteer alias.
    Exact,
    /// The text matches an alias after folding case, diacritics or quotes.
    Normalized,
    /// The text is another romanization (or the Cyrillic) of an alias: equal transliteration keys.
    Transliterated,
    /// The text is close to an alias on transliteration keys.
    Fuzzy,
    /// Decided by what else the document names.
    Context,
    /// A role alias, valid on the document's date.
    Role,
    /// A shared alias, given to the entity that declares itself its default.
    Default,
}

impl Method {
    pub const ALL: [Method; 7] = [
        Method::Exact,
        Method::Normalized,
        Method::Transliterated,
        Method::Fuzzy,
        Method::Context,
        Method::Role,
        Method::Default,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Exact => "exact",
            Method::Normalized => "normalized",
            Method::Transliterated => "transliterated",
            Method::Fuzzy => "fuzzy",
            Method::Context => "context",
            Method::Role => "role",
            Method::Default => "default",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A resolved mention.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Byte offsets into the original text.
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
    pub entity: EntityIndex,
    /// The alias the span matched (for `context`, the entity's name).
    pub alias: AliasIndex,
    pub kind: AliasKind,
    pub method: Method,
    /// Confidence in `[0, 1]`: 1 for the exact pass, the similarity for fuzzy matches.
    pub score: f64,
}

/// The key of a full name's surname: the last of its words' keys, when it has two or more
/// (`word_key_iter` has them all). Only that key is computed: for the words before it, it is
/// enough to know that one has a key, which any word with an ASCII letter or digit has.
fn full_name_surname_key(surface: &str) -> Option<String> {
    let mut from_last = words(surface).rev();
    let surname = from_last
        .by_ref()
        .map(name_key)
        .find(|key| !key.is_empty())?;
    from_last
        .any(|word| word.bytes().any(|b| b.is_ascii_alphanumeric()) || !name_key(word).is_empty())
        .then_some(surname)
}

/// [`full_name_surname_key`] of a text whose word keys (as the fuzzy pass gives them) are known.
fn surname_key_of_word_keys(keys: &[String]) -> Option<&str> {
    match keys {
        [_, .., surname] => Some(surname),
        _ => None,
    }
}

/// Where [`Resolver::push`] finds a person's surname key, so that it is computed only when
/// no earlier step has it.
#[derive(Debug, Clone, Copy)]
enum SurnameSource<'k> {
    /// The mention's text, keyed anew.
    Text,
    /// The mention reads exactly as its alias, a name: the alias's keys are the text's.
    VerbatimAlias,
    /// The fuzzy pass's word keys of the mention's text.
    WordKeys(&'k [String]),
}

/// Why a span was left unresolved. Most reasons are fixed words. Those of the fuzzy pass are
/// written out from its proposal only when asked for ([`Reason::text`]): `tag` and `build` show
/// few of them, and a proposal is shared by every span that reads the same.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// The reason, in words.
    Said(Cow<'static, str>),
    /// The fuzzy pass proposed no entity that decides: [`Reason::text`] says why.
    Undecided(Arc<Proposal>),
}

impl Reason {
    /// The reason in words (entities by their ids).
    pub fn text(&self, gazetteer: &Gazetteer) -> Cow<'_, str> {
        match self {
            Reason::Said(text) => Cow::Borrowed(text),
            Reason::Undecided(proposal) => undecided_reason(gazetteer, proposal),
        }
    }
}

impl From<&'static str> for Reason {
    fn from(text: &'static str) -> Self {
        Reason::Said(Cow::Borrowed(text))
    }
}

impl From<String> for Reason {
    fn from(text: String) -> Self {
        Reason::Said(Cow::Owned(text))
    }
}

/// Why a proposal does not resolve its span: its best candidate is not close enough, or not
/// ahead of the runner-up by enough, or there is none.
fn undecided_reason(gazetteer: &Gazetteer, proposal: &Proposal) -> Cow<'static, str> {
    let best = proposal.candidates.first();
    let runner_up = proposal.candidates.get(1);
    match (best, runner_up) {
        (Some(b), Some(r)) if b.score >= FUZZY_THRESHOLD => format!(
            "two entities are about as close ({} {:.2}, {} {:.2})",
            gazetteer.entity(b.entity).id,
            b.score,
            gazetteer.entity(r.entity).id,
            r.score
        )
        .into(),
        (Some(b), _) => format!(
            "nearest entity scores {:.2}, below {FUZZY_THRESHOLD:.2}",
            b.score
        )
        .into(),
        (None, _) => match proposal.refused.first() {
            Some(refused) => format!(
                "close to {}, but {}",
                gazetteer.entity(refused.entity).id,
                refused.reason
            )
            .into(),
            None => "no alias is close".into(),
        },
    }
}

/// A span that looked like a name but was not resolved, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct UnresolvedSpan {
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
    /// Why.
    pub reason: Reason,
    /// The closest entity, as a suggestion.
    pub nearest: Option<Scored>,
    /// Entities a shared alias could mean.
    pub candidates: Vec<EntityIndex>,
    /// What the span would have been: a name, or a role or demonym the gazetteer lists but that
    /// went to no entity here.
    pub kind: AliasKind,
    /// A single word at the start of a sentence, or any span in a headline: its capitals may be
    /// only the sentence's or the headline's.
    pub sentence_initial: bool,
}

/// Everything decided for one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resolution {
    pub mentions: Vec<Mention>,
    pub unresolved: Vec<UnresolvedSpan>,
}

/// The input of one document to [`resolve`].
pub struct DocumentEvidence<'a> {
    pub text: &'a str,
    pub segmented: &'a Segmented,
    pub date: Option<&'a str>,
    pub exact: Vec<Candidate>,
    /// Each name-like span with the fuzzy pass's proposal for its text (shared: the tagger
    /// remembers proposals across documents).
    pub fuzzy: Vec<(NameSpan, Arc<Proposal>)>,
    /// The fuzzy index, when compiled: it holds every name alias's word keys, so that a
    /// mention read verbatim from an alias need not key its text again.
    pub alias_keys: Option<&'a FuzzyIndex>,
}

enum Item {
    Exact(Candidate),
    Fuzzy(NameSpan, Arc<Proposal>),
}

#[cfg(test)]
impl Item {
    fn start(&self) -> usize {
        match self {
            Item::Exact(c) => c.start,
            Item::Fuzzy(s, _) => s.start,
        }
    }

    fn end(&self) -> usize {
        match self {
            Item::Exact(c) => c.end,
            Item::Fuzzy(s, _) => s.end,
        }
    }
}

struct Resolver<'a> {
    gazetteer: &'a Gazetteer,
    text: &'a str,
    segmented: &'a Segmented,
    date: Option<&'a str>,
    alias_keys: Option<&'a FuzzyIndex>,
    /// Surname key → the person the document named in full with it (None: two did).
    full_names: FxHashMap<String, Option<EntityIndex>>,
    /// Surname keys of full names the document uses for someone not in the gazetteer.
    foreign_full_names: FxHashSet<String>,
    /// Entities named unambiguously by the exact pass, with counts.
    named: BTreeMap<EntityIndex, usize>,
    /// Roles the date cannot decide (the document has none, or "former" stands before the
    /// role), with the role aliases they matched: decided at the end, by the name written right
    /// after or before them ([`Resolver::roles_by_apposition`]).
    appositive_roles: Vec<(usize, usize, usize, SmallVec<[Choice; 2]>)>,

    resolution: Resolution,
}

/// Decides one document's mentions.
pub fn resolve(gazetteer: &Gazetteer, evidence: DocumentEvidence<'_>) -> Resolution {
    // Counted only for documents with a shared alias to decide: the others never ask.
    let mut named: BTreeMap<EntityIndex, usize> = BTreeMap::new();
    let shared = |candidate: &Candidate| entities_of(candidate).len() > 1;
    if evidence.exact.iter().any(shared) {
        for candidate in &evidence.exact {
            if let [only] = entities_of(candidate).as_slice() {
                *named.entry(*only).or_default() += 1;
            }
        }
    }
    let items = in_text_order(evidence.exact, evidence.fuzzy);
    // Nearly every exact candidate becomes a mention: room for all of them at once.
    let resolution = Resolution {
        mentions: Vec::with_capacity(items.len()),
        unresolved: Vec::new(),
    };
    let mut resolver = Resolver {
        gazetteer,
        text: evidence.text,
        segmented: evidence.segmented,
        date: evidence.date,
        alias_keys: evidence.alias_keys,
        full_names: FxHashMap::default(),
        foreign_full_names: FxHashSet::default(),
        named,
        appositive_roles: Vec::new(),
        resolution,
    };
    // A verbatim name's surname key lies somewhere in the fuzzy index: asked for a few items
    // ahead, in two steps (where it is, then the key), so that the misses overlap.
    const ENTRIES_AHEAD: usize = 16;
    const TEXTS_AHEAD: usize = 8;
    let person_alias = |item: Option<&Item>| match item {
        Some(Item::Exact(candidate)) => match candidate.choices.as_slice() {
            [only] if only.facts.person() && only.facts.kind == AliasKind::Name => Some(only.alias),
            _ => None,
        },
        _ => None,
    };
    let index = evidence.alias_keys;
    // `rest`: the items after the one about to be resolved.
    let prefetch = |rest: &[Item]| {
        if let Some(index) = index {
            if let Some(alias) = person_alias(rest.get(ENTRIES_AHEAD - 1)) {
                index.prefetch_surname_entry(alias);
            }
            if let Some(alias) = person_alias(rest.get(TEXTS_AHEAD - 1)) {
                index.prefetch_surname_text(alias);
            }
        }
    };
    (0..ENTRIES_AHEAD).for_each(|at| {
        if let (Some(index), Some(alias)) = (index, person_alias(items.get(at))) {
            index.prefetch_surname_entry(alias);
        }
    });
    let mut items = items.into_iter();
    while let Some(item) = items.next() {
        prefetch(items.as_slice());
        match item {
            Item::Exact(candidate) => resolver.exact(candidate),
            Item::Fuzzy(span, proposal) => resolver.fuzzy(span, proposal),
        }
    }
    resolver.roles_by_apposition();
    resolver.resolution
}

/// The exact candidates and the fuzzy spans as one list, by start and then end; where both
/// have the same, the exact candidate first (in the order of a stable sort of the two lists one
/// after the other). The spans come in text order, and so do the candidates but for role
/// matches added after the names: a merge of the two, with no sort for most documents.
fn in_text_order(
    mut exact: Vec<Candidate>,
    mut fuzzy: Vec<(NameSpan, Arc<Proposal>)>,
) -> Vec<Item> {
    let exact_key = |c: &Candidate| (c.start, c.end);
    let fuzzy_key = |(s, _): &(NameSpan, Arc<Proposal>)| (s.start, s.end);
    if !exact.is_sorted_by_key(exact_key) {
        exact.sort_by_key(exact_key);
    }
    if !fuzzy.is_sorted_by_key(fuzzy_key) {
        fuzzy.sort_by_key(fuzzy_key);
    }
    let mut items = Vec::with_capacity(exact.len() + fuzzy.len());
    let mut fuzzy = fuzzy.into_iter().peekable();
    for candidate in exact {
        while let Some(span) = fuzzy.next_if(|span| fuzzy_key(span) < exact_key(&candidate)) {
            items.push(Item::Fuzzy(span.0, span.1));
        }
        items.push(Item::Exact(candidate));
    }
    items.extend(fuzzy.map(|(span, proposal)| Item::Fuzzy(span, proposal)));
    items
}

/// The entities a candidate's aliases name, in index order, each once.
fn entities_of(candidate: &Candidate) -> SmallVec<[EntityIndex; 2]> {
    // Nearly every candidate has one choice: no collecting for it.
    if let [only] = candidate.choices.as_slice() {
        return smallvec::smallvec![only.facts.entity];
    }
    let mut entities: SmallVec<[EntityIndex; 2]> =
        candidate.choices.iter().map(|c| c.facts.entity).collect();
    if entities.len() > 1 {
        entities.sort();
        entities.dedup();
    }
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

/// Words before a role, and a space, that make it a past or a future holder's ("former
/// Russian president", "the incoming NATO chief"): not the holder on the document's date.
const FORMER: [&str; 8] = [
    "former",
    "late",
    "previous",
    "erstwhile",
    "one-time",
    "onetime",
    "incoming",
    "future",
];
/// Prefixes joined to a role by a hyphen that do the same ("ex-Belarusian leader",
/// "then-Russian President Dmitry Medvedev": the holder at the time told of, not at the date).
const FORMER_PREFIXES: [&str; 2] = ["ex", "then"];

/// The word of [`FORMER`] or [`FORMER_PREFIXES`] written right before `start` in `text`, as
/// written, and where it starts.
fn former_before(text: &str, start: usize) -> Option<(usize, &str)> {
    let before = &text[..start];
    let (before, hyphen) = match before.strip_suffix('-') {
        Some(joined) => (joined, true),
        None => (before.trim_end(), false),
    };
    if !hyphen && before.len() == text[..start].len() {
        // Neither a space nor a hyphen: the role is not a word of its own.
        return None;
    }
    let word_start = before
        .rfind(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map_or(0, |at| {
            at + before[at..].chars().next().map_or(1, char::len_utf8)
        });
    let word = &before[word_start..];
    let listed: &[&str] = if hyphen { &FORMER_PREFIXES } else { &FORMER };
    listed
        .iter()
        .any(|f| f.eq_ignore_ascii_case(word))
        .then_some((word_start, word))
}

/// "-elect" (or " elect") written right after a role that ends at `end` ("US
/// President-elect"): a future holder's, as with [`FORMER`]. The word as written, without its
/// joiner.
fn elect_after(text: &str, end: usize) -> Option<&str> {
    let after = &text[end..];
    let elect = after
        .get(..6)
        .filter(|e| e.starts_with(['-', ' ']) && e[1..].eq_ignore_ascii_case("elect"))?;
    let word_goes_on = after[6..].chars().next().is_some_and(char::is_alphanumeric);
    (!word_goes_on).then(|| &elect[1..])
}

/// Whether `between` joins a name to the role after it in apposition: a comma, spaces, and
/// perhaps "the" ("Putin, the Russian president").
fn is_apposition_comma(between: &str) -> bool {
    // "Putin, the former Russian president": a past holder is named as well as a present one.
    let joined = former_before(between, between.len()).map_or(between, |(at, _)| &between[..at]);
    let Some(rest) = joined.strip_prefix(',') else {
        return false;
    };
    let rest = rest.trim_start();
    let rest = ["the ", "The "]
        .iter()
        .find_map(|the| rest.strip_prefix(the))
        .unwrap_or(rest);
    rest.len() < between.len() - 1 && rest.trim_start().is_empty()
}

impl Resolver<'_> {
    /// Gives a role of an undated document to the person named right after it, or right
    /// before it and a comma, when that person holds the role in some period: "Russian
    /// President Vladimir Putin" and "Vladimir Putin, the Russian president," say who the
    /// president is, whatever the date (`context`). Other undated roles stay unresolved.
    fn roles_by_apposition(&mut self) {
        if self.appositive_roles.is_empty() {
            return;
        }
        let resolution = &mut self.resolution;
        for (start, end, sentence, roles) in std::mem::take(&mut self.appositive_roles) {
            let Some(span) = resolution
                .unresolved
                .iter()
                .position(|u| u.start == start && u.end == end)
            else {
                // Resolved already (an alias of the same span that holds at any date).
                continue;
            };
            let after = resolution.mentions.partition_point(|m| m.start < end);
            let name_after = resolution.mentions.get(after).filter(|m| {
                m.kind == AliasKind::Name && m.sentence == sentence && {
                    // "US President-elect Joe Biden": the name after the "-elect".
                    let elect = elect_after(self.text, end).map_or(0, |e| e.len() + 1);
                    self.text[end + elect..m.start]
                        .chars()
                        .all(char::is_whitespace)
                }
            });
            let before = resolution.mentions.partition_point(|m| m.end <= start);
            let name_before = before
                .checked_sub(1)
                .and_then(|last| resolution.mentions.get(last))
                .filter(|m| {
                    m.kind == AliasKind::Name
                        && m.sentence == sentence
                        && is_apposition_comma(&self.text[m.end..start])
                });
            let Some(role) = [name_after, name_before]
                .into_iter()
                .flatten()
                .find_map(|named| roles.iter().find(|c| c.facts.entity == named.entity))
            else {
                continue;
            };
            let mention = Mention {
                start,
                end,
                sentence,
                entity: role.facts.entity,
                alias: role.alias,
                kind: AliasKind::Role,
                method: Method::Context,
                score: CONTEXT_SCORE,
            };
            resolution.unresolved.remove(span);
            let at = resolution
                .mentions
                .partition_point(|m| (m.start, m.end) <= (start, end));
            resolution.mentions.insert(at, mention);
        }
    }

    fn unresolved(
        &mut self,
        start: usize,
        end: usize,
        sentence: usize,
        reason: impl Into<Reason>,
    ) -> &mut UnresolvedSpan {
        self.resolution.unresolved.push(UnresolvedSpan {
            start,
            end,
            sentence,
            reason: reason.into(),
            nearest: None,
            candidates: Vec::new(),
            kind: AliasKind::Name,
            sentence_initial: false,
        });
        self.resolution.unresolved.last_mut().expect("just pushed")
    }

    /// Adds a mention; `person` says whether its entity is a person, and `surname` where its
    /// surname key is found.
    fn push(&mut self, mention: Mention, person: bool, surname: SurnameSource<'_>) {
        if person && mention.kind == AliasKind::Name {
            // A name of two words or more, by its last word's key.
            let surface = &self.text[mention.start..mention.end];
            let key: Option<Cow<'_, str>> = match (surname, self.alias_keys) {
                (SurnameSource::WordKeys(keys), _) => {
                    surname_key_of_word_keys(keys).map(Cow::Borrowed)
                }
                (SurnameSource::VerbatimAlias, Some(index)) => {
                    debug_assert_eq!(self.gazetteer.alias(mention.alias).text, surface);
                    index
                        .full_name_surname_key(mention.alias)
                        .map(Cow::Borrowed)
                }
                (SurnameSource::VerbatimAlias | SurnameSource::Text, _) => {
                    full_name_surname_key(surface).map(Cow::Owned)
                }
            };
            // The surface's own key, or its French reading's when that found the entity.
            debug_assert!(
                key.as_deref() == full_name_surname_key(surface).as_deref()
                    || key.as_deref()
                        == crate::matcher::french_word_keys(surface)
                            .as_deref()
                            .and_then(surname_key_of_word_keys),
                "{surface}: {key:?}"
            );
            if let Some(key) = key {
                match self.full_names.get_mut(&*key) {
                    Some(slot) => {
                        if *slot != Some(mention.entity) {
                            *slot = None;
                        }
                    }
                    None => {
                        self.full_names
                            .insert(key.into_owned(), Some(mention.entity));
                    }
                }
            }
        }
        self.resolution.mentions.push(mention);
    }

    /// The person a bare surname (a span of these word keys) means in this document, by what
    /// it named in full before.
    fn named_in_full(&self, keys: &[String]) -> Option<Option<EntityIndex>> {
        match keys {
            [only] => self.full_names.get(only).copied(),
            _ => None,
        }
    }

    fn exact(&mut self, mut candidate: Candidate) {
        let gazetteer = self.gazetteer;
        let (start, end, sentence) = (candidate.start, candidate.end, candidate.sentence);
        // Roles hold only on the document's date.
        let had_roles = candidate
            .choices
            .iter()
            .any(|c| c.facts.kind == AliasKind::Role);
        let date = self.date;
        // "former Russian president" is not the one on the document's date: its holder is
        // only found by a name beside it ("former Russian President Dmitry Medvedev").
        let former = had_roles
            .then(|| {
                former_before(self.text, start)
                    .map(|(_, word)| word)
                    .or_else(|| elect_after(self.text, end))
            })
            .flatten();
        if had_roles && (date.is_none() || former.is_some()) {
            let roles = candidate
                .choices
                .iter()
                .filter(|c| c.facts.kind == AliasKind::Role)
                .copied()
                .collect();
            self.appositive_roles.push((start, end, sentence, roles));
        }
        if let Some(word) = former {
            candidate
                .choices
                .retain(|choice| choice.facts.kind != AliasKind::Role);
            if candidate.choices.is_empty() {
                self.unresolved(
                    start,
                    end,
                    sentence,
                    format!("a role with \"{word}\": a past or future holder, not the one on the document's date"),
                )
                .kind = AliasKind::Role;
                return;
            }
        }
        if candidate.choices.iter().any(|c| c.facts.has_period) {
            candidate
                .choices
                .retain(|choice| match &gazetteer.alias(choice.alias).role {
                    Some(role) => date.is_some_and(|d| role.holds_on(d)),
                    None => true,
                });
        }
        if candidate.choices.is_empty() {
            match date {
                None if had_roles => {
                    self.unresolved(start, end, sentence, "a role, and the document has no date")
                        .kind = AliasKind::Role;
                }
                Some(date) if had_roles => {
                    self.unresolved(
                        start,
                        end,
                        sentence,
                        format!("a role that no entity held on {date}"),
                    )
                    .kind = AliasKind::Role;
                }
                _ => {}
            }
            return;
        }
        let entities = entities_of(&candidate);
        let pick = |entity: EntityIndex| {
            *candidate
                .choices
                .iter()
                .filter(|c| c.facts.entity == entity)
                .max_by_key(|c| (c.verbatim, std::cmp::Reverse(c.alias)))
                .expect("entity comes from a choice")
        };
        // Whether the document names one of a shared alias's entities elsewhere.
        let names_any = || entities.iter().any(|e| self.named.contains_key(e));
        let (method, choice) = if let [only] = entities.as_slice() {
            let choice = pick(*only);
            let method = if choice.facts.kind == AliasKind::Role {
                Method::Role
            } else if choice.verbatim {
                Method::Exact
            } else {
                Method::Normalized
            };
            (method, choice)
        } else if let Some(entity) = by_context(&entities, &self.named) {
            (Method::Context, pick(entity))
        } else if let Some(choice) = candidate
            .choices
            .iter()
            .find(|c| c.facts.default)
            .filter(|_| !names_any())
        {
            // The default is for a document that names none of them: one that names two alike
            // ("Valery Tsepkalo ... Veronika Tsepkalo ... Tsepkalo said") leaves it open.
            (Method::Default, *choice)
        } else {
            let reason = if names_any() {
                "an alias shared by several entities, and the document names more than one of them as often"
            } else {
                "an alias shared by several entities, and nothing in the document decides"
            };
            // The kind every choice has ("role" when all are roles), else a name.
            let kind = match candidate.choices.split_first() {
                Some((first, rest)) if rest.iter().all(|c| c.facts.kind == first.facts.kind) => {
                    first.facts.kind
                }
                _ => AliasKind::Name,
            };
            let span = self.unresolved(start, end, sentence, reason);
            span.candidates = entities.to_vec();
            span.kind = kind;
            return;
        };
        let facts = choice.facts;
        if facts.kind == AliasKind::Name && facts.person() {
            if let Some(reason) = self.bare_name_conflict(&candidate, facts.entity) {
                self.unresolved(start, end, sentence, reason);
                return;
            }
        }
        self.push(
            Mention {
                start,
                end,
                sentence,
                entity: facts.entity,
                alias: choice.alias,
                kind: facts.kind,
                method,
                score: 1.0,
            },
            facts.person(),
            if method == Method::Exact {
                SurnameSource::VerbatimAlias
            } else {
                SurnameSource::Text
            },
        );
    }

    /// Why a bare surname cannot be `entity`, a person: the document used that surname in full
    /// for someone else (refused by the fuzzy pass) and never named `entity` in full.
    fn bare_name_conflict(&mut self, candidate: &Candidate, entity: EntityIndex) -> Option<String> {
        if self.foreign_full_names.is_empty() {
            return None;
        }
        let words = self.segmented.tokens[candidate.tokens.clone()]
            .iter()
            .filter(|t| t.kind == TokenKind::Word)
            .count();
        if words != 1 {
            return None;
        }
        let surname = name_key(&self.text[candidate.start..candidate.end]);
        let named_in_full = self.full_names.get(&surname).copied().flatten() == Some(entity);
        if self.foreign_full_names.contains(&surname) && !named_in_full {
            return Some(format!(
                "the document names another person with this surname, and never {} in full",
                self.gazetteer.entity(entity).name
            ));
        }
        None
    }

    fn fuzzy(&mut self, span: NameSpan, proposal: Arc<Proposal>) {
        let best = proposal.candidates.first().cloned();
        let runner_up = proposal.candidates.get(1);
        if let Some(context) = self.named_in_full(&proposal.word_keys) {
            match context {
                Some(entity) => {
                    // Only persons are named in full.
                    let alias = self.gazetteer.name_alias(entity);
                    self.push(
                        Mention {
                            start: span.start,
                            end: span.end,
                            sentence: span.sentence,
                            entity,
                            alias,
                            kind: AliasKind::Name,
                            method: Method::Context,
                            score: CONTEXT_SCORE,
                        },
                        true,
                        SurnameSource::WordKeys(&proposal.word_keys),
                    );
                }
                None => {
                    let unresolved = self.unresolved(
                        span.start,
                        span.end,
                        span.sentence,
                        "the document names two people with this surname",
                    );
                    unresolved.nearest = best;
                }
            }
            return;
        }
        let decided = best.as_ref().filter(|b| {
            b.score >= FUZZY_THRESHOLD
                && runner_up.is_none_or(|r| b.score - r.score >= FUZZY_MARGIN)
        });
        if let Some(best) = decided {
            let method = match best.method {
                FuzzyMethod::Transliterated => Method::Transliterated,
                FuzzyMethod::Fuzzy => Method::Fuzzy,
            };
            let person = self.gazetteer.entity(best.entity).entity_type == EntityType::Person;
            self.push(
                Mention {
                    start: span.start,
                    end: span.end,
                    sentence: span.sentence,
                    entity: best.entity,
                    alias: best.alias,
                    kind: AliasKind::Name,
                    method,
                    score: round_score(best.score),
                },
                person,
                SurnameSource::WordKeys(&proposal.word_keys),
            );
            return;
        }
        let words = &proposal.word_keys;
        if words.len() >= 2
            && proposal
                .refused
                .iter()
                .any(|r| r.reason == "a different given name")
        {
            self.foreign_full_names
                .insert(words.last().expect("two words").clone());
        }
        let sentence_initial = (span.sentence_initial && words.len() == 1) || span.headline;
        let unresolved = self.unresolved(
            span.start,
            span.end,
            span.sentence,
            Reason::Undecided(proposal),
        );
        unresolved.nearest = best;
        unresolved.sentence_initial = sentence_initial;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::word_key_iter;

    #[test]
    fn former_and_ex_before_a_role_are_found() {
        let role_at = |text: &str| text.find("Russian").unwrap();
        for (text, word) in [
            ("the former Russian president", Some("former")),
            ("Former Russian president", Some("Former")),
            ("an ex-Russian president", Some("ex")),
            ("then-Russian president", Some("then")),
            ("and then Russian president", None),
            ("an ex Russian president", None),
            ("the late  Russian president", Some("late")),
            ("the one-time Russian president", Some("one-time")),
            ("the incoming Russian president", Some("incoming")),
            ("the Russian president", None),
            ("Russian president", None),
            ("a pro-Russian president", None),
            ("the formerRussian president", None),
            ("the former-Russian president", None),
            ("uniformer Russian president", None),
        ] {
            let found = former_before(text, role_at(text));
            assert_eq!(found.map(|(_, word)| word), word, "{text}");
            if let Some((at, written)) = found {
                assert_eq!(&text[at..at + written.len()], written, "{text}");
            }
        }
    }

    #[test]
    fn elect_after_a_role_is_found() {
        let end_of = |text: &str| text.find("president").unwrap() + "president".len();
        for (text, found) in [
            ("US president-elect Biden", Some("elect")),
            ("US president-Elect", Some("Elect")),
            ("US president-electorate", None),
            ("US president elect Biden", Some("elect")),
            ("US president electors", None),
            ("US president", None),
            ("US president-el", None),
        ] {
            assert_eq!(elect_after(text, end_of(text)), found, "{text}");
        }
    }

    #[test]
    fn an_apposition_is_a_comma_then_spaces_and_perhaps_the() {
        for joined in [
            ", ",
            ",  ",
            ", the ",
            ",the ",
            ", The ",
            ",\n",
            ", the former ",
            ", former ",
            ", the ex-",
        ] {
            assert!(is_apposition_comma(joined), "{joined:?}");
        }
        for apart in [
            ",",
            " ",
            "",
            " , ",
            ", and ",
            ", theme ",
            ", the",
            "; ",
            ", the formerly ",
            ", the former",
        ] {
            assert!(!is_apposition_comma(apart), "{apart:?}");
        }
    }

    /// [`full_name_surname_key`] by its definition: every word's key, the last kept when there
    /// are two or more.
    fn by_all_keys(surface: &str) -> Option<String> {
        let keys: Vec<String> = word_key_iter(surface).collect();
        (keys.len() >= 2).then(|| keys.last().expect("two keys").clone())
    }

    proptest::proptest! {
        /// The merge puts the items where a stable sort of both lists, one after the other,
        /// puts them (each list's own order mostly given, but not always).
        #[test]
        fn the_merge_orders_items_as_a_stable_sort(
            exact in proptest::collection::vec((0..12usize, 0..3usize), 0..8),
            fuzzy in proptest::collection::vec((0..12usize, 0..3usize), 0..8),
        ) {
            // Each item's place in the lists, one after the other, kept in `sentence`.
            let candidates: Vec<Candidate> = exact.iter().enumerate().map(|(n, &(start, len))| Candidate {
                start,
                end: start + len,
                tokens: 0..0,
                sentence: n,
                choices: Default::default(),
            }).collect();
            let spans: Vec<(NameSpan, Arc<Proposal>)> = fuzzy.iter().enumerate().map(|(n, &(start, len))| (NameSpan {
                start,
                end: start + len,
                tokens: 0..0,
                sentence: exact.len() + n,
                titled: false,
                sentence_initial: false,
                headline: false,
            }, Arc::default())).collect();
            let place = |item: &Item| match item {
                Item::Exact(c) => c.sentence,
                Item::Fuzzy(s, _) => s.sentence,
            };
            let mut expected: Vec<(usize, usize, usize)> = exact.iter().chain(&fuzzy).enumerate()
                .map(|(n, &(start, len))| (start, start + len, n)).collect();
            expected.sort_by_key(|&(start, end, _)| (start, end));
            let merged: Vec<(usize, usize, usize)> = in_text_order(candidates, spans).iter()
                .map(|item| (item.start(), item.end(), place(item))).collect();
            proptest::prop_assert_eq!(merged, expected);
        }

        #[test]
        fn surname_keys_agree_with_their_definition(surface in "[a-cA-C0-9 .’'\\-łŁšéЛук\u{301}]{0,24}") {
            proptest::prop_assert_eq!(full_name_surname_key(&surface), by_all_keys(&surface));
        }
    }

    /// The fuzzy index's stored surname key of a name alias (read for verbatim mentions) is
    /// the one computed from the alias's text, and the fuzzy pass's word keys give it too.
    #[test]
    fn stored_surname_keys_are_the_computed_ones() {
        let names = [
            ("p1", "Lukashenko"),
            ("p2", "Alexander G. Lukashenko"),
            ("p3", "Аляксандр Лукашэнка"),
            ("p4", "Jean-Claude Juncker"),
            ("p5", "Łukasz Szumowski"),
            ("p6", "Putin 2"),
            ("p7", "’ Juncker"),
        ];
        let gazetteer = crate::gazetteer::people(&names);
        let index = FuzzyIndex::new(&gazetteer);
        let mut checked = 0;
        for (number, alias) in gazetteer.aliases().iter().enumerate() {
            if alias.kind != AliasKind::Name {
                continue;
            }
            let computed = full_name_surname_key(&alias.text);
            let stored = index.full_name_surname_key(AliasIndex(number as u32));
            assert_eq!(stored, computed.as_deref(), "{:?}", alias.text);
            let keys: Vec<String> = word_key_iter(&alias.text).collect();
            assert_eq!(surname_key_of_word_keys(&keys), computed.as_deref());
            checked += usize::from(computed.is_some());
        }
        // Names of one keyed word ("Lukashenko", "’ Juncker") have no full-name key; the
        // other five do.
        assert_eq!(checked, 5);
    }

    #[test]
    fn a_full_names_surname_key_is_the_last_of_all_its_word_keys() {
        let surfaces = [
            "Lukashenko",
            "Alexander Lukashenko",
            "Alexander G. Lukashenko",
            "Sviatlana Tsikhanouskaya",
            "Łukaszenka",
            "Аляксандр Лукашэнка",
            "Jean-Claude Juncker",
            "Juncker ’",
            "’ Juncker",
            "- -",
            "Putin 2",
            "O’Neill",
            "",
        ];
        for surface in surfaces {
            assert_eq!(
                full_name_surname_key(surface),
                by_all_keys(surface),
                "{surface:?}"
            );
        }
    }
}
