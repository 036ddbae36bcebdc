//! Command-line definitions (clap derive) and dispatch. Each subcommand lives in its own file
//! and only calls into the `namegraph` library.

mod aliases;
mod build;
mod eval;
mod lint;
mod relations;
mod resolve;
mod stats;
mod tag;

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use namegraph::document::{stream_inputs, DocumentStream};
use namegraph::gazetteer::{self, Gazetteer};
use namegraph::pipeline::{self, RunOptions, RunTotals};
use namegraph::relations::{RelationLexicon, RELATIONS_FILE};
use namegraph::tagger::TaggedDocument;
use namegraph::Tagger;

/// Turn news text into a knowledge graph of who relates to whom.
#[derive(Debug, Parser)]
#[command(name = "namegraph", version, about, long_about = None)]
#[command(
    after_help = "Examples:\n  namegraph build                      build output/ (JSON, DOT, GEXF, GraphML, Cytoscape, Neo4j, HTML, SVG)\n  namegraph tag corpus/ | head         list the mentions found, one JSON object per line
  namegraph resolve Lukashenka         which entity a name goes to, and why
  namegraph aliases                    every spelling seen per entity, and the unresolved names
  namegraph relations                  who did what to whom, one stated relation per line
  namegraph stats                      top entities, components and strongest edges
  namegraph lint                       check the gazetteers\n\nRun `namegraph <command> --help` for each command's options."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Build(build::BuildArgs),
    Tag(tag::TagArgs),
    Resolve(resolve::ResolveArgs),
    Aliases(aliases::AliasesArgs),
    Lint(lint::LintArgs),
    Eval(eval::EvalArgs),
    Relations(relations::RelationsArgs),
    Stats(stats::StatsArgs),
}

/// Options shared by every command that reads articles with a gazetteer.
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// Articles to read: .txt files, folders of them, JSON Lines files ({"id", "text", "date"?}),
    /// or - for standard input.
    #[arg(value_name = "INPUT", default_value = "corpus")]
    pub inputs: Vec<PathBuf>,

    /// Gazetteer files or folders (.toml, .jsonl); repeat for several.
    #[arg(
        short,
        long = "gazetteer",
        value_name = "PATH",
        default_value = "gazetteers"
    )]
    pub gazetteers: Vec<PathBuf>,

    /// Worker threads (default: one per core). The output is the same for any number.
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
}

/// The relation lexicon option, for the commands that extract stated relations.
#[derive(Debug, clap::Args)]
pub struct LexiconArgs {
    /// The relation lexicon (default: relations.toml in a gazetteer folder, when there is one).
    #[arg(long, value_name = "FILE")]
    pub relations: Option<PathBuf>,
}

/// The folders the commands read when given no paths, relative to where they run.
const DEFAULT_FOLDERS: [&str; 2] = ["gazetteers", "corpus"];

/// A missing default folder, with what to do about it: the user most likely ran namegraph
/// outside the repository and never named a path at all.
pub(crate) fn with_default_hint(error: namegraph::Error) -> anyhow::Error {
    match &error {
        namegraph::Error::MissingPath { path }
            if DEFAULT_FOLDERS.iter().any(|d| path.as_os_str() == *d) =>
        {
            let name = if path.as_os_str() == "gazetteers" {
                "-g PATH"
            } else {
                "the articles as arguments"
            };
            anyhow::anyhow!(
                "{error} (the default, looked for in the current folder: run namegraph where {}/ is, or give {name})",
                path.display()
            )
        }
        _ => error.into(),
    }
}

impl InputArgs {
    /// Loads the gazetteer and opens the articles as a stream.
    pub fn open(&self) -> Result<(Gazetteer, DocumentStream)> {
        let gazetteer = gazetteer::load(&self.gazetteers)
            .map_err(with_default_hint)
            .context("could not load the gazetteer")?;
        let stream = stream_inputs(&self.inputs)
            .map_err(with_default_hint)
            .context("could not read the articles")?;
        Ok((gazetteer, stream))
    }

