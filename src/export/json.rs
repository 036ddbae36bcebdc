//! Node-link JSON, as D3 force layouts and NetworkX (`node_link_graph(data, edges="links")`)
//! load it. The serde types here are private: they *are* the documented schema (see the README),
//! not whatever the graph's internal structs happen to be.
//!
//! The graph is declared directed and a multigraph: co-mention edges are written once, from the
//! smaller to the larger id, with `"directed": false`; relation edges run from subject to object
//! (symmetric ones from the smaller id, with `"directed": false`). Each edge's `key` is its kind
//! or relation ("co-mention", "supports", "not-supports"), so edges between the same pair are
//! parallel edges, never overwrites.

use rayon::prelude::*;
use serde::Serialize;

use std::io::{self, Write};
use std::path::Path;

use super::common::write_json_str;
use crate::gazetteer::Gazetteer;
use crate::graph::{Edge as GraphEdge, EntityGraph, Node as GraphNode, Selection};
use crate::memory::prefetch;

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
    let mut json = Vec::new();
    write_json(graph, provenance, &mut json).expect("writing to memory does not fail");
    String::from_utf8(json).expect("serde_json writes UTF-8")
}

/// Writes the graph as pretty-printed node-link JSON, ending with a newline, to `out`: byte for
/// byte what `serde_json::to_writer_pretty` writes for a document of `directed`, `multigraph`,
/// `graph` (the metadata), `nodes` and `links`. The file can be larger than the corpus, so the
/// two arrays are rendered in parallel on the current rayon pool, a slice of items at a time,
/// each item built from the graph just before it is printed at its depth, by hand (see
/// `Node::write_item`).
pub fn write_json<W: Write + Send>(
    graph: &EntityGraph,
    provenance: &Provenance<'_>,
    mut out: W,
) -> io::Result<()> {
    let head = Head {
        directed: true,
        multigraph: true,
        graph: &metadata(graph, provenance),
    };
    let mut text = serde_json::to_vec_pretty(&head)?;
    // Without its closing "\n}": the arrays follow.
    text.truncate(text.len() - 2);
    out.write_all(&text)?;
    write_array(
        &mut out,
        "nodes",
        &graph.nodes(),
        |node, step| match step {
            0 => prefetch(*node),
            1 => {
                prefetch(node.id.as_str().as_bytes());
                prefetch(node.label.as_bytes());
            }
            _ => {}
        },
        |node, text| node_item(node).write_item(text),
    )?;
    write_array(
        &mut out,
        "links",
        &graph.edges(),
        |&(source, target, edge), step| match step {
            0 => {
                prefetch(edge);
                prefetch(source);
                prefetch(target);
            }
            1 => {
                prefetch(edge.evidence.as_slice());
                prefetch(source.id.as_str().as_bytes());
                prefetch(target.id.as_str().as_bytes());
            }
            _ => {
                for evidence in &edge.evidence {
                    prefetch(evidence.text.as_bytes());
                    prefetch(evidence.document.as_bytes());
                }
            }
        },
        |&(source, target, edge), text| link_item(source, target, edge).write_item(text),
    )?;
    out.write_all(b"\n}\n")
}

/// The fields of the document before its two long arrays.
#[derive(Serialize)]
struct Head<'a> {
    directed: bool,
    multigraph: bool,
    graph: &'a Metadata<'a>,
}

fn metadata<'a>(graph: &EntityGraph, provenance: &Provenance<'a>) -> Metadata<'a> {
    let gazetteer = provenance.gazetteer;
    let selection = provenance.selection;
    Metadata {
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
    }
}

fn node_item(node: &GraphNode) -> Node<'_> {
    Node {
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
    }
}

fn link_item<'a>(source: &'a GraphNode, target: &'a GraphNode, edge: &'a GraphEdge) -> Link<'a> {
    Link {
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
    }
}

