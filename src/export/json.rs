//! Node-link JSON, as D3 force layouts and NetworkX (`node_link_graph(data, edges="links")`)
//! load it. The serde types here are private: they *are* the documented schema (see the README),
//! not whatever the graph's internal structs happen to be.
//!
//! The graph is declared directed and a multigraph: co-mention edges are written once, from the
//! smaller to the larger id, with `"directed": false`; relation edges run from subject to object
//! (symmetric ones from the smaller id, with `"directed": false`). Each edge's `key` is its kind
//! or relation ("co-mention", "supports", "not-supports"), so edges between the same pair are
//! parallel edges, never overwrites.

use serde::Serialize;

use std::path::Path;

use crate::gazetteer::Gazetteer;
use crate::graph::{EntityGraph, Selection};

/// Where a graph came from, for the metadata of the formats that record it.
#[derive(Debug, Clone, Copy)]
pub struct Provenance<'a> {
    pub gazetteer: &'a Gazetteer,
    /// The relation lexicon the stated relations were extracted with.
    pub relation_lexicon: Option<&'a Path>,
    /// The part of the graph that was kept.
    pub selection: &'a Selection,
}

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
    relation_lexicon: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    selection: Option<SelectionInfo<'a>>,
}

#[derive(Serialize)]
struct SelectionInfo<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    focus: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    depth: Option<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    types: Vec<&'static str>,
    min_weight: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    top: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rank_by: Option<&'static str>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    wikidata: Option<&'a str>,
    mentions: u64,
    documents: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_date: Option<&'a str>,
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
    key: String,
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
    start: usize,
    end: usize,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    trigger_start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trigger_end: Option<usize>,
}

/// The graph as pretty-printed node-link JSON, ending with a newline.
pub fn to_json(graph: &EntityGraph, provenance: &Provenance<'_>) -> String {
    let gazetteer = provenance.gazetteer;
    let selection = provenance.selection;
    let nodes = graph
        .nodes()
        .into_iter()
        .map(|node| Node {
            id: node.id.as_str(),
            label: &node.label,
            entity_type: node.entity_type.as_str(),
            description: node.description.as_deref(),
            wikidata: node.wikidata.as_deref(),
            mentions: node.mentions,
            documents: node.documents,
            first_date: node.dates.as_ref().map(|d| d.0.as_str()),
            last_date: node.dates.as_ref().map(|d| d.1.as_str()),
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
            key: edge.key(),
            kind: edge.kind.as_str(),
            relation: edge.relation.as_ref().map(|r| r.name.as_str()),
            polarity: edge.relation.as_ref().map(|r| r.polarity.as_str()),
            negated: edge.relation.as_ref().map(|r| r.negated),
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
                    start: e.start,
                    end: e.end,
                    text: &e.text,
                    trigger_start: e.trigger.map(|t| t.0),
                    trigger_end: e.trigger.map(|t| t.1),
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
            relation_lexicon: provenance
                .relation_lexicon
                .map(|p| p.to_string_lossy().replace('\\', "/")),
            selection: (!selection.keeps_everything()).then(|| SelectionInfo {
                focus: selection.focus.as_ref().map(|f| f.as_str()),
                depth: selection.focus.as_ref().map(|_| selection.depth),
                types: selection.types.iter().map(|t| t.as_str()).collect(),
                min_weight: selection.min_weight,
                top: selection.top,
                rank_by: selection.top.map(|_| selection.rank.as_str()),
            }),
        },
        nodes,
        links,
    };
    let mut json = serde_json::to_string_pretty(&document).expect("graph JSON serializes");
    json.push('\n');
    json
}
