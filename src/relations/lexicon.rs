//! The relation lexicon: relation types, the words and phrases that state them, negation cues,
//! news agencies and the bodies of a state, read from a TOML file the user edits (`gazetteers/relations.toml`).
//!
//! ```toml
//! negations = ["not", "never", "didn't", "refused to"]    # cues that negate a trigger
//! news_agencies = ["afp", "reuters"]                       # entity ids never made subjects
//! state_bodies = ["authorities", "riot police"]            # "Belarusian authorities" = Belarus
//!
//! [[relation]]
//! name = "supports"                 # the edge's relation type
//! polarity = "cooperative"          # cooperative | hostile | neutral
//! symmetric = false                 # true: "X and Y held talks" states it of both
//! triggers = ["back", "backs", "backed", "backing", "stand by", "support for",
//!             "talks between {subject} and {object}", "extend {object} a * loan"]
//! ```
//!
//! A trigger is written in the inflected forms it takes in text, case-insensitively. Besides
//! words it may hold the slots `{subject}` and `{object}` (an entity mention stands there) and
//! `*` (up to three other words; an amount written without spaces, "$1.5", is one). Without
//! slots, the subject is found before the trigger and the object after it (see
//! [`super::extract`]). A trigger must start with a word.
//!
//! This module owns reading and checking the lexicon; it knows nothing about sentences.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::document::decode_utf8;
use crate::error::{line_column, Error, Result};
use crate::gazetteer::Gazetteer;
use crate::normalize::fold;
use crate::segment::tokenize;

/// The lexicon's usual file name; the gazetteer loader leaves this file to the relation stage.
pub const RELATIONS_FILE: &str = "relations.toml";

/// Words a `*` in a trigger may stand for, at most.
pub const WILDCARD_WORDS: usize = 3;

/// What a relation says about how the two sides stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    Cooperative,
    Hostile,
    Neutral,
}

impl Polarity {
    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::Cooperative => "cooperative",
            Polarity::Hostile => "hostile",
            Polarity::Neutral => "neutral",
        }
    }
}

impl fmt::Display for Polarity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One element of a parsed trigger.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Element {
    /// A folded token (a word, or one punctuation character such as the `'` of `didn't`).
    Word(String),
    /// Up to [`WILDCARD_WORDS`] words that are not entity mentions.
    Any,
    /// An entity mention that is the subject.
    Subject,
    /// An entity mention that is the object.
    Object,
}

/// A trigger as written and as parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    pub text: String,
    pub elements: Vec<Element>,
}

impl Trigger {
    pub fn has_subject_slot(&self) -> bool {
        self.elements.contains(&Element::Subject)
    }

    pub fn has_object_slot(&self) -> bool {
        self.elements.contains(&Element::Object)
    }
}

/// One relation type.
#[derive(Debug, Clone, PartialEq)]
pub struct RelationType {
    pub name: String,
    pub polarity: Polarity,
    /// States the relation of both sides at once ("calls", "meets").
    pub symmetric: bool,
    pub triggers: Vec<Trigger>,
}

