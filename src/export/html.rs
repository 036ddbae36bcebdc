//! One self-contained interactive page (`--format html`): cytoscape.js, taken from the npm
//! registry and pinned (see `assets/vendor/README.md`), embedded with its licence; the graph
//! as JSON; and the page's own script and styles. It opens from a file, with no network.
//!
//! The page draws the graph with a force layout (cytoscape's `cose`), nodes coloured by type and
//! sized by mentions, edges styled by kind and polarity; it has a search box (names and
//! aliases), filters by type and minimum weight, and a panel showing a node's spellings or an
//! edge's evidence sentences on click.

use std::collections::BTreeSet;

use serde::Serialize;

use super::common::{edge_id, edge_label, hex, polarity_colour, spellings, type_colour};
use crate::gazetteer::EntityType;
use crate::graph::EntityGraph;
use crate::relations::Polarity;
use crate::wording::{counted, counted_s};

pub const CYTOSCAPE_VERSION: &str = "3.34.4";
const CYTOSCAPE: &str = include_str!("../../assets/vendor/cytoscape/cytoscape.min.js");
const CYTOSCAPE_LICENSE: &str = include_str!("../../assets/vendor/cytoscape/LICENSE");
const PAGE_SCRIPT: &str = include_str!("../../assets/page.js");
const PAGE_STYLE: &str = include_str!("../../assets/page.css");

#[derive(Serialize)]
struct PageData<'a> {
    documents: usize,
    window: &'a str,
    types: Vec<&'static str>,
    colours: Colours,
    nodes: Vec<PageNode<'a>>,
    edges: Vec<PageEdge<'a>>,
}

#[derive(Serialize)]
struct Colours {
    types: std::collections::BTreeMap<&'static str, String>,
    polarities: std::collections::BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
struct PageNode<'a> {
    id: &'a str,
    label: &'a str,
    entity_type: &'static str,
    mentions: u64,
    documents: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    wikidata: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_date: Option<&'a str>,
    aliases: Vec<PageSpelling<'a>>,
}

#[derive(Serialize)]
struct PageSpelling<'a> {
    text: &'a str,
    count: u64,
    /// How it was resolved ("exact", "fuzzy", ...), comma-separated.
    methods: String,
}

#[derive(Serialize)]
struct PageEdge<'a> {
    id: String,
    source: &'a str,
    target: &'a str,
    kind: &'static str,
    label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    polarity: Option<&'static str>,
    negated: bool,
    directed: bool,
    weight: u64,
    documents: u64,
    evidence: Vec<PageEvidence<'a>>,
}

#[derive(Serialize)]
struct PageEvidence<'a> {
    document: &'a str,
    text: &'a str,
    /// The trigger's place in `text`, in UTF-16 units (JavaScript string offsets); only when the
    /// excerpt is the window's text unshortened.
    #[serde(skip_serializing_if = "Option::is_none")]
    trigger: Option<(usize, usize)>,
}

/// `(start, end)` of code points `from..to` of `text` in UTF-16 units.
fn utf16_span(text: &str, from: usize, to: usize) -> (usize, usize) {
    let mut units = 0;
    let mut span = (0, 0);
    for (index, ch) in text.chars().enumerate() {
        if index == from {
            span.0 = units;
        }
        if index == to {
            span.1 = units;
            return span;
        }
        units += ch.len_utf16();
    }
    if to == text.chars().count() {
        span.1 = units;
    }
    span
}

