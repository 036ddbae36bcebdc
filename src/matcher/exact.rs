//! The exact pass: every alias as a sequence of token ids, matched on a trie of tokens.
//!
//! Matching works on tokens, never on bytes. Each distinct folded token of any alias gets an id
//! in a [`Vocabulary`]; a document's tokens are folded and looked up once ([`TokenIds`]), and
//! every matcher then walks its trie of token ids from each token. A match therefore always
//! starts and ends on token boundaries, never crosses a sentence, and maps straight back to
//! offsets in the original text. The longest alias starting at a token wins ("European Union"
//! over "European"), and matches never overlap.
//!
//! Case is folded for the lookup and checked afterwards against the original tokens:
//! - an alias with no lower-case letters and at least two letters (`EU`, `U.S.`, `NATO`) is an
//!   acronym and matches only in exactly that case, so "US" never matches the pronoun "us";
//! - any other alias matches regardless of case, provided every word that is capitalized in the
//!   alias is capitalized (or all upper case) in the text: "MOSCOW" and "Moscow" match `Moscow`,
//!   "moscow" does not; lower-case particles (`von`, `of`) match either way.
//!
//! When the longest match fails the case check, the shorter aliases ending earlier on the same
//! path are tried before moving on. Because a token that starts in lower case can only ever
//! match an alias token that does not start with a capital, such text tokens are looked up only
//! among those; and a walk starts only at a token whose first byte some alias's first token can
//! begin with (lower-case words only where an alias starts in lower case). So most of a text's
//! words are never looked up at all: ids are found when a walk first asks for them.

use rustc_hash::FxHashMap;

use super::table::{packed, packed_ascii_lowercase, PackedToken, Table};
use super::{is_acronym, AliasFacts, Candidate, Choice, Choices};
use crate::gazetteer::{alias_key, Alias, AliasIndex, Gazetteer};
use crate::memory::prefetch;
use crate::normalize::{fold, fold_into, fold_keep_case};
use crate::segment::{tokenize, Segmented, Token, TokenKind};

/// How an alias's case must be checked against the text.
#[derive(Debug, Clone)]
enum CaseRule {
    /// Acronyms: every token must read the same, case included (after diacritic folding).
    Exact(Box<[Box<str>]>),
    /// Bit `i` set: the text's token `i` must not start in lower case (aliases of up to 64
    /// tokens, so that the check reads no memory beyond the rule).
    Capitalized(u64),
    /// The same, per token, for longer aliases.
    CapitalizedLong(Box<[bool]>),
}

/// One cache line each: a match reads one rule, and its line is prefetched.
#[derive(Debug, Clone)]
#[repr(align(64))]
struct Rule {
    alias: AliasIndex,
    facts: AliasFacts,
    case: CaseRule,
    /// The alias as written (a copy, beside the rule: read for every match, to tell a verbatim
    /// one, and the gazetteer's alias records are far away in memory).
    text: AliasText,
}

/// An alias's text, held in place when it is short (most are), so that reading it costs no
/// memory access beyond the rule's own.
#[derive(Debug, Clone)]
enum AliasText {
    Short { len: u8, bytes: [u8; 22] },
    Long(Box<str>),
}

impl AliasText {
    fn new(text: &str) -> Self {
        let mut bytes = [0; 22];
        match bytes.get_mut(..text.len()) {
            Some(prefix) => {
                prefix.copy_from_slice(text.as_bytes());
                AliasText::Short {
                    len: text.len() as u8,
                    bytes,
                }
            }
            None => AliasText::Long(text.into()),
        }
    }

    fn as_bytes(&self) -> &[u8] {
        match self {
            AliasText::Short { len, bytes } => &bytes[..usize::from(*len)],
            AliasText::Long(text) => text.as_bytes(),
        }
    }
}

/// A token id that no alias uses.
const UNKNOWN: u32 = u32::MAX;

/// Folded tokens → ids. Tokens of up to 15 bytes (nearly all) are keys in themselves, packed
/// into two words, so a lookup compares them in the table's own memory instead of following a
/// pointer to a string; and the slot a lookup reads can be prefetched (see [`super::table`]).
#[derive(Debug, Clone, Default)]
struct TokenMap {
    short: Table<PackedToken, u32>,
    long: FxHashMap<Box<str>, u32>,
    /// The token that folds to nothing (a lone combining mark), which a table cannot hold.
    empty: Option<u32>,
}

/// A text token's key in a [`TokenMap`], folded.
#[derive(Debug, Clone, Copy)]
enum TokenKey {
    Short(PackedToken),
    /// Longer than 15 bytes once folded: looked up by its text (rare).
    Long,
}

