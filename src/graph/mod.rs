//! The entity graph: one node per entity mentioned, co-mention edges between entities that
//! appear in the same window (sentence, paragraph or document), and stated-relation edges
//! ("Putin backs Lukashenko": supports, directed, with the sentence that states it).
//!
//! [`GraphBuilder`] takes tagged documents one at a time and keeps only aggregates (counts,
//! surface forms) and at most [`GraphOptions::evidence_cap`] evidence references per edge, so
//! its memory does not grow with the corpus beyond the graph itself. The graph is a petgraph
//! `Graph` with our own id → index map; exporters read it through [`EntityGraph`]'s sorted
//! accessors so that output order never depends on insertion order.

mod facts;
mod select;

pub use facts::{Component, EdgeFact, GraphFacts, RankedEntity};
pub use select::{find_entity, Rank, Selection};

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use petgraph::graph::{EdgeIndex, Graph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Directed;
use rayon::slice::ParallelSliceMut;
use rustc_hash::FxHashMap;

use crate::document::CharOffsets;
use crate::gazetteer::{AliasIndex, AliasKind, EntityId, EntityIndex, EntityType, Gazetteer};
use crate::memory::prefetch;
use crate::relations::{Polarity, RelationLexicon};
use crate::resolve::Method;
use crate::segment::{collapse_whitespace_cow, collapse_whitespace_prefix};
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
    /// Which kinds of edges to build. (Leaving out light edges is a [`Selection`]'s job.)
    pub edge_kinds: Vec<EdgeKind>,
}

impl Default for GraphOptions {
    fn default() -> Self {
        GraphOptions {
            window: Window::Sentence,
            evidence_cap: 3,
            include_demonyms: false,
            include_roles: true,
            edge_kinds: vec![EdgeKind::CoMention, EdgeKind::Relation],
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
    pub wikidata: Option<String>,
    pub mentions: u64,
    pub documents: u64,
    pub surface_forms: BTreeMap<SurfaceKey, u64>,
    /// Earliest and latest date of the documents that mention it, where dates are known.
    pub dates: Option<(String, String)>,
    sightings: Sightings,
}

/// What the builder keeps of a node or an edge as documents come: the last document it was
/// seen in, and the numbers of the earliest and latest dates of those documents. (Kept in the
/// node or edge itself: the builder touches it anyway, and a table of its own cost a cache miss
/// more for every new document.)
#[derive(Debug, Clone, Copy, Default)]
struct Sightings {
    last_document: Option<usize>,
    dates: Option<(u32, u32)>,
}

/// Kinds of edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    /// Undirected: the two entities are mentioned in the same window.
    CoMention,
    /// What the text states one did to the other: typed, directed unless symmetric.
    Relation,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::CoMention => "co-mention",
            EdgeKind::Relation => "relation",
        }
    }
}

impl FromStr for EdgeKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "co-mention" => Ok(EdgeKind::CoMention),
            "relation" => Ok(EdgeKind::Relation),
            other => Err(format!(
                "unknown edge kind \"{other}\" (expected co-mention or relation)"
            )),
        }
    }
}

/// What a relation edge states.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RelationLabel {
    /// The relation type ("supports").
    pub name: String,
    pub polarity: Polarity,
    /// Stated of both sides at once ("calls"): the edge has no direction.
    pub symmetric: bool,
    /// Stated as not holding ("did not back").
    pub negated: bool,
}

/// Where an edge was seen: a document, the window's (or sentence's) character offsets and text,
/// and for a relation the trigger's character offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// The document's id, shared by the evidence from one document.
    pub document: Arc<str>,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub trigger: Option<(usize, usize)>,
}

/// An edge of the graph. Co-mention and symmetric relation edges run from the smaller to the
/// larger entity id; other relation edges from subject to object.
#[derive(Debug, Clone)]
pub struct Edge {
    pub kind: EdgeKind,
    /// For relation edges (boxed: most edges of a large graph are co-mentions, and the graph
    /// grows by copying its edges).
    pub relation: Option<Box<RelationLabel>>,
    pub weight: u64,
    pub documents: u64,
    pub evidence: Vec<Evidence>,
    /// Earliest and latest date of the documents it was seen in, where dates are known (boxed,
    /// as `relation`).
    pub dates: Option<Box<(String, String)>>,
    sightings: Sightings,
}

