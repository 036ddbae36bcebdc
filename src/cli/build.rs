//! `namegraph build`: articles → graph files. Also home of the options every command that
//! builds a graph shares ([`GraphArgs`]), which `stats` uses too.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use namegraph::export::{graphviz_available, write_formats, Format, Provenance};
use namegraph::gazetteer::EntityType;
use namegraph::graph::{
    find_entity, EdgeKind, EntityGraph, GraphBuilder, GraphOptions, Rank, Selection, Window,
};
use namegraph::tagger::StageTimes;
use namegraph::{pipeline, Tagger};

use super::{InputArgs, LexiconArgs};

/// Build the knowledge graph (co-mention and stated-relation edges) and write it in every
/// format: JSON, DOT, GEXF, GraphML, Cytoscape.js, Neo4j CSV, an interactive HTML page, and
/// (with Graphviz) SVG.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  namegraph build                                   corpus/ + gazetteers/ -> output/, every format\n  namegraph build articles/ -g my-gazetteer.toml -o graphs/\n  namegraph build --format gexf,html                 only what Gephi and a browser need\n  namegraph build --focus lukashenko --depth 1 -o focus/    Lukashenko and his neighbours\n  namegraph build --top 20 --rank-by degree --types person,state\n  namegraph build --edges relation --min-weight 2    stated relations said twice or more\n  cat news.jsonl | namegraph build - -o out/"
)]
pub struct BuildArgs {
    #[command(flatten)]
    graph: GraphArgs,

    /// Folder to write the graph files into.
    #[arg(short, long, value_name = "DIR", default_value = "output")]
    out: PathBuf,

    /// Formats to write, comma-separated: json, dot, gexf, graphml, cytoscape, neo4j, html, svg,
    /// png. Default: all but png (svg only when Graphviz is installed).
    #[arg(short, long, value_name = "FORMATS", value_delimiter = ',')]
    format: Vec<Format>,

    /// Print how long each step took (loading; reading and tagging with the graph's
    /// aggregation; rendering and writing the files) to stderr.
    #[arg(long)]
    timings: bool,
}

/// How to build the graph and which part of it to keep; shared by `build` and `stats`.
#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    #[command(flatten)]
    input: InputArgs,

    #[command(flatten)]
    lexicon: LexiconArgs,

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

    #[command(flatten)]
    select: SelectArgs,
}

/// Which part of the graph to keep.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Focus and filters")]
pub struct SelectArgs {
    /// Keep only this entity and its neighbourhood (an id, a name or an alias: "lukashenko").
    #[arg(long, value_name = "ENTITY")]
    focus: Option<String>,

    /// How many edges away from --focus to go.
    #[arg(long, value_name = "N", default_value_t = 1, requires = "focus")]
    depth: usize,

    /// Leave out edges seen fewer than N times (co-mentions counted per window, relations per
    /// statement).
    #[arg(long, value_name = "N", default_value_t = 1)]
    min_weight: u64,

    /// Keep only the N entities ranked highest by --rank-by.
    #[arg(long, value_name = "N", value_parser = at_least_one)]
    top: Option<usize>,

    /// What --top ranks by: mentions, or degree (the summed weight of an entity's edges).
    #[arg(long, value_name = "BY", default_value = "mentions", requires = "top")]
    rank_by: Rank,

    /// Keep only entities of these types, comma-separated: person, state, organization, place.
    #[arg(long, value_name = "TYPES", value_delimiter = ',')]
    types: Vec<EntityType>,
}

/// A built graph with what it was built from.
pub struct BuiltGraph {
    pub graph: EntityGraph,
    pub tagger: Tagger,
    pub selection: Selection,
    pub lexicon: Option<PathBuf>,
    /// Seconds spent loading the gazetteer (and lexicon), and reading, tagging and aggregating
    /// the articles.
    pub load_seconds: f64,
    pub run_seconds: f64,
    /// Time in each tagging stage (summed over threads), and in adding documents to the graph
    /// (in order).
    pub times: StageTimes,
    pub graph_time: Duration,
}

impl GraphArgs {
    /// Reads the articles, builds the graph and keeps the part the filters select.
    pub fn build(&self) -> Result<BuiltGraph> {
        let started = Instant::now();
        let (gazetteer, stream) = self.input.open()?;
        let mut tagger = Tagger::new(gazetteer);
        let mut lexicon_path = None;
        if self.edges.contains(&EdgeKind::Relation) {
            match self.input.relation_lexicon(&self.lexicon)? {
                Some(lexicon) => {
                    lexicon_path = lexicon.path.clone();
                    tagger = tagger.with_relations(lexicon);
                }
                None => eprintln!("namegraph: note: no relation lexicon (relations.toml in a gazetteer folder, or --relations FILE), so no relation edges"),
            }
        }
        let options = GraphOptions {
            window: self.window,
            evidence_cap: self.evidence,
            include_demonyms: self.demonyms,
            include_roles: !self.no_roles,
            edge_kinds: self.edges.clone(),
        };
        let lexicon = tagger.relations().map(|r| r.lexicon());
        let mut builder = GraphBuilder::new(tagger.gazetteer(), lexicon, options);
        let loaded = Instant::now();
        let mut times = StageTimes::default();
        let mut graph_time = Duration::ZERO;
        // The graph reads a document's sentences, never its tokens, so the worker that tagged
        // it lets them go at once. On more than one thread a document waits for its turn in
        // input order, and its tokens held the memory that the worker's next documents would
        // otherwise tokenize into while it is still in the cache: segmenting took 25-40%
        // longer in `build` than in `tag`.
        let drop_tokens = |mut tagged: namegraph::tagger::TaggedDocument<'static>| {
            tagged.segmented.tokens = Vec::new();
            tagged.segmented.capitalized = Vec::new();
            tagged
        };
        pipeline::run_prepared(
            &tagger,
            stream,
            &self.input.begin_run(),
            drop_tokens,
            |tagged| {
                let clock = Instant::now();
                times += tagged.times;
                builder.add(&tagged);
                graph_time += clock.elapsed();
                Ok(())
            },
        )
        .context("could not read the articles")?;
        let whole = builder.finish();
        let ran = Instant::now();
        let focus = match &self.select.focus {
            Some(query) => Some(find_entity(&whole, tagger.gazetteer(), query)?),
            None => None,
        };
        let selection = Selection {
            focus,
            depth: self.select.depth,
            types: self.select.types.clone(),
            min_weight: self.select.min_weight,
            top: self.select.top,
            rank: self.select.rank_by,
        };
        let graph = if selection.keeps_everything() {
            whole
        } else {
            whole.select(&selection)
        };
        Ok(BuiltGraph {
            graph,
            tagger,
            selection,
            lexicon: lexicon_path,
            load_seconds: (loaded - started).as_secs_f64(),
            run_seconds: (ran - loaded).as_secs_f64(),
            times,
            graph_time,
        })
    }
}

