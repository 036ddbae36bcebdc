//! Finding stated relations inside one sentence: subject entity, trigger, object entity.
//!
//! The arguments are the sentence's resolved mentions (names and roles; a demonym only as a
//! plural noun, "33 Russians", or before a body of its state, "Belarusian authorities", unless
//! counted, "eight Belarusian officials"; a list of demonyms shares the body after it). A body
//! after a possessive joins its possessor ("Lukashenko's regime"), unless the body is a person
//! ("Putin's envoy"). A name with its title or possessor before it is one argument
//! whose head is the last entity: "Belarus' Lukashenko" and "Belarus leader Alexander
//! Lukashenko" are Lukashenko. Triggers come from the lexicon, matched on folded tokens,
//! leftmost-longest. For each trigger:
//!
//! - **subject**: the nearest argument before it, within [`MAX_SUBJECT_DISTANCE`] words, that is
//!   not the object of a preposition ("the only neighbor *of Belarus* to back"), unless that
//!   preposition opens a clause whose verb is the trigger ("after Belarus expelled"). The search skips
//!   a comma-enclosed relative clause, participial phrase or appositive (", who claims …,",
//!   ", speaking in Sochi,", ", Belarus' main ally,"), takes a name the
//!   commas enclose ("The opposition leader, X, warned"), gives a participle after the
//!   clause's comma the entity that opens the sentence ("Belarus expelled Polish diplomats,
//!   accusing Warsaw"), and stops at a clause
//!   boundary: a complementizer ("said *that*"), a subordinator, a quote, a semicolon, a
//!   personal pronoun (the subject is then the pronoun, which is not resolved). After "and" it
//!   takes the previous trigger's subject ("Putin backed X and promised support"), or, when no
//!   trigger came before, the entity that opens the clause ("Lukashenko flew to Sochi and met
//!   Putin");
//! - **object**: the first argument after it, within [`MAX_OBJECT_DISTANCE`] words, before any
//!   comma, conjunction, relative pronoun, quote or other trigger; not a possessor of another
//!   person ("backed *Lukashenko's* rival", see `OTHER_PEOPLE`); a list after ", including"
//!   adds to it ("sanctions on Belarus, including its leader Lukashenko");
//! - **requests**: an infinitive whose subject is another trigger's object states no act
//!   ("urged the EU to impose sanctions on Belarus" gives only the urging), and neither does an
//!   obligation ("Putin must stop backing Lukashenko", "should not back", "has to support"),
//!   an act only planned or weighed ("is expected to meet", "was preparing sanctions against")
//!   or a trip's purpose ("flew to Sochi to meet Putin");
//! - **coordination**: "X and Y sided with Z", "X backed Y and Z" give one relation per pair;
//!   a symmetric relation between coordinated subjects needs no object ("X and Y had a phone
//!   call"), and takes one only right after the trigger ("X and Y met Z", not "met in Sochi");
//! - **passive**: "Y was backed by X" is X → Y; a passive without an agent gives nothing;
//! - **"with X's backing"** set off by commas is X → the entity the phrase goes with
//!   ("Lukashenko, with Putin's backing, refused"; "With Moscow's support, Lukashenko");
//! - **slots**: a trigger may place the arguments itself ("talks between {subject} and
//!   {object}", "extend {object} a * loan");
//! - **negation**: an odd number of cues ("not", "refused to", "stopped") between the subject
//!   and the trigger, none of them before an "and" or "but" that starts another verb's clause,
//!   marks the relation negated; it is kept, never dropped or counted as the positive relation;
//! - a news agency is never a subject: being quoted is not acting.
//!
//! This module owns the sentence-level grammar; the lexicon owns the words.

use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;

use super::lexicon::{Element, RelationLexicon, Trigger, WILDCARD_WORDS};
use crate::gazetteer::{AliasKind, EntityIndex, Gazetteer};
use crate::normalize::fold_into;
use crate::resolve::Mention;
use crate::segment::{Segmented, Token, TokenKind};

/// Words between a trigger and its subject, at most (a skipped relative clause does not count).
pub const MAX_SUBJECT_DISTANCE: usize = 12;
/// Words between a trigger and its object, at most.
pub const MAX_OBJECT_DISTANCE: usize = 10;
/// Words between a negation cue and the trigger it negates, at most.
const NEGATION_REACH: usize = 6;

/// One relation stated in one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedRelation {
    /// Index of the relation type in the lexicon.
    pub relation: usize,
    pub subject: EntityIndex,
    pub object: EntityIndex,
    pub negated: bool,
    /// Index of the sentence in the document's [`Segmented::sentences`].
    pub sentence: usize,
    /// Byte spans in the document text.
    pub trigger: Range<usize>,
    pub subject_span: Range<usize>,
    pub object_span: Range<usize>,
}

/// A lexicon compiled for matching.
#[derive(Debug, Clone)]
pub struct Extractor {
    lexicon: RelationLexicon,
    /// (relation index, trigger), in lexicon order.
    patterns: Vec<(usize, Trigger)>,
    /// First folded word → patterns starting with it.
    by_first_word: FxHashMap<String, Vec<usize>>,
    /// By first byte: the lengths (bit n for n bytes, the last bit for 63 and more) of the
    /// first words that start with it. Most words are turned away here, without hashing.
    first_word_lengths: [u64; 256],
    news_agencies: FxHashSet<EntityIndex>,
}

/// An argument: one or more adjacent mentions standing for one entity.
#[derive(Debug, Clone)]
struct Argument {
    entity: EntityIndex,
    /// Token range relative to the sentence.
    tokens: Range<usize>,
    bytes: Range<usize>,
}

/// One trigger found in a sentence.
#[derive(Debug, Clone)]
struct TriggerMatch {
    pattern: usize,
    tokens: Range<usize>,
    subject_slot: Option<usize>,
    object_slot: Option<usize>,
}

/// A sentence prepared for extraction. One is made per document and filled again for each
/// sentence ([`Extractor::view`]), so that its lists keep their room from sentence to sentence.
#[derive(Default)]
struct SentenceView {
    /// Folded tokens.
    words: Words,
    /// Whether each token starts with an upper-case letter.
    capitalized: Vec<bool>,
    /// Byte spans of the tokens.
    spans: Vec<Range<usize>>,
    arguments: Vec<Argument>,
    /// Token → the argument covering it.
    argument_at: Vec<Option<usize>>,
    /// Token → inside a trigger.
    in_trigger: Vec<bool>,
    /// The arguments before merging (scratch for [`Extractor::view`]).
    unmerged: Vec<Argument>,
}

thread_local! {
    /// Each thread's [`SentenceView`] between documents (see [`Extractor::extract`]).
    static SENTENCE_VIEW: std::cell::Cell<SentenceView> = std::cell::Cell::new(SentenceView::default());
}

/// A sentence's folded tokens, all in one string: a view is made for every sentence that names
/// two entities, and a string per token made that the larger part of extracting relations.
#[derive(Debug, Clone, Default)]
struct Words {
    text: String,
    /// Where each token's folded form lies in `text`.
    spans: Vec<(u32, u32)>,
}