impl Edge {
    /// Whether the edge has a direction (a relation that is not symmetric).
    pub fn directed(&self) -> bool {
        self.relation.as_ref().is_some_and(|r| !r.symmetric)
    }

    /// The edge's key among parallel edges: its kind, or its relation ("supports",
    /// "not-supports").
    pub fn key(&self) -> String {
        match &self.relation {
            None => self.kind.as_str().to_string(),
            Some(r) if r.negated => format!("not-{}", r.name),
            Some(r) => r.name.clone(),
        }
    }
}

/// A surface form as the builder counts it: an exact (verbatim) match reads as its alias, so
/// it is counted by the alias's number without its text being looked up; any other by its
/// number in [`GraphBuilder::surfaces`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Surface {
    Alias(AliasIndex),
    Text(u32),
}

/// Strings stored once each and numbered in order of first sight: the builder counts surface
/// forms and compares dates by number, touching the text only when it must.
#[derive(Debug, Default)]
struct Interner {
    texts: Vec<Box<str>>,
    numbers: FxHashMap<Box<str>, u32>,
}

impl Interner {
    fn number(&mut self, text: &str) -> u32 {
        if let Some(&number) = self.numbers.get(text) {
            return number;
        }
        let number = self.texts.len() as u32;
        self.texts.push(text.into());
        self.numbers.insert(text.into(), number);
        number
    }

    fn text(&self, number: u32) -> &str {
        &self.texts[number as usize]
    }
}

/// The documents' dates, numbered by [`Interner`], each with the first 16 bytes of its text
/// as a number: dates are compared by those, and their texts read only where two share them,
/// so that counting a sighting does not call out to compare strings.
#[derive(Debug, Default)]
struct Dates {
    texts: Interner,
    prefixes: Vec<u128>,
}

impl Dates {
    fn number(&mut self, text: &str) -> u32 {
        let number = self.texts.number(text);
        if number as usize == self.prefixes.len() {
            let mut prefix = [0u8; 16];
            let length = text.len().min(16);
            prefix[..length].copy_from_slice(&text.as_bytes()[..length]);
            self.prefixes.push(u128::from_be_bytes(prefix));
        }
        number
    }

    fn text(&self, number: u32) -> &str {
        self.texts.text(number)
    }

    /// How two dates' texts compare.
    fn compare(&self, a: u32, b: u32) -> std::cmp::Ordering {
        self.prefixes[a as usize]
            .cmp(&self.prefixes[b as usize])
            .then_with(|| self.text(a).cmp(self.text(b)))
    }
}

/// Widens a range of date numbers by one date. The date table is small (a corpus has few
/// distinct dates), so this touches no memory of the node or edge beyond the two numbers.
fn widen(dates: &Dates, range: &mut Option<(u32, u32)>, date: u32) {
    match range {
        None => *range = Some((date, date)),
        Some((first, last)) => {
            if *first != date && dates.compare(date, *first).is_lt() {
                *first = date;
            }
            if *last != date && dates.compare(date, *last).is_gt() {
                *last = date;
            }
        }
    }
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
        self.by_id()
            .into_iter()
            .map(|node| &self.graph[node])
            .collect()
    }

    /// Node indices in id order. Ids are unique: an unstable sort gives the one order. The
    /// sort compares the ids' first eight bytes as numbers and reads an id only when two share
    /// them: the nodes lie all over memory, and reading two ids at every comparison made the
    /// sort wait on memory. Sorted on the threads of the pool the caller runs in (one thread:
    /// as a plain sort).
    fn by_id(&self) -> Vec<NodeIndex> {
        let mut keyed: Vec<(u64, &str, NodeIndex)> = self
            .graph
            .node_indices()
            .map(|node| {
                let id = self.graph[node].id.as_str();
                (id_prefix(id), id, node)
            })
            .collect();
        keyed.par_sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
        keyed.into_iter().map(|(_, _, node)| node).collect()
    }

    /// Edges with their endpoints, sorted by (source id, target id, kind, relation).
    pub fn edges(&self) -> Vec<(&Node, &Node, &Edge)> {
        // Each node's place in id order, so that the sort compares numbers, not ids.
        let mut rank = vec![0u32; self.graph.node_count()];
        for (place, node) in self.by_id().into_iter().enumerate() {
            rank[node.index()] = place as u32;
        }
        let mut edges: Vec<(u32, u32, petgraph::graph::EdgeReference<'_, Edge>)> = self
            .graph
            .edge_references()
            .map(|e| (rank[e.source().index()], rank[e.target().index()], e))
            .collect();
        // The edges themselves are read only between parallel edges: they are scattered in
        // memory, and reading them at every comparison made the sort wait on memory.
        edges.par_sort_by(|a, b| {
            (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| {
                (a.2.weight().kind, &a.2.weight().relation)
                    .cmp(&(b.2.weight().kind, &b.2.weight().relation))
            })
        });
        edges
            .into_iter()
            .map(|(_, _, e)| (&self.graph[e.source()], &self.graph[e.target()], e.weight()))
            .collect()
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }
}

