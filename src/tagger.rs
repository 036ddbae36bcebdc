//! The tagging pipeline for one document: segment → exact pass → name-like spans → fuzzy pass →
//! resolve → stated relations (when a relation lexicon is given).
//!
//! A [`Tagger`] owns a gazetteer with its compiled matchers and can be shared between threads;
//! [`Tagger::tag`] is a pure function of the document. It also measures how long each stage took
//! ([`StageTimes`]), so that the cost of the fuzzy pass can be compared with the exact pass.

use std::borrow::Cow;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustc_hash::FxHashMap;

use crate::document::{date_in_text, Document};
use crate::gazetteer::{AliasKind, Gazetteer};
use crate::matcher::{
    is_common_word_alias, name_spans, release_bare_names, ExactMatcher, FuzzyIndex, NameSpan,
    Proposal, Vocabulary,
};
use crate::relations::{Extractor, RelationLexicon, StatedRelation};
use crate::resolve::{resolve, DocumentEvidence, Mention, UnresolvedSpan};
use crate::segment::{segment, Segmented};

/// A gazetteer compiled for tagging.
#[derive(Debug, Clone)]
pub struct Tagger {
    gazetteer: Gazetteer,
    /// The folded tokens of every alias, shared by both exact matchers.
    vocabulary: Vocabulary,
    /// Names and demonyms: non-overlapping.
    exact: ExactMatcher,
    /// Role aliases, in a pass of their own so that a role may contain a name
    /// ("NATO chief" is Stoltenberg, and NATO too).
    roles: Option<ExactMatcher>,
    fuzzy: Option<FuzzyIndex>,
    relations: Option<Extractor>,
    /// Fuzzy proposals by span text, remembered for every thread tagging with this tagger (and
    /// its clones: they have the same gazetteer).
    proposals: Arc<Memo>,
}

/// The fuzzy proposals remembered so far, in two levels: each worker thread looks in its own
/// part first (its lock is never contended, and its entries never bounce between cores), and
/// only on a miss in the part shared by all, so that a name is still proposed once, not once
/// per thread.
#[derive(Debug)]
struct Memo {
    /// By rayon worker index, modulo their number (any other thread uses the first).
    threads: Box<[ThreadMemo]>,
    shared: Mutex<Proposals>,
}

type Proposals = FxHashMap<Box<str>, Arc<Proposal>>;

/// One thread's part of the memo, alone on its cache lines.
#[derive(Debug, Default)]
#[repr(align(128))]
struct ThreadMemo(Mutex<Proposals>);

/// Parts for this many worker threads (more threads share parts).
const MEMO_THREADS: usize = 16;

impl Default for Memo {
    fn default() -> Self {
        Memo {
            threads: (0..MEMO_THREADS).map(|_| ThreadMemo::default()).collect(),
            shared: Mutex::default(),
        }
    }
}

/// Locks a part of the memo. A panic while holding the lock cannot leave a half-made entry:
/// insert is one call.
fn locked(part: &Mutex<Proposals>) -> std::sync::MutexGuard<'_, Proposals> {
    part.lock().unwrap_or_else(|e| e.into_inner())
}

/// Remembers `proposal` for `surface` in one part of the memo, starting the part over when it
/// is full.
fn remember(part: &mut Proposals, surface: &str, proposal: &Arc<Proposal>) {
    if part.len() >= MEMO_ENTRIES {
        part.clear();
    }
    part.insert(surface.into(), proposal.clone());
}

impl Memo {
    /// The proposal for `surface`, made by `propose` only if no thread has made it yet.
    fn get_or_propose(&self, surface: &str, propose: impl FnOnce() -> Proposal) -> Arc<Proposal> {
        let index = rayon::current_thread_index().unwrap_or(0) % self.threads.len();
        let own = &self.threads[index].0;
        if let Some(known) = locked(own).get(surface) {
            return known.clone();
        }
        let known = locked(&self.shared).get(surface).cloned();
        let proposal = match known {
            Some(known) => known,
            None => {
                // Proposed outside the lock; another thread may propose the same span
                // meanwhile, to the same result.
                let proposal = Arc::new(propose());
                remember(&mut locked(&self.shared), surface, &proposal);
                proposal
            }
        };
        remember(&mut locked(own), surface, &proposal);
        proposal
    }
}

/// Proposals remembered in a part of the memo before it starts over (bounds its memory).
///
/// News repeats the same unknown names, and [`FuzzyIndex::propose`] is a pure function of the
/// span and the gazetteer, so remembering it changes nothing but the time.
const MEMO_ENTRIES: usize = 1 << 16;

