//! `namegraph lint`: check gazetteer files.

use std::path::PathBuf;

use anyhow::{bail, Result};

use namegraph::gazetteer::lint;
use namegraph::wording::{counted, counted_s};

/// Check gazetteers: every error (what loading refuses) and warning (what may confuse matching).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Errors (exit status 1): syntax, unknown fields or types, empty names, duplicate ids,\naliases claimed by two entities, role periods that end before they start or overlap\nanother entity's. Warnings: an alias listed twice, a `not` that is the entity's own name,\nnames of different entities close enough for fuzzy matching to confuse.\nThe relation lexicon (relations.toml in a folder, or given by name) is checked too: malformed\ntriggers, a phrase in two relations (errors); news agencies the gazetteer lacks (warnings).\n\nExamples:\n  namegraph lint                      the shipped gazetteers/\n  namegraph lint my-people.toml --json"
)]
pub struct LintArgs {
    /// Gazetteer files or folders.
    #[arg(value_name = "GAZETTEER", default_value = "gazetteers")]
    paths: Vec<PathBuf>,

    /// JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: LintArgs) -> Result<()> {
    let report = lint(&args.paths);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for error in &report.errors {
            println!("error: {error}");
        }
        for warning in &report.warnings {
            println!("warning: {warning}");
        }
        println!(
            "{}, {}, {}: {}, {}",
            counted_s(report.files.len() as u64, "file"),
            entities_read(report.entities, report.refused),
            counted(report.aliases as u64, "alias", "aliases"),
            counted_s(report.errors.len() as u64, "error"),
            counted_s(report.warnings.len() as u64, "warning")
        );
    }
    if !report.errors.is_empty() {
        bail!(
            "the gazetteer has {}",
            counted_s(report.errors.len() as u64, "error")
        );
    }
    Ok(())
}

/// "3 entities", or "3 entities (1 more refused)" when some had errors.
fn entities_read(loaded: usize, refused: usize) -> String {
    let loaded = counted(loaded as u64, "entity", "entities");
    if refused == 0 {
        loaded
    } else {
        format!("{loaded} ({refused} more refused)")
    }
}