/// A relation edge's identity: its ends, its relation type's index in the lexicon, and its
/// negation.
type RelationEdgeId = (NodeIndex, NodeIndex, usize, bool);

/// Accumulates tagged documents into an [`EntityGraph`].
#[derive(Debug)]
pub struct GraphBuilder<'g> {
    gazetteer: &'g Gazetteer,
    lexicon: Option<&'g RelationLexicon>,
    options: GraphOptions,
    graph: EntityGraph,
    /// Each entity's node, by entity index (`NodeIndex::end()` until it has one).
    nodes: Vec<NodeIndex>,
    /// Relation edges by identity...
    relation_edges: FxHashMap<RelationEdgeId, EdgeIndex>,
    /// ... and co-mention edges by their ends, `source << 32 | target`.
    co_mention_edges: FxHashMap<u64, EdgeIndex>,
    /// Surface forms seen so far...
    surfaces: Interner,
    /// ... and how often each (node, surface form, method) was seen; turned into the nodes'
    /// `surface_forms` by [`GraphBuilder::finish`]. Except for most exact mentions, nearly all
    /// of them: those are counted by alias in `exact_counts`.
    surface_counts: FxHashMap<(NodeIndex, Surface, Method), u64>,
    /// By alias index: `[node index + 1, count]` of its exact mentions (zero until the alias is
    /// seen). A small array read at the alias, where the table of surface forms is far larger
    /// than the cache. Mentions of the alias for another node (or beyond the count's range) go
    /// to `surface_counts`.
    exact_counts: Vec<[u32; 2]>,
    /// One document's (window, node) pairs; kept to reuse its allocation.
    window_members: Vec<(usize, NodeIndex)>,
    /// One document's co-mentions, (window, edge); kept likewise.
    co_mentions: Vec<(usize, EdgeIndex)>,
    dates: Dates,
    /// The date of the document being added.
    date: Option<u32>,
    /// By node index: the first eight bytes of the node's id as a number, which orders nodes
    /// as their ids do unless two ids share them (then the ids are compared).
    id_prefixes: Vec<u64>,
}

impl<'g> GraphBuilder<'g> {
    /// A builder; `lexicon` names the relations of tagged documents (without it, relation
    /// edges are not built).
    pub fn new(
        gazetteer: &'g Gazetteer,
        lexicon: Option<&'g RelationLexicon>,
        options: GraphOptions,
    ) -> Self {
        let window = options.window;
        GraphBuilder {
            gazetteer,
            lexicon,
            options,
            graph: EntityGraph {
                graph: Graph::new(),
                window,
                documents: 0,
                mentions: 0,
                unresolved: 0,
            },
            nodes: vec![NodeIndex::end(); gazetteer.entities().len()],
            relation_edges: FxHashMap::default(),
            co_mention_edges: FxHashMap::default(),
            surfaces: Interner::default(),
            surface_counts: FxHashMap::default(),
            exact_counts: vec![[0; 2]; gazetteer.aliases().len()],
            window_members: Vec::new(),
            co_mentions: Vec::new(),
            dates: Dates::default(),
            date: None,
            id_prefixes: Vec::new(),
        }
    }