/// A checked relation lexicon.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RelationLexicon {
    /// Where it was read from, if from a file.
    pub path: Option<PathBuf>,
    pub relations: Vec<RelationType>,
    /// Negation cues, each a folded token sequence.
    pub negations: Vec<Vec<String>>,
    /// Entity ids that are sources of news, never the subject of a relation.
    pub news_agencies: Vec<String>,
    /// The bodies that act for a state, each a folded token sequence: after a demonym they make
    /// it stand for its state ("Belarusian authorities detained X" is Belarus acting).
    pub state_bodies: Vec<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLexicon {
    #[serde(default)]
    negations: Vec<Spanned<String>>,
    #[serde(default)]
    news_agencies: Vec<Spanned<String>>,
    #[serde(default)]
    state_bodies: Vec<Spanned<String>>,
    #[serde(default)]
    relation: Vec<Spanned<RawRelation>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelation {
    name: Spanned<String>,
    polarity: Polarity,
    #[serde(default)]
    symmetric: bool,
    triggers: Vec<Spanned<String>>,
}

/// Folded tokens of a phrase.
pub(crate) fn phrase_tokens(text: &str) -> Vec<String> {
    tokenize(text).iter().map(|t| fold(t.text(text))).collect()
}

/// Parses one trigger, or says what is wrong with it.
pub fn parse_trigger(text: &str) -> std::result::Result<Trigger, String> {
    let mut elements = Vec::new();
    for word in text.split_whitespace() {
        match word {
            "{subject}" => elements.push(Element::Subject),
            "{object}" => elements.push(Element::Object),
            "*" => elements.push(Element::Any),
            _ if word.contains('{') || word.contains('}') => {
                return Err(format!(
                    "unknown slot `{word}` (the slots are {{subject}} and {{object}})"
                ))
            }
            _ => elements.extend(phrase_tokens(word).into_iter().map(Element::Word)),
        }
    }
    match elements.first() {
        None => return Err("empty trigger".into()),
        Some(Element::Word(_)) => {}
        Some(_) => return Err("a trigger must start with a word, not a slot or `*`".into()),
    }
    if matches!(elements.last(), Some(Element::Any)) {
        return Err("a trigger cannot end with `*`".into());
    }
    for slot in [Element::Subject, Element::Object] {
        if elements.iter().filter(|e| **e == slot).count() > 1 {
            return Err("a slot may appear only once".into());
        }
    }
    let is_word = |e: &Element| matches!(e, Element::Word(_));
    if elements
        .windows(2)
        .any(|w| !is_word(&w[0]) && !is_word(&w[1]))
    {
        return Err("two slots or `*` side by side cannot be told apart".into());
    }
    Ok(Trigger {
        text: text.to_string(),
        elements,
    })
}

/// What reading a lexicon found: the usable lexicon, errors and warnings.
#[derive(Debug, Default)]
pub struct LexiconCheck {
    pub lexicon: RelationLexicon,
    pub errors: Vec<Error>,
    pub warnings: Vec<String>,
}

impl RelationLexicon {
    /// Reads a lexicon file, failing on its first problem (with file and line).
    pub fn load(path: &Path) -> Result<RelationLexicon> {
        let mut check = Self::check(path, None);
        match check.errors.is_empty() {
            true => Ok(check.lexicon),
            false => Err(check.errors.swap_remove(0)),
        }
    }

    /// Reads a lexicon file and collects every problem; with a gazetteer, also warns about
    /// news agency ids it does not know.
    pub fn check(path: &Path, gazetteer: Option<&Gazetteer>) -> LexiconCheck {
        let mut check = LexiconCheck::default();
        let text = match std::fs::read(path)
            .map_err(|e| Error::io(path, e))
            .and_then(|bytes| decode_utf8(path, bytes))
        {
            Ok(text) => text,
            Err(e) => {
                check.errors.push(e);
                return check;
            }
        };
        check_text(path, &text, gazetteer, &mut check);
        check.lexicon.path = Some(path.to_path_buf());
        check
    }

    /// Parses a lexicon from TOML text (for tests and embedding); `path` only names it in errors.
    pub fn from_toml(path: &Path, text: &str) -> Result<RelationLexicon> {
        let mut check = LexiconCheck::default();
        check_text(path, text, None, &mut check);
        match check.errors.is_empty() {
            true => Ok(check.lexicon),
            false => Err(check.errors.swap_remove(0)),
        }
    }

    /// The relation type called `name`.
    pub fn relation(&self, name: &str) -> Option<&RelationType> {
        self.relations.iter().find(|r| r.name == name)
    }

    /// Number of triggers over all relation types.
    pub fn trigger_count(&self) -> usize {
        self.relations.iter().map(|r| r.triggers.len()).sum()
    }
}

fn check_text(path: &Path, text: &str, gazetteer: Option<&Gazetteer>, check: &mut LexiconCheck) {
    let line_of = |offset: usize| line_column(text.as_bytes(), offset).0;
    let raw: RawLexicon = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let line = e.span().map_or(1, |span| line_of(span.start));
            check.errors.push(Error::malformed(
                path,
                line,
                format!("not a relation lexicon: {}", e.message().trim()),
            ));
            return;
        }
    };
    if raw.relation.is_empty() {
        check.errors.push(Error::malformed(
            path,
            1,
            "no [[relation]] tables: a relation lexicon lists at least one relation type",
        ));
    }
    let lexicon = &mut check.lexicon;
    let mut phrases = |list: &[Spanned<String>], what: &str, into: &mut Vec<Vec<String>>| {
        for phrase in list {
            let tokens = phrase_tokens(phrase.get_ref());
            if tokens.is_empty() {
                check.errors.push(Error::malformed(
                    path,
                    line_of(phrase.span().start),
                    format!("empty {what}"),
                ));
            } else {
                into.push(tokens);
            }
        }
    };
    phrases(&raw.negations, "negation cue", &mut lexicon.negations);
    phrases(&raw.state_bodies, "state body", &mut lexicon.state_bodies);
    for id in &raw.news_agencies {
        if let Some(gazetteer) = gazetteer {
            if gazetteer.find(id.get_ref()).is_none() {
                check.warnings.push(format!(
                    "{}:{}: news agency `{}` is not an entity of the gazetteer",
                    path.display(),
                    line_of(id.span().start),
                    id.get_ref()
                ));
            }
        }
        lexicon.news_agencies.push(id.get_ref().clone());
    }
    // folded trigger text -> (relation name, line), to catch one trigger in two relations
    let mut seen_triggers: HashMap<Vec<Element>, (String, usize)> = HashMap::new();
    let mut seen_names: HashMap<String, usize> = HashMap::new();
    for relation in raw.relation {
        let relation = relation.into_inner();
        let name_line = line_of(relation.name.span().start);
        let name = relation.name.into_inner();
        let well_formed = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !well_formed {
            check.errors.push(Error::malformed(
                path,
                name_line,
                format!(
                    "relation name \"{name}\" must be a slug: lower-case letters, digits and `-`"
                ),
            ));
            continue;
        }
        if let Some(first) = seen_names.insert(name.clone(), name_line) {
            check.errors.push(Error::malformed(
                path,
                name_line,
                format!("relation \"{name}\" is defined twice (first at line {first})"),
            ));
            continue;
        }
        let mut triggers = Vec::new();
        for trigger in &relation.triggers {
            let line = line_of(trigger.span().start);
            match parse_trigger(trigger.get_ref()) {
                Ok(parsed) => {
                    match seen_triggers.get(&parsed.elements) {
                        Some((other, first)) if *other == name => check.warnings.push(format!(
                            "{}:{line}: trigger \"{}\" is listed twice in \"{name}\" (first at line {first})",
                            path.display(),
                            parsed.text
                        )),
                        Some((other, first)) => check.errors.push(Error::malformed(
                            path,
                            line,
                            format!(
                                "trigger \"{}\" of \"{name}\" is also a trigger of \"{other}\" (line {first}); a phrase can state one relation only",
                                parsed.text
                            ),
                        )),
                        None => {
                            seen_triggers.insert(parsed.elements.clone(), (name.clone(), line));
                            triggers.push(parsed);
                        }
                    }
                }
                Err(problem) => check.errors.push(Error::malformed(
                    path,
                    line,
                    format!("trigger \"{}\" of \"{name}\": {problem}", trigger.get_ref()),
                )),
            }
        }
        if triggers.is_empty() {
            check.warnings.push(format!(
                "{}:{name_line}: relation \"{name}\" has no usable trigger, so it is never extracted",
                path.display()
            ));
        }
        lexicon.relations.push(RelationType {
            name,
            polarity: relation.polarity,
            symmetric: relation.symmetric,
            triggers,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(trigger: &str) -> Vec<Element> {
        parse_trigger(trigger).unwrap().elements
    }

    #[test]
    fn triggers_are_folded_tokens_and_slots() {
        assert_eq!(
            words("Stand  by"),
            vec![Element::Word("stand".into()), Element::Word("by".into())]
        );
        assert_eq!(
            words("didn’t back"),
            ["didn", "'", "t", "back"]
                .iter()
                .map(|w| Element::Word(w.to_string()))
                .collect::<Vec<_>>()
        );
        assert_eq!(
            words("talks between {subject} and {object}"),
            vec![
                Element::Word("talks".into()),
                Element::Word("between".into()),
                Element::Subject,
                Element::Word("and".into()),
                Element::Object
            ]
        );
    }

    #[test]
    fn malformed_triggers_are_refused_with_a_reason() {
        for (trigger, reason) in [
            ("", "empty"),
            ("{object} backed", "start with a word"),
            ("* backed", "start with a word"),
            ("backed *", "end with"),
            ("talks {with}", "unknown slot"),
            ("between {subject} and {subject}", "only once"),
            ("extend {object} {subject}", "side by side"),
        ] {
            let problem = parse_trigger(trigger).unwrap_err();
            assert!(problem.contains(reason), "{trigger}: {problem}");
        }
    }

    #[test]
    fn problems_name_the_line() {
        let path = Path::new("relations.toml");
        let text = "[[relation]]\nname = \"supports\"\npolarity = \"cooperative\"\ntriggers = [\"back\"]\n\n[[relation]]\nname = \"opposes\"\npolarity = \"hostile\"\ntriggers = [\n  \"oppose\",\n  \"back\",\n]\n";
        let error = RelationLexicon::from_toml(path, text)
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("relations.toml:11:"), "{error}");
        assert!(error.contains("also a trigger of \"supports\""), "{error}");

        let error = RelationLexicon::from_toml(
            path,
            "[[relation]]\nname = \"x\"\npolarity = \"friendly\"\ntriggers = []\n",
        )
        .unwrap_err()
        .to_string();
        assert!(error.starts_with("relations.toml:3:"), "{error}");
    }

    #[test]
    fn state_bodies_are_folded_phrases_and_an_empty_one_names_its_line() {
        let path = Path::new("relations.toml");
        let relation = "[[relation]]\nname = \"x\"\npolarity = \"neutral\"\ntriggers = [\"y\"]\n";
        let text = format!("state_bodies = [\"Riot  Police\", \"authorities\"]\n{relation}");
        let lexicon = RelationLexicon::from_toml(path, &text).unwrap();
        assert_eq!(
            lexicon.state_bodies,
            vec![vec!["riot", "police"], vec!["authorities"]]
        );

        let text = format!("state_bodies = [\n  \"police\",\n  \" \",\n]\n{relation}");
        let error = RelationLexicon::from_toml(path, &text)
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("relations.toml:3:"), "{error}");
        assert!(error.contains("empty state body"), "{error}");
    }
}
