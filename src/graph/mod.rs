//! The entity graph: one node per entity mentioned, co-mention edges between entities that
//! appear in the same window (sentence, paragraph or document).
//!
//! [`GraphBuilder`] takes tagged documents one at a time and keeps only aggregates (counts,
//! surface forms) and at most [`GraphOptions::evidence_cap`] evidence references per edge, so
//! its memory does not grow with the corpus beyond the graph itself. The graph is a petgraph
//! `Graph` with our own id → index map; exporters read it through [`EntityGraph`]'s sorted
//! accessors so that output order never depends on insertion order.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::str::FromStr;

use petgraph::graph::{EdgeIndex, Graph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Directed;

use crate::document::CharOffsets;
use crate::gazetteer::{AliasKind, EntityId, EntityIndex, EntityType, Gazetteer};
use crate::resolve::Method;
use crate::tagger::TaggedDocument;

/// The unit within which two mentions count as a co-mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Window {
    #[default]
    Sentence,
    Paragraph,
    Document,
}

impl Window {
    pub fn as_str(self) -> &'static str {
        match self {
            Window::Sentence => "sentence",
            Window::Paragraph => "paragraph",
            Window::Document => "document",
        }
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Window {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "sentence" => Ok(Window::Sentence),
            "paragraph" => Ok(Window::Paragraph),
            "document" => Ok(Window::Document),
            other => Err(format!(
                "unknown window \"{other}\" (expected sentence, paragraph or document)"
            )),
        }
    }
}

/// How the graph is built.
#[derive(Debug, Clone)]
pub struct GraphOptions {
    pub window: Window,
    /// Evidence references kept per edge (the first ones in corpus order).
    pub evidence_cap: usize,
    /// Whether demonym mentions ("Belarusian") count as mentions of their state. Off by default:
    /// "Belarusian police" says something about Belarus, but far less than "Belarus" does.
    pub include_demonyms: bool,
    /// Whether role mentions ("the Belarusian leader", resolved by date) count as mentions of
    /// their holder. On by default: the role names the person as surely as the name does.
    pub include_roles: bool,
}

impl Default for GraphOptions {
    fn default() -> Self {
        GraphOptions {
            window: Window::Sentence,
            evidence_cap: 3,
            include_demonyms: false,
            include_roles: true,
        }
    }
}

/// How often one surface form was seen for a node, and how it was resolved.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SurfaceKey {
    pub text: String,
    pub method: Method,
}

/// An entity in the graph.
#[derive(Debug, Clone)]
pub struct Node {
    pub entity: EntityIndex,
    pub id: EntityId,
    pub label: String,
    pub entity_type: EntityType,
    pub description: Option<String>,
    pub mentions: u64,
    pub documents: u64,
    pub surface_forms: BTreeMap<SurfaceKey, u64>,
    last_document: Option<usize>,
}

/// Kinds of edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    /// Undirected: the two entities are mentioned in the same window.
    CoMention,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::CoMention => "co-mention",
        }
    }
}

/// Where an edge was seen: a document and the window's character offsets and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub document: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// An edge of the graph. Co-mention edges run from the smaller to the larger entity id.
#[derive(Debug, Clone)]
pub struct Edge {
    pub kind: EdgeKind,
    pub weight: u64,
    pub documents: u64,
    pub evidence: Vec<Evidence>,
    last_document: Option<usize>,
}

/// The built graph.
#[derive(Debug, Clone)]
pub struct EntityGraph {
    graph: Graph<Node, Edge, Directed>,
    pub window: Window,
    pub documents: usize,
    /// Resolved mentions counted in the graph.
    pub mentions: u64,
    /// Spans that could name a gazetteer entity but were left unresolved (a shared alias nothing
    /// decided, a fuzzy match without a clear winner, a role without a date).
    pub unresolved: u64,
}

impl EntityGraph {
    /// Nodes, sorted by id.
    pub fn nodes(&self) -> Vec<&Node> {
        let mut nodes: Vec<&Node> = self.graph.node_weights().collect();
        nodes.sort_by(|a, b| a.id.cmp(&b.id));
        nodes
    }

    /// Edges with their endpoints, sorted by (source id, target id, kind).
    pub fn edges(&self) -> Vec<(&Node, &Node, &Edge)> {
        let mut edges: Vec<(&Node, &Node, &Edge)> = self
            .graph
            .edge_references()
            .map(|e| (&self.graph[e.source()], &self.graph[e.target()], e.weight()))
            .collect();
        edges.sort_by(|a, b| (&a.0.id, &a.1.id, a.2.kind).cmp(&(&b.0.id, &b.1.id, b.2.kind)));
        edges
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }
}

/// Accumulates tagged documents into an [`EntityGraph`].
#[derive(Debug)]
pub struct GraphBuilder<'g> {
    gazetteer: &'g Gazetteer,
    options: GraphOptions,
    graph: EntityGraph,
    nodes: HashMap<EntityIndex, NodeIndex>,
    edges: HashMap<(NodeIndex, NodeIndex, EdgeKind), EdgeIndex>,
}

