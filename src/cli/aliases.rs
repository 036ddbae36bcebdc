//! `namegraph aliases`: how a corpus named each entity, and the names nothing took.

use std::path::PathBuf;

use anyhow::{Context, Result};

use namegraph::audit::AliasReportBuilder;
use namegraph::export::{write_atomically, OutputFile};
use namegraph::wording::{counted, counted_s};
use namegraph::{pipeline, Tagger};

use super::InputArgs;

/// Report every entity's surface forms over a corpus, then the unresolved name-like spans.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "For each entity: every spelling seen, its count and how it was resolved. Then the\nname-like spans no entity took, most frequent first, with the reason and the nearest entity.\n\nExamples:\n  namegraph aliases                               the sample corpus\n  namegraph aliases news/ --json | jq '.unresolved[:10]'\n  namegraph aliases news/ --suggest new-names.toml   write the unresolved names as a gazetteer\n                                                  fragment to review and merge"
)]
pub struct AliasesArgs {
    #[command(flatten)]
    input: InputArgs,

    /// JSON instead of text.
    #[arg(long)]
    json: bool,

    /// Write the unresolved names as `[[entity]]` entries to this TOML file, for review.
    #[arg(long, value_name = "FILE")]
    suggest: Option<PathBuf>,

    /// Only suggest names seen at least this many times.
    #[arg(long, value_name = "N", default_value_t = 1)]
    min_count: u64,
}

pub fn run(args: AliasesArgs) -> Result<()> {
    let (gazetteer, stream) = args.input.open()?;
    let tagger = Tagger::new(gazetteer);
    let mut builder = AliasReportBuilder::default();
    pipeline::run(&tagger, stream, &args.input.begin_run(), |tagged| {
        builder.add(tagged);
        Ok(())
    })
    .context("could not read the articles")?;
    let report = builder.finish(tagger.gazetteer());
    if let Some(path) = &args.suggest {
        let fragment = report.suggestions_toml(tagger.gazetteer(), args.min_count);
        let folder = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| std::path::Path::new("."));
        let name = path
            .file_name()
            .context("--suggest needs a file name")?
            .to_string_lossy()
            .into_owned();
        let file = OutputFile {
            name: Box::leak(name.into_boxed_str()),
            bytes: fragment.into_bytes(),
        };
        write_atomically(folder, &[file])
            .with_context(|| format!("could not write {}", path.display()))?;
        eprintln!("namegraph: wrote the suggestions to {}", path.display());
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "{}, {} named",
        counted_s(report.documents as u64, "document"),
        counted(report.entities.len() as u64, "entity", "entities")
    );
    for entity in &report.entities {
        println!(
            "\n{} ({}, {}): {}",
            entity.id,
            entity.name,
            entity.entity_type,
            counted_s(entity.mentions, "mention")
        );
        for form in &entity.forms {
            println!("  {:>5}  {:<40} {}", form.count, form.text, form.method);
        }
    }
    println!(
        "\nunresolved name-like spans ({}):",
        report.unresolved.len()
    );
    for name in &report.unresolved {
        let nearest = match (&name.nearest, name.score) {
            (Some(id), Some(score)) => format!("nearest {id} {score:.2}; "),
            _ => String::new(),
        };
        let candidates = if name.candidates.is_empty() {
            String::new()
        } else {
            format!("could be {}; ", name.candidates.join(" or "))
        };
        println!(
            "  {:>5}  {:<40} {nearest}{candidates}{}",
            name.count, name.text, name.reason
        );
    }
    Ok(())
}