    /// Adds one document's mentions and co-mentions. Documents must come in a fixed order for
    /// the output to be reproducible (evidence keeps the first references seen).
    pub fn add(&mut self, tagged: &TaggedDocument<'_>) {
        let document_number = self.graph.documents;
        self.graph.documents += 1;
        let text = &tagged.document.text;
        let sentences = &tagged.segmented.sentences;
        self.date = tagged.date.as_deref().map(|date| self.dates.number(date));
        let mut window_members = std::mem::take(&mut self.window_members);
        window_members.clear();
        self.graph.unresolved += tagged
            .unresolved
            .iter()
            .filter(|u| u.nearest.is_some() || !u.candidates.is_empty())
            .count() as u64;
        let (demonyms, roles) = (self.options.include_demonyms, self.options.include_roles);
        let counted = |kind: AliasKind| match kind {
            AliasKind::Name => true,
            AliasKind::Demonym => demonyms,
            AliasKind::Role => roles,
        };
        // The nodes of a document's mentions lie all over a large graph: the counts below are
        // asked for first, all at once, so that their cache misses overlap.
        for mention in &tagged.mentions {
            let known = self.nodes[mention.entity.0 as usize];
            if counted(mention.kind) && known != NodeIndex::end() {
                // A node spans several cache lines: both that its counting reads.
                let node = &self.graph.graph[known];
                prefetch(&node.mentions);
                prefetch(&node.sightings);
                if mention.method == Method::Exact {
                    prefetch(&self.exact_counts[mention.alias.0 as usize]);
                }
            }
        }
        for mention in &tagged.mentions {
            let entity = mention.entity;
            if !counted(mention.kind) {
                continue;
            }
            self.graph.mentions += 1;
            let node = self.node_for(entity);
            let data = &mut self.graph.graph[node];
            data.mentions += 1;
            if data.sightings.last_document != Some(document_number) {
                data.sightings.last_document = Some(document_number);
                data.documents += 1;
                if let Some(date) = self.date {
                    widen(&self.dates, &mut data.sightings.dates, date);
                }
            }
            let surface = match mention.method {
                Method::Exact => {
                    debug_assert_eq!(
                        &text[mention.start..mention.end],
                        self.gazetteer.alias(mention.alias).text
                    );
                    Surface::Alias(mention.alias)
                }
                // A name broken over two lines ("Michael\nvon Ungern-Sternberg") is one
                // spelling, and a line break in a surface form breaks CSV readers.
                _ => Surface::Text(
                    self.surfaces
                        .number(&collapse_whitespace_cow(&text[mention.start..mention.end])),
                ),
            };
            let by_alias = mention.method == Method::Exact && self.count_exact(mention.alias, node);
            if !by_alias {
                *self
                    .surface_counts
                    .entry((node, surface, mention.method))
                    .or_default() += 1;
            }
            let window = match self.options.window {
                Window::Sentence => mention.sentence,
                Window::Paragraph => sentences[mention.sentence].paragraph,
                Window::Document => 0,
            };
            window_members.push((window, node));
        }
        // Made when the document's first evidence is kept: its character offsets, and its id as
        // the evidence shares it.
        let mut offsets: Option<(CharOffsets, Arc<str>)> = None;
        if self.options.edge_kinds.contains(&EdgeKind::CoMention) {
            window_members.sort_unstable();
            window_members.dedup();
            // All of the document's co-mention edges are found (and their counts asked for)
            // before any is counted, so that the cache misses on the edges overlap.
            let mut co_mentions = std::mem::take(&mut self.co_mentions);
            co_mentions.clear();
            for members in window_members.chunk_by(|a, b| a.0 == b.0) {
                for (i, &(window, a)) in members.iter().enumerate() {
                    for &(_, b) in &members[i + 1..] {
                        let (source, target) = if self.id_order(a, b).is_le() {
                            (a, b)
                        } else {
                            (b, a)
                        };
                        let edge = self.co_mention_edge(source, target);
                        // Likewise an edge.
                        let data = &self.graph.graph[edge];
                        prefetch(&data.weight);
                        prefetch(&data.sightings);
                        co_mentions.push((window, edge));
                    }
                }
            }
            let mut span = (usize::MAX, 0..0);
            for &(window, edge) in &co_mentions {
                if span.0 != window {
                    span = (window, self.window_span(tagged, window));
                }
                self.count(
                    edge,
                    tagged,
                    document_number,
                    &mut offsets,
                    span.1.clone(),
                    None,
                );
            }
            self.co_mentions = co_mentions;
        }
        self.window_members = window_members;
        if let (Some(lexicon), true) = (
            self.lexicon,
            self.options.edge_kinds.contains(&EdgeKind::Relation),
        ) {
            for relation in &tagged.relations {
                let relation_type = &lexicon.relations[relation.relation];
                let mut ends = (
                    self.node_for(relation.subject),
                    self.node_for(relation.object),
                );
                if relation_type.symmetric && self.id_order(ends.0, ends.1).is_gt() {
                    ends = (ends.1, ends.0);
                }
                let id = (ends.0, ends.1, relation.relation, relation.negated);
                let edge = self.relation_edge(id, || RelationLabel {
                    name: relation_type.name.clone(),
                    polarity: relation_type.polarity,
                    symmetric: relation_type.symmetric,
                    negated: relation.negated,
                });
                let sentence = &sentences[relation.sentence];
                self.count(
                    edge,
                    tagged,
                    document_number,
                    &mut offsets,
                    sentence.start..sentence.end,
                    Some(relation.trigger.clone()),
                );
            }
        }
    }

