//! `namegraph resolve`: which entity a name goes to, how, and what came close.

use std::path::PathBuf;

use anyhow::{Context, Result};

use namegraph::audit::{explain, Explanation};
use namegraph::gazetteer;
use namegraph::Tagger;

/// Explain how names resolve: entity, method, score, the alias matched, and the runners-up.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  namegraph resolve Lukashenka 'Sviatlana Tsikhanouskaya' Ціханоўская\n  namegraph resolve 'Viktor Lukashenko'             refused: a different given name\n  namegraph resolve 'Russian president' --date 2020-09-14\n  namegraph resolve --json Tichanowska | jq .entity"
)]
pub struct ResolveArgs {
    /// Names to resolve, as they would appear in a text.
    #[arg(value_name = "NAME", required = true)]
    names: Vec<String>,

    /// Gazetteer files or folders (.toml, .jsonl); repeat for several.
    #[arg(
        short,
        long = "gazetteer",
        value_name = "PATH",
        default_value = "gazetteers"
    )]
    gazetteers: Vec<PathBuf>,

    /// The date (YYYY-MM-DD) to resolve role aliases on ("Russian president").
    #[arg(long, value_name = "DATE")]
    date: Option<String>,

    /// One JSON object per name instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: ResolveArgs) -> Result<()> {
    let gazetteer = gazetteer::load(&args.gazetteers)
        .map_err(super::with_default_hint)
        .context("could not load the gazetteer")?;
    let tagger = Tagger::new(gazetteer);
    for name in &args.names {
        let explanation = explain(&tagger, name, args.date.as_deref());
        if args.json {
            println!("{}", serde_json::to_string(&explanation)?);
        } else {
            print_text(&explanation);
        }
    }
    Ok(())
}

fn print_text(e: &Explanation) {
    match (&e.entity, &e.entity_name) {
        (Some(id), Some(name)) => println!(
            "{} -> {id} ({name}, {}) by {}{}, score {:.3}, alias \"{}\"{}",
            e.name,
            e.entity_type.as_deref().unwrap_or(""),
            e.method,
            if e.read_as_french {
                " (read as a French romanization)"
            } else {
                ""
            },
            e.score,
            e.alias.as_deref().unwrap_or(""),
            e.listed_as
                .as_ref()
                .map(|listed| format!(" (a form of the listed role \"{listed}\")"))
                .unwrap_or_default()
        ),
        _ => println!(
            "{} -> unresolved: {}",
            e.name,
            e.reason.as_deref().unwrap_or("")
        ),
    }
    for runner in &e.runners_up {
        if runner.score > 0.0 {
            println!(
                "    runner-up {} via \"{}\", score {:.3}: {}",
                runner.entity, runner.alias, runner.score, runner.reason
            );
        } else {
            println!(
                "    runner-up {} via \"{}\": {}",
                runner.entity, runner.alias, runner.reason
            );
        }
    }
}
