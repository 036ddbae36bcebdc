//! GEXF 1.3, for Gephi (and NetworkX, graphology/sigma.js).
//!
//! - Node attributes: `entity_type` (not `type`, which sigma.js reads as a renderer name),
//!   `mentions`, `documents`, `wikidata`, `description`, `aliases` (the spellings seen, joined
//!   with "; "); colour by type and size by mentions in the `viz` namespace.
//! - Edge attributes: `edge_kind` (co-mention or relation), `relation`, `polarity`, `negated`,
//!   `documents`, `evidence` (the kept sentences, one per line); the weight is the edge's own
//!   `weight`. GEXF's `kind` holds the edge's key ("co-mention", "supports", "not-supports"), so
//!   Gephi keeps parallel edges apart instead of merging them; that is why the attribute is
//!   `edge_kind`.
//! - Direction is declared per edge: relations are `directed`, co-mentions and symmetric
//!   relations `mutual` (NetworkX rejects `undirected` edges in a directed graph; graphology
//!   reads `mutual` as undirected).
//! - Where documents have dates, the graph is dynamic (`timeformat="date"`) and each node and
//!   edge has one spell from its first to its last date, so Gephi's timeline plays the graph.

use std::fmt::Write;

use super::common::{
    aliases, edge_colour, edge_id, evidence_lines, full_dates, type_colour, xml_escape,
};
use crate::graph::EntityGraph;

const NODE_ATTRIBUTES: [(&str, &str); 6] = [
    ("entity_type", "string"),
    ("mentions", "integer"),
    ("documents", "integer"),
    ("wikidata", "string"),
    ("description", "string"),
    ("aliases", "string"),
];

const EDGE_ATTRIBUTES: [(&str, &str); 6] = [
    ("edge_kind", "string"),
    ("relation", "string"),
    ("polarity", "string"),
    ("negated", "boolean"),
    ("documents", "integer"),
    ("evidence", "string"),
];

fn attvalues(out: &mut String, indent: &str, values: &[(&str, Option<String>)]) {
    let present: Vec<_> = values
        .iter()
        .filter_map(|(key, value)| value.as_ref().map(|v| (key, v)))
        .collect();
    if present.is_empty() {
        return;
    }
    let _ = writeln!(out, "{indent}<attvalues>");
    for (key, value) in present {
        let _ = writeln!(
            out,
            "{indent}  <attvalue for=\"{key}\" value=\"{}\"/>",
            xml_escape(value)
        );
    }
    let _ = writeln!(out, "{indent}</attvalues>");
}

fn spell(out: &mut String, indent: &str, dates: Option<&(String, String)>) {
    if let Some((first, last)) = dates {
        let (start, end) = full_dates(first, last);
        let _ = writeln!(
            out,
            "{indent}<spells><spell start=\"{start}\" end=\"{end}\"/></spells>"
        );
    }
}

/// The graph as a GEXF 1.3 document.
pub fn to_gexf(graph: &EntityGraph) -> String {
    let nodes = graph.nodes();
    let edges = graph.edges();
    let dynamic = nodes.iter().any(|n| n.dates.is_some());
    let any_directed = edges.iter().any(|(_, _, e)| e.directed());
    let default_type = if any_directed {
        "directed"
    } else {
        "undirected"
    };
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" version=\"1.3\">\n");
    let _ = writeln!(
        out,
        "  <meta>\n    <creator>namegraph {}</creator>\n    <description>{}; co-mention window: {}; edges: co-mention and stated relations</description>\n  </meta>",
        env!("CARGO_PKG_VERSION"),
        crate::wording::counted_s(graph.documents as u64, "document"),
        graph.window
    );
    let mode = if dynamic {
        "mode=\"dynamic\" timeformat=\"date\""
    } else {
        "mode=\"static\""
    };
    let _ = writeln!(out, "  <graph defaultedgetype=\"{default_type}\" {mode}>");
    for (class, attributes) in [("node", &NODE_ATTRIBUTES), ("edge", &EDGE_ATTRIBUTES)] {
        let _ = writeln!(out, "    <attributes class=\"{class}\" mode=\"static\">");
        for (id, kind) in attributes.iter() {
            let _ = writeln!(
                out,
                "      <attribute id=\"{id}\" title=\"{id}\" type=\"{kind}\"/>"
            );
        }
        out.push_str("    </attributes>\n");
    }
    let most = nodes.iter().map(|n| n.mentions).max().unwrap_or(1).max(1) as f64;
    out.push_str("    <nodes>\n");
    for node in &nodes {
        let _ = writeln!(
            out,
            "      <node id=\"{}\" label=\"{}\">",
            xml_escape(node.id.as_str()),
            xml_escape(&node.label)
        );
        attvalues(
            &mut out,
            "        ",
            &[
                ("entity_type", Some(node.entity_type.as_str().to_string())),
                ("mentions", Some(node.mentions.to_string())),
                ("documents", Some(node.documents.to_string())),
                ("wikidata", node.wikidata.clone()),
                ("description", node.description.clone()),
                ("aliases", Some(aliases(node).join("; "))),
            ],
        );
        spell(&mut out, "        ", node.dates.as_ref());
        let (r, g, b) = type_colour(node.entity_type);
        let size = 6.0 + 24.0 * (node.mentions as f64 / most).sqrt();
        let _ = writeln!(
            out,
            "        <viz:color r=\"{r}\" g=\"{g}\" b=\"{b}\"/>\n        <viz:size value=\"{size:.2}\"/>\n      </node>"
        );
    }
    out.push_str("    </nodes>\n    <edges>\n");
    let mut ordered: Vec<(usize, _)> = edges.iter().enumerate().collect();
    ordered.sort_by_key(|(_, (_, _, edge))| !edge.directed());
    for (index, (source, target, edge)) in ordered {
        let direction = match (any_directed, edge.directed()) {
            (false, _) => "",
            (true, true) => " type=\"directed\"",
            (true, false) => " type=\"mutual\"",
        };
        let label = super::common::edge_label(edge);
        let _ = writeln!(
            out,
            "      <edge id=\"{}\" source=\"{}\" target=\"{}\"{direction} kind=\"{}\" label=\"{}\" weight=\"{}\">",
            edge_id(index),
            xml_escape(source.id.as_str()),
            xml_escape(target.id.as_str()),
            xml_escape(&edge.key()),
            xml_escape(&label),
            edge.weight
        );
        let relation = edge.relation.as_ref();
        let evidence = evidence_lines(edge);
        attvalues(
            &mut out,
            "        ",
            &[
                ("edge_kind", Some(edge.kind.as_str().to_string())),
                ("relation", relation.map(|r| r.name.clone())),
                (
                    "polarity",
                    relation.map(|r| r.polarity.as_str().to_string()),
                ),
                ("negated", relation.map(|r| r.negated.to_string())),
                ("documents", Some(edge.documents.to_string())),
                (
                    "evidence",
                    (!evidence.is_empty()).then(|| evidence.join("\n")),
                ),
            ],
        );
        spell(&mut out, "        ", edge.dates.as_deref());
        let (r, g, b) = edge_colour(edge);
        let _ = writeln!(
            out,
            "        <viz:color r=\"{r}\" g=\"{g}\" b=\"{b}\"/>\n        <viz:thickness value=\"{}\"/>\n      </edge>",
            edge.weight
        );
    }
    out.push_str("    </edges>\n  </graph>\n</gexf>\n");
    out
}