    /// Counts one more sighting of `edge`, keeping its evidence while under the cap.
    fn count(
        &mut self,
        edge: EdgeIndex,
        tagged: &TaggedDocument<'_>,
        document_number: usize,
        offsets: &mut Option<(CharOffsets, Arc<str>)>,
        window: std::ops::Range<usize>,
        trigger: Option<std::ops::Range<usize>>,
    ) {
        let text = &tagged.document.text;
        let data = &mut self.graph.graph[edge];
        data.weight += 1;
        if data.sightings.last_document != Some(document_number) {
            data.sightings.last_document = Some(document_number);
            data.documents += 1;
            if let Some(date) = self.date {
                widen(&self.dates, &mut data.sightings.dates, date);
            }
        }
        if data.evidence.len() < self.options.evidence_cap {
            let (offsets, document) = offsets.get_or_insert_with(|| {
                (
                    CharOffsets::new(text),
                    Arc::from(tagged.document.id.as_str()),
                )
            });
            // One at a time: most edges of a large corpus are seen once, and a vector's first
            // push would otherwise make room for four (the graph's largest allocation).
            data.evidence.reserve_exact(1);
            data.evidence.push(Evidence {
                document: document.clone(),
                start: offsets.char_offset(window.start),
                end: offsets.char_offset(window.end),
                text: excerpt(&text[window]),
                trigger: trigger
                    .map(|t| (offsets.char_offset(t.start), offsets.char_offset(t.end))),
            });
        }
    }

    /// The byte span of a document's window `window` (a sentence or paragraph number, or 0 for
    /// the whole document).
    fn window_span(&self, tagged: &TaggedDocument<'_>, window: usize) -> std::ops::Range<usize> {
        let sentences = &tagged.segmented.sentences;
        match self.options.window {
            Window::Sentence => sentences[window].start..sentences[window].end,
            Window::Paragraph => {
                let first = sentences.partition_point(|s| s.paragraph < window);
                let last = sentences.partition_point(|s| s.paragraph <= window) - 1;
                sentences[first].start..sentences[last].end
            }
            Window::Document => 0..tagged.document.text.len(),
        }
    }

    /// Counts an exact mention of `alias` for `node` in `exact_counts`, unless the alias's slot
    /// counts another node (or is full): then it returns false.
    fn count_exact(&mut self, alias: AliasIndex, node: NodeIndex) -> bool {
        let slot = &mut self.exact_counts[alias.0 as usize];
        // Node indices stop short of `u32::MAX` (`NodeIndex::end()`).
        let number = node.index() as u32 + 1;
        if slot[0] == 0 {
            slot[0] = number;
        }
        if slot[0] != number || slot[1] == u32::MAX {
            return false;
        }
        slot[1] += 1;
        true
    }