impl TokenMap {
    /// The key of the token `text[start..end]` as the text writes it, [`folded`]. Short ASCII
    /// tokens (nearly all) are lower-cased straight into their packed key; `buffer` is scratch
    /// for the rest.
    fn key_folding(text: &str, start: usize, end: usize, buffer: &mut String) -> TokenKey {
        let key = match packed_ascii_lowercase(text.as_bytes(), start, end) {
            Some(key) => Some(key),
            None => packed(folded(&text[start..end], buffer)),
        };
        key.map_or(TokenKey::Long, |key| TokenKey::Short(PackedToken::new(key)))
    }

    fn prefetch(&self, key: TokenKey) {
        if let TokenKey::Short(key) = key {
            self.short.prefetch(key);
        }
    }

    /// The id of a key from [`TokenMap::key_folding`] (a long one is folded again).
    fn get_key(
        &self,
        key: TokenKey,
        text: &str,
        start: usize,
        end: usize,
        buffer: &mut String,
    ) -> Option<u32> {
        match key {
            TokenKey::Short(PackedToken::EMPTY) => self.empty,
            TokenKey::Short(key) => self.short.get(key),
            TokenKey::Long => self.long.get(folded(&text[start..end], buffer)).copied(),
        }
    }

    fn get(&self, token: &str) -> Option<u32> {
        match packed(token).map(PackedToken::new) {
            Some(PackedToken::EMPTY) => self.empty,
            Some(key) => self.short.get(key),
            None => self.long.get(token).copied(),
        }
    }

    fn insert(&mut self, token: &str, id: u32) {
        match packed(token).map(PackedToken::new) {
            Some(PackedToken::EMPTY) => self.empty = Some(id),
            Some(key) => {
                self.short.insert(key, id);
            }
            None => {
                self.long.insert(token.into(), id);
            }
        }
    }

    fn len(&self) -> usize {
        self.short.len() + self.long.len() + usize::from(self.empty.is_some())
    }
}

/// The folded tokens of every alias, each with an id.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Folded token → id.
    ids: TokenMap,
    /// The entries of `ids` that some alias writes without a capital (few: particles, "of"):
    /// the only ones a lower-case text token can match. This small table stays in cache.
    lower: TokenMap,
}

fn starts_with_capital(token: &str) -> bool {
    token.chars().next().is_some_and(char::is_uppercase)
}

/// Whether a token starts with a lower-case letter (a byte test for ASCII).
fn starts_lowercase(token: &str) -> bool {
    match token.as_bytes().first() {
        Some(b) if b.is_ascii() => b.is_ascii_lowercase(),
        _ => token.chars().next().is_some_and(char::is_lowercase),
    }
}

/// The folded form of one token, borrowed when folding changes nothing.
fn folded<'a>(token: &'a str, buffer: &'a mut String) -> &'a str {
    if token
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        return token;
    }
    buffer.clear();
    fold_into(token, true, buffer);
    buffer
}

impl Vocabulary {
    /// Makes room for `additional` more distinct tokens.
    fn reserve(&mut self, additional: usize) {
        self.ids.short.reserve(additional);
    }

    /// The id of an alias token, added if new (`buffer` is scratch space).
    fn intern(&mut self, token: &str, buffer: &mut String) -> u32 {
        let key = folded(token, buffer);
        let id = match self.ids.get(key) {
            Some(id) => id,
            None => {
                let next = self.ids.len() as u32;
                assert!(next < UNKNOWN, "fewer than 2^32 - 1 distinct alias tokens");
                self.ids.insert(key, next);
                next
            }
        };
        if !starts_with_capital(token) && self.lower.get(key).is_none() {
            self.lower.insert(key, id);
        }
        id
    }

    /// The ids of a segmented text's tokens, to be looked up as matchers ask for them.
    pub fn token_ids<'a>(&'a self, text: &'a str, segmented: &'a Segmented) -> TokenIds<'a> {
        TokenIds {
            vocabulary: self,
            text,
            tokens: &segmented.tokens,
            ids: vec![NOT_LOOKED_UP; segmented.tokens.len()],
            pending: Vec::new(),
            buffer: String::new(),
        }
    }

    /// The table a token as the text writes it is looked up in.
    fn table_for(&self, text: &str, token: &Token) -> &TokenMap {
        if starts_lowercase(token.text(text)) {
            &self.lower
        } else {
            &self.ids
        }
    }
}

/// Walks through the trie taken together, at most (see [`ExactMatcher::find_in`]): room for
/// every walk of nearly any news article, and few enough for their state to stay in the cache.
const WALKS_AT_ONCE: usize = 1 << 14;

/// Not looked up yet, in [`TokenIds`].
const NOT_LOOKED_UP: u32 = UNKNOWN - 1;

