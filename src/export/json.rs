//! Node-link JSON, as D3 force layouts and NetworkX (`node_link_graph(data, edges="links")`)
//! load it. The serde types here are private: they *are* the documented schema (see the README),
//! not whatever the graph's internal structs happen to be.
//!
//! The graph is declared directed and a multigraph: co-mention edges are written once, from the
//! smaller to the larger id, with `"directed": false`; each edge's `key` is its kind, so a later
//! relation edge between the same pair is a parallel edge, not an overwrite.

use serde::Serialize;

use crate::gazetteer::Gazetteer;
use crate::graph::EntityGraph;

#[derive(Serialize)]
struct NodeLink<'a> {
    directed: bool,
    multigraph: bool,
    graph: Metadata<'a>,
    nodes: Vec<Node<'a>>,
    links: Vec<Link<'a>>,
}

#[derive(Serialize)]
struct Metadata<'a> {
    generator: &'static str,
    version: &'static str,
    window: &'static str,
    documents: usize,
    mentions: u64,
    unresolved_mentions: u64,
    gazetteer: GazetteerInfo,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct GazetteerInfo {
    files: Vec<String>,
    entities: usize,
    aliases: usize,
}

#[derive(Serialize)]
struct Node<'a> {
    id: &'a str,
    label: &'a str,
    #[serde(rename = "type")]
    entity_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    mentions: u64,
    documents: u64,
    surface_forms: Vec<SurfaceForm<'a>>,
}

#[derive(Serialize)]
struct SurfaceForm<'a> {
    text: &'a str,
    method: &'static str,
    count: u64,
}

#[derive(Serialize)]
struct Link<'a> {
    source: &'a str,
    target: &'a str,
    key: &'static str,
    kind: &'static str,
    directed: bool,
    weight: u64,
    documents: u64,
    evidence: Vec<Evidence<'a>>,
}

#[derive(Serialize)]
struct Evidence<'a> {
    document: &'a str,
    start: usize,
    end: usize,
    text: &'a str,
}

/// The graph as pretty-printed node-link JSON, ending with a newline.
pub fn to_json(graph: &EntityGraph, gazetteer: &Gazetteer) -> String {
    let nodes = graph
        .nodes()
        .into_iter()
        .map(|node| Node {
            id: node.id.as_str(),
            label: &node.label,
            entity_type: node.entity_type.as_str(),
            description: node.description.as_deref(),
            mentions: node.mentions,
            documents: node.documents,
            surface_forms: node
                .surface_forms
                .iter()
                .map(|(key, &count)| SurfaceForm {
                    text: &key.text,
                    method: key.method.as_str(),
                    count,
                })
                .collect(),
        })
        .collect();
    let links = graph
        .edges()
        .into_iter()
        .map(|(source, target, edge)| Link {
            source: source.id.as_str(),
            target: target.id.as_str(),
            key: edge.kind.as_str(),
            kind: edge.kind.as_str(),
            directed: false,
            weight: edge.weight,
            documents: edge.documents,
            evidence: edge
                .evidence
                .iter()
                .map(|e| Evidence {
                    document: &e.document,
                    start: e.start,
                    end: e.end,
                    text: &e.text,
                })
                .collect(),
        })
        .collect();
    let document = NodeLink {
        directed: true,
        multigraph: true,
        graph: Metadata {
            generator: "namegraph",
            version: env!("CARGO_PKG_VERSION"),
            window: graph.window.as_str(),
            documents: graph.documents,
            mentions: graph.mentions,
            unresolved_mentions: graph.unresolved,
            gazetteer: GazetteerInfo {
                files: gazetteer
                    .files()
                    .iter()
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .collect(),
                entities: gazetteer.entities().len(),
                aliases: gazetteer.aliases().len(),
            },
            note: None,
        },
        nodes,
        links,
    };
    let mut json = serde_json::to_string_pretty(&document).expect("graph JSON serializes");
    json.push('\n');
    json
}
