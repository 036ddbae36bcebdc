//! The fuzzy pass: scoring name-like spans against the gazetteer's aliases on transliteration
//! keys, through an index that never compares a span with every alias.
//!
//! **Index.** Every alias of kind name is keyed by the transliteration key ([`name_key`]) of its
//! last word (a person's surname, an organization's head word). For each distinct key the index
//! holds the key itself and its one-letter deletions (a deletion neighbourhood), hashed and
//! sorted. A span's last word finds every alias whose key is within one edit of its own with a
//! handful of binary searches, whatever the size of the gazetteer.
//!
//! **Scoring** (strsim's Jaro-Winkler on keys) is per entity and applies the safety rules:
//! - persons: the surnames must be close (and agree in grammatical gender where the ending shows
//!   it), and any given name in the span must be compatible with one of the entity's given names
//!   (same key, an initial, a known variant from `given_names.txt`, or a close key), so
//!   "Viktor Lukashenko" is never Alexander Lukashenko; a bare surname is matched by similarity
//!   only from [`MIN_BARE_FUZZY_KEY`] letters, and never when it ends like an English noun
//!   ("Resolution", see [`ENGLISH_NOUN_ENDINGS`]);
//! - states, organizations and places: only when every word's key is equal (a transliteration),
//!   never by similarity, so Prussia, Nigeria or Slovenia stay what they are; and never for one
//!   word whose key is shorter than [`MIN_FUZZY_KEY`] ("Omon" is not Oman);
//! - an acronym: only for a span that is an acronym too ("НАТО") or writes its letters in
//!   another case ("Nato"; for acronyms of at least [`MIN_OTHER_CASE_LETTERS`] letters), never
//!   for a word that folds like it ("Key" is not `KEI`);
//! - an entity listing the span under `not` is never a candidate.
//!
//! A span near no alias at all is read again as a French romanization when it has one
//! ([`french_reading`]: "Poutine"), and that reading counts only when its keys are equal.
//!
//! The pass only proposes [`Scored`] candidates; [`crate::resolve`] decides.

use std::hash::BuildHasher;

use rustc_hash::{FxBuildHasher, FxHashMap};
use std::sync::OnceLock;

use super::is_acronym;
use crate::gazetteer::{alias_key, AliasIndex, AliasKind, EntityIndex, EntityType, Gazetteer};
use crate::memory::{prefetch, prefetch_lines};
use crate::segment::words;
use crate::translit::{french_reading, name_key, name_key_into, surname_gender, Gender};

/// Surname keys shorter than this are only matched when equal.
const MIN_FUZZY_KEY: usize = 5;
/// A bare surname (no given name to confirm it) is matched by similarity only when its key is at
/// least this long: one letter apart, short surnames are usually different names
/// (Bachelet / Bachelot, Pompeo / Pompeii).
const MIN_BARE_FUZZY_KEY: usize = 8;
/// Endings of English derived nouns, which surnames all but never have: a bare capitalized word
/// ending so ("Resolution", "Statement", "Opposition") is a word, not a misspelt surname, however
/// close its key comes to one (at a million aliases, "Resolution" was a person "Reslutyain").
const ENGLISH_NOUN_ENDINGS: &[&str] = &["tion", "sion", "ment", "ness", "ity", "ism", "ship"];
/// Why such a word is refused a surname that is only similar to it.
const ENGLISH_NOUN: &str =
    "a bare word with an English noun ending matches a surname only as written";

/// Whether a word ends like an English derived noun (see [`ENGLISH_NOUN_ENDINGS`]). Name-like
/// spans never hold a possessive ("Resolution's" gives "Resolution").
fn has_english_noun_ending(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    ENGLISH_NOUN_ENDINGS
        .iter()
        .any(|ending| lower.len() > ending.len() + 2 && lower.ends_with(ending))
}

/// Surname keys less similar than this cannot reach the resolution threshold even with a
/// perfect given name (0.65 × 0.80 + 0.35 < 0.90), so they are not scored.
const SURNAME_FLOOR: f64 = 0.80;
/// Why a state, organization or place is refused a span that is only similar.
const NOT_BY_SIMILARITY: &str = "states, organizations and places resolve only by transliteration";
/// Why an acronym alias is refused a span that is neither an acronym itself nor the same letters
/// in another case ("Nato" is `NATO`; "Key" is not `KEI`, nor "Sees" `SES`).
const ACRONYM_AS_WRITTEN: &str = "an acronym matches only as written, in any case";
/// An acronym's own letters in another case name it only from this many letters up. The house
/// styles that write acronyms so do it for those read as words ("Nato", "Tass", "Opec",
/// "Unesco"), nearly all this long, and keep initialisms in capitals (BBC, CIA); a word of three
/// letters or fewer in title case is an English word far more often ("Set" is not `SET`, nor
/// "Put" `PUT`, in a gazetteer large enough to hold such acronyms).
const MIN_OTHER_CASE_LETTERS: usize = 4;
/// Why a shorter acronym is refused its letters in another case.
const SHORT_ACRONYM_IN_CAPITALS: &str =
    "an acronym of fewer than four letters matches only in capitals";
/// Why any other state, organization or place alias is refused a span of one word whose key is
/// shorter than [`MIN_FUZZY_KEY`]: keys that short are shared by unrelated words ("Omon" and
/// Oman, "Body" and Badi, "Moli" and Mali), so such a name matches only as the gazetteer writes
/// it (which the exact pass finds).
const SHORT_WORD_AS_WRITTEN: &str =
    "a word this short matches a state, organization or place only as written";
/// Candidates scoring below this are not even proposed.
const PROPOSE_FLOOR: f64 = 0.75;

/// How a fuzzy candidate relates to the span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FuzzyMethod {
    /// Every word has the same transliteration key: a different romanization of the same name.
    Transliterated,
    /// Close, but not equal, keys.
    Fuzzy,
}

/// One entity proposed for a span, with the alias that scored best.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub entity: EntityIndex,
    pub alias: AliasIndex,
    pub score: f64,
    pub method: FuzzyMethod,
}

/// Why a close alias was turned down (for explanations).
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    pub entity: EntityIndex,
    pub alias: AliasIndex,
    pub reason: &'static str,
}

/// Everything the fuzzy pass found for one span: candidates best first, and refusals.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Proposal {
    /// Best first (by score, then entity).
    pub candidates: Vec<Scored>,
    /// The entities close to the span that were turned down, in entity order: one refusal
    /// each, for its alias listed first in the gazetteer, and none for a candidate's entity.
    pub refused: Vec<Refused>,
    /// The span's word keys, as [`word_keys`] gives them (the resolver reads its surname here).
    pub word_keys: Vec<String>,
    /// The candidates come from reading the span as a French romanization ([`french_reading`]).
    pub read_as_french: bool,
}