/// A document's tokens as vocabulary ids, looked up the first time a matcher asks for them and
/// remembered for the next (matchers sharing a vocabulary share one of these).
#[derive(Debug, Clone)]
pub struct TokenIds<'a> {
    vocabulary: &'a Vocabulary,
    text: &'a str,
    tokens: &'a [Token],
    ids: Vec<u32>,
    /// Scratch space for a round of lookups: (token, key).
    pending: Vec<(usize, TokenKey)>,
    /// Scratch space for folding tokens that are not short ASCII.
    buffer: String,
}

impl TokenIds<'_> {
    /// Looks up the tokens `indexes` not looked up yet, together: their slots are all
    /// prefetched before any is read.
    fn look_up(&mut self, indexes: impl Iterator<Item = usize>) {
        let (vocabulary, text) = (self.vocabulary, self.text);
        let mut pending = std::mem::take(&mut self.pending);
        pending.clear();
        for index in indexes {
            if self.ids[index] == NOT_LOOKED_UP {
                let token = &self.tokens[index];
                let key = TokenMap::key_folding(text, token.start, token.end, &mut self.buffer);
                vocabulary.table_for(text, token).prefetch(key);
                pending.push((index, key));
            }
        }
        for &(index, key) in &pending {
            let token = &self.tokens[index];
            self.ids[index] = vocabulary
                .table_for(text, token)
                .get_key(key, text, token.start, token.end, &mut self.buffer)
                .unwrap_or(UNKNOWN);
        }
        self.pending = pending;
    }

    /// The id of token `index` ([`UNKNOWN`] for tokens no alias has), once looked up.
    fn get(&self, index: usize) -> u32 {
        debug_assert_ne!(self.ids[index], NOT_LOOKED_UP);
        self.ids[index]
    }
}

/// The compiled exact pass over one gazetteer's aliases (or a subset of them).
#[derive(Debug, Clone)]
pub struct ExactMatcher {
    /// The root's children, by token id ([`Step::NONE`]: none).
    roots: Vec<Step>,
    /// The same steps by the packed key of the (short) token itself: a walk's first step, the
    /// one nearly every walk takes, costs one lookup instead of a vocabulary lookup and then a
    /// read of `roots`. Tokens too long to pack go through the vocabulary.
    first_steps: Table<PackedToken, FirstStep>,
    /// The other trie edges: (node << 32 | token id) → child. Node 0 is the root.
    edges: Table<u64, Step>,
    /// The aliases ending at each node, node by node (see [`Step::rules`]).
    rules: Vec<Rule>,
    /// By a text token's first byte: whether some alias's first token could match a token that
    /// starts with it (always true for non-ASCII bytes). A walk starts nowhere else.
    may_start: [bool; 256],
    /// Whether walks start only at tokens that begin with a capital or beyond ASCII (no alias
    /// begins with a lower-case word, a digit or ASCII punctuation): then only the text's
    /// [`Segmented::capitalized`] tokens are looked at, not every token.
    starts_capitalized: bool,
}

/// A trie edge's target: the child node, and the rules of the aliases that end there. They come
/// with the edge so that a lookup that follows it finds them without another memory access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Step {
    node: u32,
    rules_start: u32,
    rules_end: u32,
}

impl Step {
    const NONE: Step = Step {
        node: UNKNOWN,
        rules_start: 0,
        rules_end: 0,
    };

    fn rules(self) -> std::ops::Range<usize> {
        self.rules_start as usize..self.rules_end as usize
    }
}

/// A root step in [`ExactMatcher::first_steps`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct FirstStep {
    step: Step,
    /// Some alias writes this first token without a capital, so a text token in lower case may
    /// take the step. (Where none does, a lower-case token could only ever reach aliases whose
    /// case check it fails.)
    lower_case: bool,
}

/// One walk through the trie, from a token where an alias may start.
#[derive(Debug, Clone, Copy)]
struct Walk {
    first: usize,
    /// The next token to step by.
    at: usize,
    /// The end of the sentence: no alias crosses it.
    end: usize,
    node: u32,
    sentence: usize,
}

fn edge(node: u32, token: u32) -> u64 {
    (u64::from(node) << 32) | u64::from(token)
}

/// The case rule of an alias's `text`, whose `tokens` are given.
fn case_rule(text: &str, tokens: &[Token]) -> CaseRule {
    if is_acronym(text) {
        CaseRule::Exact(
            tokens
                .iter()
                .map(|t| fold_keep_case(t.text(text)).into_boxed_str())
                .collect(),
        )
    } else {
        let capitals = tokens
            .iter()
            .map(|t| t.kind == TokenKind::Word && starts_with_capital(t.text(text)));
        if tokens.len() <= 64 {
            CaseRule::Capitalized(
                capitals
                    .enumerate()
                    .fold(0, |bits, (i, capital)| bits | (u64::from(capital) << i)),
            )
        } else {
            CaseRule::CapitalizedLong(capitals.collect())
        }
    }
}