impl<'g> GraphBuilder<'g> {
    pub fn new(gazetteer: &'g Gazetteer, options: GraphOptions) -> Self {
        let window = options.window;
        GraphBuilder {
            gazetteer,
            options,
            graph: EntityGraph {
                graph: Graph::new(),
                window,
                documents: 0,
                mentions: 0,
                unresolved: 0,
            },
            nodes: HashMap::new(),
            edges: HashMap::new(),
        }
    }

    /// Adds one document's mentions and co-mentions. Documents must come in a fixed order for
    /// the output to be reproducible (evidence keeps the first references seen).
    pub fn add(&mut self, tagged: &TaggedDocument<'_>) {
        let document_number = self.graph.documents;
        self.graph.documents += 1;
        let text = &tagged.document.text;
        let sentences = &tagged.segmented.sentences;
        // window key -> (byte span, entities)
        let mut windows: BTreeMap<usize, (usize, usize, BTreeSet<NodeIndex>)> = BTreeMap::new();
        self.graph.unresolved += tagged
            .unresolved
            .iter()
            .filter(|u| u.nearest.is_some() || !u.candidates.is_empty())
            .count() as u64;
        for mention in &tagged.mentions {
            let entity = mention.entity;
            let counted = match mention.kind {
                AliasKind::Name => true,
                AliasKind::Demonym => self.options.include_demonyms,
                AliasKind::Role => self.options.include_roles,
            };
            if !counted {
                continue;
            }
            self.graph.mentions += 1;
            let node = self.node_for(entity);
            let data = &mut self.graph.graph[node];
            data.mentions += 1;
            if data.last_document != Some(document_number) {
                data.last_document = Some(document_number);
                data.documents += 1;
            }
            let key = SurfaceKey {
                text: text[mention.start..mention.end].to_string(),
                method: mention.method,
            };
            *data.surface_forms.entry(key).or_default() += 1;
            let sentence = &sentences[mention.sentence];
            let (window, start, end) = match self.options.window {
                Window::Sentence => (mention.sentence, sentence.start, sentence.end),
                Window::Paragraph => {
                    let first = sentences.partition_point(|s| s.paragraph < sentence.paragraph);
                    let last = sentences.partition_point(|s| s.paragraph <= sentence.paragraph) - 1;
                    (
                        sentence.paragraph,
                        sentences[first].start,
                        sentences[last].end,
                    )
                }
                Window::Document => (0, 0, text.len()),
            };
            windows
                .entry(window)
                .or_insert_with(|| (start, end, BTreeSet::new()))
                .2
                .insert(node);
        }
        let mut offsets: Option<CharOffsets> = None;
        for (start, end, members) in windows.values() {
            let members: Vec<NodeIndex> = members.iter().copied().collect();
            for (i, &a) in members.iter().enumerate() {
                for &b in &members[i + 1..] {
                    let (source, target) = if self.graph.graph[a].id <= self.graph.graph[b].id {
                        (a, b)
                    } else {
                        (b, a)
                    };
                    let edge = self.edge_for(source, target, EdgeKind::CoMention);
                    let data = &mut self.graph.graph[edge];
                    data.weight += 1;
                    if data.last_document != Some(document_number) {
                        data.last_document = Some(document_number);
                        data.documents += 1;
                    }
                    if data.evidence.len() < self.options.evidence_cap {
                        let offsets = offsets.get_or_insert_with(|| CharOffsets::new(text));
                        data.evidence.push(Evidence {
                            document: tagged.document.id.clone(),
                            start: offsets.char_offset(*start),
                            end: offsets.char_offset(*end),
                            text: excerpt(&text[*start..*end]),
                        });
                    }
                }
            }
        }
    }

    pub fn finish(self) -> EntityGraph {
        self.graph
    }

    fn node_for(&mut self, entity: EntityIndex) -> NodeIndex {
        if let Some(&node) = self.nodes.get(&entity) {
            return node;
        }
        let data = self.gazetteer.entity(entity);
        let node = self.graph.graph.add_node(Node {
            entity,
            id: data.id.clone(),
            label: data.name.clone(),
            entity_type: data.entity_type,
            description: data.description.clone(),
            mentions: 0,
            documents: 0,
            surface_forms: BTreeMap::new(),
            last_document: None,
        });
        self.nodes.insert(entity, node);
        node
    }

    fn edge_for(&mut self, source: NodeIndex, target: NodeIndex, kind: EdgeKind) -> EdgeIndex {
        if let Some(&edge) = self.edges.get(&(source, target, kind)) {
            return edge;
        }
        let edge = self.graph.graph.add_edge(
            source,
            target,
            Edge {
                kind,
                weight: 0,
                documents: 0,
                evidence: Vec::new(),
                last_document: None,
            },
        );
        self.edges.insert((source, target, kind), edge);
        edge
    }
}

/// Evidence text: white space collapsed, at most 400 characters.
fn excerpt(text: &str) -> String {
    const LIMIT: usize = 400;
    let collapsed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= LIMIT {
        collapsed
    } else {
        let mut cut: String = collapsed.chars().take(LIMIT - 1).collect();
        cut.push('…');
        cut
    }
}