/// What the index finds near a surname key.
struct Near {
    /// Aliases to score, each with whether its surname key equals the span's, and the two
    /// keys' similarity (computed once per key).
    found: Vec<(KeyAlias, bool, f64)>,
    /// Aliases turned down on their keys alone, with the reason.
    refused: Vec<(KeyAlias, &'static str)>,
}

/// The compiled fuzzy index over one gazetteer.
#[derive(Debug, Clone)]
pub struct FuzzyIndex {
    /// Distinct last-word keys, in key order, each with what [`FuzzyIndex::near`] reads of it.
    keys: Vec<KeyRecord>,
    /// The few keys too long to be held in their record, by the number the record gives.
    long_keys: Vec<Box<str>>,
    /// The aliases listed under each key, key by key (see [`KeyRecord::aliases`]).
    aliases: Vec<KeyAlias>,
    /// (hash of a key or of one of its deletions, key number), sorted.
    lookup: Vec<(u64, u32)>,
    /// `lookup[buckets[b]..buckets[b + 1]]` holds the hashes whose top `bucket_bits` bits are
    /// `b`: a probe reads one short slice instead of binary-searching millions of entries.
    buckets: Vec<u32>,
    bucket_bits: u32,
    /// The word keys of every name alias, computed once: alias `a`'s words are
    /// `word_ends[first..first + count]` with `(first, count) = alias_words[a]`, each the end of
    /// its key in `key_text`. The keys of the aliases listed under one surname key lie side by
    /// side, in `aliases` order, so that scoring a dense key reads one run of memory.
    key_text: String,
    word_ends: Vec<u32>,
    alias_words: Vec<(u32, u32)>,
    /// Alias `a`'s full-name surname key is `key_text[start..start + len]` with
    /// `(start, len) = surnames[a]`, or there is none (`len` 0): one read to find it, which the
    /// resolver can ask for ahead.
    surnames: Vec<(u32, u32)>,
}

/// A surname key with what [`FuzzyIndex::near`] reads of it for every near key of a span: its
/// text, the gender its ending shows and where its aliases are, in 32 bytes. At a million
/// aliases a span has a dozen near keys, each read at a place of its own in a table far larger
/// than the cache: one record a key is one cache miss a key, where a text, a gender and a list
/// start kept apart were three.
#[derive(Debug, Clone, Copy)]
struct KeyRecord {
    /// Its aliases are `aliases[aliases_start..aliases_start + aliases_len]`.
    aliases_start: u32,
    aliases_len: u32,
    gender: Option<Gender>,
    /// The text's length when it is held in `text` (at most [`INLINE_KEY`] bytes, as nearly
    /// every key is); [`LONG_KEY`] when it is in `long_keys`, at the number `text` begins with.
    len: u8,
    text: [u8; INLINE_KEY],
}

/// The longest key a [`KeyRecord`] holds in place (the rest of its 32 bytes).
const INLINE_KEY: usize = 22;
/// [`KeyRecord::len`] of a key held in [`FuzzyIndex::long_keys`].
const LONG_KEY: u8 = u8::MAX;
const _: () = assert!(std::mem::size_of::<KeyRecord>() == 32);

impl KeyRecord {
    /// `key`'s record; a key too long for it goes to `long_keys`.
    fn new(key: String, aliases: std::ops::Range<usize>, long_keys: &mut Vec<Box<str>>) -> Self {
        let mut text = [0; INLINE_KEY];
        let len = match text.get_mut(..key.len()) {
            Some(prefix) => {
                prefix.copy_from_slice(key.as_bytes());
                key.len() as u8
            }
            None => {
                text[..4].copy_from_slice(&(long_keys.len() as u32).to_le_bytes());
                long_keys.push(key.clone().into_boxed_str());
                LONG_KEY
            }
        };
        KeyRecord {
            aliases_start: aliases.start as u32,
            aliases_len: aliases.len() as u32,
            gender: surname_gender(&key),
            len,
            text,
        }
    }

    /// The key's text (`long_keys`: the index's, for a long key).
    fn text<'a>(&'a self, long_keys: &'a [Box<str>]) -> &'a str {
        if self.len == LONG_KEY {
            let number = u32::from_le_bytes(self.text[..4].try_into().expect("four bytes"));
            &long_keys[number as usize]
        } else {
            std::str::from_utf8(&self.text[..usize::from(self.len)])
                .expect("a whole key was copied in")
        }
    }

    fn aliases(&self) -> std::ops::Range<usize> {
        let start = self.aliases_start as usize;
        start..start + self.aliases_len as usize
    }
}

/// An alias listed under its surname key, with what scoring checks first about its entity, so
/// that a dense key's many aliases are read in one run of memory instead of one gazetteer lookup
/// each.
#[derive(Debug, Clone, Copy)]
struct KeyAlias {
    alias: AliasIndex,
    entity: EntityIndex,
    /// Its `alias_words` entry.
    words: (u32, u32),
    person: bool,
    /// The entity lists names it must not be matched to (`not`).
    has_not: bool,
    /// The alias is an acronym ([`is_acronym`]): matched only by a span that is one too, or
    /// that writes its letters in another case.
    acronym: bool,
}

fn hash(text: &str) -> u64 {
    FxBuildHasher.hash_one(text)
}

/// Sorts (hash, number) pairs as `sort_unstable` would, faster for millions of them: the hashes
/// are spread evenly, so the pairs are first moved, in place, into groups by their top bits
/// (about 64 pairs a group), and then each group is sorted alone. A comparison sort of the
/// lookup list was a third of building the index at a million aliases.
fn sort_hashed(pairs: &mut [(u64, u32)]) {
    let bits = (usize::BITS - pairs.len().leading_zeros())
        .saturating_sub(6)
        .clamp(1, 16);
    let group = |hash: u64| (hash >> (64 - bits)) as usize;
    let groups = 1usize << bits;
    // Where each group starts, and then the next place to fill in each.
    let mut starts = vec![0u32; groups + 1];
    for &(hash, _) in pairs.iter() {
        starts[group(hash) + 1] += 1;
    }
    for g in 0..groups {
        starts[g + 1] += starts[g];
    }
    let mut next = starts.clone();
    for g in 0..groups {
        let end = starts[g + 1] as usize;
        while (next[g] as usize) < end {
            // Carry the pair found here to its group, and the pair found there onwards,
            // until one of this group turns up.
            let mut carried = pairs[next[g] as usize];
            loop {
                let home = group(carried.0);
                if home == g {
                    break;
                }
                std::mem::swap(&mut carried, &mut pairs[next[home] as usize]);
                next[home] += 1;
            }
            pairs[next[g] as usize] = carried;
            next[g] += 1;
        }
    }
    for g in 0..groups {
        pairs[starts[g] as usize..starts[g + 1] as usize].sort_unstable();
    }
}

/// Calls `each` with every one-letter deletion of a key (keys are ASCII), in order of the
/// letter left out, each made in `buffer` (a million aliases have millions of deletions: none
/// is an allocation of its own).
fn each_deletion(key: &str, buffer: &mut String, mut each: impl FnMut(&str)) {
    for i in 0..key.len() {
        buffer.clear();
        buffer.push_str(&key[..i]);
        buffer.push_str(&key[i + 1..]);
        each(buffer);
    }
}

/// Word-token keys of a text.
pub fn word_keys(text: &str) -> Vec<String> {
    word_key_iter(text).collect()
}

/// The word keys of a text read as a French romanization ([`french_reading`]), when one of its
/// words has such a reading.
pub fn french_word_keys(text: &str) -> Option<Vec<String>> {
    let mut read_otherwise = false;
    let keys = words(text)
        .map(|word| match french_reading(word) {
            Some(english) => {
                read_otherwise = true;
                name_key(&english)
            }
            None => name_key(word),
        })
        .filter(|k| !k.is_empty())
        .collect();
    read_otherwise.then_some(keys)
}

/// [`word_keys`] one at a time.
pub fn word_key_iter(text: &str) -> impl Iterator<Item = String> + '_ {
    words(text).map(name_key).filter(|k| !k.is_empty())
}