    /// The whole graph; [`EntityGraph::select`] cuts it down.
    pub fn finish(mut self) -> EntityGraph {
        let by_alias = self
            .exact_counts
            .iter()
            .enumerate()
            .filter(|(_, slot)| slot[1] > 0)
            .map(|(alias, slot)| {
                let node = NodeIndex::new(slot[0] as usize - 1);
                let alias = Surface::Alias(AliasIndex(alias as u32));
                ((node, alias, Method::Exact), u64::from(slot[1]))
            });
        let counts: Vec<_> = by_alias.collect();
        for ((node, surface, method), count) in counts.into_iter().chain(self.surface_counts) {
            let text = match surface {
                Surface::Alias(alias) => self.gazetteer.alias(alias).text.as_str(),
                Surface::Text(number) => self.surfaces.text(number),
            };
            let key = SurfaceKey {
                text: text.to_string(),
                method,
            };
            // Added up: two aliases of an entity could be written alike.
            *self.graph.graph[node].surface_forms.entry(key).or_default() += count;
        }
        let dates = &self.dates;
        let texts = |range: Option<(u32, u32)>| {
            range.map(|(first, last)| (dates.text(first).to_string(), dates.text(last).to_string()))
        };
        for node in self.graph.graph.node_weights_mut() {
            node.dates = texts(node.sightings.dates);
        }
        for edge in self.graph.graph.edge_weights_mut() {
            edge.dates = texts(edge.sightings.dates).map(Box::new);
        }
        self.graph
    }

    /// How two nodes' ids compare, mostly without reading the nodes (see `id_prefixes`).
    fn id_order(&self, a: NodeIndex, b: NodeIndex) -> std::cmp::Ordering {
        let prefixes = (self.id_prefixes[a.index()], self.id_prefixes[b.index()]);
        match prefixes.0.cmp(&prefixes.1) {
            std::cmp::Ordering::Equal => self.graph.graph[a].id.cmp(&self.graph.graph[b].id),
            decided => decided,
        }
    }

    fn node_for(&mut self, entity: EntityIndex) -> NodeIndex {
        let known = self.nodes[entity.0 as usize];
        if known != NodeIndex::end() {
            return known;
        }
        let data = self.gazetteer.entity(entity);
        let node = self.graph.graph.add_node(Node {
            entity,
            id: data.id.clone(),
            label: data.name.clone(),
            entity_type: data.entity_type,
            description: data.description.clone(),
            wikidata: data.wikidata.clone(),
            mentions: 0,
            documents: 0,
            surface_forms: BTreeMap::new(),
            dates: None,
            sightings: Sightings::default(),
        });
        self.nodes[entity.0 as usize] = node;
        self.id_prefixes.push(id_prefix(data.id.as_str()));
        node
    }

    /// The co-mention edge from `source` to `target`, created on first use.
    fn co_mention_edge(&mut self, source: NodeIndex, target: NodeIndex) -> EdgeIndex {
        // Nearly every edge: found by its two ends alone, in a table of its own (a third the
        // size of the relation edges' entries).
        let ends = (source.index() as u64) << 32 | target.index() as u64;
        if let Some(&edge) = self.co_mention_edges.get(&ends) {
            return edge;
        }
        let edge = self.new_edge(source, target, EdgeKind::CoMention, None);
        self.co_mention_edges.insert(ends, edge);
        edge
    }

    /// The relation edge of `id`, created on first use with the label `label` makes.
    fn relation_edge(
        &mut self,
        id: RelationEdgeId,
        label: impl FnOnce() -> RelationLabel,
    ) -> EdgeIndex {
        if let Some(&edge) = self.relation_edges.get(&id) {
            return edge;
        }
        let edge = self.new_edge(id.0, id.1, EdgeKind::Relation, Some(label()));
        self.relation_edges.insert(id, edge);
        edge
    }

    fn new_edge(
        &mut self,
        source: NodeIndex,
        target: NodeIndex,
        kind: EdgeKind,
        relation: Option<RelationLabel>,
    ) -> EdgeIndex {
        self.graph.graph.add_edge(
            source,
            target,
            Edge {
                kind,
                relation: relation.map(Box::new),
                weight: 0,
                documents: 0,
                evidence: Vec::new(),
                dates: None,
                sightings: Sightings::default(),
            },
        )
    }
}

/// The first eight bytes of an id as a number (zeros after a shorter id), which orders ids as
/// they are ordered themselves unless two share those bytes.
fn id_prefix(id: &str) -> u64 {
    let mut prefix = [0u8; 8];
    let id = id.as_bytes();
    let shared = id.len().min(8);
    prefix[..shared].copy_from_slice(&id[..shared]);
    u64::from_be_bytes(prefix)
}

