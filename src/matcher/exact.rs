//! The exact pass: one Aho-Corasick automaton over every alias.
//!
//! The automaton does not run over the raw text but over a folded copy built from the tokens,
//! where every token is wrapped as `\x02token\x03` and sentences are separated by `\x01`. Each
//! alias is folded and wrapped the same way, so a match always starts and ends on token
//! boundaries and never crosses a sentence, and a match's position maps back to token indices and
//! from there to offsets in the original text. Leftmost-longest semantics make "European Union"
//! win over "European".
//!
//! Case is folded for the search and checked afterwards against the original tokens:
//! - an alias with no lower-case letters and at least two letters (`EU`, `U.S.`, `NATO`) is an
//!   acronym and matches only in exactly that case, so "US" never matches the pronoun "us";
//! - any other alias matches regardless of case, provided every word that is capitalized in the
//!   alias is capitalized (or all upper case) in the text: "MOSCOW" and "Moscow" match `Moscow`,
//!   "moscow" does not; lower-case particles (`von`, `of`) match either way.
//!
//! When the longest match fails the case check, shorter aliases starting at the same token are
//! tried before moving on.

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};

use super::{Candidate, Choice};
use crate::gazetteer::{alias_key, Alias, AliasIndex, Gazetteer};
use crate::normalize::{fold_into, fold_keep_case};
use crate::segment::{tokenize, Segmented, TokenKind};

const SENTENCE_BREAK: char = '\x01';
const TOKEN_START: char = '\x02';
const TOKEN_END: char = '\x03';

/// How an alias's case must be checked against the text.
#[derive(Debug, Clone)]
enum CaseRule {
    /// Acronyms: every token must read the same, case included (after diacritic folding).
    Exact(Box<[Box<str>]>),
    /// Per token: must the text's token start with a capital?
    Capitalized(Box<[bool]>),
}

#[derive(Debug, Clone)]
struct Rule {
    alias: AliasIndex,
    case: CaseRule,
}

/// A text folded and wrapped for matching: built once per document, searched by every matcher.
#[derive(Debug, Clone, Default)]
pub struct Haystack {
    folded: String,
    /// Per token, its offset in `folded`.
    token_at: Vec<usize>,
    /// Per sentence, the index of its first token.
    sentence_starts: Vec<usize>,
}

impl Haystack {
    pub fn new(text: &str, segmented: &Segmented) -> Self {
        let tokens = &segmented.tokens;
        let mut folded = String::with_capacity(text.len() + 3 * tokens.len());
        let mut token_at: Vec<usize> = Vec::with_capacity(tokens.len());
        let mut sentence_starts: Vec<usize> = Vec::with_capacity(segmented.sentences.len());
        for sentence in &segmented.sentences {
            sentence_starts.push(sentence.tokens.start);
            for token in &tokens[sentence.tokens.clone()] {
                token_at.push(folded.len());
                folded.push(TOKEN_START);
                fold_into(token.text(text), true, &mut folded);
                folded.push(TOKEN_END);
            }
            folded.push(SENTENCE_BREAK);
        }
        Haystack {
            folded,
            token_at,
            sentence_starts,
        }
    }
}

/// The compiled exact pass over one gazetteer.
#[derive(Debug, Clone)]
pub struct ExactMatcher {
    automaton: AhoCorasick,
    /// Per automaton pattern, the aliases that fold to it.
    rules: Vec<Vec<Rule>>,
}

fn wrapped_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len() + 8);
    for token in tokenize(text) {
        key.push(TOKEN_START);
        fold_into(token.text(text), true, &mut key);
        key.push(TOKEN_END);
    }
    key
}

fn case_rule(text: &str) -> CaseRule {
    let letters = text.chars().filter(|c| c.is_alphabetic());
    let (mut upper, mut lower) = (0, 0);
    for letter in letters {
        if letter.is_uppercase() {
            upper += 1;
        } else if letter.is_lowercase() {
            lower += 1;
        }
    }
    let tokens = tokenize(text);
    if lower == 0 && upper >= 2 {
        CaseRule::Exact(
            tokens
                .iter()
                .map(|t| fold_keep_case(t.text(text)).into_boxed_str())
                .collect(),
        )
    } else {
        CaseRule::Capitalized(
            tokens
                .iter()
                .map(|t| {
                    t.kind == TokenKind::Word
                        && t.text(text).chars().next().is_some_and(char::is_uppercase)
                })
                .collect(),
        )
    }
}

impl ExactMatcher {
    /// Compiles the automaton over every alias of `gazetteer`.
    pub fn new(gazetteer: &Gazetteer) -> Self {
        Self::with_aliases(gazetteer, |_| true)
    }