impl Words {
    /// Becomes the folded tokens of `tokens`, which lie within `text[sentence]`.
    fn fill(&mut self, text: &str, sentence: Range<usize>, tokens: &[Token]) {
        let written = &text[sentence.clone()];
        self.text.clear();
        self.spans.clear();
        if written.is_ascii() {
            // Folding is lower-casing: the sentence at once, the tokens where they were.
            let base = sentence.start;
            self.text.push_str(written);
            self.text.make_ascii_lowercase();
            self.spans.extend(
                tokens
                    .iter()
                    .map(|t| ((t.start - base) as u32, (t.end - base) as u32)),
            );
            return;
        }
        for token in tokens {
            let start = self.text.len() as u32;
            fold_into(token.text(text), true, &mut self.text);
            self.spans.push((start, self.text.len() as u32));
        }
    }

    fn len(&self) -> usize {
        self.spans.len()
    }

    fn get(&self, index: usize) -> Option<&str> {
        let &(start, end) = self.spans.get(index)?;
        Some(&self.text[start as usize..end as usize])
    }

    /// The words of tokens `range`.
    fn range(&self, range: Range<usize>) -> impl Iterator<Item = &str> + Clone {
        range.map(|index| &self[index])
    }

    /// Where the longest of `phrases` (folded token sequences) that starts at `within.start`
    /// and ends within `within` ends, if one does.
    fn longest_phrase(&self, phrases: &[Vec<String>], within: Range<usize>) -> Option<usize> {
        let at = within.start;
        phrases
            .iter()
            .filter(|phrase| {
                at + phrase.len() <= within.end
                    && self
                        .range(at..at + phrase.len())
                        .zip(phrase.iter())
                        .all(|(a, b)| a == b)
            })
            .map(|phrase| at + phrase.len())
            .max()
    }
}

impl std::ops::Index<usize> for Words {
    type Output = str;

    fn index(&self, index: usize) -> &str {
        self.get(index).expect("a token of the sentence")
    }
}

static PREPOSITIONS: WordList = WordList::new(&[
    "of", "in", "from", "with", "to", "for", "at", "on", "by", "about", "against", "into", "over",
    "under", "between", "among", "near", "toward", "towards", "across", "through", "within",
    "without", "amid", "during", "after", "before", "since", "like", "than",
]);

/// Words that end the search for a subject: the trigger is in a clause of its own.
static SUBJECT_STOPS: WordList = WordList::new(&[
    ";", ":", "\"", "(", ")", "that", "as", "while", "whereas", "because", "although", "though",
    "if", "unless", "when", "whether", "than", "so",
]);

/// Personal pronouns: the subject or object is a pronoun, which namegraph does not resolve.
static PRONOUNS: WordList = WordList::new(&[
    "he", "she", "it", "they", "we", "i", "you", "him", "them", "us", "me", "this", "these",
    "those", "who", "which", "whom",
]);

/// Words that end the search for an object.
static OBJECT_STOPS: WordList = WordList::new(&[
    ",", ";", ":", "\"", "(", ")", "that", "which", "who", "whom", "whose", "and", "or", "but",
    "as", "while", "whereas", "because", "although", "though", "if", "unless", "when", "where",
    "whether", "amid", "during", "despite", "since", "until", "before", "after", "than",
]);

/// Words that start a comma-enclosed clause the subject search may skip: relative clauses,
/// appositions, and prepositional asides ("Putin, in a statement released by the Kremlin,
/// congratulated").
static PARENTHETICAL_STARTS: WordList = WordList::new(&[
    "who",
    "whom",
    "whose",
    "which",
    "where",
    "the",
    "a",
    "an",
    "once",
    "now",
    "then",
    "like",
    "unlike",
    "in",
    "at",
    "on",
    "after",
    "before",
    "during",
    "according",
    "amid",
    "despite",
    "for",
    "with",
    "from",
]);

/// Words that may stand between an entity and the entity it modifies ("Belarus leader X",
/// "Belarus' X"), or between a conjunction and a coordinated entity ("and his counterpart X").
static TITLE_WORDS: WordList = WordList::new(&[
    "'",
    "s",
    "president",
    "leader",
    "counterpart",
    "prime",
    "minister",
    "foreign",
    "chief",
    "head",
    "strongman",
    "secretary",
    "general",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "ambassador",
    "embattled",
    "mr",
    "mrs",
    "ms",
    "dr",
    "opposition",
    "premier",
    "chancellor",
    "king",
    "queen",
    "envoy",
    "state",
    "de",
    "facto",
    "longtime",
    "authoritarian",
    "veteran",
    "main",
    "top",
    "rival",
    "challenger",
    "opponent",
    "critic",
    "ally",
    "aide",
    "adviser",
    "advisor",
    "lawyer",
    "wife",
    "husband",
    "son",
    "daughter",
    "successor",
    "predecessor",
    "colleague",
    "associate",
    "brother",
    "sister",
    "father",
    "mother",
]);

/// Nouns for people other than whoever possesses them ("Lukashenko's rival", "Belarus'
/// opposition", "Belarus' leader"): a possessor before one is not what the trigger acts on.
/// Things a possessor does or has ("Lukashenko's crackdown", "Putin's government") stand for it.
static OTHER_PEOPLE: WordList = WordList::new(&[
    "rival",
    "rivals",
    "challenger",
    "challengers",
    "opponent",
    "opponents",
    "critic",
    "critics",
    "enemy",
    "enemies",
    "foe",
    "foes",
    "ally",
    "allies",
    "supporter",
    "supporters",
    "aide",
    "aides",
    "adviser",
    "advisers",
    "advisor",
    "advisors",
    "lawyer",
    "lawyers",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "envoy",
    "envoys",
    "ambassador",
    "ambassadors",
    "minister",
    "ministers",
    "officials",
    "official",
    "leader",
    "leaders",
    "president",
    "premier",
    "chancellor",
    "opposition",
    "protesters",
    "protestors",
    "wife",
    "husband",
    "son",
    "sons",
    "daughter",
    "daughters",
    "family",
    "successor",
    "predecessor",
    "colleague",
    "colleagues",
    "associate",
    "associates",
    "staff",
    "team",
    "relatives",
    "brother",
    "sister",
    "father",
    "mother",
    "children",
    "followers",
    "journalists",
    "employees",
    "members",
    "counterpart",
    "people",
    "citizens",
]);

static DETERMINERS: WordList = WordList::new(&[
    "the",
    "his",
    "her",
    "its",
    "their",
    "a",
    "an",
    "both",
    "fellow",
    "neighbouring",
    "neighboring",
]);

/// Verbs of wanting or pressing that make what follows "X to" an act asked of X, like a request
/// trigger does ("pushed the EU to impose sanctions", "wants Moscow to back him"), without
/// stating a relation of their own.
static REQUEST_VERBS: WordList = WordList::new(&[
    "push",
    "pushes",
    "pushed",
    "pushing",
    "press",
    "presses",
    "pressed",
    "pressing",
    "pressure",
    "pressures",
    "pressured",
    "pressuring",
    "encourage",
    "encourages",
    "encouraged",
    "encouraging",
    "persuade",
    "persuades",
    "persuaded",
    "persuading",
    "convince",
    "convinces",
    "convinced",
    "convincing",
    "lobby",
    "lobbies",
    "lobbied",
    "lobbying",
    "want",
    "wants",
    "wanted",
    "wanting",
    "expect",
    "expects",
    "expected",
    "expecting",
    "like",
]);