impl FuzzyIndex {
    /// Builds the index over every name alias of `gazetteer`.
    pub fn new(gazetteer: &Gazetteer) -> Self {
        let mut by_key: FxHashMap<String, Vec<KeyAlias>> = FxHashMap::default();
        let mut key_text = String::new();
        let mut word_ends: Vec<u32> = Vec::new();
        let mut alias_words: Vec<u32> = Vec::with_capacity(gazetteer.aliases().len() + 1);
        for (index, alias) in gazetteer.aliases().iter().enumerate() {
            alias_words.push(word_ends.len() as u32);
            if alias.kind != AliasKind::Name {
                continue;
            }
            // The word keys (as `word_keys` gives them), made straight into `key_text`.
            let mut last_start = None;
            for word in words(&alias.text) {
                let start = key_text.len();
                name_key_into(word, &mut key_text);
                if key_text.len() > start {
                    word_ends.push(key_text.len() as u32);
                    last_start = Some(start);
                }
            }
            if let Some(start) = last_start {
                let last = &key_text[start..];
                if last.len() >= 3 {
                    let entity = gazetteer.entity(alias.entity);
                    let listed = KeyAlias {
                        alias: AliasIndex(index as u32),
                        entity: alias.entity,
                        words: (0, 0),
                        person: entity.entity_type == EntityType::Person,
                        has_not: !entity.not.is_empty(),
                        acronym: is_acronym(&alias.text),
                    };
                    match by_key.get_mut(last) {
                        Some(aliases) => aliases.push(listed),
                        None => {
                            by_key.insert(last.to_string(), vec![listed]);
                        }
                    }
                }
            }
        }
        alias_words.push(word_ends.len() as u32);
        let mut by_key: Vec<(String, Vec<KeyAlias>)> = by_key.into_iter().collect();
        by_key.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        // The keys again, listed aliases first, key by key, then every other alias.
        let listed = by_key
            .iter()
            .flat_map(|(_, aliases)| aliases.iter().map(|a| a.alias.0));
        let everyone = 0..gazetteer.aliases().len() as u32;
        let mut placed_words = vec![(0, 0); gazetteer.aliases().len()];
        let mut placed = vec![false; gazetteer.aliases().len()];
        let mut placed_text = String::with_capacity(key_text.len());
        let mut placed_ends = Vec::with_capacity(word_ends.len());
        for alias in listed.chain(everyone) {
            if std::mem::replace(&mut placed[alias as usize], true) {
                continue;
            }
            let words = alias_words[alias as usize]..alias_words[alias as usize + 1];
            placed_words[alias as usize] = (placed_ends.len() as u32, words.len() as u32);
            for word in words {
                let start = match word {
                    0 => 0,
                    _ => word_ends[word as usize - 1] as usize,
                };
                placed_text.push_str(&key_text[start..word_ends[word as usize] as usize]);
                placed_ends.push(placed_text.len() as u32);
            }
        }
        drop((key_text, word_ends, alias_words, placed));
        for (_, aliases) in &mut by_key {
            for listed in aliases {
                listed.words = placed_words[listed.alias.0 as usize];
            }
        }
        let surnames = placed_words
            .iter()
            .map(|&(first, count)| match count {
                0 | 1 => (0, 0),
                _ => {
                    let last = (first + count - 1) as usize;
                    let start = placed_ends[last - 1];
                    (start, placed_ends[last] - start)
                }
            })
            .collect();
        let mut index = FuzzyIndex {
            keys: Vec::with_capacity(by_key.len()),
            long_keys: Vec::new(),
            // Sized once: at a million aliases these are tens of megabytes, and each doubling
            // would be fresh memory for the kernel to clear.
            aliases: Vec::with_capacity(by_key.iter().map(|(_, aliases)| aliases.len()).sum()),
            lookup: Vec::with_capacity(
                by_key
                    .iter()
                    .map(|(key, _)| match key.len() {
                        n if n >= MIN_FUZZY_KEY => n + 1,
                        _ => 1,
                    })
                    .sum(),
            ),
            buckets: Vec::new(),
            bucket_bits: 4,
            key_text: placed_text,
            word_ends: placed_ends,
            alias_words: placed_words,
            surnames,
        };
        let mut variant = String::new();
        for (number, (key, aliases)) in by_key.into_iter().enumerate() {
            let start = index.aliases.len();
            index.aliases.extend(aliases);
            index.lookup.push((hash(&key), number as u32));
            if key.len() >= MIN_FUZZY_KEY {
                each_deletion(&key, &mut variant, |variant| {
                    index.lookup.push((hash(variant), number as u32));
                });
            }
            let aliases = start..index.aliases.len();
            index
                .keys
                .push(KeyRecord::new(key, aliases, &mut index.long_keys));
        }
        sort_hashed(&mut index.lookup);
        index.lookup.dedup();
        index.bucket_bits = (usize::BITS - index.lookup.len().leading_zeros()).clamp(4, 24);
        let buckets = 1usize << index.bucket_bits;
        index.buckets = Vec::with_capacity(buckets + 1);
        let mut at = 0;
        for bucket in 0..buckets {
            while at < index.lookup.len() && index.bucket_of(index.lookup[at].0) < bucket {
                at += 1;
            }
            index.buckets.push(at as u32);
        }
        index.buckets.push(index.lookup.len() as u32);
        // Debug builds (the tests) check the keys made into `key_text` against their definition.
        #[cfg(debug_assertions)]
        for (number, alias) in gazetteer.aliases().iter().enumerate() {
            let mut keys = Vec::new();
            index.keys_into(index.alias_words[number], &mut keys);
            if alias.kind == AliasKind::Name {
                debug_assert_eq!(keys, word_keys(&alias.text), "{}", alias.text);
            } else {
                debug_assert!(keys.is_empty(), "{}", alias.text);
            }
        }
        index
    }

