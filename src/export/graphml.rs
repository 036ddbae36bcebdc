//! GraphML, for yEd, igraph, NetworkX and Gephi.
//!
//! Every property has a typed `<key>`; lists (aliases, evidence) are strings, since GraphML has
//! no list type: aliases joined with "; ", evidence one sentence per line. The graph is directed
//! and every edge is written once; a `directed` key says whether it means a direction
//! (NetworkX rejects per-edge `directed="false"` in a directed graph). yEd reads only its own
//! graphics data for labels and colours, so each node and edge also carries a yFiles
//! `ShapeNode` / `PolyLineEdge`; other readers ignore it or take the label from it.

use std::fmt::Write;

use super::common::{
    aliases, edge_colour, edge_id, edge_label, evidence_lines, hex, type_colour, xml_escape,
};
use crate::gazetteer::EntityType;
use crate::graph::EntityGraph;

/// (id, for, type) of every data key.
const KEYS: [(&str, &str, &str); 19] = [
    ("label", "node", "string"),
    ("entity_type", "node", "string"),
    ("mentions", "node", "int"),
    ("documents", "node", "int"),
    ("wikidata", "node", "string"),
    ("description", "node", "string"),
    ("aliases", "node", "string"),
    ("first_date", "node", "string"),
    ("last_date", "node", "string"),
    ("kind", "edge", "string"),
    ("relation", "edge", "string"),
    ("polarity", "edge", "string"),
    ("negated", "edge", "boolean"),
    ("directed", "edge", "boolean"),
    ("weight", "edge", "double"),
    ("edge_documents", "edge", "int"),
    ("evidence", "edge", "string"),
    ("edge_first_date", "edge", "string"),
    ("edge_last_date", "edge", "string"),
];

fn shape(entity_type: EntityType) -> &'static str {
    match entity_type {
        EntityType::Person => "ellipse",
        EntityType::State => "rectangle",
        EntityType::Organization => "hexagon",
        EntityType::Place => "trapezoid",
    }
}

fn data(out: &mut String, values: &[(&str, Option<String>)]) {
    for (key, value) in values {
        if let Some(value) = value {
            let _ = writeln!(
                out,
                "      <data key=\"{key}\">{}</data>",
                xml_escape(value)
            );
        }
    }
}

/// The graph as a GraphML document.
pub fn to_graphml(graph: &EntityGraph) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:y=\"http://www.yworks.com/xml/graphml\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd\">\n");
    for (id, target, kind) in KEYS {
        // Edge keys that share a name with a node key have ids of their own.
        let name = match target {
            "edge" => id.strip_prefix("edge_").unwrap_or(id),
            _ => id,
        };
        let _ = writeln!(
            out,
            "  <key id=\"{id}\" for=\"{target}\" attr.name=\"{name}\" attr.type=\"{kind}\"/>"
        );
    }
    out.push_str("  <key id=\"node_graphics\" for=\"node\" yfiles.type=\"nodegraphics\"/>\n");
    out.push_str("  <key id=\"edge_graphics\" for=\"edge\" yfiles.type=\"edgegraphics\"/>\n");
    out.push_str("  <graph id=\"namegraph\" edgedefault=\"directed\">\n");
    for node in graph.nodes() {
        let _ = writeln!(out, "    <node id=\"{}\">", xml_escape(node.id.as_str()));
        data(
            &mut out,
            &[
                ("label", Some(node.label.clone())),
                ("entity_type", Some(node.entity_type.as_str().to_string())),
                ("mentions", Some(node.mentions.to_string())),
                ("documents", Some(node.documents.to_string())),
                ("wikidata", node.wikidata.clone()),
                ("description", node.description.clone()),
                ("aliases", Some(aliases(node).join("; "))),
                ("first_date", node.dates.as_ref().map(|d| d.0.clone())),
                ("last_date", node.dates.as_ref().map(|d| d.1.clone())),
            ],
        );
        let width = 30 + 7 * node.label.chars().count();
        let _ = writeln!(
            out,
            "      <data key=\"node_graphics\"><y:ShapeNode><y:Geometry height=\"30.0\" width=\"{width}.0\"/><y:Fill color=\"{}\" transparent=\"false\"/><y:BorderStyle color=\"#000000\" type=\"line\" width=\"1.0\"/><y:NodeLabel textColor=\"#FFFFFF\">{}</y:NodeLabel><y:Shape type=\"{}\"/></y:ShapeNode></data>",
            hex(type_colour(node.entity_type)).to_uppercase(),
            xml_escape(&node.label),
            shape(node.entity_type)
        );
        out.push_str("    </node>\n");
    }
    for (index, (source, target, edge)) in graph.edges().iter().enumerate() {
        let _ = writeln!(
            out,
            "    <edge id=\"{}\" source=\"{}\" target=\"{}\">",
            edge_id(index),
            xml_escape(source.id.as_str()),
            xml_escape(target.id.as_str())
        );
        let relation = edge.relation.as_ref();
        let evidence = evidence_lines(edge);
        data(
            &mut out,
            &[
                ("kind", Some(edge.kind.as_str().to_string())),
                ("relation", relation.map(|r| r.name.clone())),
                (
                    "polarity",
                    relation.map(|r| r.polarity.as_str().to_string()),
                ),
                ("negated", relation.map(|r| r.negated.to_string())),
                ("directed", Some(edge.directed().to_string())),
                ("weight", Some(edge.weight.to_string())),
                ("edge_documents", Some(edge.documents.to_string())),
                (
                    "evidence",
                    (!evidence.is_empty()).then(|| evidence.join("\n")),
                ),
                ("edge_first_date", edge.dates.as_ref().map(|d| d.0.clone())),
                ("edge_last_date", edge.dates.as_ref().map(|d| d.1.clone())),
            ],
        );
        let negated = relation.is_some_and(|r| r.negated);
        let arrow = if edge.directed() { "standard" } else { "none" };
        let label = if relation.is_some() {
            format!(
                "<y:EdgeLabel>{}</y:EdgeLabel>",
                xml_escape(&edge_label(edge))
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "      <data key=\"edge_graphics\"><y:PolyLineEdge><y:LineStyle color=\"{}\" type=\"{}\" width=\"{:.1}\"/><y:Arrows source=\"none\" target=\"{arrow}\"/>{label}</y:PolyLineEdge></data>",
            hex(edge_colour(edge)).to_uppercase(),
            if negated { "dashed" } else { "line" },
            1.0 + (edge.weight.min(8) as f64) / 2.0
        );
        out.push_str("    </edge>\n");
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}