/// Words before "to" that make the act after it only planned, hoped for or expected ("is
/// expected to meet", "plans to visit", "is set to hold talks"), not one the text says happened.
static PROSPECTS: WordList = WordList::new(&[
    "expected",
    "set",
    "due",
    "scheduled",
    "plan",
    "plans",
    "planned",
    "planning",
    "hope",
    "hopes",
    "hoped",
    "hoping",
    "intend",
    "intends",
    "intended",
    "intending",
    "aim",
    "aims",
    "aimed",
    "aiming",
    "going",
    "likely",
    "unlikely",
]);

/// Verbs of weighing an act before doing it: the act they take as object is not stated.
static DELIBERATIONS: WordList = WordList::new(&[
    "prepare",
    "prepares",
    "prepared",
    "preparing",
    "consider",
    "considers",
    "considered",
    "considering",
    "discuss",
    "discusses",
    "discussed",
    "discussing",
    "propose",
    "proposes",
    "proposed",
    "proposing",
    "weigh",
    "weighs",
    "weighed",
    "weighing",
    "mull",
    "mulls",
    "mulled",
    "mulling",
    "debate",
    "debates",
    "debated",
    "debating",
    "draft",
    "drafts",
    "drafted",
    "drafting",
]);

/// Verbs of going somewhere: "for" after one of them gives the trip's purpose ("arrived in
/// Sochi for talks with Putin"), talks still to come.
static TRAVEL_VERBS: WordList = WordList::new(&[
    "arrive",
    "arrives",
    "arrived",
    "arriving",
    "fly",
    "flies",
    "flew",
    "flying",
    "travel",
    "travels",
    "travelled",
    "traveled",
    "travelling",
    "traveling",
    "come",
    "comes",
    "came",
    "coming",
    "go",
    "goes",
    "went",
    "going",
    "head",
    "heads",
    "headed",
    "heading",
    "return",
    "returns",
    "returned",
    "returning",
]);

/// Verbs of beginning and ending that stand between "to" and the act they begin or end ("to
/// stop backing").
static ASPECT_VERBS: WordList = WordList::new(&[
    "stop", "end", "cease", "halt", "start", "begin", "resume", "continue", "keep",
]);

/// Words that may open a clause before its subject ("Then Lukashenko flew to Sochi and met").
static CLAUSE_OPENERS: WordList = WordList::new(&[
    "then",
    "later",
    "earlier",
    "meanwhile",
    "also",
    "now",
    "today",
    "yesterday",
]);

/// Prepositions that also open a clause of their own ("after Belarus expelled ...").
static SUBORDINATORS: WordList = WordList::new(&["after", "before", "since", "until"]);

/// Words that may stand between a clause's subject and its verb ("since Russia has not backed").
static AUXILIARIES: WordList = WordList::new(&[
    "has", "have", "had", "did", "does", "do", "will", "would", "could", "can", "not", "never",
    "also", "again", "first", "finally", "later", "then",
]);

static BE: WordList = WordList::new(&[
    "is", "was", "were", "are", "been", "being", "be", "get", "got", "gets", "getting",
]);

/// A word length's bit in [`Extractor::first_word_lengths`].
fn length_bit(len: usize) -> u64 {
    1 << len.min(63)
}

/// A fixed list of words, with the first byte of each in a bit set: most words asked about are
/// turned away by that alone (the extractor asks of nearly every word near a trigger).
struct WordList {
    words: &'static [&'static str],
    first_bytes: [u64; 4],
}

impl WordList {
    const fn new(words: &'static [&'static str]) -> Self {
        let mut first_bytes = [0u64; 4];
        let mut i = 0;
        while i < words.len() {
            let byte = words[i].as_bytes()[0] as usize;
            first_bytes[byte / 64] |= 1 << (byte % 64);
            i += 1;
        }
        WordList { words, first_bytes }
    }
}

fn is_in(list: &WordList, word: &str) -> bool {
    match word.as_bytes().first() {
        Some(&byte) if list.first_bytes[byte as usize / 64] & (1 << (byte % 64)) != 0 => {
            list.words.contains(&word)
        }
        _ => false,
    }
}

impl Extractor {
    /// Compiles `lexicon` for the entities of `gazetteer` (news agency ids it does not know are
    /// ignored; `lint` warns about them).
    pub fn new(lexicon: RelationLexicon, gazetteer: &Gazetteer) -> Self {
        let mut patterns = Vec::new();
        let mut by_first_word: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (relation, relation_type) in lexicon.relations.iter().enumerate() {
            for trigger in &relation_type.triggers {
                if let Some(Element::Word(first)) = trigger.elements.first() {
                    by_first_word
                        .entry(first.clone())
                        .or_default()
                        .push(patterns.len());
                    patterns.push((relation, trigger.clone()));
                }
            }
        }
        let news_agencies = lexicon
            .news_agencies
            .iter()
            .filter_map(|id| gazetteer.find(id))
            .collect();
        let mut first_word_lengths = [0u64; 256];
        for word in by_first_word.keys() {
            if let Some(&byte) = word.as_bytes().first() {
                first_word_lengths[usize::from(byte)] |= length_bit(word.len());
            }
        }
        Extractor {
            lexicon,
            patterns,
            by_first_word,
            first_word_lengths,
            news_agencies,
        }
    }

    /// Whether `word` may be the first word of a trigger (false: it is not).
    fn may_start_trigger(&self, word: &str) -> bool {
        word.as_bytes().first().is_some_and(|&byte| {
            self.first_word_lengths[usize::from(byte)] & length_bit(word.len()) != 0
        })
    }

    pub fn lexicon(&self) -> &RelationLexicon {
        &self.lexicon
    }

    /// The relations stated in a document, in text order. `mentions` are the document's
    /// resolved mentions in text order.
    pub fn extract(
        &self,
        text: &str,
        segmented: &Segmented,
        mentions: &[Mention],
    ) -> Vec<StatedRelation> {
        let mut found = Vec::new();
        // The thread's view, reused from document to document: its lists keep their room.
        let mut view = SENTENCE_VIEW.take();
        let mut rest = mentions;
        while let Some(first) = rest.first() {
            let sentence = first.sentence;
            let count = rest.iter().take_while(|m| m.sentence == sentence).count();
            let (in_sentence, after) = rest.split_at(count);
            rest = after;
            let distinct = in_sentence
                .iter()
                .any(|m| m.entity != in_sentence[0].entity);
            if distinct {
                self.extract_sentence(
                    text,
                    segmented,
                    sentence,
                    in_sentence,
                    &mut view,
                    &mut found,
                );
            }
        }
        SENTENCE_VIEW.set(view);
        found
    }