    /// The surname key of a full name: the last of a name alias's word keys when it has two or
    /// more (as [`crate::resolve`] keys the persons a document names in full), read from the
    /// index instead of computed. Only name aliases have their keys here: for any other alias
    /// this is None whatever its text.
    pub fn full_name_surname_key(&self, alias: AliasIndex) -> Option<&str> {
        let (start, len) = self.surnames[alias.0 as usize];
        let start = start as usize;
        (len > 0).then(|| &self.key_text[start..start + len as usize])
    }

    /// Asks for the memory [`FuzzyIndex::full_name_surname_key`] reads first...
    pub fn prefetch_surname_entry(&self, alias: AliasIndex) {
        prefetch(&self.surnames[alias.0 as usize]);
    }

    /// ... and then (once that has come in) the key's text.
    pub fn prefetch_surname_text(&self, alias: AliasIndex) {
        let (start, _) = self.surnames[alias.0 as usize];
        prefetch(&self.key_text.as_bytes()[start as usize..]);
    }

    /// The word keys of a name alias (as [`word_keys`] gives them; none for any other alias),
    /// given its `alias_words` entry, without recomputing them, into a list the caller reuses.
    fn keys_into<'a>(&'a self, (first, count): (u32, u32), keys: &mut Vec<&'a str>) {
        let words = first as usize..(first + count) as usize;
        keys.clear();
        keys.extend(words.map(|word| {
            let start = match word {
                0 => 0,
                _ => self.word_ends[word - 1] as usize,
            };
            &self.key_text[start..self.word_ends[word] as usize]
        }));
    }

    fn bucket_of(&self, hash: u64) -> usize {
        (hash >> (64 - self.bucket_bits)) as usize
    }

    /// Aliases whose last-word key is within one edit of `key`, after the cheap checks that
    /// need only the keys: similarity floor, gender, and for a `bare` surname (one with no given
    /// name) the length rule and, when it is an `english_noun` too (see
    /// [`has_english_noun_ending`]), no similar key at all. A key that fails them is reported
    /// once, with its first alias, as a refusal, so that a dense gazetteer costs one comparison
    /// per key, not one per alias.
    fn near(&self, key: &str, bare: bool, english_noun: bool) -> Near {
        // The hashes of the key and of its one-letter deletions; then every probe's bucket,
        // then every bucket's entries. Each step's reads are independent of each other, so
        // their cache misses (the tables are large at a million aliases) overlap.
        let mut hashes: Vec<u64> = vec![hash(key)];
        if key.len() >= MIN_FUZZY_KEY {
            let mut variant = String::with_capacity(key.len());
            each_deletion(key, &mut variant, |variant| hashes.push(hash(variant)));
        }
        let slices: Vec<(u64, usize, usize)> = hashes
            .iter()
            .map(|&h| {
                let bucket = self.bucket_of(h);
                let from = self.buckets[bucket] as usize;
                let to = self.buckets[bucket + 1] as usize;
                (h, from, to)
            })
            .collect();
        let mut numbers: Vec<u32> = Vec::new();
        for (h, from, to) in slices {
            numbers.extend(
                self.lookup[from..to]
                    .iter()
                    .filter(|&&(x, _)| x == h)
                    .map(|&(_, number)| number),
            );
        }
        numbers.sort_unstable();
        numbers.dedup();
        // Each key found leads to its text and its list of aliases, far apart in the tables of
        // a million aliases: the records of every key are asked for first, then what they
        // point to, before any is read (one key at a time, each read waited in turn).
        for &number in &numbers {
            prefetch(&self.keys[number as usize]);
        }
        for &number in &numbers {
            prefetch_lines(&self.aliases[self.keys[number as usize].aliases()], 4);
        }
        let gender = surname_gender(key);
        let mut found = Vec::new();
        let mut refused = Vec::new();
        for number in numbers {
            let record = &self.keys[number as usize];
            let candidate = record.text(&self.long_keys);
            let listed = &self.aliases[record.aliases()];
            let same_key = candidate == key;
            let mut surname_score = 1.0;
            if !same_key {
                if key.len() < MIN_FUZZY_KEY || candidate.len() < MIN_FUZZY_KEY {
                    continue;
                }
                surname_score = similarity(key, candidate);
                if surname_score < SURNAME_FLOOR {
                    continue;
                }
                let reason = if gender.is_some() && record.gender.is_some_and(|g| Some(g) != gender)
                {
                    Some("the surname's gender differs")
                } else if bare && key.len().min(candidate.len()) < MIN_BARE_FUZZY_KEY {
                    Some("a bare surname too short to match by similarity")
                } else if english_noun {
                    Some(ENGLISH_NOUN)
                } else {
                    None
                };
                if let Some(reason) = reason {
                    for listed in listed {
                        let reason = if listed.person {
                            reason
                        } else {
                            NOT_BY_SIMILARITY
                        };
                        refused.push((*listed, reason));
                    }
                    continue;
                }
            }
            found.extend(listed.iter().map(|&alias| (alias, same_key, surname_score)));
        }
        Near { found, refused }
    }

    /// Proposes entities for a name-like span (its text, as written). A span that comes near
    /// no alias at all is read again as a French romanization when it has one ("Vladimir
    /// Poutine"); that reading is a transliteration or nothing, never a second chance at being
    /// similar. (A span near an alias that was refused, "Shuhouka" near `Shuhouk`, is not read
    /// again: it has its reading, and a second one would find it a stranger.)
    pub fn propose(&self, gazetteer: &Gazetteer, span: &str) -> Proposal {
        let proposal = self.propose_on_keys(gazetteer, span, &word_keys(span));
        if proposal.candidates.is_empty() && proposal.refused.is_empty() {
            if let Some(keys) = french_word_keys(span) {
                let mut french = self.propose_on_keys(gazetteer, span, &keys);
                french
                    .candidates
                    .retain(|c| c.method == FuzzyMethod::Transliterated);
                if !french.candidates.is_empty() {
                    french.read_as_french = true;
                    return french;
                }
            }
        }
        proposal
    }

    /// [`FuzzyIndex::propose`] for a span read as `owned_keys`, one key per word.
    fn propose_on_keys(
        &self,
        gazetteer: &Gazetteer,
        span: &str,
        owned_keys: &[String],
    ) -> Proposal {
        let span_keys: Vec<&str> = owned_keys.iter().map(String::as_str).collect();
        let mut proposal = Proposal::default();
        let Some(surname) = span_keys.last() else {
            return proposal;
        };
        let span_folded = std::cell::OnceCell::new();
        let bare = span_keys.len() == 1;
        let near = self.near(surname, bare, bare && has_english_noun_ending(span));
        let short_word = span_keys.len() == 1 && surname.chars().count() < MIN_FUZZY_KEY;
        // The refusals as they are made, to keep one per entity at the end: its alias listed
        // first in the gazetteer. (An alias is refused at most once: `near` lists it once.) A
        // dense surname key refuses thousands of aliases ("Group" at a million aliases), which
        // come key by key, each key's aliases in gazetteer order: a refusal of the same entity
        // as the one before, for a later alias, is one the end would drop, and is dropped now.
        // A table with an entry per entity, and then a sort of its scattered values, took half
        // of proposing for such a span.
        let mut refusals: Vec<Refused> = Vec::with_capacity(near.found.len() + near.refused.len());
        let mut refuse = |entity: EntityIndex, alias: AliasIndex, reason: &'static str| {
            if refusals
                .last()
                .is_some_and(|last| last.entity == entity && last.alias < alias)
            {
                return;
            }
            refusals.push(Refused {
                entity,
                alias,
                reason,
            });
        };
        let mut best: FxHashMap<EntityIndex, Scored> =
            FxHashMap::with_capacity_and_hasher(near.found.len(), Default::default());
        for (listed, reason) in near.refused {
            refuse(listed.entity, listed.alias, reason);
        }
        // A span with given names is scored against a bare-surname alias by its entity's full
        // names (see `score_person`), found through the entity's alias list and then each
        // alias's words: two reads at random places in a large gazetteer, for each such alias.
        // The lists are asked for now, and the words a few aliases ahead of the scoring.
        let reads_full_names =
            |listed: &KeyAlias| span_keys.len() > 1 && listed.person && listed.words.1 == 1;
        for (listed, _, _) in &near.found {
            if reads_full_names(listed) {
                gazetteer.prefetch_aliases_of(listed.entity);
            }
        }
        const FULL_NAMES_AHEAD: usize = 4;
        let prefetch_full_names = |listed: &KeyAlias| {
            if reads_full_names(listed) {
                if let Some(first) = gazetteer.aliases_of(listed.entity).next() {
                    prefetch(&self.alias_words[first.0 as usize]);
                }
            }
        };
        for (listed, _, _) in near.found.iter().take(FULL_NAMES_AHEAD) {
            prefetch_full_names(listed);
        }
        let mut alias_keys = Vec::new();
        for (number, &(listed, same_surname_key, surname_score)) in near.found.iter().enumerate() {
            if let Some((ahead, _, _)) = near.found.get(number + FULL_NAMES_AHEAD) {
                prefetch_full_names(ahead);
            }
            let alias_index = listed.alias;
            if !same_surname_key && !listed.person {
                refuse(listed.entity, alias_index, NOT_BY_SIMILARITY);
                continue;
            }
            if listed.has_not
                && gazetteer
                    .entity(listed.entity)
                    .not
                    .iter()
                    .any(|n| alias_key(n) == *span_folded.get_or_init(|| alias_key(span)))
            {
                refuse(listed.entity, alias_index, "listed under `not`");
                continue;
            }
            let by_words = |alias_keys: &mut _| {
                self.score_by_words(gazetteer, listed, &span_keys, surname_score, alias_keys)
            };
            let outcome = if let [bare] = span_keys.as_slice() {
                // A bare surname: every alias listed under one key scores alike, with no need
                // for its words (an alias is listed under its last word's key). Checked against
                // the scoring by words in debug builds (the tests).
                let outcome = bare_surname_outcome(listed, same_surname_key, surname_score, bare);
                debug_assert_eq!(outcome, by_words(&mut alias_keys), "{span}");
                outcome
            } else {
                by_words(&mut alias_keys)
            };
            let as_written = || only_as_written(gazetteer, listed, span, short_word, &span_folded);
            if let Some(reason) = outcome.is_ok().then(as_written).flatten() {
                refuse(listed.entity, alias_index, reason);
                continue;
            }
            match outcome {
                Ok((score, method)) if score >= PROPOSE_FLOOR => {
                    let scored = Scored {
                        entity: listed.entity,
                        alias: alias_index,
                        score,
                        method,
                    };
                    let slot = best.entry(listed.entity).or_insert_with(|| scored.clone());
                    if (scored.score, std::cmp::Reverse(scored.alias))
                        > (slot.score, std::cmp::Reverse(slot.alias))
                    {
                        *slot = scored;
                    }
                }
                Ok(_) => refuse(listed.entity, alias_index, "too different"),
                Err(reason) => refuse(listed.entity, alias_index, reason),
            }
        }
        refusals.sort_unstable_by_key(|r| (r.entity, r.alias));
        refusals.dedup_by_key(|r| r.entity);
        refusals.retain(|r| !best.contains_key(&r.entity));
        proposal.refused = refusals;
        proposal.candidates = best.into_values().collect();
        proposal
            .candidates
            .sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entity.cmp(&b.entity)));
        proposal.word_keys = span_keys.iter().map(|k| k.to_string()).collect();
        proposal
    }

    /// Scores an alias found near a span by its words: a person by [`FuzzyIndex::score_person`],
    /// anything else by whether its keys are the span's.
    fn score_by_words<'a>(
        &'a self,
        gazetteer: &Gazetteer,
        listed: KeyAlias,
        span_keys: &[&str],
        surname_score: f64,
        alias_keys: &mut Vec<&'a str>,
    ) -> Result<(f64, FuzzyMethod), &'static str> {
        if !listed.person && listed.words.1 as usize != span_keys.len() {
            // Its keys cannot all be the span's: told without reading them.
            return Err(NOT_BY_SIMILARITY);
        }
        self.keys_into(listed.words, alias_keys);
        if listed.person {
            self.score_person(
                gazetteer,
                listed.entity,
                span_keys,
                alias_keys,
                surname_score,
            )
        } else if span_keys == alias_keys.as_slice() {
            Ok((1.0, FuzzyMethod::Transliterated))
        } else {
            Err(NOT_BY_SIMILARITY)
        }
    }

    /// Scores a person alias against a span: Ok((score, method)) or the reason it is refused.
    /// `surname_score` is the similarity of the two surname keys, which [`FuzzyIndex::near`]
    /// computed once for all the aliases listed under the alias's key.
    fn score_person(
        &self,
        gazetteer: &Gazetteer,
        entity: EntityIndex,
        span_keys: &[&str],
        alias_keys: &[&str],
        surname_score: f64,
    ) -> Result<(f64, FuzzyMethod), &'static str> {
        let (span_surname, span_given) = span_keys.split_last().expect("span has a word");
        let (alias_surname, alias_given) = alias_keys.split_last().expect("alias has a word");
        // `near` turned down the keys whose gender differs from the span's.
        debug_assert!(
            match (surname_gender(span_surname), surname_gender(alias_surname)) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
        );
        debug_assert_eq!(surname_score, similarity(span_surname, alias_surname));
        if span_given.is_empty()
            && span_surname != alias_surname
            && span_surname.len().min(alias_surname.len()) < MIN_BARE_FUZZY_KEY
        {
            return Err("a bare surname too short to match by similarity");
        }
        let given_score = if span_given.is_empty() {
            None
        } else if !alias_given.is_empty() {
            Some(given_names_score(span_given, alias_given).ok_or("a different given name")?)
        } else {
            // A bare-surname alias: the span's given names must fit one of the entity's full names.
            // Only name aliases have words here, so an alias of two words or more is a full
            // name, told without reading the gazetteer's alias records.
            let mut full_name = Vec::new();
            let mut has_full_name = false;
            let mut best: Option<f64> = None;
            for alias in gazetteer.aliases_of(entity) {
                let words = self.alias_words[alias.0 as usize];
                if words.1 < 2 {
                    continue;
                }
                has_full_name = true;
                self.keys_into(words, &mut full_name);
                let given = &full_name[..full_name.len() - 1];
                if let Some(score) = given_names_score(span_given, given) {
                    best = Some(best.map_or(score, |b| b.max(score)));
                }
            }
            if has_full_name {
                Some(best.ok_or("a different given name")?)
            } else {
                None
            }
        };
        let score = match given_score {
            Some(given) => 0.65 * surname_score + 0.35 * given,
            None => surname_score,
        };
        let method = if span_surname == alias_surname && given_score.is_none_or(|g| g >= 1.0) {
            FuzzyMethod::Transliterated
        } else {
            FuzzyMethod::Fuzzy
        };
        Ok((score, method))
    }
}