/// Evidence text: white space collapsed, at most 400 characters.
fn excerpt(text: &str) -> String {
    const LIMIT: usize = 400;
    // Enough of it to tell whether it is longer than the limit: a character is 4 bytes at most.
    let collapsed = collapse_whitespace_prefix(text, 4 * (LIMIT + 1));
    // No more bytes than the limit: no more characters either, uncounted.
    if collapsed.len() <= LIMIT || collapsed.chars().count() <= LIMIT {
        collapsed
    } else {
        let mut cut: String = collapsed.chars().take(LIMIT - 1).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_compare_as_their_texts_do() {
        // Shorter than 16 bytes, a prefix of another, and sharing the first 16 bytes.
        let texts = [
            "2020-08-15",
            "2020-08-1",
            "2020-08-15T10:00:00Z",
            "2020-08-15T10:00:01Z",
            "2020-08-15T09:59:59Z",
            "2020-09-01",
            "",
            "2020-08-15\u{0}",
        ];
        let mut dates = Dates::default();
        let numbers: Vec<u32> = texts.iter().map(|text| dates.number(text)).collect();
        for (a, &first) in texts.iter().zip(&numbers) {
            for (b, &second) in texts.iter().zip(&numbers) {
                assert_eq!(
                    dates.compare(first, second),
                    a.cmp(b),
                    "{a:?} against {b:?}"
                );
            }
        }
        let mut range = None;
        for &number in &numbers {
            widen(&dates, &mut range, number);
        }
        let (first, last) = range.unwrap();
        assert_eq!((dates.text(first), dates.text(last)), ("", "2020-09-01"));
    }

    #[test]
    fn exact_mentions_are_counted_by_alias_unless_the_alias_counts_another_node() {
        let gazetteer = crate::gazetteer::people(&[("putin", "Vladimir Putin")]);
        let mut builder = GraphBuilder::new(&gazetteer, None, GraphOptions::default());
        let alias = AliasIndex(0);
        let (first, second) = (NodeIndex::new(0), NodeIndex::new(7));
        assert!(builder.count_exact(alias, first));
        assert!(builder.count_exact(alias, first));
        // Another node's mention of the alias is left to the table of surface forms.
        assert!(!builder.count_exact(alias, second));
        assert_eq!(builder.exact_counts[0], [1, 2]);
        // So is a mention beyond the count's range.
        builder.exact_counts[0][1] = u32::MAX;
        assert!(!builder.count_exact(alias, first));
        assert_eq!(builder.exact_counts[0], [1, u32::MAX]);
    }

    #[test]
    fn nodes_and_edges_sort_by_id_even_where_ids_share_their_first_eight_bytes() {
        let ids = [
            "european-union",
            "eu",
            "european-commission",
            "europe",
            "european",
            "europeans",
            "e",
        ];
        let names: Vec<String> = (0..ids.len()).map(|i| format!("Person {i}")).collect();
        let people: Vec<(&str, &str)> = ids
            .iter()
            .copied()
            .zip(names.iter().map(String::as_str))
            .collect();
        let gazetteer = crate::gazetteer::people(&people);
        let mut builder = GraphBuilder::new(&gazetteer, None, GraphOptions::default());
        let nodes: Vec<NodeIndex> = (0..ids.len())
            .map(|i| builder.node_for(EntityIndex(i as u32)))
            .collect();
        // An edge from every node to the one after it, and back.
        for pair in nodes.windows(2) {
            builder.co_mention_edge(pair[0], pair[1]);
            builder.co_mention_edge(pair[1], pair[0]);
        }
        let graph = builder.finish();
        let mut sorted: Vec<&str> = ids.to_vec();
        sorted.sort();
        let found: Vec<&str> = graph.nodes().iter().map(|n| n.id.as_str()).collect();
        assert_eq!(found, sorted);
        let ends: Vec<(&str, &str)> = graph
            .edges()
            .iter()
            .map(|(source, target, _)| (source.id.as_str(), target.id.as_str()))
            .collect();
        let mut expected = ends.clone();
        expected.sort();
        assert_eq!(ends, expected);
    }
}