/// Time spent in each stage (summable over documents).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageTimes {
    pub segment: Duration,
    pub exact: Duration,
    pub fuzzy: Duration,
    pub resolve: Duration,
    pub relations: Duration,
}

impl std::ops::AddAssign for StageTimes {
    fn add_assign(&mut self, other: Self) {
        self.segment += other.segment;
        self.exact += other.exact;
        self.fuzzy += other.fuzzy;
        self.resolve += other.resolve;
        self.relations += other.relations;
    }
}

/// One document with its sentences, mentions and the name-like spans left unresolved.
#[derive(Debug, Clone)]
pub struct TaggedDocument<'d> {
    /// Borrowed from the caller ([`Tagger::tag`]) or owned ([`Tagger::tag_owned`]).
    pub document: Cow<'d, Document>,
    /// The document's date: from its metadata, else the first date written in it.
    pub date: Option<String>,
    pub segmented: Segmented,
    /// In text order (by start, then end). Name and demonym mentions never overlap each other;
    /// a role mention may contain them ("NATO chief").
    pub mentions: Vec<Mention>,
    /// In text order.
    pub unresolved: Vec<UnresolvedSpan>,
    /// Stated relations, in text order (empty without a relation lexicon).
    pub relations: Vec<StatedRelation>,
    pub times: StageTimes,
}

impl Tagger {
    /// Compiles both passes.
    pub fn new(gazetteer: Gazetteer) -> Self {
        Self::with_fuzzy(gazetteer, true)
    }

    /// Compiles the exact pass, and the fuzzy pass only when `fuzzy` is true.
    pub fn with_fuzzy(gazetteer: Gazetteer, fuzzy: bool) -> Self {
        // The two indexes are independent: compile them side by side.
        let ((vocabulary, exact, roles), fuzzy) = rayon::join(
            || {
                let mut vocabulary = Vocabulary::default();
                // Capitalized common words are never names, whatever a gazetteer lists.
                let exact = ExactMatcher::with_aliases(&gazetteer, &mut vocabulary, |a| {
                    a.kind != AliasKind::Role
                        && !is_common_word_alias(&a.text, a.kind, || {
                            gazetteer.entity(a.entity).entity_type
                        })
                });
                let roles = ExactMatcher::with_aliases(&gazetteer, &mut vocabulary, |a| {
                    a.kind == AliasKind::Role
                });
                (vocabulary, exact, (!roles.is_empty()).then_some(roles))
            },
            || fuzzy.then(|| FuzzyIndex::new(&gazetteer)),
        );
        Tagger {
            gazetteer,
            vocabulary,
            exact,
            roles,
            fuzzy,
            relations: None,
            proposals: Arc::default(),
        }
    }

    /// Also extracts stated relations with `lexicon`.
    pub fn with_relations(mut self, lexicon: RelationLexicon) -> Self {
        self.relations = Some(Extractor::new(lexicon, &self.gazetteer));
        self
    }