/// Why an alias that scores for a span is refused it all the same, as one that names its
/// entity only as written (None: it is not): an acronym, unless the span is one too ("НАТО")
/// or writes its letters in another case ("Nato", "Tass": four letters at least, see
/// [`MIN_OTHER_CASE_LETTERS`]), for a word that only folds like one is a word ("Key", `KEI`);
/// and any other state, organization or place for a span of one
/// short word (`short_word`), which the exact pass matched if it was written so.
fn only_as_written(
    gazetteer: &Gazetteer,
    listed: KeyAlias,
    span: &str,
    short_word: bool,
    span_folded: &std::cell::OnceCell<String>,
) -> Option<&'static str> {
    if listed.acronym {
        if is_acronym(span) {
            return None;
        }
        let acronym = &gazetteer.alias(listed.alias).text;
        if *span_folded.get_or_init(|| alias_key(span)) != alias_key(acronym) {
            return Some(ACRONYM_AS_WRITTEN);
        }
        let letters = acronym.chars().filter(|c| c.is_alphanumeric()).count();
        (letters < MIN_OTHER_CASE_LETTERS).then_some(SHORT_ACRONYM_IN_CAPITALS)
    } else {
        (short_word && !listed.person).then_some(SHORT_WORD_AS_WRITTEN)
    }
}