/// The largest graph `build` draws as graph.svg unless `--format` asks for it. Graphviz's `dot`
/// lays out a thousand entities in a few seconds; one generated corpus's ten thousand had not
/// come out after ten minutes, and a drawing of that many is no longer readable anyway.
const SVG_MAX_ENTITIES: usize = 1000;
const SVG_MAX_EDGES: usize = 5000;

/// What a note about an undrawn graph.svg adds when the folder already holds one: it is left as
/// it was (nothing the user had is removed), and no longer shows this graph.
fn stale_svg(out: &std::path::Path) -> String {
    let svg = out.join("graph.svg");
    if svg.exists() {
        format!(
            "; the {} already there is left as it was, from an earlier build",
            svg.display()
        )
    } else {
        String::new()
    }
}

/// A count of one or more (`--top 0` would keep nothing).
fn at_least_one(value: &str) -> std::result::Result<usize, String> {
    match value.parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_string()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

pub fn run(args: BuildArgs) -> Result<()> {
    let started = Instant::now();
    let mut formats = args.format.clone();
    let mut dot_missing = false;
    if formats.is_empty() {
        formats = Format::ALL
            .into_iter()
            .filter(|f| !f.needs_graphviz())
            .collect();
        if graphviz_available() {
            formats.push(Format::Svg);
        } else {
            dot_missing = true;
        }
    }
    formats.sort();
    formats.dedup();
    if formats.is_empty() {
        bail!("no output format asked for");
    }
    // Before the run, not after it: the graph would be built for nothing.
    if args.out.exists() && !args.out.is_dir() {
        bail!(
            "{}: is a file, not a folder: -o names the folder the graph files go into",
            args.out.display()
        );
    }
    let built = args.graph.build()?;
    // Said once the graph is built: not in front of an error about the input.
    if dot_missing {
        eprintln!(
            "namegraph: note: Graphviz `dot` not found, so graph.svg is not rendered (install graphviz to get it){}",
            stale_svg(&args.out)
        );
    }
    let graph = &built.graph;
    let too_large = graph.node_count() > SVG_MAX_ENTITIES || graph.edge_count() > SVG_MAX_EDGES;
    if args.format.is_empty() && too_large && formats.contains(&Format::Svg) {
        formats.retain(|&f| f != Format::Svg);
        eprintln!(
            "namegraph: note: graph.svg is not rendered: {} entities and {} edges are more than Graphviz lays out in reasonable time (by default at most {SVG_MAX_ENTITIES} entities and {SVG_MAX_EDGES} edges); draw a part with --top or --focus, or ask for it anyway with --format svg{}",
            graph.node_count(),
            graph.edge_count(),
            stale_svg(&args.out),
        );
    }
    let provenance = Provenance {
        gazetteer: built.tagger.gazetteer(),
        relation_lexicon: built.lexicon.as_deref(),
        selection: &built.selection,
    };
    let writing = Instant::now();
    // The JSON renders on as many threads as the articles were read with.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.graph.input.run_options().threads)
        .build()
        .context("could not start the worker threads")?;
    let written = pool
        .install(|| write_formats(&args.out, graph, &provenance, &formats))
        .with_context(|| format!("could not write the graph to {}", args.out.display()))?;
    for (name, warning) in &written.warnings {
        eprintln!("namegraph: warning: Graphviz said, rendering {name}: {warning}");
    }
    if args.timings {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let times = &built.times;
        eprintln!(
            "namegraph: timings: load_s={:.3} run_s={:.3} write_s={:.3} (summed over threads:) segment_ms={:.1} exact_ms={:.1} fuzzy_ms={:.1} resolve_ms={:.1} relations_ms={:.1} (in order:) graph_ms={:.1}",
            built.load_seconds,
            built.run_seconds,
            writing.elapsed().as_secs_f64(),
            ms(times.segment),
            ms(times.exact),
            ms(times.fuzzy),
            ms(times.resolve),
            ms(times.relations),
            ms(built.graph_time)
        );
    }
    let names: Vec<String> = written
        .paths
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let count = namegraph::wording::counted;
    eprintln!(
        "namegraph: {}, {}, {}, {} in {:.2} s -> {}",
        count(graph.documents as u64, "document", "documents"),
        count(graph.mentions, "mention", "mentions"),
        count(graph.node_count() as u64, "entity", "entities"),
        count(graph.edge_count() as u64, "edge", "edges"),
        started.elapsed().as_secs_f64(),
        names.join(", ")
    );
    super::release_at_exit(built);
    Ok(())
}
