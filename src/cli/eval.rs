//! `namegraph eval`: precision, recall and F1 against a gold standard.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};

use namegraph::eval::{Evaluator, Gold, Score};
use namegraph::{pipeline, Tagger};

use super::{InputArgs, LexiconArgs};

/// Measure the tagger against a gold standard: mention spans, resolution (overall, per type, per
/// document), demonyms, roles and relations; then every false positive and false negative.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The gold format is documented in tests/gold/README.md.\n\nExamples:\n  namegraph eval --gold tests/gold/sample.json            the sample corpus\n  namegraph eval --gold tests/gold/sample.json --json | jq .resolution\n  namegraph eval --gold their-gold.json articles/ -g their-gazetteer.toml"
)]
pub struct EvalArgs {
    /// The gold standard (JSON).
    #[arg(long, value_name = "FILE")]
    gold: PathBuf,

    #[command(flatten)]
    input: InputArgs,

    #[command(flatten)]
    lexicon: LexiconArgs,

    /// JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// `ids` as `` `a`, `b` ``, or "nothing" for none.
fn quoted(ids: &[&str]) -> String {
    if ids.is_empty() {
        return "nothing (no documents)".to_string();
    }
    ids.iter()
        .map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn line(name: &str, s: &Score) -> String {
    format!(
        "  {name:<24} P {:.3}  R {:.3}  F1 {:.3}   (tp {}, fp {}, fn {})",
        s.precision, s.recall, s.f1, s.true_positives, s.false_positives, s.false_negatives
    )
}

pub fn run(args: EvalArgs) -> Result<()> {
    let gold = Gold::load(&args.gold).context("could not read the gold standard")?;
    let (gazetteer, stream) = args.input.open()?;
    let mut tagger = Tagger::new(gazetteer);
    if let Some(lexicon) = args.input.relation_lexicon(&args.lexicon)? {
        tagger = tagger.with_relations(lexicon);
    }
    let lexicon = tagger.relations().map(|r| r.lexicon());
    let mut evaluator = Evaluator::new(&gold, tagger.gazetteer(), lexicon);
    // A few of the inputs' ids, for the error when none is in the gold.
    let mut input_ids = Vec::new();
    pipeline::run(&tagger, stream, &args.input.begin_run(), |tagged| {
        if input_ids.len() < 3 {
            input_ids.push(tagged.document.id.to_string());
        }
        evaluator.add(tagged);
        Ok(())
    })
    .context("could not read the articles")?;
    let result = evaluator.finish();
    if result.documents == 0 {
        // Scores of nothing would read as a tagger that finds nothing.
        bail!(
            "none of the {} of {} is among the inputs: its ids begin {}, the inputs' {} (a document's id is its path as given or within the folder given, or its JSON Lines \"id\"; a gold id also matches the end of a path after a `/`)",
            namegraph::wording::counted_s(gold.len() as u64, "document"),
            args.gold.display(),
            quoted(&gold.some_ids(3)),
            quoted(&input_ids.iter().map(String::as_str).collect::<Vec<_>>()),
        );
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&result)?);
        return Ok(());
    }
    println!(
        "{} evaluated",
        namegraph::wording::counted_s(result.documents as u64, "document")
    );
    println!("{}", line("mention spans", &result.spans));
    println!("{}", line("resolution (span+entity)", &result.resolution));
    for (entity_type, score) in &result.resolution_by_type {
        println!("{}", line(&format!("  {entity_type}"), score));
    }
    println!("{}", line("demonyms", &result.demonyms));
    println!("{}", line("roles", &result.roles));
    println!("{}", line("relations (strict)", &result.relations_strict));
    println!("{}", line("relations (relaxed)", &result.relations_relaxed));
    println!("per document (resolution):");
    for (document, score) in &result.resolution_by_document {
        println!("{}", line(document, score));
    }
    println!("per document (relations, strict):");
    for (document, score) in &result.relations_by_document {
        println!("{}", line(document, score));
    }
    for id in &result.unknown_entities {
        println!("warning: the gold uses entity `{id}`, which the gazetteer does not have");
    }
    for id in &result.missing_documents {
        println!("warning: gold document `{id}` is not among the inputs");
    }
    for span in &result.misaligned_spans {
        println!("warning: misaligned gold span: {span}");
    }
    for d in &result.disagreements {
        println!(
            "{} {} {}:{}-{} \"{}\" ({}) in: {}",
            d.kind, d.layer, d.document, d.start, d.end, d.text, d.entity, d.sentence
        );
    }
    Ok(())
}