/// What [`FuzzyIndex::score_person`] (for a person) or the comparison of all keys (for anything
/// else) gives an alias found near a span of one word, `surname`, without the alias's words: a
/// span with no given name is scored on its surname alone, and an alias listed under the span's
/// own key has the same keys as the span exactly when it has one word.
fn bare_surname_outcome(
    listed: KeyAlias,
    same_surname_key: bool,
    surname_score: f64,
    surname: &str,
) -> Result<(f64, FuzzyMethod), &'static str> {
    if !listed.person {
        // `propose` has refused the others already.
        debug_assert!(same_surname_key);
        return if listed.words.1 == 1 {
            Ok((1.0, FuzzyMethod::Transliterated))
        } else {
            Err(NOT_BY_SIMILARITY)
        };
    }
    // `near` turned down the keys too short for a bare surname to match by similarity.
    debug_assert!(same_surname_key || surname.len() >= MIN_BARE_FUZZY_KEY);
    let method = if same_surname_key {
        FuzzyMethod::Transliterated
    } else {
        FuzzyMethod::Fuzzy
    };
    Ok((surname_score, method))
}

/// How well a span's given names fit an entity's (1.0: same name), or None when one conflicts.
fn given_names_score(span_given: &[&str], entity_given: &[&str]) -> Option<f64> {
    let mut total = 0.0;
    for (position, given) in span_given.iter().enumerate() {
        // Compare in order; a span may leave out middle names and patronymics.
        let best = entity_given
            .iter()
            .skip(position.min(entity_given.len().saturating_sub(1)))
            .map(|other| given_name_similarity(given, other))
            .fold(0.0, f64::max);
        if best < 0.85 {
            return None;
        }
        total += best;
    }
    Some(total / span_given.len() as f64)
}

fn given_name_groups() -> &'static FxHashMap<String, Vec<usize>> {
    static GROUPS: OnceLock<FxHashMap<String, Vec<usize>>> = OnceLock::new();
    GROUPS.get_or_init(|| {
        let mut groups: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        let lines = include_str!("given_names.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
        for (number, line) in lines.enumerate() {
            for name in line.split_whitespace() {
                let entry = groups.entry(name_key(name)).or_default();
                if !entry.contains(&number) {
                    entry.push(number);
                }
            }
        }
        groups
    })
}

