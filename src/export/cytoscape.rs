//! Cytoscape.js elements JSON (`{"elements": {"nodes": [...], "edges": [...]}}`), which
//! cytoscape.js loads as it is and Cytoscape desktop imports as a `.cyjs` network.
//!
//! Everything of ours sits under `data`; nodes also have `name` and edges `interaction`, the
//! fields Cytoscape desktop shows. `classes` carries the entity type, and the edge kind and
//! polarity, for stylesheets. Edge ids are the same `e0`, `e1`, ... as in GEXF and GraphML.

use serde::Serialize;

use super::common::{aliases, edge_id, edge_label};
use crate::graph::EntityGraph;

#[derive(Serialize)]
struct Document<'a> {
    format_version: &'static str,
    generated_by: String,
    target_cytoscapejs_version: &'static str,
    data: NetworkData<'a>,
    elements: Elements<'a>,
}

#[derive(Serialize)]
struct NetworkData<'a> {
    name: &'static str,
    documents: usize,
    window: &'a str,
}

#[derive(Serialize)]
struct Elements<'a> {
    nodes: Vec<Element<NodeData<'a>>>,
    edges: Vec<Element<EdgeData<'a>>>,
}

#[derive(Serialize)]
struct Element<T> {
    data: T,
    classes: String,
}

#[derive(Serialize)]
struct NodeData<'a> {
    id: &'a str,
    name: &'a str,
    label: &'a str,
    entity_type: &'static str,
    mentions: u64,
    documents: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    wikidata: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    aliases: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_date: Option<&'a str>,
}

#[derive(Serialize)]
struct EdgeData<'a> {
    id: String,
    source: &'a str,
    target: &'a str,
    interaction: String,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    relation: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    polarity: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    negated: Option<bool>,
    directed: bool,
    weight: u64,
    documents: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_date: Option<&'a str>,
    evidence: Vec<Evidence<'a>>,
}

#[derive(Serialize)]
struct Evidence<'a> {
    document: &'a str,
    text: &'a str,
}

/// The graph as Cytoscape.js JSON, ending with a newline.
pub fn to_cytoscape(graph: &EntityGraph) -> String {
    let nodes = graph
        .nodes()
        .into_iter()
        .map(|node| Element {
            classes: node.entity_type.as_str().to_string(),
            data: NodeData {
                id: node.id.as_str(),
                name: &node.label,
                label: &node.label,
                entity_type: node.entity_type.as_str(),
                mentions: node.mentions,
                documents: node.documents,
                wikidata: node.wikidata.as_deref(),
                description: node.description.as_deref(),
                aliases: aliases(node),
                first_date: node.dates.as_ref().map(|d| d.0.as_str()),
                last_date: node.dates.as_ref().map(|d| d.1.as_str()),
            },
        })
        .collect();
    let edges = graph
        .edges()
        .into_iter()
        .enumerate()
        .map(|(index, (source, target, edge))| {
            let relation = edge.relation.as_ref();
            let mut classes = edge.kind.as_str().to_string();
            if let Some(relation) = relation {
                classes.push(' ');
                classes.push_str(relation.polarity.as_str());
                if relation.negated {
                    classes.push_str(" negated");
                }
            }
            if edge.directed() {
                classes.push_str(" directed");
            }
            Element {
                classes,
                data: EdgeData {
                    id: edge_id(index),
                    source: source.id.as_str(),
                    target: target.id.as_str(),
                    interaction: edge_label(edge),
                    kind: edge.kind.as_str(),
                    relation: relation.map(|r| r.name.as_str()),
                    polarity: relation.map(|r| r.polarity.as_str()),
                    negated: relation.map(|r| r.negated),
                    directed: edge.directed(),
                    weight: edge.weight,
                    documents: edge.documents,
                    first_date: edge.dates.as_ref().map(|d| d.0.as_str()),
                    last_date: edge.dates.as_ref().map(|d| d.1.as_str()),
                    evidence: edge
                        .evidence
                        .iter()
                        .map(|e| Evidence {
                            document: &e.document,
                            text: &e.text,
                        })
                        .collect(),
                },
            }
        })
        .collect();
    let document = Document {
        format_version: "1.0",
        generated_by: format!("namegraph-{}", env!("CARGO_PKG_VERSION")),
        target_cytoscapejs_version: "~3.34",
        data: NetworkData {
            name: "namegraph",
            documents: graph.documents,
            window: graph.window.as_str(),
        },
        elements: Elements { nodes, edges },
    };
    let mut json = serde_json::to_string_pretty(&document).expect("Cytoscape JSON serializes");
    json.push('\n');
    json
}