/// Writes `,\n  "name": [...]` as the second level of a pretty-printed object, each of `items`
/// written by `write_item` (at depth 2).
///
/// An item's parts lie all over memory (a graph's edges, their evidence, its strings), so
/// `prefetch(item, step)` is called for the items ahead of the one written, in three steps, a
/// few items apart: for the item itself (step 0), for what it points to (step 1), and for what
/// those point to (step 2), each step reading only what the one before asked for.
fn write_array<W: Write + Send, S: Sync>(
    out: &mut W,
    name: &str,
    items: &[S],
    prefetch: impl Fn(&S, usize) + Sync,
    write_item: impl Fn(&S, &mut Vec<u8>) + Sync,
) -> io::Result<()> {
    /// How far ahead of the item written each step's item is.
    const AHEAD: [usize; 3] = [12, 8, 4];
    /// Items per task, and tasks rendered before their text is written out.
    const CHUNK: usize = 256;
    const CHUNKS_IN_FLIGHT: usize = 16;
    write!(out, ",\n  \"{name}\": [")?;
    if items.is_empty() {
        return out.write_all(b"]");
    }
    let rounds: Vec<&[S]> = items.chunks(CHUNK * CHUNKS_IN_FLIGHT).collect();
    // Renders a round into `texts`, one per chunk, reusing their allocations: a chunk's text
    // is far larger than a first allocation, and growing each anew copied it over and over.
    let render = |round: usize, mut texts: Vec<Vec<u8>>| -> Vec<Vec<u8>> {
        let chunks = rounds[round].len().div_ceil(CHUNK);
        texts.resize_with(chunks, Vec::new);
        texts
            .par_iter_mut()
            .zip(rounds[round].par_chunks(CHUNK))
            .enumerate()
            .for_each(|(index, (text, chunk))| {
                text.clear();
                for (step, &ahead) in AHEAD.iter().enumerate() {
                    for value in chunk.iter().take(ahead) {
                        prefetch(value, step);
                    }
                }
                for (i, value) in chunk.iter().enumerate() {
                    for (step, &ahead) in AHEAD.iter().enumerate() {
                        if let Some(value) = chunk.get(i + ahead) {
                            prefetch(value, step);
                        }
                    }
                    let first = round == 0 && index == 0 && i == 0;
                    text.extend_from_slice(if first { b"\n    " } else { b",\n    " });
                    write_item(value, text);
                }
            });
        texts
    };
    // Each round's text is written while the next round renders, into the texts of the round
    // written before.
    let mut rendered = render(0, Vec::new());
    let mut spare = Vec::new();
    for round in 1..=rounds.len() {
        let (written, next) = rayon::join(
            || rendered.iter().try_for_each(|text| out.write_all(text)),
            || (round < rounds.len()).then(|| render(round, std::mem::take(&mut spare))),
        );
        written?;
        spare = std::mem::replace(&mut rendered, next.unwrap_or_default());
    }
    out.write_all(b"\n  ]")
}

// Nodes and links are pretty-printed by hand, byte for byte as serde_json's pretty printer
// writes them (two spaces per level): they are nearly all of a graph.json, which can be larger
// than the corpus, and serde's field-by-field machinery cost most of writing it. Every field
// stands at a depth known here, so the comma, line break, indent and name before its value are
// one piece of text, written out in the code: `field!(3, "label")` is `,\n      "label": `.

/// The piece before a field's value, at depth 3 (a node's or link's own fields) or 5 (the
/// fields of the objects in their lists).
macro_rules! field {
    (3, $name:literal) => {
        concat!(",\n      \"", $name, "\": ").as_bytes()
    };
    (5, $name:literal) => {
        concat!(",\n          \"", $name, "\": ").as_bytes()
    };
}

#[inline(always)]
fn write_str_field(out: &mut Vec<u8>, piece: &[u8], value: &str) {
    out.extend_from_slice(piece);
    write_json_str(out, value);
}

#[inline(always)]
fn write_optional_str_field(out: &mut Vec<u8>, piece: &[u8], value: Option<&str>) {
    if let Some(value) = value {
        write_str_field(out, piece, value);
    }
}

#[inline(always)]
fn write_number_field(out: &mut Vec<u8>, piece: &[u8], value: impl itoa::Integer) {
    out.extend_from_slice(piece);
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

#[inline(always)]
fn write_bool_field(out: &mut Vec<u8>, piece: &[u8], value: bool) {
    out.extend_from_slice(piece);
    out.extend_from_slice(if value { b"true" } else { b"false" });
}

/// The list `items` as the value of a node's or link's field (`piece` is the field's piece),
/// each item an object at depth 4: `first` is the line break, indent and name (with its `: `)
/// of the object's first field, and `fields` writes the first field's value and the others.
fn write_objects<T>(
    out: &mut Vec<u8>,
    piece: &[u8],
    items: &[T],
    first: &[u8],
    fields: impl Fn(&mut Vec<u8>, &T),
) {
    out.extend_from_slice(piece);
    if items.is_empty() {
        out.extend_from_slice(b"[]");
        return;
    }
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        let open: &[u8] = if i == 0 {
            b"\n        {"
        } else {
            b",\n        {"
        };
        out.extend_from_slice(open);
        out.extend_from_slice(first);
        fields(out, item);
        out.extend_from_slice(b"\n        }");
    }
    out.extend_from_slice(b"\n      ]");
}