impl ExactMatcher {
    /// Compiles every alias of `gazetteer`, with a vocabulary of its own.
    pub fn new(gazetteer: &Gazetteer) -> (Self, Vocabulary) {
        let mut vocabulary = Vocabulary::default();
        let matcher = Self::with_aliases(gazetteer, &mut vocabulary, |_| true);
        (matcher, vocabulary)
    }

    /// Compiles the aliases `include` accepts, adding their tokens to `vocabulary` (several
    /// matchers can share one vocabulary, and so one [`TokenIds`] per document).
    pub fn with_aliases(
        gazetteer: &Gazetteer,
        vocabulary: &mut Vocabulary,
        include: impl Fn(&Alias) -> bool,
    ) -> Self {
        // Where each alias ends: (node, alias, its case rule in `cases`), with room for every
        // included alias at once (doubling would copy them into fresh memory).
        let included = gazetteer.aliases().iter().filter(|a| include(a)).count();
        // Room made at once here too: growing these by doubling was a tenth of compiling a
        // million aliases. Aliases share their first words, so a trie has about 1.15 edges
        // per alias, and a vocabulary about 0.6 distinct tokens (in generated gazetteers and
        // the shipped ones alike); a gazetteer with more grows its tables once or twice.
        let mut edges: FxHashMap<u64, u32> =
            FxHashMap::with_capacity_and_hasher(included + included / 4, Default::default());
        vocabulary.reserve(included * 3 / 5);
        let mut nodes: u32 = 1;
        let mut ends: Vec<(u32, AliasIndex, u32)> = Vec::with_capacity(included);
        let mut cases: Vec<Option<CaseRule>> = Vec::with_capacity(included);
        let mut buffer = String::new();
        let mut may_start = [false; 256];
        may_start[0x80..].fill(true);
        // The packed keys of the aliases' first tokens, and whether one is written without a
        // capital.
        let mut first_keys: FxHashMap<u128, bool> = FxHashMap::default();
        for (index, alias) in gazetteer.aliases().iter().enumerate() {
            if !include(alias) {
                continue;
            }
            debug_assert!(!alias_key(&alias.text).is_empty());
            let text = alias.text.as_str();
            let tokens = tokenize(text);
            if let Some(first) = tokens.first() {
                let written = first.text(text);
                let folded = fold(written);
                if let Some(key) = packed(&folded) {
                    *first_keys.entry(key).or_default() |= !starts_with_capital(written);
                }
                let folded_first = folded.as_bytes().first().copied().unwrap_or(0);
                if folded_first.is_ascii_lowercase() {
                    // Matched by the text's capitalized form, and by its lower-case form only
                    // where the alias itself writes it without a capital.
                    may_start[usize::from(folded_first.to_ascii_uppercase())] = true;
                    if !starts_with_capital(written) {
                        may_start[usize::from(folded_first)] = true;
                    }
                } else {
                    may_start[usize::from(folded_first)] = true;
                }
            }
            let mut node = 0;
            for token in &tokens {
                let id = vocabulary.intern(token.text(text), &mut buffer);
                node = *edges.entry(edge(node, id)).or_insert_with(|| {
                    nodes += 1;
                    nodes - 1
                });
            }
            // Made while the alias's tokens are at hand; moved into its rule below.
            ends.push((node, AliasIndex(index as u32), cases.len() as u32));
            cases.push(Some(case_rule(text, &tokens)));
        }
        // Stable: a node's rules stay in gazetteer order. The rules are made in their final
        // order, straight into place (a rule is a cache line: a million of them are 64 MB).
        ends.sort_by_key(|&(node, _, _)| node);
        let mut rule_start = Vec::with_capacity(nodes as usize + 1);
        let mut rules = Vec::with_capacity(ends.len());
        let mut ends = ends.into_iter().peekable();
        for node in 0..nodes {
            rule_start.push(rules.len() as u32);
            while let Some((_, alias, case)) = ends.next_if(|&(n, _, _)| n == node) {
                let text = gazetteer.alias(alias).text.as_str();
                rules.push(Rule {
                    alias,
                    facts: AliasFacts::of(gazetteer, alias),
                    case: cases[case as usize]
                        .take()
                        .expect("each alias's case rule goes to one rule"),
                    text: AliasText::new(text),
                });
            }
        }
        rule_start.push(rules.len() as u32);
        let step = |node: u32| Step {
            node,
            rules_start: rule_start[node as usize],
            rules_end: rule_start[node as usize + 1],
        };
        let mut roots = vec![Step::NONE; vocabulary.ids.len()];
        let mut steps = Table::with_capacity(edges.len());
        for (key, child) in edges {
            if key >> 32 == 0 {
                roots[(key & u64::from(u32::MAX)) as usize] = step(child);
            } else {
                steps.insert(key, step(child));
            }
        }
        let mut first_steps = Table::with_capacity(first_keys.len());
        for (key, lower_case) in first_keys {
            if key == 0 {
                // The empty token (see TokenMap::empty) goes through the vocabulary.
                continue;
            }
            let key = PackedToken::new(key);
            let id = vocabulary
                .ids
                .short
                .get(key)
                .expect("an alias token is in the vocabulary");
            let step = roots[id as usize];
            first_steps.insert(key, FirstStep { step, lower_case });
        }
        let starts_capitalized =
            (0..0x80u8).all(|byte| byte.is_ascii_uppercase() || !may_start[usize::from(byte)]);
        ExactMatcher {
            roots,
            first_steps,
            edges: steps,
            rules,
            may_start,
            starts_capitalized,
        }
    }