    /// Compiles the automaton over the aliases `include` accepts.
    pub fn with_aliases(gazetteer: &Gazetteer, include: impl Fn(&Alias) -> bool) -> Self {
        let mut patterns: Vec<String> = Vec::new();
        let mut rules: Vec<Vec<Rule>> = Vec::new();
        let mut by_key: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for (index, alias) in gazetteer.aliases().iter().enumerate() {
            if !include(alias) {
                continue;
            }
            debug_assert!(!alias_key(&alias.text).is_empty());
            let key = wrapped_key(&alias.text);
            let slot = *by_key.entry(key.clone()).or_insert_with(|| {
                patterns.push(key);
                rules.push(Vec::new());
                patterns.len() - 1
            });
            rules[slot].push(Rule {
                alias: AliasIndex(index as u32),
                case: case_rule(&alias.text),
            });
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Both)
            .build(&patterns)
            .expect("alias automaton within aho-corasick's size limits");
        ExactMatcher { automaton, rules }
    }

    /// Finds every alias occurrence in a segmented text, leftmost-longest, non-overlapping.
    pub fn find(&self, gazetteer: &Gazetteer, text: &str, segmented: &Segmented) -> Vec<Candidate> {
        self.find_in(gazetteer, &Haystack::new(text, segmented), text, segmented)
    }

    /// Whether the matcher has no alias at all.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Like [`ExactMatcher::find`], over a haystack already built (several matchers can share one).
    pub fn find_in(
        &self,
        gazetteer: &Gazetteer,
        prepared: &Haystack,
        text: &str,
        segmented: &Segmented,
    ) -> Vec<Candidate> {
        let tokens = &segmented.tokens;
        let haystack = &prepared.folded;
        let token_at = &prepared.token_at;
        let sentence_starts = &prepared.sentence_starts;
        let mut candidates = Vec::new();
        let mut at = 0;
        while at < haystack.len() {
            let Some(found) = self
                .automaton
                .find(Input::new(&haystack).span(at..haystack.len()))
            else {
                break;
            };
            let start = found.start();
            let mut end = found.end();
            let mut pattern = found.pattern().as_usize();
            at = start + 1;
            loop {
                let first = token_at.partition_point(|&p| p < start);
                let last = token_at.partition_point(|&p| p < end) - 1;
                let choices = self.accept(gazetteer, pattern, text, segmented, first, last);
                if !choices.is_empty() {
                    let sentence = sentence_starts.partition_point(|&s| s <= first) - 1;
                    candidates.push(Candidate {
                        start: tokens[first].start,
                        end: tokens[last].end,
                        tokens: first..last + 1,
                        sentence,
                        choices,
                    });
                    at = end;
                    break;
                }
                let shorter = Input::new(&haystack)
                    .span(start..end - 1)
                    .anchored(Anchored::Yes);
                match self.automaton.find(shorter) {
                    Some(m) => {
                        end = m.end();
                        pattern = m.pattern().as_usize();
                    }
                    None => break,
                }
            }
        }
        candidates
    }

    fn accept(
        &self,
        gazetteer: &Gazetteer,
        pattern: usize,
        text: &str,
        segmented: &Segmented,
        first: usize,
        last: usize,
    ) -> Vec<Choice> {
        let span_tokens = &segmented.tokens[first..=last];
        let surface = &text[span_tokens[0].start..span_tokens[span_tokens.len() - 1].end];
        let mut choices = Vec::new();
        for rule in &self.rules[pattern] {
            let fits = match &rule.case {
                CaseRule::Exact(expected) => {
                    expected.len() == span_tokens.len()
                        && span_tokens
                            .iter()
                            .zip(expected.iter())
                            .all(|(token, want)| fold_keep_case(token.text(text)) == **want)
                }
                CaseRule::Capitalized(capitals) => {
                    span_tokens
                        .iter()
                        .zip(capitals.iter())
                        .all(|(token, &capital)| {
                            !capital
                                || token
                                    .text(text)
                                    .chars()
                                    .next()
                                    .is_some_and(|c| !c.is_lowercase())
                        })
                }
            };
            if fits {
                choices.push(Choice {
                    alias: rule.alias,
                    verbatim: gazetteer.alias(rule.alias).text == surface,
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
        let matcher = ExactMatcher::new(gazetteer);
        let segmented = segment(text);
        matcher
            .find(gazetteer, text, &segmented)
            .iter()
            .map(|c| text[c.start..c.end].to_string())
            .collect()
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

    #[test]
    fn matches_never_cross_sentences() {
        let g = gazetteer(&[("Black Sea", &[])]);
        assert!(matches(&g, "He went Black.\nSea air.").is_empty());
    }
}