    fn extract_sentence(
        &self,
        text: &str,
        segmented: &Segmented,
        sentence: usize,
        mentions: &[Mention],
        view: &mut SentenceView,
        found: &mut Vec<StatedRelation>,
    ) {
        if !self.view(text, segmented, sentence, mentions, view) {
            return;
        }
        let matches = self.find_triggers(view);
        let mut previous_subjects: Vec<usize> = Vec::new();
        let first_new = found.len();
        for (index, m) in matches.iter().enumerate() {
            let (relation, trigger) = &self.patterns[m.pattern];
            let relation_type = &self.lexicon.relations[*relation];
            let last_is_by = matches!(trigger.elements.last(), Some(Element::Word(w)) if w == "by");
            let passive_by = !last_is_by && view.words.get(m.tokens.end).is_some_and(|w| w == "by");
            let first_word = &view.words[m.tokens.start];
            let before = |k: usize| m.tokens.start.checked_sub(k).map_or("", |i| &view.words[i]);
            // "was backed", "is backed": a passive, but "is standing by" is progressive.
            let after_be = !first_word.ends_with("ing")
                && (is_in(&BE, before(1)) || is_in(&BE, before(2)) && before(1).ends_with("ly"));
            // "the 33 detained Russians": a participle used as an adjective states no act.
            let adjective = m.tokens.len() == 1
                && first_word.ends_with("ed")
                && (is_in(&DETERMINERS, before(1)) || is_number(before(1)));
            // "condemned the arrest of X": the arrest is what was condemned, and whoever made
            // it is not named.
            let object_of_previous = m.subject_slot.is_none()
                && index.checked_sub(1).is_some_and(|previous| {
                    let gap = matches[previous].tokens.end..m.tokens.start;
                    gap.into_iter().all(|k| is_in(&DETERMINERS, &view.words[k]))
                });
            if adjective
                || object_of_previous
                || view.is_requested(m.tokens.start)
                || view.is_obligation(m.tokens.start)
                || view.is_prospective(m.tokens.start)
            {
                continue;
            }

            let (subjects, objects): (Vec<usize>, Vec<usize>) =
                if passive_by && m.subject_slot.is_none() {
                    let agents = view.object_after(m.tokens.end + 1, 3);
                    // "Lukashenko, backed by the Kremlin, …": the participle's patient is the
                    // entity before the comma.
                    let apposed = (before(1) == ",")
                        .then(|| view.argument_ending_before(m.tokens.start))
                        .flatten();
                    let patients = match (m.object_slot, apposed) {
                        (Some(slot), _) | (None, Some(slot)) => vec![slot],
                        (None, None) => view
                            .subject_before(m.tokens.start, &previous_subjects)
                            .unwrap_or_default(),
                    };
                    (agents, patients)
                } else if after_be && m.subject_slot.is_none() && m.object_slot.is_none() {
                    // A passive without an agent states no one's act.
                    (Vec::new(), Vec::new())
                } else {
                    let subjects = match m.subject_slot {
                        Some(slot) => vec![slot],
                        None => view
                            .subject_before(m.tokens.start, &previous_subjects)
                            .unwrap_or_default(),
                    };
                    let objects = match m.object_slot {
                        Some(slot) => vec![slot],
                        // "X and Y met": the relation holds between them, unless an entity
                        // follows the trigger right away ("X and Y met Z"; "met in Sochi" is
                        // no object).
                        None if relation_type.symmetric && subjects.len() >= 2 => {
                            let objects = view.object_after(m.tokens.end, MAX_OBJECT_DISTANCE);
                            let right_after = objects.first().is_some_and(|&o| {
                                view.fillers(m.tokens.end..view.arguments[o].tokens.start)
                            });
                            if right_after {
                                objects
                            } else {
                                Vec::new()
                            }
                        }
                        None => match view.with_possessor_phrase(m.tokens.clone(), &subjects) {
                            // "Lukashenko, with Putin's backing, refused": the backing is
                            // Putin's and it is for the clause's subject.
                            Some(backed) => vec![backed],
                            None => view.object_after(m.tokens.end, MAX_OBJECT_DISTANCE),
                        },
                    };
                    (subjects, objects)
                };
            let mut pairs: Vec<(usize, usize)> = Vec::new();
            if objects.is_empty() && relation_type.symmetric && m.object_slot.is_none() {
                for (i, &a) in subjects.iter().enumerate() {
                    for &b in &subjects[i + 1..] {
                        pairs.push((a, b));
                    }
                }
            } else {
                for &s in &subjects {
                    for &o in &objects {
                        pairs.push((s, o));
                    }
                }
            }
            // "thanked Putin for his support and criticized NATO": a trigger in a prepositional
            // phrase is a noun, not the clause's verb, so it does not lend its subject to a
            // verb after "and".
            let in_phrase = view.follows_preposition(m.tokens.start);
            if !subjects.is_empty() && m.subject_slot.is_none() && !passive_by && !in_phrase {
                previous_subjects = subjects.clone();
            }
            if pairs.is_empty() {
                continue;
            }
            let negated = self.negated(view, m, &subjects);
            let trigger_bytes = view.spans[m.tokens.start].start..view.spans[m.tokens.end - 1].end;
            for (s, o) in pairs {
                let (subject, object) = (&view.arguments[s], &view.arguments[o]);
                if subject.entity == object.entity || self.news_agencies.contains(&subject.entity) {
                    continue;
                }
                let relation = StatedRelation {
                    relation: *relation,
                    subject: subject.entity,
                    object: object.entity,
                    negated,
                    sentence,
                    trigger: trigger_bytes.clone(),
                    subject_span: subject.bytes.clone(),
                    object_span: object.bytes.clone(),
                };
                let repeated = found[first_new..].iter().any(|r| {
                    (r.relation, r.subject, r.object, r.negated)
                        == (
                            relation.relation,
                            relation.subject,
                            relation.object,
                            negated,
                        )
                });
                if !repeated {
                    found.push(relation);
                }
            }
        }
    }

