//! `namegraph stats`: facts about the graph (the entities that matter most, its connected
//! components, its strongest edges), as a table or `--json`.

use std::io::Write;

use anyhow::Result;

use namegraph::graph::{GraphFacts, RankedEntity};
use namegraph::wording::{counted, counted_s};

use super::build::GraphArgs;

/// Print the top entities by mentions, weighted degree and PageRank, the connected components
/// and the strongest edges of the graph `build` would write (same inputs, same filters).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  namegraph stats                         the sample corpus\n  namegraph stats --json | jq .by_pagerank\n  namegraph stats --edges relation -n 5    the five most stated relations, and who they involve\n  namegraph stats --focus putin --depth 1"
)]
pub struct StatsArgs {
    #[command(flatten)]
    graph: GraphArgs,

    /// Entries per list.
    #[arg(short = 'n', long = "count", value_name = "N", default_value_t = 10)]
    count: usize,

    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: StatsArgs) -> Result<()> {
    let built = args.graph.build()?;
    let facts = built.graph.facts(args.count);
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        serde_json::to_writer_pretty(&mut out, &facts)
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!(out))
    } else {
        write_table(&mut out, &facts)
    };
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

fn ranking(
    out: &mut impl Write,
    title: &str,
    entries: &[RankedEntity],
    format: impl Fn(f64) -> String,
) -> std::io::Result<()> {
    writeln!(out, "\n{title}")?;
    let width = entries
        .iter()
        .map(|e| e.label.chars().count())
        .max()
        .unwrap_or(0);
    for (rank, entry) in entries.iter().enumerate() {
        writeln!(
            out,
            "{:>3}. {:<width$}  {:>9}  {} ({})",
            rank + 1,
            entry.label,
            format(entry.score),
            entry.id,
            entry.entity_type
        )?;
    }
    Ok(())
}

fn write_table(out: &mut impl Write, facts: &GraphFacts) -> std::io::Result<()> {
    writeln!(
        out,
        "{}, {}, {}, {}",
        counted_s(facts.documents as u64, "document"),
        counted(facts.nodes as u64, "entity", "entities"),
        counted_s(facts.edges as u64, "edge"),
        counted_s(facts.components.len() as u64, "connected component")
    )?;
    let whole = |score: f64| format!("{score:.0}");
    ranking(out, "Top entities by mentions", &facts.by_mentions, whole)?;
    ranking(
        out,
        "Top entities by weighted degree (summed edge weights)",
        &facts.by_weighted_degree,
        whole,
    )?;
    ranking(
        out,
        "Top entities by PageRank (weighted; relations pass rank from subject to object)",
        &facts.by_pagerank,
        |score| format!("{score:.4}"),
    )?;
    writeln!(out, "\nConnected components")?;
    for (index, component) in facts.components.iter().enumerate() {
        const SHOWN: usize = 8;
        let mut members = component.members[..component.members.len().min(SHOWN)].join(", ");
        if component.members.len() > SHOWN {
            members.push_str(&format!(", … {} more", component.members.len() - SHOWN));
        }
        writeln!(
            out,
            "{:>3}. {}: {members}",
            index + 1,
            counted(component.size as u64, "entity", "entities")
        )?;
    }
    writeln!(out, "\nStrongest edges")?;
    for (index, edge) in facts.strongest_edges.iter().enumerate() {
        let arrow = if edge.directed { "->" } else { "--" };
        writeln!(
            out,
            "{:>3}. {} {arrow} {}  {}  weight {} in {}",
            index + 1,
            edge.source,
            edge.target,
            edge.key,
            edge.weight,
            counted_s(edge.documents, "document")
        )?;
    }
    Ok(())
}
