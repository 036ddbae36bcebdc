//! Table-driven relation extraction: `tests/relations/stated.tsv` lists sentences with the
//! triples they state, `unstated.tsv` sentences whose entity pairs are not related as a naive
//! reading would have it (negations, reported speech, quoted agencies, no relation at all).
//! Every line is tagged on its own with the shipped gazetteers and relation lexicon, and the
//! extracted triples must be exactly the expected ones.

use std::collections::BTreeSet;
use std::path::PathBuf;

use namegraph::gazetteer;
use namegraph::relations::RelationLexicon;
use namegraph::{Document, Tagger};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tagger() -> Tagger {
    let gazetteer = gazetteer::load(&[repo().join("gazetteers")]).expect("shipped gazetteers load");
    let lexicon = RelationLexicon::load(&repo().join("gazetteers/relations.toml"))
        .expect("shipped lexicon loads");
    Tagger::new(gazetteer).with_relations(lexicon)
}

/// (line number, expected triples, sentence) for each case of a table.
fn cases(file: &str) -> Vec<(usize, BTreeSet<String>, String)> {
    let text = std::fs::read_to_string(repo().join("tests/relations").join(file)).unwrap();
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(n, line)| {
            let (expected, sentence) = line
                .split_once('\t')
                .unwrap_or_else(|| panic!("{file}:{}: expected<TAB>sentence", n + 1));
            let expected = match expected.trim() {
                "-" => BTreeSet::new(),
                triples => triples.split(" ; ").map(|t| t.trim().to_string()).collect(),
            };
            (n + 1, expected, sentence.to_string())
        })
        .collect()
}

/// The triples namegraph extracts from one sentence, as "subject [not ]relation object".
fn extract(tagger: &Tagger, sentence: &str) -> BTreeSet<String> {
    let mut document = Document::new("case", sentence);
    document.date = Some("2020-09-14".into());
    let tagged = tagger.tag(&document);
    let lexicon = tagger.relations().unwrap().lexicon();
    let gazetteer = tagger.gazetteer();
    tagged
        .relations
        .iter()
        .map(|r| {
            format!(
                "{} {}{} {}",
                gazetteer.entity(r.subject).id,
                if r.negated { "not " } else { "" },
                lexicon.relations[r.relation].name,
                gazetteer.entity(r.object).id
            )
        })
        .collect()
}

fn check(file: &str, minimum: usize) {
    let tagger = tagger();
    let table = cases(file);
    assert!(table.len() >= minimum, "{file}: only {} cases", table.len());
    let mut failures = Vec::new();
    for (line, expected, sentence) in &table {
        for triple in expected {
            let ids: Vec<&str> = triple.split(' ').collect();
            for id in [ids[0], ids[ids.len() - 1]] {
                assert!(
                    tagger.gazetteer().find(id).is_some(),
                    "{file}:{line}: unknown entity {id}"
                );
            }
        }
        let found = extract(&tagger, sentence);
        if &found != expected {
            failures.push(format!(
                "{file}:{line}: expected {expected:?}, found {found:?}\n    {sentence}"
            ));
        }
    }
    println!(
        "{file}: {} of {} cases hold",
        table.len() - failures.len(),
        table.len()
    );
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn stated_relations_are_extracted() {
    check("stated.tsv", 30);
}

#[test]
fn unstated_relations_are_not() {
    check("unstated.tsv", 15);
}