    /// Fills `view` with the folded tokens and arguments of one sentence; false when fewer than
    /// two entities remain.
    fn view(
        &self,
        text: &str,
        segmented: &Segmented,
        sentence: usize,
        mentions: &[Mention],
        view: &mut SentenceView,
    ) -> bool {
        let range = segmented.sentences[sentence].tokens.clone();
        let tokens = &segmented.tokens[range.clone()];
        let token_at = |byte: usize| tokens.partition_point(|t| t.start < byte);
        let sentence_span = segmented.sentences[sentence].start..segmented.sentences[sentence].end;
        view.words.fill(text, sentence_span, tokens);
        let words = &view.words;
        let arguments = &mut view.unmerged;
        arguments.clear();
        // The longest state body starting at token `at` ("authorities", "riot police").
        let body_at = |at: usize| words.longest_phrase(&self.lexicon.state_bodies, at..words.len());
        // Whether demonyms joined by commas and "and"/"or" follow token `from`, the last with a
        // body after it ("Polish*, Lithuanian and Latvian diplomats*").
        let body_after_list = |from: usize, later: &[Mention]| {
            let mut later = later.iter();
            let mut end = from;
            loop {
                let mut k = end;
                if words.get(k) == Some(",") {
                    k += 1;
                }
                if matches!(words.get(k), Some("and" | "or")) {
                    k += 1;
                } else if k == end {
                    return false;
                }
                let next = later.find(|m| m.kind == AliasKind::Demonym && token_at(m.start) >= k);
                let Some(next) = next.filter(|m| token_at(m.start) == k) else {
                    return false;
                };
                end = token_at(next.end);
                if body_at(end).is_some() {
                    return true;
                }
            }
        };
        for (index, mention) in mentions.iter().enumerate() {
            let mut tokens = token_at(mention.start)..token_at(mention.end);
            if tokens.is_empty() {
                continue;
            }
            let mut bytes = mention.start..mention.end;
            if mention.kind == AliasKind::Demonym {
                // "33 Russians" stands for Russia, and so does "Russian authorities" (the body
                // joins the argument); "Russian journalists" and "eight Russian officials" are
                // people, not Russia acting.
                let surface = &text[bytes.clone()];
                let plural = surface.ends_with('s') && surface.chars().count() > 4;
                let counted = tokens.start.checked_sub(1).is_some_and(|before| {
                    is_in(&QUANTIFIERS, &words[before]) || is_number(&words[before])
                });
                match body_at(tokens.end).filter(|_| !counted) {
                    Some(end) => {
                        tokens.end = end;
                        bytes.end = segmented.tokens[range.start + end - 1].end;
                    }
                    None if plural => {}
                    // "the Polish and Lithuanian ambassadors": the body after the list is
                    // each demonym's; coordination then gives one argument per state.
                    None if !counted && body_after_list(tokens.end, &mentions[index + 1..]) => {}
                    None => continue,
                }
            } else if let Some(possessed) = possessed_after(words, tokens.end) {
                // "Lukashenko's regime", "Russia's security forces": a body its possessor
                // commands acts for the possessor, and is one argument with it. A body that is
                // a person of its own ("Putin's envoy") is not the possessor.
                let body = body_at(possessed).filter(|&end| !is_in(&OTHER_PEOPLE, &words[end - 1]));
                if let Some(end) = body {
                    tokens.end = end;
                    bytes.end = segmented.tokens[range.start + end - 1].end;
                }
            }
            // Mentions come by start, then end: a role that contains a name ("NATO chief") comes
            // after the name and replaces it; anything else overlapping is dropped.
            if let Some(last) = arguments.last() {
                if tokens.start < last.tokens.end {
                    if tokens.start == last.tokens.start && tokens.end > last.tokens.end {
                        arguments.pop();
                    } else {
                        continue;
                    }
                }
            }
            arguments.push(Argument {
                entity: mention.entity,
                tokens,
                bytes,
            });
        }
        view.capitalized.clear();
        view.capitalized.extend(tokens.iter().map(|t| {
            t.kind == TokenKind::Word && t.text(text).chars().next().is_some_and(char::is_uppercase)
        }));
        // Merge an entity into the entity it modifies.
        let (words, capitalized) = (&view.words, &view.capitalized);
        let merged = &mut view.arguments;
        merged.clear();
        for argument in view.unmerged.drain(..) {
            if let Some(last) = merged.last_mut() {
                let gap = last.tokens.end..argument.tokens.start;
                // "Belarus' opposition leader X", "Lukashenko's main rival X".
                let modifies = gap.len() <= 4
                    && gap.clone().all(|k| {
                        is_in(&TITLE_WORDS, &words[k])
                            || capitalized[k] && !self.by_first_word.contains_key(&words[k])
                    });
                if modifies {
                    last.entity = argument.entity;
                    last.tokens.end = argument.tokens.end;
                    last.bytes.end = argument.bytes.end;
                    continue;
                }
            }
            merged.push(argument);
        }
        let distinct = merged.iter().any(|a| a.entity != merged[0].entity);
        if !distinct {
            return false;
        }
        view.argument_at.clear();
        view.argument_at.resize(tokens.len(), None);
        for (index, argument) in merged.iter().enumerate() {
            view.argument_at[argument.tokens.clone()].fill(Some(index));
        }
        view.spans.clear();
        view.spans.extend(tokens.iter().map(|t| t.start..t.end));
        view.in_trigger.clear();
        view.in_trigger.resize(tokens.len(), false);
        true
    }

    /// Leftmost-longest trigger matches, not starting inside an argument.
    fn find_triggers(&self, view: &mut SentenceView) -> Vec<TriggerMatch> {
        let mut matches = Vec::new();
        let mut i = 0;
        while i < view.words.len() {
            let mut best: Option<TriggerMatch> = None;
            if view.argument_at[i].is_none() && self.may_start_trigger(&view.words[i]) {
                for &pattern in self.by_first_word.get(&view.words[i]).into_iter().flatten() {
                    let elements = &self.patterns[pattern].1.elements;
                    let mut slots = (None, None);
                    if let Some(end) = view.match_elements(elements, i, &mut slots) {
                        if best.as_ref().is_none_or(|b| end > b.tokens.end) {
                            best = Some(TriggerMatch {
                                pattern,
                                tokens: i..end,
                                subject_slot: slots.0,
                                object_slot: slots.1,
                            });
                        }
                    }
                }
            }
            match best {
                Some(m) => {
                    i = m.tokens.end;
                    for k in m.tokens.clone() {
                        if view.argument_at[k].is_none() {
                            view.in_trigger[k] = true;
                        }
                    }
                    matches.push(m);
                }
                None => i += 1,
            }
        }
        matches
    }

    /// Whether the negation cues between the subject (or the clause start) and the trigger
    /// negate it: an odd number of them ("did not back"; "never stopped backing" is backing),
    /// each read as the longest cue at its place ("stopped short of" is one), and none cut off
    /// from the trigger by "and", "but" or ";", after which another verb has it ("Putin stopped
    /// in Minsk and backed Lukashenko").
    fn negated(&self, view: &SentenceView, m: &TriggerMatch, subjects: &[usize]) -> bool {
        let mut from = m.tokens.start.saturating_sub(NEGATION_REACH);
        if let Some(last) = subjects.iter().map(|&s| view.arguments[s].tokens.end).max() {
            if last <= m.tokens.start {
                from = from.max(last);
            }
        }
        if let Some(cut) = (from..m.tokens.start)
            .rev()
            .find(|&at| is_in(&CLAUSE_BREAKS, &view.words[at]))
        {
            from = cut + 1;
        }
        let mut cues = 0;
        let mut at = from;
        while at < m.tokens.start {
            match view
                .words
                .longest_phrase(&self.lexicon.negations, at..m.tokens.start)
            {
                Some(end) => {
                    cues += 1;
                    at = end;
                }
                None => at += 1,
            }
        }
        cues % 2 == 1
    }
}

/// The token after a possessive that starts at token `end` ("'s" after "Lukashenko", "'" after
/// "Belarus"), if one does.
fn possessed_after(words: &Words, end: usize) -> Option<usize> {
    if words.get(end) != Some("'") {
        return None;
    }
    Some(if words.get(end + 1) == Some("s") {
        end + 2
    } else {
        end + 1
    })
}

/// Whether a folded word is a number written in digits ("33").
fn is_number(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit())
}

/// Words that count what follows: "eight Belarusian officials" are people, not their state.
static QUANTIFIERS: WordList = WordList::new(&[
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "dozen",
    "dozens",
    "hundreds",
    "thousands",
    "several",
    "some",
    "many",
    "few",
    "most",
]);

/// Words after which a negation cue no longer reaches the trigger (see [`Extractor::negated`]).
static CLAUSE_BREAKS: WordList = WordList::new(&["and", "but", ";"]);

impl SentenceView {
    fn argument_starting_at(&self, token: usize) -> Option<usize> {
        self.argument_at
            .get(token)
            .copied()
            .flatten()
            .filter(|&a| self.arguments[a].tokens.start == token)
    }