    /// The relation lexicon: `lexicon.relations`, else `relations.toml` in the first gazetteer
    /// folder that has one, else none.
    pub fn relation_lexicon(&self, lexicon: &LexiconArgs) -> Result<Option<RelationLexicon>> {
        let path = lexicon.relations.clone().or_else(|| {
            self.gazetteers
                .iter()
                .filter(|g| g.is_dir())
                .map(|g| g.join(RELATIONS_FILE))
                .find(|p| p.is_file())
        });
        path.map(|path| RelationLexicon::load(&path).context("could not load the relation lexicon"))
            .transpose()
    }

    pub fn run_options(&self) -> RunOptions {
        RunOptions {
            threads: self.threads,
            progress: true,
        }
    }

    /// The run options, once the gazetteer and lexicon are loaded and compiled: from here on
    /// the process takes its new memory in small pages (see [`small_pages_from_now`]).
    pub fn begin_run(&self) -> RunOptions {
        small_pages_from_now();
        self.run_options()
    }
}

/// Asks the kernel for no more transparent huge pages in this process (Linux only; elsewhere,
/// or if the kernel refuses, nothing changes). The memory already mapped keeps its pages.
///
/// mimalloc maps its memory in huge pages where the kernel allows it. That suits the compiled
/// gazetteer, whose tables are read at random all through the run: with small pages the exact
/// pass slowed by a twentieth. But the memory a run takes afterwards (the graph and its
/// evidence, above all) is touched once when it is new, and the kernel clears a huge page on
/// its first touch far more slowly than the same bytes in small pages: on these machines, a
/// third of building the graph's time. So the gazetteer is loaded first with huge pages, and
/// the run goes on without them. (Child processes, Graphviz's `dot` among them, inherit the
/// setting; for them it changes nothing that matters.)
fn small_pages_from_now() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE reads no memory of ours; it only sets a flag of
    // the process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Runs the pipeline with a sink that writes to standard output. `None` when the reader went
/// away (`| head`): that ends the command quietly, not with an error.
pub fn run_writing<F>(
    tagger: &Tagger,
    stream: DocumentStream,
    input: &InputArgs,
    mut write: F,
) -> Result<Option<RunTotals>>
where
    F: FnMut(&TaggedDocument<'_>) -> std::io::Result<()> + Send,
{
    run_writing_prepared(
        tagger,
        stream,
        input,
        |tagged| tagged,
        |tagged| write(&tagged),
    )
}

/// Like [`run_writing`], with a `prepare` step that runs on the worker threads (see
/// [`pipeline::run_prepared`]).
pub fn run_writing_prepared<T, P, F>(
    tagger: &Tagger,
    stream: DocumentStream,
    input: &InputArgs,
    prepare: P,
    mut write: F,
) -> Result<Option<RunTotals>>
where
    T: Send,
    P: Fn(TaggedDocument<'static>) -> T + Sync,
    F: FnMut(T) -> std::io::Result<()> + Send,
{
    let options = input.begin_run();
    let totals = pipeline::run_prepared(tagger, stream, &options, prepare, |prepared| {
        write(prepared).map_err(|e| namegraph::Error::Io {
            path: "<stdout>".into(),
            source: e,
        })
    });
    match totals {
        Err(namegraph::Error::Io { source, .. })
            if source.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            Ok(None)
        }
        other => Ok(Some(other.context("could not read the articles")?)),
    }
}

/// Hands a large structure (a compiled gazetteer, a graph) to the operating system at exit
/// instead of freeing it allocation by allocation: dropping a million-alias tagger takes most
/// of a second, and the process ends right after anyway.
pub fn release_at_exit<T>(value: T) {
    std::mem::forget(value);
}

pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Build(args) => build::run(args),
        Command::Tag(args) => tag::run(args),
        Command::Resolve(args) => resolve::run(args),
        Command::Aliases(args) => aliases::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Relations(args) => relations::run(args),
        Command::Stats(args) => stats::run(args),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