fn page_data(graph: &EntityGraph) -> PageData<'_> {
    let graph_nodes = graph.nodes();
    let types: BTreeSet<EntityType> = graph_nodes.iter().map(|n| n.entity_type).collect();
    let nodes: Vec<PageNode> = graph_nodes
        .into_iter()
        .map(|node| {
            let aliases = spellings(node)
                .into_iter()
                .map(|s| PageSpelling {
                    text: s.text,
                    count: s.count,
                    methods: s.methods.join(", "),
                })
                .collect();
            PageNode {
                id: node.id.as_str(),
                label: &node.label,
                entity_type: node.entity_type.as_str(),
                mentions: node.mentions,
                documents: node.documents,
                description: node.description.as_deref(),
                wikidata: node.wikidata.as_deref(),
                first_date: node.dates.as_ref().map(|d| d.0.as_str()),
                last_date: node.dates.as_ref().map(|d| d.1.as_str()),
                aliases,
            }
        })
        .collect();
    let edges = graph
        .edges()
        .into_iter()
        .enumerate()
        .map(|(index, (source, target, edge))| PageEdge {
            id: edge_id(index),
            source: source.id.as_str(),
            target: target.id.as_str(),
            kind: edge.kind.as_str(),
            label: edge_label(edge),
            polarity: edge.relation.as_ref().map(|r| r.polarity.as_str()),
            negated: edge.relation.as_ref().is_some_and(|r| r.negated),
            directed: edge.directed(),
            weight: edge.weight,
            documents: edge.documents,
            evidence: edge
                .evidence
                .iter()
                .map(|e| PageEvidence {
                    document: &e.document,
                    text: &e.text,
                    trigger: e.trigger.and_then(|(from, to)| {
                        let whole = e.text.chars().count() == e.end - e.start;
                        (whole && e.start <= from && to <= e.end)
                            .then(|| utf16_span(&e.text, from - e.start, to - e.start))
                    }),
                })
                .collect(),
        })
        .collect();
    PageData {
        documents: graph.documents,
        window: graph.window.as_str(),
        types: types.iter().map(|t| t.as_str()).collect(),
        colours: Colours {
            types: EntityType::ALL
                .iter()
                .map(|&t| (t.as_str(), hex(type_colour(t))))
                .collect(),
            polarities: [Polarity::Cooperative, Polarity::Hostile, Polarity::Neutral]
                .into_iter()
                .map(|p| (p.as_str(), hex(polarity_colour(p))))
                .collect(),
        },
        nodes,
        edges,
    }
}

/// Escapes text for HTML content.
fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The page.
pub fn to_html(graph: &EntityGraph) -> String {
    let data = page_data(graph);
    // Inside <script>, "</script" or "<!--" would end or confuse the element: JSON lets every
    // "<" be written as \u003c.
    let json = serde_json::to_string(&data)
        .expect("page data serializes")
        .replace('<', "\\u003c");
    let relations = data.edges.iter().filter(|e| e.kind == "relation").count();
    let summary = format!(
        "{} · {} · {} ({}) · co-mention window: {}",
        counted_s(graph.documents as u64, "document"),
        counted(data.nodes.len() as u64, "entity", "entities"),
        counted_s(data.edges.len() as u64, "edge"),
        counted_s(relations as u64, "stated relation"),
        graph.window
    );
    let legend_types: String = EntityType::ALL
        .iter()
        .map(|&t| {
            format!(
                "<div><span class=\"swatch\" style=\"background:{}\"></span>{}</div>",
                hex(type_colour(t)),
                t
            )
        })
        .collect();
    let licence = CYTOSCAPE_LICENSE.replace("*/", "* /");
    format!(
        r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="namegraph {version}">
<title>namegraph: who relates to whom</title>
<style>
{style}</style>
</head>
<body>
<header><h1>namegraph</h1><span class="summary">{summary}</span></header>
<aside>
  <input id="search" type="search" placeholder="Search names and spellings (Enter to centre)" autocomplete="off">
  <div id="matches"></div>
  <h2>Entity types</h2>
  <div id="types"></div>
  <h2>Minimum weight: <span id="min-weight-value">1</span></h2>
  <input id="min-weight" type="range" min="1" max="1" step="1" value="1" style="width:100%">
  <h2>Details</h2>
  <div id="details"><span class="muted">Click a node for its spellings, an edge for its evidence.</span></div>
  <h2>Legend</h2>
  {legend_types}
  <div><span class="line" style="border-color:#adb5bd"></span>co-mention (width = how often)</div>
  <div><span class="line" style="border-color:#198754"></span>cooperative relation</div>
  <div><span class="line" style="border-color:#dc3545"></span>hostile relation</div>
  <div><span class="line" style="border-color:#0d6efd"></span>neutral relation</div>
  <div><span class="line dashed" style="border-color:#6c757d"></span>negated (“did not …”)</div>
  <p class="muted">Drawn with cytoscape.js {cytoscape_version} (MIT licence, embedded below).</p>
</aside>
<div id="graph"></div>
<script type="application/json" id="graph-data">{json}</script>
<script>
/* cytoscape.js {cytoscape_version}, from the npm registry (package "cytoscape"), embedded unchanged.
{licence}
*/
{cytoscape}
</script>
<script>
{script}</script>
</body>
</html>
"##,
        version = env!("CARGO_PKG_VERSION"),
        style = PAGE_STYLE,
        summary = html_escape(&summary),
        legend_types = legend_types,
        cytoscape_version = CYTOSCAPE_VERSION,
        licence = licence,
        cytoscape = CYTOSCAPE,
        script = PAGE_SCRIPT,
        json = json,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_spans_count_astral_characters_twice() {
        assert_eq!(utf16_span("Putin backs him", 6, 11), (6, 11));
        assert_eq!(utf16_span("😀 backs", 2, 7), (3, 8));
    }
}
