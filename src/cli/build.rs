//! `namegraph build`: articles → graph files.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};

use namegraph::export::{graphviz_available, render_all, write_atomically, Format};
use namegraph::graph::{EdgeKind, GraphBuilder, GraphOptions, Window};
use namegraph::{pipeline, Tagger};

use super::{InputArgs, LexiconArgs};

/// Build the knowledge graph (co-mention and stated-relation edges) and write it as JSON, DOT
/// and (with Graphviz) SVG.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  namegraph build                                   corpus/ + gazetteers/ -> output/\n  namegraph build articles/ -g my-gazetteer.toml -o graphs/\n  namegraph build --window paragraph --format json,dot,png\n  namegraph build --edges relation --min-weight 2      stated relations said twice or more\n  cat news.jsonl | namegraph build - -o out/"
)]
pub struct BuildArgs {
    #[command(flatten)]
    input: InputArgs,

    #[command(flatten)]
    lexicon: LexiconArgs,

    /// Folder to write graph.json, graph.dot, graph.svg into.
    #[arg(short, long, value_name = "DIR", default_value = "output")]
    out: PathBuf,

    /// Formats to write, comma-separated: json, dot, svg, png. Default: json,dot and svg when
    /// Graphviz is installed.
    #[arg(short, long, value_name = "FORMATS", value_delimiter = ',')]
    format: Vec<Format>,

    /// Two entities are co-mentioned when they appear in the same sentence, paragraph or document.
    #[arg(short, long, value_name = "WINDOW", default_value = "sentence")]
    window: Window,

    /// Count demonyms ("Belarusian") as mentions of their state (off by default).
    #[arg(long)]
    demonyms: bool,

    /// Do not count role mentions ("the Belarusian leader", resolved by the document's date) as
    /// mentions of their holder (they count by default).
    #[arg(long)]
    no_roles: bool,

    /// Evidence references kept per edge.
    #[arg(long, value_name = "N", default_value_t = 3)]
    evidence: usize,

    /// Kinds of edges to build, comma-separated: co-mention, relation (stated relations, from
    /// the relation lexicon).
    #[arg(
        long,
        value_name = "KINDS",
        value_delimiter = ',',
        default_value = "co-mention,relation"
    )]
    edges: Vec<EdgeKind>,

    /// Leave out edges seen fewer than N times (co-mentions counted per window, relations per
    /// statement).
    #[arg(long, value_name = "N", default_value_t = 1)]
    min_weight: u64,
}

pub fn run(args: BuildArgs) -> Result<()> {
    let started = Instant::now();
    let mut formats = args.format.clone();
    if formats.is_empty() {
        formats = vec![Format::Json, Format::Dot];
        if graphviz_available() {
            formats.push(Format::Svg);
        } else {
            eprintln!("namegraph: note: Graphviz `dot` not found, so graph.svg is not rendered (install graphviz to get it)");
        }
    }
    formats.sort();
    formats.dedup();
    if formats.is_empty() {
        bail!("no output format asked for");
    }
    let (gazetteer, stream) = args.input.open()?;
    let mut tagger = Tagger::new(gazetteer);
    if args.edges.contains(&EdgeKind::Relation) {
        match args.input.relation_lexicon(&args.lexicon)? {
            Some(lexicon) => tagger = tagger.with_relations(lexicon),
            None => eprintln!("namegraph: note: no relation lexicon (relations.toml in a gazetteer folder, or --relations FILE), so no relation edges"),
        }
    }
    let options = GraphOptions {
        window: args.window,
        evidence_cap: args.evidence,
        include_demonyms: args.demonyms,
        include_roles: !args.no_roles,
        edge_kinds: args.edges.clone(),
        min_weight: args.min_weight,
    };
    let lexicon = tagger.relations().map(|r| r.lexicon());
    let mut builder = GraphBuilder::new(tagger.gazetteer(), lexicon, options);
    pipeline::run(&tagger, stream, &args.input.run_options(), |tagged| {
        builder.add(tagged);
        Ok(())
    })
    .context("could not read the articles")?;
    let graph = builder.finish();
    let files =
        render_all(&graph, tagger.gazetteer(), &formats).context("could not render the graph")?;
    for file in &files {
        if !file.warnings.is_empty() {
            eprintln!(
                "namegraph: warning: Graphviz said, rendering {}: {}",
                file.name, file.warnings
            );
        }
    }
    let written = write_atomically(&args.out, &files)
        .with_context(|| format!("could not write to {}", args.out.display()))?;
    let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    eprintln!(
        "namegraph: {} documents, {} mentions, {} entities, {} edges in {:.2} s -> {}",
        graph.documents,
        graph.mentions,
        graph.node_count(),
        graph.edge_count(),
        started.elapsed().as_secs_f64(),
        names.join(", ")
    );
    Ok(())
}