    /// The relation extractor, when a lexicon was given.
    pub fn relations(&self) -> Option<&Extractor> {
        self.relations.as_ref()
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The fuzzy index, when compiled.
    pub fn fuzzy(&self) -> Option<&FuzzyIndex> {
        self.fuzzy.as_ref()
    }

    pub fn tag<'d>(&self, document: &'d Document) -> TaggedDocument<'d> {
        self.tag_cow(Cow::Borrowed(document))
    }

    /// Like [`Tagger::tag`], keeping the document: the result borrows nothing, so it can outlive
    /// the batch it came from (the pipeline hands it on while the next batch is tagged).
    pub fn tag_owned(&self, document: Document) -> TaggedDocument<'static> {
        self.tag_cow(Cow::Owned(document))
    }

    fn tag_cow<'d>(&self, document: Cow<'d, Document>) -> TaggedDocument<'d> {
        let text = &document.text;
        let mut times = StageTimes::default();
        let clock = Instant::now();
        let segmented = segment(text);
        times.segment = clock.elapsed();

        let clock = Instant::now();
        let mut ids = self.vocabulary.token_ids(text, &segmented);
        let mut exact = self.exact.find_in(&mut ids, text, &segmented);
        let roles = match &self.roles {
            Some(roles) => roles.find_in(&mut ids, text, &segmented),
            None => Vec::new(),
        };
        drop(ids);
        times.exact = clock.elapsed();

        let clock = Instant::now();
        let mut fuzzy = Vec::new();
        if let Some(index) = &self.fuzzy {
            let places = release_bare_names(text, &segmented, &mut exact);
            let mut covered = vec![false; segmented.tokens.len()];
            for candidate in exact.iter().chain(&roles) {
                covered[candidate.tokens.clone()].fill(true);
            }
            let propose = |span: &NameSpan| {
                let surface = &text[span.start..span.end];
                self.proposals
                    .get_or_propose(surface, || index.propose(&self.gazetteer, surface))
            };
            // Collected from a list of known length: sized once.
            fuzzy = name_spans(text, &segmented, &covered)
                .into_iter()
                .map(|span| {
                    let proposal = propose(&span);
                    (span, proposal)
                })
                .collect();
            for place in places {
                let Some(entry) = fuzzy
                    .iter_mut()
                    .find(|(span, _)| span.tokens.start == place.tokens.start)
                else {
                    continue;
                };
                // "in Minsk Łukaszenka spoke": the words after the place name someone on their
                // own. (Were the place read as a given name, the span could be close to a
                // surname alone.)
                let rest = NameSpan {
                    start: segmented.tokens[place.tokens.end].start,
                    tokens: place.tokens.end..entry.0.tokens.end,
                    titled: false,
                    sentence_initial: false,
                    ..entry.0.clone()
                };
                let proposal = propose(&rest);
                if !proposal.candidates.is_empty() {
                    *entry = (rest, proposal);
                    exact.push(place);
                }
            }
        }
        times.fuzzy = clock.elapsed();
        exact.extend(roles);

        let clock = Instant::now();
        let date = document.date.clone().or_else(|| date_in_text(text));
        let resolution = resolve(
            &self.gazetteer,
            DocumentEvidence {
                text,
                segmented: &segmented,
                date: date.as_deref(),
                exact,
                fuzzy,
                alias_keys: self.fuzzy.as_ref(),
            },
        );
        times.resolve = clock.elapsed();

        let clock = Instant::now();
        let relations = match &self.relations {
            Some(extractor) => extractor.extract(text, &segmented, &resolution.mentions),
            None => Vec::new(),
        };
        times.relations = clock.elapsed();
        TaggedDocument {
            document,
            date,
            segmented,
            mentions: resolution.mentions,
            unresolved: resolution.unresolved,
            relations,
            times,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tagger(people: &[(&str, &str)]) -> Tagger {
        Tagger::new(crate::gazetteer::people(people))
    }

    fn entities(tagger: &Tagger, text: &str) -> Vec<String> {
        let document = Document::new("a", text);
        let tagged = tagger.tag(&document);
        let gazetteer = tagger.gazetteer();
        tagged
            .mentions
            .iter()
            .map(|m| gazetteer.entity(m.entity).id.to_string())
            .collect()
    }

    #[test]
    fn remembered_proposals_never_leak_from_one_tagger_to_another() {
        let text = "Svetlana Tikhanovskaya spoke.";
        let knows = tagger(&[("sviatlana-tsikhanouskaya", "Sviatlana Tsikhanouskaya")]);
        let other = tagger(&[("alexander-lukashenko", "Alexander Lukashenko")]);
        assert_eq!(entities(&knows, text), ["sviatlana-tsikhanouskaya"]);
        assert!(entities(&other, text).is_empty());
        // Again, now that each tagger's memo holds the span.
        assert_eq!(entities(&knows, text), ["sviatlana-tsikhanouskaya"]);
        assert!(entities(&other, text).is_empty());
    }

    #[test]
    fn the_memo_proposes_a_name_once_whatever_thread_asks() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let memo = Memo::default();
        let proposed = AtomicUsize::new(0);
        let propose = || {
            proposed.fetch_add(1, Ordering::Relaxed);
            Proposal {
                candidates: Vec::new(),
                refused: Vec::new(),
                word_keys: vec!["tikhanovskaya".to_string()],
                read_as_french: false,
            }
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        // Both workers ask (broadcast runs once on each), one after the other.
        let first = memo.get_or_propose("Tikhanovskaya", propose);
        let answers = pool.broadcast(|_| memo.get_or_propose("Tikhanovskaya", propose));
        assert_eq!(proposed.load(Ordering::Relaxed), 1);
        for answer in answers {
            assert!(Arc::ptr_eq(&answer, &first));
        }
        // A part that fills up starts over.
        let mut part = Proposals::default();
        for n in 0..MEMO_ENTRIES {
            remember(&mut part, &n.to_string(), &first);
        }
        remember(&mut part, "one more", &first);
        assert_eq!(part.len(), 1);
    }
}