impl Node<'_> {
    /// The node as an item of `nodes` (depth 2), as serde_json writes it.
    fn write_item(&self, out: &mut Vec<u8>) {
        write_str_field(out, b"{\n      \"id\": ", self.id);
        write_str_field(out, field!(3, "label"), self.label);
        write_str_field(out, field!(3, "type"), self.entity_type);
        write_optional_str_field(out, field!(3, "description"), self.description);
        write_optional_str_field(out, field!(3, "wikidata"), self.wikidata);
        write_number_field(out, field!(3, "mentions"), self.mentions);
        write_number_field(out, field!(3, "documents"), self.documents);
        write_optional_str_field(out, field!(3, "first_date"), self.first_date);
        write_optional_str_field(out, field!(3, "last_date"), self.last_date);
        write_objects(
            out,
            field!(3, "surface_forms"),
            &self.surface_forms,
            b"\n          \"text\": ",
            |out, form| {
                write_json_str(out, form.text);
                write_str_field(out, field!(5, "method"), form.method);
                write_number_field(out, field!(5, "count"), form.count);
            },
        );
        out.extend_from_slice(b"\n    }");
    }
}

impl Link<'_> {
    /// The link as an item of `links` (depth 2), as serde_json writes it.
    fn write_item(&self, out: &mut Vec<u8>) {
        write_str_field(out, b"{\n      \"source\": ", self.source);
        write_str_field(out, field!(3, "target"), self.target);
        write_str_field(out, field!(3, "key"), &self.key);
        write_str_field(out, field!(3, "kind"), self.kind);
        write_optional_str_field(out, field!(3, "relation"), self.relation);
        write_optional_str_field(out, field!(3, "polarity"), self.polarity);
        if let Some(negated) = self.negated {
            write_bool_field(out, field!(3, "negated"), negated);
        }
        write_bool_field(out, field!(3, "directed"), self.directed);
        write_number_field(out, field!(3, "weight"), self.weight);
        write_number_field(out, field!(3, "documents"), self.documents);
        write_optional_str_field(out, field!(3, "first_date"), self.first_date);
        write_optional_str_field(out, field!(3, "last_date"), self.last_date);
        write_objects(
            out,
            field!(3, "evidence"),
            &self.evidence,
            b"\n          \"document\": ",
            |out, evidence| {
                write_json_str(out, evidence.document);
                write_number_field(out, field!(5, "start"), evidence.start);
                write_number_field(out, field!(5, "end"), evidence.end);
                write_str_field(out, field!(5, "text"), evidence.text);
                if let Some(start) = evidence.trigger_start {
                    write_number_field(out, field!(5, "trigger_start"), start);
                }
                if let Some(end) = evidence.trigger_end {
                    write_number_field(out, field!(5, "trigger_end"), end);
                }
            },
        );
        out.extend_from_slice(b"\n    }");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An item printed at depth 2 by serde_json's pretty printer: what the hand-written items
    /// must read as. Indentation only adds spaces after line breaks, and a JSON string never
    /// holds a line break of its own, so the item printed alone, with two levels of indentation
    /// after each line break, is the item printed inside the document.
    fn serde_item<T: Serialize>(value: &T) -> Vec<u8> {
        let text = String::from_utf8(serde_json::to_vec_pretty(value).unwrap()).unwrap();
        text.replace('\n', "\n    ").into_bytes()
    }

    #[derive(Serialize)]
    struct Item {
        name: String,
        values: Vec<u32>,
        nested: Vec<Vec<u32>>,
    }

    #[derive(Serialize)]
    struct Document<'a> {
        directed: bool,
        multigraph: bool,
        graph: &'a Metadata<'a>,
        nodes: Vec<Item>,
        links: Vec<Item>,
    }

    fn metadata() -> Metadata<'static> {
        Metadata {
            generator: "namegraph",
            version: "0",
            window: "sentence",
            documents: 2,
            mentions: 3,
            unresolved_mentions: 0,
            gazetteer: GazetteerInfo {
                files: vec!["a.toml".into()],
                entities: 1,
                aliases: 2,
            },
            relation_lexicon: None,
            selection: None,
        }
    }

    fn items(count: usize) -> Vec<Item> {
        (0..count)
            .map(|i| Item {
                name: format!("item {i}\nwith \"quotes\" and a tab\t"),
                values: (0..(i % 4) as u32).collect(),
                nested: vec![vec![], vec![i as u32]],
            })
            .collect()
    }

    /// The parallel writer and serde_json's pretty printer give the same bytes, for empty,
    /// short and many-chunk arrays.
    #[test]
    fn arrays_are_written_as_serde_json_writes_them() {
        let metadata = metadata();
        for (nodes, links) in [(0, 0), (1, 0), (0, 3), (5, 10_000)] {
            let expected = Document {
                directed: true,
                multigraph: true,
                graph: &metadata,
                nodes: items(nodes),
                links: items(links),
            };
            let mut expected_text = serde_json::to_vec_pretty(&expected).unwrap();
            expected_text.push(b'\n');

            let head = Head {
                directed: true,
                multigraph: true,
                graph: &metadata,
            };
            let mut text = serde_json::to_vec_pretty(&head).unwrap();
            text.truncate(text.len() - 2);
            let node_refs: Vec<&Item> = expected.nodes.iter().collect();
            let link_refs: Vec<&Item> = expected.links.iter().collect();
            let by_serde = |item: &&Item, text: &mut Vec<u8>| text.extend(serde_item(*item));
            write_array(&mut text, "nodes", &node_refs, |_, _| {}, by_serde).unwrap();
            write_array(&mut text, "links", &link_refs, |_, _| {}, by_serde).unwrap();
            text.extend_from_slice(b"\n}\n");
            assert_eq!(
                String::from_utf8(text).unwrap(),
                String::from_utf8(expected_text).unwrap(),
                "{nodes} nodes, {links} links"
            );
        }
    }

    /// Nodes and links written by hand read exactly as serde_json writes them, with and without
    /// their optional fields, with empty lists and with text that needs escapes.
    #[test]
    fn nodes_and_links_are_written_as_serde_json_writes_them() {
        let texts = [
            "Putin",
            "say \"no\"\n\tthen \\ stop\u{1}",
            "Ціханоўская",
            "",
        ];
        for (i, text) in texts.iter().enumerate() {
            let forms: Vec<SurfaceForm> = (0..i)
                .map(|n| SurfaceForm {
                    text,
                    method: "exact",
                    count: n as u64 * 1000,
                })
                .collect();
            let node = Node {
                id: text,
                label: text,
                entity_type: "person",
                description: (i % 2 == 0).then_some(*text),
                wikidata: (i % 2 == 1).then_some("Q7747"),
                mentions: u64::MAX - i as u64,
                documents: i as u64,
                first_date: (i > 1).then_some("2020-08-15"),
                last_date: (i > 1).then_some(*text),
                surface_forms: forms,
            };
            let mut ours = Vec::new();
            node.write_item(&mut ours);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(serde_item(&node)).unwrap()
            );
            let evidence: Vec<Evidence> = (0..i)
                .map(|n| Evidence {
                    document: text,
                    start: n,
                    end: usize::MAX - n,
                    text,
                    trigger_start: (n % 2 == 1).then_some(n),
                    trigger_end: (n % 2 == 1).then_some(n + 5),
                })
                .collect();
            let link = Link {
                source: text,
                target: "b",
                key: text.to_string(),
                kind: "relation",
                relation: (i % 2 == 0).then_some(*text),
                polarity: (i % 2 == 0).then_some("hostile"),
                negated: (i % 2 == 0).then_some(i == 2),
                directed: i % 3 == 0,
                weight: i as u64,
                documents: 0,
                first_date: (i > 1).then_some("2020"),
                last_date: (i > 2).then_some("2020-09"),
                evidence,
            };
            let mut ours = Vec::new();
            link.write_item(&mut ours);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(serde_item(&link)).unwrap()
            );
        }
    }
}