    /// Matches `elements` from token `at`; returns the end token.
    fn match_elements(
        &self,
        elements: &[Element],
        at: usize,
        slots: &mut (Option<usize>, Option<usize>),
    ) -> Option<usize> {
        let Some((element, rest)) = elements.split_first() else {
            return Some(at);
        };
        match element {
            Element::Word(word) => {
                let fits =
                    self.words.get(at) == Some(word.as_str()) && self.argument_at[at].is_none();
                fits.then(|| self.match_elements(rest, at + 1, slots))
                    .flatten()
            }
            Element::Subject | Element::Object => {
                let argument = self.argument_starting_at(at)?;
                let end = self.match_elements(rest, self.arguments[argument].tokens.end, slots)?;
                if *element == Element::Subject {
                    slots.0 = Some(argument);
                } else {
                    slots.1 = Some(argument);
                }
                Some(end)
            }
            Element::Any => {
                // The fewest words that let the rest match.
                let mut from = at;
                for _ in 0..WILDCARD_WORDS {
                    if let Some(end) = self.match_elements(rest, from, slots) {
                        return Some(end);
                    }
                    from = self.plain_word_end(from)?;
                }
                self.match_elements(rest, from, slots)
            }
        }
    }

    /// The token after the plain word at token `at` (for `*`): a word of letters and digits,
    /// or an amount written without spaces ("$1.5", "€500", "1,000"); None for anything else
    /// (punctuation, an entity), except that a possessor counts as a word ("assured X of
    /// *Russia's* support").
    fn plain_word_end(&self, at: usize) -> Option<usize> {
        let plain = |k: usize| k < self.words.len() && self.argument_at[k].is_none();
        if let Some(a) = self.argument_at.get(at).copied().flatten() {
            return (self.arguments[a].tokens.start == at)
                .then(|| self.possessed_start(a))
                .flatten();
        }
        if !plain(at) {
            return None;
        }
        let amount_part = |k: usize| {
            plain(k)
                && self.words[k]
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '$' | '€' | '£' | '¥'))
        };
        let mut end = at;
        while amount_part(end) && (end == at || self.spans[end - 1].end == self.spans[end].start) {
            end += 1;
        }
        if (at..end).any(|k| self.words[k].bytes().any(|b| b.is_ascii_digit())) {
            return Some(end);
        }
        let word = &self.words[at];
        (!word.is_empty() && word.chars().all(char::is_alphanumeric)).then_some(at + 1)
    }

    /// The subject of a trigger starting at token `before`, with the entities coordinated with
    /// it; `None` when the clause gives none.
    fn subject_before(&self, before: usize, previous_subjects: &[usize]) -> Option<Vec<usize>> {
        let mut j = before;
        let mut distance = 0;
        while j > 0 {
            j -= 1;
            if let Some(a) = self.argument_at[j] {
                let argument = &self.arguments[a];
                // "the only neighbor of Belarus to back": the object of a preposition, unless
                // it possesses the trigger after "with" ("with Putin's backing").
                let possesses_trigger_after_with =
                    self.with_before(a).is_some() && self.possessed_start(a) == Some(before);
                if self.follows_preposition(argument.tokens.start)
                    && !possesses_trigger_after_with
                    && !self.opens_subordinate_clause(argument.tokens.clone(), before)
                {
                    j = argument.tokens.start;
                    distance += 1;
                    continue;
                }
                // "Belarus' authoritarian president visited": the possessor is not the actor,
                // unless it possesses the trigger itself ("Lukashenko's talks with").
                if self
                    .possessed_start(a)
                    .is_some_and(|possessed| possessed != before)
                {
                    return None;
                }
                return Some(self.coordinated_before(a));
            }
            let word = &self.words[j];
            match word {
                // "Putin backed X and promised support": the subject is shared.
                "and" | "but" => {
                    let close = before - j <= 3;
                    if !close {
                        return None;
                    }
                    if !previous_subjects.is_empty() {
                        return Some(previous_subjects.to_vec());
                    }
                    // "Lukashenko flew to Sochi and met Putin": the first verb is no trigger,
                    // and the clause's own subject is the shared one.
                    return self.clause_subject_before(j);
                }
                "," => {
                    let Some(previous) = (0..j).rev().find(|&k| &self.words[k] == ",") else {
                        // "Putin promised a loan, throwing his weight behind Lukashenko": a
                        // participle after the clause shares the clause's subject.
                        let trailing_participle = j + 1 == before && self.is_participle(before);
                        return trailing_participle
                            .then(|| self.sentence_opener(j))
                            .flatten();
                    };
                    let inner = previous + 1..j;
                    // "The opposition leader, Svetlana Tikhanovskaya, warned": the name set
                    // off by the commas is the subject.
                    if let Some(chain) = self.arguments_filling(inner.clone()) {
                        return Some(chain);
                    }
                    let skippable = inner.clone().next().is_some_and(|k| {
                        is_in(&PARENTHETICAL_STARTS, &self.words[k]) || self.is_participle(k)
                    }) || inner.clone().all(|k| self.argument_at[k].is_none())
                        || self.is_possessive_apposition(inner);
                    if !skippable {
                        return None;
                    }
                    j = previous;
                    continue;
                }
                _ => {}
            }
            // "Putin, who backs Lukashenko": the relative pronoun stands for its antecedent.
            if matches!(word, "who" | "which") {
                return self
                    .argument_ending_before(j)
                    .map(|a| self.coordinated_before(a));
            }
            if is_in(&SUBJECT_STOPS, word) || is_in(&PRONOUNS, word) {
                return None;
            }
            if self.spans_word(j) {
                distance += 1;
            }
            if distance > MAX_SUBJECT_DISTANCE {
                return None;
            }
        }
        None
    }

    /// The subject of the clause that ends at the conjunction at token `and`: the clause's first
    /// argument, when it opens the clause (after the sentence's start or a comma, with at most
    /// a determiner or an adverb of time before it) and is not the object of a preposition.
    /// "Protesters called Lukashenko a dictator and backed X" gives none: "Lukashenko" does not
    /// open its clause.
    fn clause_subject_before(&self, and: usize) -> Option<Vec<usize>> {
        let mut first = None;
        let mut j = and;
        let mut distance = 0;
        while j > 0 {
            j -= 1;
            if let Some(a) = self.argument_at[j] {
                j = self.arguments[a].tokens.start;
                if !self.follows_preposition(j) {
                    first = Some(a);
                }
                distance += 1;
                continue;
            }
            let word = &self.words[j];
            if word == "," {
                break;
            }
            if matches!(word, "and" | "but" | "or" | "who" | "which")
                || is_in(&SUBJECT_STOPS, word)
                || is_in(&PRONOUNS, word)
                || self.in_trigger[j]
            {
                return None;
            }
            if self.spans_word(j) {
                distance += 1;
            }
            if distance > MAX_SUBJECT_DISTANCE {
                return None;
            }
        }
        let a = first?;
        let opens = (j..self.arguments[a].tokens.start).all(|k| {
            let word = &self.words[k];
            word == "," || is_in(&DETERMINERS, word) || is_in(&CLAUSE_OPENERS, word)
        });
        // A possessor is not the actor ("Lukashenko's rival fled ... and met").
        (opens && self.possessed_start(a).is_none()).then(|| self.coordinated_before(a))
    }

    /// The entity that opens the sentence, with those coordinated with it, when it opens it
    /// before token `end` (at most determiners or an adverb of time before it) and is not a
    /// possessor: "*Belarus* expelled Polish diplomats, accusing Warsaw", not "The crowd in
    /// Minsk grew, criticizing".
    fn sentence_opener(&self, end: usize) -> Option<Vec<usize>> {
        let a = self.argument_at[..end].iter().flatten().next().copied()?;
        let opens = (0..self.arguments[a].tokens.start).all(|k| {
            let word = &self.words[k];
            is_in(&DETERMINERS, word) || is_in(&CLAUSE_OPENERS, word)
        });
        (opens && self.possessed_start(a).is_none()).then(|| self.coordinated_after(a))
    }

    /// Whether the trigger at token `start` is what someone must or should do ("Putin must stop
    /// backing Lukashenko", "Russia should not back Minsk", "has to support"): an obligation,
    /// not an act the sentence states.
    fn is_obligation(&self, start: usize) -> bool {
        let mut k = start;
        while k > 0 && {
            let word = &self.words[k - 1];
            is_in(&ASPECT_VERBS, word) || matches!(word, "not" | "never")
        } {
            k -= 1;
        }
        let before = |n: usize| k.checked_sub(n).map_or("", |i| &self.words[i]);
        matches!(before(1), "must" | "should")
            || before(1) == "to" && matches!(before(2), "ought" | "has" | "have" | "needs" | "need")
    }

    /// Whether the trigger at token `start` is an act only planned, hoped for or expected
    /// ([`PROSPECTS`] before its "to"): "Lukashenko is expected to meet Putin" states no
    /// meeting yet.
    ///
    /// So is a trip's purpose: "Lukashenko arrived in Sochi for talks with Putin" states the
    /// arrival, and the talks as what it was for (a travel verb earlier in the clause, then
    /// "to", or "for" and perhaps determiners, right before the trigger).
    fn is_prospective(&self, start: usize) -> bool {
        let mut k = start;
        while k > 0 && is_in(&ASPECT_VERBS, &self.words[k - 1]) {
            k -= 1;
        }
        if k >= 2 && &self.words[k - 1] == "to" && is_in(&PROSPECTS, &self.words[k - 2]) {
            return true;
        }
        // An act weighed, not yet done: "was preparing sanctions against", "discussed new
        // sanctions on", "considering backing".
        let weighed = (start.saturating_sub(3)..start).rev().find_map(|at| {
            let word = &self.words[at];
            if is_in(&DELIBERATIONS, word) {
                return Some(true);
            }
            let plain =
                self.argument_at[at].is_none() && !self.in_trigger[at] && self.spans_word(at);
            (!plain).then_some(false)
        });
        if weighed == Some(true) {
            return true;
        }
        // The "to" or "for" of a purpose: "flew to Sochi to meet Putin", "arrived in Sochi for
        // talks with Putin".
        let purpose = if k > 0 && &self.words[k - 1] == "to" {
            Some(k - 1)
        } else {
            let k = self.start_with_determiners(start);
            (k > 0 && &self.words[k - 1] == "for").then(|| k - 1)
        };
        purpose.is_some_and(|purpose| {
            (0..purpose)
                .rev()
                .map(|at| &self.words[at])
                .take_while(|word| !is_in(&CLAUSE_BREAKS, word))
                .any(|word| is_in(&TRAVEL_VERBS, word))
        })
    }

    /// Whether the trigger at token `start` is an act one entity asks of another, not one the
    /// sentence states: an infinitive whose subject is the object of another trigger ("urged
    /// the EU *to impose* sanctions", "called on Putin *to stop backing* Lukashenko") or of a
    /// verb of wanting or pressing ([`REQUEST_VERBS`]).
    fn is_requested(&self, start: usize) -> bool {
        let to = match start.checked_sub(1).map(|k| &self.words[k]) {
            Some("to") => start - 1,
            Some(word)
                if is_in(&ASPECT_VERBS, word) && start >= 2 && &self.words[start - 2] == "to" =>
            {
                start - 2
            }
            _ => return false,
        };
        let Some(a) = to.checked_sub(1).and_then(|k| self.argument_at[k]) else {
            return false;
        };
        if self.arguments[a].tokens.end != to {
            return false;
        }
        let k =
            self.start_with_determiners(self.arguments[self.coordinated_before(a)[0]].tokens.start);
        k > 0 && (self.in_trigger[k - 1] || is_in(&REQUEST_VERBS, &self.words[k - 1]))
    }

    /// Whether a preposition, then perhaps determiners, stands right before token `start`
    /// ("of Belarus", "for his support").
    fn follows_preposition(&self, start: usize) -> bool {
        let k = self.start_with_determiners(start);
        k > 0 && is_in(&PREPOSITIONS, &self.words[k - 1])
    }

    /// Whether the argument at `tokens` is the subject of a clause that a word both preposition
    /// and conjunction opens, and that goes on to the trigger at token `before`: in "after
    /// Belarus expelled", "since Russia has backed", "Belarus" and "Russia" are not objects of
    /// "after" and "since" but the clause's subjects.
    fn opens_subordinate_clause(&self, tokens: Range<usize>, before: usize) -> bool {
        let opener = self.start_with_determiners(tokens.start);
        let verb_follows = (tokens.end..before).all(|k| is_in(&AUXILIARIES, &self.words[k]));
        verb_follows && opener > 0 && is_in(&SUBORDINATORS, &self.words[opener - 1])
    }

    /// The first token of the determiners right before token `start` ("the", "its main"), or
    /// `start` when there are none.
    fn start_with_determiners(&self, start: usize) -> usize {
        let mut k = start;
        while k > 0 && is_in(&DETERMINERS, &self.words[k - 1]) {
            k -= 1;
        }
        k
    }

    /// Whether token `k` is a lower-case "-ing" word: the participle or preposition that opens
    /// a parenthetical phrase (", speaking in Sochi,", ", during talks with X,").
    fn is_participle(&self, k: usize) -> bool {
        let word = &self.words[k];
        !self.capitalized[k] && word.len() > 4 && word.ends_with("ing")
    }

    /// Whether the tokens `range` are an apposition headed by a common noun that an entity
    /// possesses (", Belarus' main ally,", ", Putin's closest ally,"): they name no other
    /// entity the subject could be.
    fn is_possessive_apposition(&self, range: Range<usize>) -> bool {
        let Some(a) = self.argument_at.get(range.start).copied().flatten() else {
            return false;
        };
        let starts_here = self.arguments[a].tokens.start == range.start;
        starts_here
            && self.possessed_start(a).is_some_and(|possessed| {
                possessed < range.end
                    && (possessed..range.end).all(|k| self.argument_at[k].is_none())
            })
    }

    /// The argument, with those coordinated with it, that fills exactly the tokens `range`
    /// ("Svetlana Tikhanovskaya", "Putin and Lukashenko").
    fn arguments_filling(&self, range: Range<usize>) -> Option<Vec<usize>> {
        // An empty range has no argument that both ends at its end and starts at its start.
        let last = self.argument_at[range.end.checked_sub(1)?]?;
        if self.arguments[last].tokens.end != range.end {
            return None;
        }
        let chain = self.coordinated_before(last);
        (self.arguments[chain[0]].tokens.start == range.start).then_some(chain)
    }

    /// The argument that ends right before token `at`, or before a comma there.
    fn argument_ending_before(&self, at: usize) -> Option<usize> {
        let mut end = at;
        if end > 0 && &self.words[end - 1] == "," {
            end -= 1;
        }
        let a = self.argument_at[end.checked_sub(1)?]?;
        (self.arguments[a].tokens.end == end).then_some(a)
    }

    /// For a trigger in a phrase "with X's backing" set off by commas, the entity the phrase
    /// goes with: the one before it ("Lukashenko, with Putin's backing, refused") or, when the
    /// phrase opens the sentence, the one after it ("With Moscow's support, Lukashenko has").
    /// `subjects` is the trigger's subject (the possessor, X).
    fn with_possessor_phrase(&self, trigger: Range<usize>, subjects: &[usize]) -> Option<usize> {
        let &[possessor] = subjects else {
            return None;
        };
        let with = self.with_before(possessor)?;
        if self.possessed_start(possessor) != Some(trigger.start)
            || self.words.get(trigger.end) != Some(",")
        {
            return None;
        }
        if with == 0 {
            let mut after = trigger.end + 1;
            while self
                .words
                .get(after)
                .is_some_and(|w| is_in(&DETERMINERS, w))
            {
                after += 1;
            }
            return self.argument_starting_at(after);
        }
        if &self.words[with - 1] == "," {
            return self.argument_ending_before(with);
        }
        None
    }

    /// The token of the "with" right before argument `a`, determiners between ("with the EU's").
    fn with_before(&self, a: usize) -> Option<usize> {
        let with = self
            .start_with_determiners(self.arguments[a].tokens.start)
            .checked_sub(1)?;
        (&self.words[with] == "with").then_some(with)
    }

    /// The object of a trigger ending at token `from`, with the entities coordinated with it.
    fn object_after(&self, from: usize, reach: usize) -> Vec<usize> {
        let mut distance = 0;
        for j in from..self.words.len() {
            if let Some(a) = self.argument_at[j] {
                if self.possesses_other_people(a) {
                    return Vec::new();
                }
                let mut chain = self.coordinated_after(a);
                // "sanctions on Belarus, including its leader Lukashenko": the list goes on.
                let end = self.arguments[chain[chain.len() - 1]].tokens.end;
                if self.words.get(end) == Some(",") && self.words.get(end + 1) == Some("including")
                {
                    chain.extend(self.object_after(end + 2, 4));
                }
                return chain;
            }
            let word = &self.words[j];
            // "sanctions on eight officials, including Interior Minister Karayeu": the entities
            // the list names are the object's.
            let listed = word == "," && self.words.get(j + 1) == Some("including");
            if !listed
                && (self.in_trigger[j] || is_in(&OBJECT_STOPS, word) || is_in(&PRONOUNS, word))
            {
                return Vec::new();
            }
            // "warned the West against meddling in Belarus": after a preposition, a verb in
            // "-ing" opens a clause of its own, whose entities are not the trigger's object.
            if is_in(&PREPOSITIONS, word) && j + 1 < self.words.len() && self.is_participle(j + 1) {
                return Vec::new();
            }
            if self.spans_word(j) {
                distance += 1;
            }
            if distance > reach {
                break;
            }
        }
        Vec::new()
    }

    /// The token after argument `a`'s possessive ("Lukashenko's", "Belarus'"), if it has one.
    fn possessed_start(&self, a: usize) -> Option<usize> {
        possessed_after(&self.words, self.arguments[a].tokens.end)
    }

    /// Whether argument `a` possesses a person other than itself ("Lukashenko's main rival"):
    /// the head noun, in [`OTHER_PEOPLE`], within three plain words after the possessive.
    fn possesses_other_people(&self, a: usize) -> bool {
        let Some(start) = self.possessed_start(a) else {
            return false;
        };
        for k in start..(start + 3).min(self.words.len()) {
            let word = &self.words[k];
            if is_in(&OTHER_PEOPLE, word) {
                return true;
            }
            let plain = self.argument_at[k].is_none()
                && !self.in_trigger[k]
                && self.spans_word(k)
                && !is_in(&PREPOSITIONS, word)
                && !is_in(&OBJECT_STOPS, word);
            if !plain {
                return false;
            }
        }
        false
    }

    fn spans_word(&self, token: usize) -> bool {
        self.words[token]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric)
    }

    /// Whether the tokens in `range` may stand between a conjunction and an entity.
    fn fillers(&self, range: Range<usize>) -> bool {
        range.len() <= 4
            && range.into_iter().all(|k| {
                self.argument_at[k].is_none()
                    && !self.in_trigger[k]
                    && (is_in(&DETERMINERS, &self.words[k])
                        || is_in(&TITLE_WORDS, &self.words[k])
                        || self.capitalized[k])
            })
    }

    /// `a` and the arguments coordinated before it ("X, Y and *a*"), in text order. The link
    /// nearest `a` must be "and" or "or"; farther links may be commas.
    fn coordinated_before(&self, a: usize) -> Vec<usize> {
        let mut chain = vec![a];
        let mut current = a;
        'links: loop {
            let start = self.arguments[current].tokens.start;
            for conjunction in (start.saturating_sub(5)..start).rev() {
                if !self.fillers(conjunction + 1..start) {
                    break;
                }
                let word = &self.words[conjunction];
                let is_and = matches!(word, "and" | "or");
                let allowed = is_and || word == "," && chain.len() > 1;
                if !allowed {
                    continue;
                }
                let mut end = conjunction;
                if is_and && end > 0 && &self.words[end - 1] == "," {
                    end -= 1;
                }
                if let Some(b) = end.checked_sub(1).and_then(|k| self.argument_at[k]) {
                    if self.arguments[b].tokens.end == end {
                        chain.push(b);
                        current = b;
                        continue 'links;
                    }
                }
                break;
            }
            break;
        }
        chain.reverse();
        chain
    }

    /// `a` and the arguments coordinated after it ("*a*, Y and Z"), in text order. The last link
    /// must be "and" or "or"; earlier links may be commas.
    fn coordinated_after(&self, a: usize) -> Vec<usize> {
        let mut chain = vec![a];
        let mut last_and = 1;
        let mut current = a;
        'links: loop {
            let mut k = self.arguments[current].tokens.end;
            let comma = self.words.get(k).is_some_and(|w| w == ",");
            if comma {
                k += 1;
            }
            let is_and = self.words.get(k).is_some_and(|w| w == "and" || w == "or");
            if is_and {
                k += 1;
            } else if !comma {
                break;
            }
            for start in k..(k + 5).min(self.words.len()) {
                if !self.fillers(k..start) {
                    break;
                }
                if let Some(b) = self.argument_starting_at(start) {
                    chain.push(b);
                    current = b;
                    if is_and {
                        last_and = chain.len();
                    }
                    continue 'links;
                }
            }
            break;
        }
        chain.truncate(last_and);
        chain
    }
}