    /// Finds every alias occurrence in a segmented text, leftmost-longest, non-overlapping.
    pub fn find(
        &self,
        vocabulary: &Vocabulary,
        text: &str,
        segmented: &Segmented,
    ) -> Vec<Candidate> {
        let mut ids = vocabulary.token_ids(text, segmented);
        self.find_in(&mut ids, text, segmented)
    }

    /// Whether the matcher has no alias at all.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The step from `node` by `token`, if the trie has one.
    fn child(&self, node: u32, token: u32) -> Option<Step> {
        if token == UNKNOWN {
            None
        } else if node == 0 {
            // The vocabulary may have grown after this matcher was compiled (roles come later).
            self.roots
                .get(token as usize)
                .copied()
                .filter(|step| step.node != UNKNOWN)
        } else {
            self.edges.get(edge(node, token))
        }
    }

    /// Brings in the memory [`ExactMatcher::child`] will read for the same step.
    fn prefetch_child(&self, node: u32, token: u32) {
        if token == UNKNOWN {
            return;
        }
        if node == 0 {
            if let Some(step) = self.roots.get(token as usize) {
                prefetch(step);
            }
        } else {
            self.edges.prefetch(edge(node, token));
        }
    }

    /// Like [`ExactMatcher::find`], over the token ids of a text (matchers sharing a
    /// vocabulary share them, and the ids one looked up).
    ///
    /// Every walk through the trie is independent of the others, so they are taken together
    /// (up to `WALKS_AT_ONCE` of them, in text order), a step per round: a round's token
    /// lookups, and then its trie steps, are prefetched together before any is read (the tables
    /// of a large gazetteer are far larger than the cache). The matches are then chosen left to
    /// right, as one walk after the other would have: the longest alias that passes its case
    /// check at the first token not yet matched.
    pub fn find_in(&self, ids: &mut TokenIds, text: &str, segmented: &Segmented) -> Vec<Candidate> {
        let bytes = text.as_bytes();
        let tokens = &segmented.tokens;
        let sentences = &segmented.sentences;
        // Where walks may start, with their sentence, in text order.
        let mut starts: Box<dyn Iterator<Item = (usize, usize)> + '_> = if self.starts_capitalized {
            Box::new(segmented.capitalized_in_sentences())
        } else {
            Box::new(
                sentences
                    .iter()
                    .enumerate()
                    .flat_map(|(sentence, range)| range.tokens.clone().map(move |t| (t, sentence))),
            )
        };
        // About one token in six starts a walk in news text: room for that at once.
        let mut walks: Vec<Walk> = Vec::with_capacity((tokens.len() / 4 + 8).min(WALKS_AT_ONCE));
        let mut candidates = Vec::new();
        // The first token a match may start at: matches never overlap.
        let mut free = 0;
        // The walks are taken at most WALKS_AT_ONCE at a time, in text order: a long document's
        // walks, their steps and ends would not stay in the cache all together.
        loop {
            walks.clear();
            for (first, sentence) in starts.by_ref() {
                if self.may_start[usize::from(bytes[tokens[first].start])] {
                    walks.push(Walk {
                        first,
                        at: first,
                        end: sentences[sentence].tokens.end,
                        node: 0,
                        sentence,
                    });
                    if walks.len() == WALKS_AT_ONCE {
                        break;
                    }
                }
            }
            if walks.is_empty() {
                return candidates;
            }
            self.take_walks(&mut walks, ids, text, segmented, &mut free, &mut candidates);
        }
    }

    /// Takes `walks` (in text order) through the trie, and pushes onto `candidates` the matches
    /// they find, from token `free` on.
    fn take_walks(
        &self,
        walks: &mut [Walk],
        ids: &mut TokenIds,
        text: &str,
        segmented: &Segmented,
        free: &mut usize,
        candidates: &mut Vec<Candidate>,
    ) {
        let tokens = &segmented.tokens;
        // Where an alias ends along a walk: (walk, last token, step there).
        let mut ends: Vec<(usize, usize, Step)> = Vec::with_capacity(walks.len() / 2 + 8);
        let mut step_to = |w: usize, walk: &mut Walk, step: Step| {
            walk.node = step.node;
            if !step.rules().is_empty() {
                // Read only once every walk has ended: in time by then.
                prefetch(&self.rules[step.rules_start as usize]);
                ends.push((w, walk.at, step));
            }
            walk.at += 1;
            walk.at < walk.end
        };
        // The first step of every walk, by the token's own key.
        let keys: Vec<TokenKey> = walks
            .iter()
            .map(|walk| {
                let token = &tokens[walk.first];
                let key = TokenMap::key_folding(text, token.start, token.end, &mut ids.buffer);
                if let TokenKey::Short(key) = key {
                    self.first_steps.prefetch(key);
                }
                key
            })
            .collect();
        let mut going: Vec<usize> = Vec::with_capacity(walks.len());
        for (w, (walk, key)) in walks.iter_mut().zip(keys).enumerate() {
            let first = &tokens[walk.first];
            let step = match key {
                TokenKey::Short(PackedToken::EMPTY) | TokenKey::Long => {
                    ids.look_up(std::iter::once(walk.first));
                    self.child(0, ids.get(walk.first))
                }
                TokenKey::Short(key) => self
                    .first_steps
                    .get(key)
                    .filter(|found| found.lower_case || !starts_lowercase(first.text(text)))
                    .map(|found| found.step),
            };
            if let Some(step) = step {
                if step_to(w, walk, step) {
                    going.push(w);
                }
            }
        }
        while !going.is_empty() {
            ids.look_up(going.iter().map(|&w| walks[w].at));
            for &w in &going {
                self.prefetch_child(walks[w].node, ids.get(walks[w].at));
            }
            going.retain(|&w| {
                let walk = &mut walks[w];
                match self.child(walk.node, ids.get(walk.at)) {
                    Some(step) => step_to(w, walk, step),
                    None => false,
                }
            });
        }
        // By walk, and along each walk (rounds found them walk after walk, step by step).
        ends.sort_by_key(|&(w, last, _)| (w, last));
        // At most one candidate per walk with an end: room for them at once.
        candidates.reserve(ends.len());
        for along in ends.chunk_by(|a, b| a.0 == b.0) {
            let walk = &walks[along[0].0];
            if walk.first < *free {
                continue;
            }
            for &(_, last, step) in along.iter().rev() {
                let choices = self.accept(step, text, segmented, walk.first, last);
                if !choices.is_empty() {
                    candidates.push(Candidate {
                        start: tokens[walk.first].start,
                        end: tokens[last].end,
                        tokens: walk.first..last + 1,
                        sentence: walk.sentence,
                        choices,
                    });
                    *free = last + 1;
                    break;
                }
            }
        }
    }

    fn accept(
        &self,
        step: Step,
        text: &str,
        segmented: &Segmented,
        first: usize,
        last: usize,
    ) -> Choices {
        let span_tokens = &segmented.tokens[first..=last];
        let surface = &text[span_tokens[0].start..span_tokens[span_tokens.len() - 1].end];
        let mut choices = Choices::new();
        for rule in &self.rules[step.rules()] {
            let fits = match &rule.case {
                CaseRule::Exact(expected) => {
                    expected.len() == span_tokens.len()
                        && span_tokens
                            .iter()
                            .zip(expected.iter())
                            .all(|(token, want)| {
                                let written = token.text(text);
                                if written.is_ascii() {
                                    written == &**want
                                } else {
                                    fold_keep_case(written) == **want
                                }
                            })
                }
                &CaseRule::Capitalized(mut capitals) => {
                    let mut fits = true;
                    while capitals != 0 {
                        let i = capitals.trailing_zeros() as usize;
                        capitals &= capitals - 1;
                        if span_tokens
                            .get(i)
                            .is_some_and(|token| starts_lowercase(token.text(text)))
                        {
                            fits = false;
                            break;
                        }
                    }
                    fits
                }
                CaseRule::CapitalizedLong(capitals) => span_tokens
                    .iter()
                    .zip(capitals.iter())
                    .all(|(token, &capital)| !capital || !starts_lowercase(token.text(text))),
            };
            if fits {
                choices.push(Choice {
                    alias: rule.alias,
                    verbatim: rule.text.as_bytes() == surface.as_bytes(),
                    facts: rule.facts,
                });
            }
        }
        choices
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::{Entity, EntityId, EntityType};
    use crate::segment::segment;

    #[test]
    fn alias_texts_read_back_as_written() {
        let long = "Sviatlana Heorhiyeuna Tsikhanouskaya";
        for text in ["", "Putin", "Ціханоўская", &long[..22], &long[..23], long] {
            assert_eq!(AliasText::new(text).as_bytes(), text.as_bytes());
        }
        assert!(matches!(
            AliasText::new(&long[..22]),
            AliasText::Short { .. }
        ));
        assert!(matches!(AliasText::new(&long[..23]), AliasText::Long(_)));
    }

    #[test]
    fn folding_lookups_find_what_folding_first_finds() {
        let tokens = [
            "putin",
            "Putin",
            "PUTIN",
            "abcdefghijklmno",
            "ABCDEFGHIJKLMNO",
            "abcdefghijklmnop",
            "ABCDEFGHIJKLMNOP",
            "Łukaszenka",
            "ŁUKASZENKA",
            "U.S",
            "’",
            "",
        ];
        let mut map = TokenMap::default();
        let mut buffer = String::new();
        for (id, token) in tokens.iter().enumerate() {
            let key = folded(token, &mut buffer).to_string();
            map.insert(&key, id as u32);
        }
        let others = ["Lukashenko", "ABCDEFGHIJKLMNOQ", "PuTiN", "@[`{Z"];
        // Each token alone (read near the text's end) and inside a longer text.
        let get_folding = |text: &str, start: usize, end: usize, buffer: &mut String| {
            let key = TokenMap::key_folding(text, start, end, buffer);
            map.get_key(key, text, start, end, buffer)
        };
        for token in tokens.iter().chain(&others) {
            let expected = map.get(folded(token, &mut buffer));
            let found = get_folding(token, 0, token.len(), &mut buffer);
            assert_eq!(found, expected, "{token}");
            let text = format!("x {token} and a long enough tail");
            let found = get_folding(&text, 2, 2 + token.len(), &mut buffer);
            assert_eq!(found, expected, "{token} in a text");
        }
        // A lone combining mark folds to the empty token, which the map holds like any other.
        assert_eq!(get_folding("\u{301}", 0, 2, &mut buffer), Some(11));
        assert!(map.get("putin").is_some());
    }

    fn gazetteer(entries: &[(&str, &[&str])]) -> Gazetteer {
        let mut builder = Gazetteer::builder();
        for (name, aliases) in entries {
            builder
                .add(Entity {
                    id: EntityId(alias_key(name).replace(' ', "-")),
                    name: name.to_string(),
                    entity_type: EntityType::Organization,
                    aliases: aliases.iter().map(|a| a.to_string()).collect(),
                    ..Default::default()
                })
                .unwrap();
        }
        builder.build().unwrap()
    }

    fn matches(gazetteer: &Gazetteer, text: &str) -> Vec<String> {
        let (matcher, vocabulary) = ExactMatcher::new(gazetteer);
        let segmented = segment(text);
        matcher
            .find(&vocabulary, text, &segmented)
            .iter()
            .map(|c| text[c.start..c.end].to_string())
            .collect()
    }

    proptest::proptest! {
        /// Walks started from the capitalized tokens alone find what walks from every token
        /// find, where no alias starts in lower case, with a digit or with ASCII punctuation.
        #[test]
        fn walks_from_capitalized_tokens_find_what_walks_from_every_token_find(
            words in proptest::collection::vec(
                proptest::prop_oneof![
                    "(European|Union|Łódź|Lodz|Council|EU|NATO|of|the|Ärzte|ARZTE|ohne|Grenzen)",
                    "[A-Za-z]{1,6}",
                    "[-.,’«]",
                    proptest::strategy::Just("\n\n".to_string()),
                ],
                0..40,
            ),
        ) {
            let g = gazetteer(&[
                ("European Union", &["EU", "Union of Europe"]),
                ("Europe", &[]),
                ("Łódź", &["Lodz Council"]),
                ("NATO", &["North Atlantic Treaty Organization"]),
                ("Ärzte ohne Grenzen", &[]),
            ]);
            let text = words.join(" ");
            let (matcher, vocabulary) = ExactMatcher::new(&g);
            proptest::prop_assert!(matcher.starts_capitalized);
            let every_token = ExactMatcher { starts_capitalized: false, ..matcher.clone() };
            let segmented = segment(&text);
            proptest::prop_assert_eq!(
                matcher.find(&vocabulary, &text, &segmented),
                every_token.find(&vocabulary, &text, &segmented)
            );
        }
    }

    #[test]
    fn a_lower_case_alias_makes_walks_start_at_every_token() {
        let g = gazetteer(&[("the Kremlin", &[]), ("Moscow", &[])]);
        let (matcher, _) = ExactMatcher::new(&g);
        assert!(!matcher.starts_capitalized);
        assert_eq!(
            matches(&g, "Then the Kremlin and Moscow."),
            ["the Kremlin", "Moscow"]
        );
        let g = gazetteer(&[("1st Brigade", &[]), ("Moscow", &[])]);
        assert!(!ExactMatcher::new(&g).0.starts_capitalized);
        assert_eq!(
            matches(&g, "The 1st Brigade left Moscow."),
            ["1st Brigade", "Moscow"]
        );
    }

    #[test]
    fn a_match_across_two_rounds_of_walks_is_kept_whole() {
        let gazetteer = gazetteer(&[("Alexander Lukashenko", &["Lukashenko"])]);
        // "Alfred" starts a walk that finds nothing, so the walk of the last "Alexander" of the
        // first round has the walk of its "Lukashenko" in the next round.
        let names = WALKS_AT_ONCE / 2 + 10;
        let text = format!("Alfred {}", "Alexander Lukashenko ".repeat(names));
        let found = matches(&gazetteer, &text);
        assert_eq!(found.len(), names);
        assert!(found.iter().all(|m| m == "Alexander Lukashenko"));
    }

    #[test]
    fn leftmost_longest_prefers_the_longer_alias() {
        let g = gazetteer(&[("European Union", &["EU"]), ("Europe", &[])]);
        assert_eq!(
            matches(&g, "The European Union and Europe."),
            ["European Union", "Europe"]
        );
    }

    #[test]
    fn matches_only_whole_tokens() {
        let g = gazetteer(&[("Putin", &[]), ("Belarus", &[])]);
        assert_eq!(
            matches(
                &g,
                "Putinism in Belarusia, but Putin’s Belarus' and Belarus's."
            ),
            ["Putin", "Belarus", "Belarus"]
        );
    }

    #[test]
    fn acronyms_are_case_sensitive() {
        let g = gazetteer(&[
            ("United States", &["US", "U.S."]),
            ("European Union", &["EU"]),
        ]);
        assert_eq!(
            matches(
                &g,
                "Tell us about the US and the U.S. and the eu, not the EU."
            ),
            ["US", "U.S.", "EU"]
        );
    }

    #[test]
    fn names_need_their_capitals_but_not_their_case() {
        let g = gazetteer(&[("Moscow", &[]), ("Michael von Ungern-Sternberg", &[])]);
        assert_eq!(
            matches(&g, "MOSCOW and Moscow, not moscow."),
            ["MOSCOW", "Moscow"]
        );
        assert_eq!(
            matches(&g, "Ambassador Michael Von Ungern-Sternberg said."),
            ["Michael Von Ungern-Sternberg"]
        );
    }

    #[test]
    fn diacritics_and_typographic_apostrophes_fold() {
        let g = gazetteer(&[("Sviatlana Tsikhanouskaya", &[]), ("Cote d'Ivoire", &[])]);
        assert_eq!(
            matches(&g, "Sviatlana Tsikhanoŭskaya in Côte d’Ivoire."),
            ["Sviatlana Tsikhanoŭskaya", "Côte d’Ivoire"]
        );
    }

    #[test]
    fn a_longer_match_that_fails_its_case_check_falls_back_to_a_shorter_one() {
        let g = gazetteer(&[("Union State", &[]), ("Union", &["UNION"])]);
        assert_eq!(matches(&g, "Union state"), ["Union"]);
    }

    /// Tokens longer than 15 bytes live in the vocabulary's other table; folded text must
    /// still find them, in any case and with accents.
    #[test]
    fn long_tokens_match_like_short_ones() {
        let g = gazetteer(&[
            ("Internationalisation Committee", &[]),
            ("Łukaszewiczówna", &[]),
        ]);
        assert_eq!(
            matches(
                &g,
                "The INTERNATIONALISATION Committee met Lukaszewiczowna, not the internationalisation committee."
            ),
            ["INTERNATIONALISATION Committee", "Lukaszewiczowna"]
        );
    }

    /// Aliases of more than 64 tokens keep their capitals rule per token.
    #[test]
    fn very_long_aliases_check_every_capital() {
        let words: Vec<String> = (0..70)
            .map(|i| {
                if i % 2 == 0 {
                    format!("Word{i}")
                } else {
                    format!("of{i}")
                }
            })
            .collect();
        let alias = words.join(" ");
        let g = gazetteer(&[(alias.as_str(), &[])]);
        assert_eq!(matches(&g, &format!("{alias}.")), [alias.as_str()]);
        let lowered_last = alias.replace("Word68", "word68");
        assert!(matches(&g, &format!("{lowered_last}.")).is_empty());
    }

    #[test]
    fn matches_never_cross_sentences() {
        let g = gazetteer(&[("Black Sea", &[])]);
        assert!(matches(&g, "He went Black.\nSea air.").is_empty());
    }
}
