//! `namegraph lint`: every problem in a set of gazetteer files at once.
//!
//! Errors are what loading refuses (syntax, unknown fields or types, empty names, duplicate ids,
//! aliases claimed by two entities, impossible role periods); lint reports all of them, not just
//! the first. Warnings are what loads but will probably hurt: an alias listed twice, a `not`
//! entry that is the entity's own alias, an alias the tagger ignores as a common capitalized
//! word ([`crate::matcher::is_common_word_alias`]: "Some", "Prime"), and aliases of different
//! entities so close on transliteration keys that the fuzzy pass could confuse them. The
//! relation lexicon is checked too (see [`crate::relations::lexicon`]).

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde::Serialize;

use super::load::{expand, read_files, Problems};
use super::{alias_key, AliasKind, EntityType, Gazetteer};
use crate::matcher::{is_common_word_alias, word_keys, FuzzyIndex};
use crate::relations::{RelationLexicon, RELATIONS_FILE};

/// Similarity of two entities' surname keys at which lint warns that fuzzy matching may confuse
/// them.
const CONFUSABLE: f64 = 0.92;

/// What lint found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LintReport {
    pub files: Vec<String>,
    /// Entities loaded.
    pub entities: usize,
    /// Entities read but refused for their errors (not in `entities`).
    pub refused: usize,
    pub aliases: usize,
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

/// Lints the gazetteer files `paths` names, and the relation lexicon: a folder's
/// `relations.toml`, or a file of that name given directly.
pub fn lint(paths: &[PathBuf]) -> LintReport {
    let mut report = LintReport::default();
    let is_lexicon =
        |p: &PathBuf| p.is_file() && p.file_name().is_some_and(|n| n == RELATIONS_FILE);
    let mut lexicons: Vec<PathBuf> = paths.iter().filter(|p| is_lexicon(p)).cloned().collect();
    lexicons.extend(
        paths
            .iter()
            .filter(|p| p.is_dir())
            .map(|p| p.join(RELATIONS_FILE))
            .filter(|p| p.is_file()),
    );
    let paths: Vec<PathBuf> = paths.iter().filter(|p| !is_lexicon(p)).cloned().collect();
    let files = match expand(&paths) {
        Ok(files) => files,
        Err(e) => {
            report.errors.push(e.to_string());
            return report;
        }
    };
    report.files = files.iter().map(|f| f.display().to_string()).collect();
    let mut problems = Problems::Collect(Vec::new());
    let builder = match read_files(&files, &mut problems) {
        Ok(builder) => builder,
        Err(e) => {
            report.errors.push(e.to_string());
            return report;
        }
    };
    report.refused = builder.refused();
    let (gazetteer, errors) = builder.build_collecting();
    if let Problems::Collect(found) = problems {
        report.errors.extend(found.iter().map(ToString::to_string));
    }
    report.errors.extend(errors.iter().map(ToString::to_string));
    report.entities = gazetteer.entities().len();
    report.aliases = gazetteer.aliases().len();
    report.warnings = warnings(&gazetteer);
    for lexicon in lexicons {
        let check = RelationLexicon::check(&lexicon, Some(&gazetteer));
        report.files.push(lexicon.display().to_string());
        report
            .errors
            .extend(check.errors.iter().map(ToString::to_string));
        report.warnings.extend(check.warnings);
    }
    report
}

fn warnings(gazetteer: &Gazetteer) -> Vec<String> {
    let mut warnings = Vec::new();
    for (number, entity) in gazetteer.entities().iter().enumerate() {
        let index = super::EntityIndex(number as u32);
        let location = gazetteer.location(index);
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for alias in gazetteer.aliases_of(index) {
            let alias = gazetteer.alias(alias);
            if alias.kind == AliasKind::Role {
                continue;
            }
            if !seen.insert(crate::normalize::fold_keep_case(&alias.text)) {
                warnings.push(format!(
                    "{location}: `{}` lists \"{}\" more than once (as name, alias or demonym)",
                    entity.id, alias.text
                ));
            } else if is_common_word_alias(&alias.text, alias.kind, || entity.entity_type) {
                warnings.push(format!(
                    "{location}: `{}` has the alias \"{}\", a common capitalized word (see src/matcher/stopwords.txt), which is never matched: news capitalizes it at the start of a sentence and in titles (\"Prime Minister\"); keep the name inside a longer alias",
                    entity.id, alias.text
                ));
            }
        }
        let keys: BTreeSet<String> = seen.iter().map(|s| alias_key(s)).collect();
        for not in &entity.not {
            if keys.contains(&alias_key(not)) {
                warnings.push(format!(
                    "{location}: `{}` lists \"{not}\" under `not`, but it is one of its own names",
                    entity.id
                ));
            }
        }
    }
    // Confusable names: through the fuzzy index, as the fuzzy pass would see them.
    let index = FuzzyIndex::new(gazetteer);
    let mut reported: BTreeSet<(u32, u32)> = BTreeSet::new();
    for alias in gazetteer.aliases() {
        if alias.kind != AliasKind::Name {
            continue;
        }
        let entity = gazetteer.entity(alias.entity);
        let proposal = index.propose(gazetteer, &alias.text);
        for other in proposal
            .candidates
            .iter()
            .filter(|c| c.entity != alias.entity)
        {
            let other_alias = gazetteer.alias(other.alias);
            let other_entity = gazetteer.entity(other.entity);
            let both_ambiguous = alias.ambiguous && other_alias.ambiguous;
            let listed_not = entity.not.iter().chain(&other_entity.not).any(|n| {
                let key = alias_key(n);
                key == alias_key(&alias.text) || key == alias_key(&other_alias.text)
            });
            let both_persons = entity.entity_type == EntityType::Person
                && other_entity.entity_type == EntityType::Person;
            let close = (both_persons && other.score >= CONFUSABLE)
                || word_keys(&alias.text) == word_keys(&other_alias.text);
            let pair = (
                alias.entity.0.min(other.entity.0),
                alias.entity.0.max(other.entity.0),
            );
            if close && !both_ambiguous && !listed_not && reported.insert(pair) {
                warnings.push(format!(
                    "{}: \"{}\" (`{}`) and \"{}\" (`{}`) are close enough for fuzzy matching to confuse (score {:.2}); if they are different, list one under the other's `not`, or mark the shared name `ambiguous`",
                    gazetteer.location(alias.entity),
                    alias.text,
                    entity.id,
                    other_alias.text,
                    other_entity.id,
                    other.score
                ));
            }
        }
    }
    warnings
}