/// Whether a word is a known given name in some language.
pub fn is_known_given_name(word: &str) -> bool {
    given_name_groups().contains_key(&name_key(word))
}

/// 1.0 for the same given name (equal key, shared variant group), 0.95 for an initial, else the
/// keys' Jaro-Winkler similarity.
pub fn given_name_similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let groups = given_name_groups();
    if let (Some(x), Some(y)) = (groups.get(a), groups.get(b)) {
        if x.iter().any(|g| y.contains(g)) {
            return 1.0;
        }
        // Both are known given names, of different people.
        return 0.0;
    }
    if a.len() == 1 || b.len() == 1 {
        return if a.chars().next() == b.chars().next() {
            0.95
        } else {
            0.0
        };
    }
    similarity(a, b)
}

/// Jaro-Winkler similarity of two keys, exactly as `strsim::jaro_winkler` computes it. Keys
/// are ASCII words of a few letters, and at a million aliases this runs for every near key of
/// every new name, so such keys are compared as bytes with bit masks for the matched letters
/// (same steps, same floating-point operations, no allocation); anything else goes to strsim.
fn similarity(a: &str, b: &str) -> f64 {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if !(a.is_ascii() && b.is_ascii() && x.len() <= 64 && y.len() <= 64) {
        return strsim::jaro_winkler(a, b);
    }
    let sim = jaro_short_ascii(x, y);
    if sim > 0.7 {
        let prefix = x.iter().take(4).zip(y).take_while(|(p, q)| p == q).count();
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
}

/// Jaro similarity of two ASCII strings of at most 64 bytes (strsim's `generic_jaro`).
fn jaro_short_ascii(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    } else if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let search_range = (a.len().max(b.len()) / 2).saturating_sub(1);
    let (mut a_matched, mut b_matched) = (0u64, 0u64);
    let mut matches = 0usize;
    for (i, &letter) in a.iter().enumerate() {
        let from = i.saturating_sub(search_range);
        let to = b.len().min(i + search_range + 1);
        for (j, &other) in b.iter().enumerate().take(to).skip(from) {
            if letter == other && b_matched & (1 << j) == 0 {
                a_matched |= 1 << i;
                b_matched |= 1 << j;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    // The matched letters of both, in order, paired up: each pair that differs is half a
    // transposition.
    let mut transpositions = 0usize;
    while a_matched != 0 {
        let i = a_matched.trailing_zeros() as usize;
        let j = b_matched.trailing_zeros() as usize;
        a_matched &= a_matched - 1;
        b_matched &= b_matched - 1;
        if a[i] != b[j] {
            transpositions += 1;
        }
    }
    transpositions /= 2;
    ((matches as f64 / a.len() as f64)
        + (matches as f64 / b.len() as f64)
        + ((matches - transpositions) as f64 / matches as f64))
        / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::{Entity, EntityId};

    /// A proposal's refusals: one per entity, its alias listed first, in entity order, and none
    /// for an entity that is a candidate through another alias. Here two entities are refused
    /// for two aliases each, and one of them for its second alias first.
    #[test]
    fn refusals_keep_each_entitys_first_alias_and_leave_out_candidates() {
        let entity = |id: &str, name: &str, entity_type, aliases: &[&str]| Entity {
            id: EntityId(id.into()),
            name: name.into(),
            entity_type,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            ..Entity::default()
        };
        let mut builder = Gazetteer::builder();
        for listed in [
            entity("anna", "Anna Groupt", EntityType::Person, &[]),
            entity(
                "united",
                "United Group",
                EntityType::Organization,
                &["United Party Group"],
            ),
            entity(
                "free",
                "Free Group",
                EntityType::Organization,
                &["Free Civic Group"],
            ),
            // Its second alias is found first: under "group", right after the other entity's.
            entity(
                "civic",
                "Civic Groups",
                EntityType::Organization,
                &["Civic Group"],
            ),
        ] {
            builder.add(listed).unwrap();
        }
        let gazetteer = builder.build().unwrap();
        let index = FuzzyIndex::new(&gazetteer);
        let proposal = index.propose(&gazetteer, "United Group");
        let id = |entity: EntityIndex| gazetteer.entity(entity).id.to_string();
        let candidates: Vec<String> = proposal.candidates.iter().map(|c| id(c.entity)).collect();
        assert_eq!(candidates, ["united"]);
        let refused: Vec<(String, &str, &str)> = proposal
            .refused
            .iter()
            .map(|r| {
                (
                    id(r.entity),
                    gazetteer.alias(r.alias).text.as_str(),
                    r.reason,
                )
            })
            .collect();
        assert_eq!(
            refused,
            [
                ("anna".to_string(), "Anna Groupt", "a different given name"),
                ("free".to_string(), "Free Group", NOT_BY_SIMILARITY),
                ("civic".to_string(), "Civic Groups", NOT_BY_SIMILARITY),
            ]
        );
    }

    /// The French reading: for a span near no alias, and only as a transliteration.
    #[test]
    fn a_french_reading_is_tried_only_for_a_span_near_nothing() {
        let mut builder = Gazetteer::builder();
        for (id, name) in [
            ("putin", "Vladimir Putin"),
            ("shuhouk", "Jennifer Shuhouk"),
            ("shukhuko", "Olga Shukhuko"),
        ] {
            builder
                .add(Entity {
                    id: EntityId(id.into()),
                    name: name.into(),
                    entity_type: EntityType::Person,
                    ..Entity::default()
                })
                .unwrap();
        }
        let gazetteer = builder.build().unwrap();
        let index = FuzzyIndex::new(&gazetteer);
        let candidates = |span: &str| -> Vec<String> {
            let proposal = index.propose(&gazetteer, span);
            proposal
                .candidates
                .iter()
                .map(|c| gazetteer.entity(c.entity).id.to_string())
                .collect()
        };
        assert_eq!(candidates("Vladimir Poutine"), ["putin"]);
        assert!(index.propose(&gazetteer, "Vladimir Poutine").read_as_french);
        assert!(!index.propose(&gazetteer, "Vladimir Putin").read_as_french);
        assert_eq!(candidates("Poutine"), ["putin"]);
        // Read the French way, "Shuhouka" keys as Shukhuko; but it is near Shuhouk, refused as
        // a bare surname too short for similarity, and that reading stands.
        assert!(candidates("Shuhouka").is_empty());
    }

    /// Short words and acronyms: a state, organization or place matches one word whose key is
    /// shorter than five letters only as the gazetteer writes it, and an acronym only as an
    /// acronym or in its own letters in another case; longer names still match by
    /// transliteration, and persons are left to the surname rules.
    /// The entity id of a span's best candidate, or the reason of its first refusal.
    fn outcome(
        index: &FuzzyIndex,
        gazetteer: &Gazetteer,
        span: &str,
    ) -> Result<String, &'static str> {
        let proposal = index.propose(gazetteer, span);
        match (proposal.candidates.first(), proposal.refused.first()) {
            (Some(best), _) => Ok(gazetteer.entity(best.entity).id.to_string()),
            (None, Some(refused)) => Err(refused.reason),
            (None, None) => Err("nothing near"),
        }
    }

    #[test]
    fn short_words_and_acronyms_match_only_as_written() {
        let mut builder = Gazetteer::builder();
        for (id, name, entity_type) in [
            ("oman", "Oman", EntityType::State),
            ("badi", "Badi", EntityType::Place),
            ("kei", "KEI", EntityType::Organization),
            ("ses", "SES", EntityType::Organization),
            ("nato", "NATO", EntityType::Organization),
            ("set", "SET", EntityType::Organization),
            ("homel", "Homel", EntityType::Place),
            ("kim", "Kim", EntityType::Person),
        ] {
            let entity = Entity {
                id: EntityId(id.into()),
                name: name.into(),
                entity_type,
                ..Entity::default()
            };
            builder.add(entity).unwrap();
        }
        let gazetteer = builder.build().unwrap();
        let index = FuzzyIndex::new(&gazetteer);
        let outcome = |span: &str| outcome(&index, &gazetteer, span);
        assert_eq!(outcome("Omon"), Err(SHORT_WORD_AS_WRITTEN));
        assert_eq!(outcome("Body"), Err(SHORT_WORD_AS_WRITTEN));
        assert_eq!(outcome("Key"), Err(ACRONYM_AS_WRITTEN));
        assert_eq!(outcome("Sees"), Err(ACRONYM_AS_WRITTEN));
        assert_eq!(outcome("Nato"), Ok("nato".to_string()));
        assert_eq!(outcome("Set"), Err(SHORT_ACRONYM_IN_CAPITALS));
        assert_eq!(outcome("СЕТ"), Ok("set".to_string()));
        assert_eq!(outcome("НАТО"), Ok("nato".to_string()));
        assert_eq!(outcome("Gomel"), Ok("homel".to_string()));
        assert_eq!(outcome("Kimm"), Ok("kim".to_string()));
    }

    /// The byte-wise similarity is strsim's score, to the last bit: on names, on long and
    /// non-ASCII strings (which strsim scores itself), and on many pseudo-random words over a
    /// small alphabet, where matches and transpositions abound.
    #[test]
    fn similarity_on_bytes_is_strsims_score() {
        let mut words: Vec<String> = [
            "",
            "a",
            "ab",
            "ba",
            "lukashenko",
            "lukashenka",
            "tsikhanouskaya",
            "tikhanovskaya",
            "martha",
            "marhta",
            "dixon",
            "dicksonx",
            "jellyfish",
            "smellyfish",
            "zhukov",
            "łukaszenka",
            "лукашенко",
        ]
        .iter()
        .map(|w| w.to_string())
        .collect();
        words.push("ab".repeat(35));
        // At the byte path's limit of 64 bytes, and just past it.
        words.extend([
            "ab".repeat(32),
            "ba".repeat(32),
            "abc".repeat(21),
            "ab".repeat(33),
        ]);
        let mut state: u64 = 7;
        for n in 0..340 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            // Mostly up to 32 bytes; the last few from 33 to 64.
            let len = (state >> 59) as usize + if n < 300 { 1 } else { 33 };
            let word: String = (0..len)
                .map(|i| (b'a' + ((state >> (i * 2 % 56)) & 3) as u8) as char)
                .collect();
            words.push(word);
        }
        for a in &words {
            for b in &words {
                assert_eq!(
                    similarity(a, b).to_bits(),
                    strsim::jaro_winkler(a, b).to_bits(),
                    "{a:?} {b:?}"
                );
            }
        }
    }

    fn key(word: &str) -> String {
        name_key(word)
    }

    #[test]
    fn given_names_match_across_languages_but_not_across_people() {
        assert_eq!(
            given_name_similarity(&key("Alexander"), &key("Aliaksandr")),
            1.0
        );
        assert_eq!(
            given_name_similarity(&key("Svetlana"), &key("Sviatlana")),
            1.0
        );
        assert_eq!(
            given_name_similarity(&key("Viktor"), &key("Alexander")),
            0.0
        );
        assert_eq!(given_name_similarity(&key("A"), &key("Alexander")), 0.95);
        assert!(is_known_given_name("Siarhei"));
    }

    /// A bare word ending like an English noun keeps only surnames it equals; with a given
    /// name, or a surname's own ending, similarity still counts.
    #[test]
    fn bare_english_nouns_are_not_misspelt_surnames() {
        let gazetteer = crate::gazetteer::people(&[("anna", "Anna Reslutyain")]);
        let index = FuzzyIndex::new(&gazetteer);
        let best = |span: &str| outcome(&index, &gazetteer, span);
        assert_eq!(best("Resolution"), Err(ENGLISH_NOUN));
        assert_eq!(best("Reslutyainn"), Ok("anna".to_string()));
        assert_eq!(best("Anna Resolution"), Ok("anna".to_string()));
        assert!(has_english_noun_ending("Statement"));
        assert!(has_english_noun_ending("OPPOSITION"));
        assert!(!has_english_noun_ending("Smith"));
        // An ending with too little before it is no ending.
        assert!(!has_english_noun_ending("Sion"));
    }

    #[test]
    fn hashed_pairs_sort_as_a_comparison_sort_does() {
        let mut state: u64 = 11;
        for len in [0usize, 1, 2, 63, 64, 65, 1000, 5000] {
            let pairs: Vec<(u64, u32)> = (0..len)
                .map(|i| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    // Some hashes repeat (with other numbers, and with the same).
                    let hash = if i % 7 == 3 { 42 << 40 } else { state };
                    (hash, (state >> 40) as u32 % 5)
                })
                .collect();
            let mut expected = pairs.clone();
            expected.sort_unstable();
            let mut sorted = pairs;
            sort_hashed(&mut sorted);
            assert_eq!(sorted, expected, "{len} pairs");
        }
    }

    #[test]
    fn deletions_cover_every_position() {
        let mut all: Vec<String> = Vec::new();
        each_deletion("abc", &mut String::new(), |variant| {
            all.push(variant.into())
        });
        assert_eq!(all, ["bc", "ac", "ab"]);
    }
}
