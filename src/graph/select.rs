//! Cutting a built graph down to what a reader can take in: the ego network of one entity
//! (`--focus ENTITY --depth N`), the heavier edges (`--min-weight`), some entity types
//! (`--types`) and the top N entities by mentions or weighted degree (`--top`).
//!
//! A selection only removes nodes and edges; it never changes what is left, so every exporter
//! writes a selected graph exactly as it writes a whole one. This module does not read
//! articles or write files.

use std::collections::{BTreeSet, VecDeque};
use std::fmt;
use std::str::FromStr;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use super::{EntityGraph, Node};
use crate::error::{Error, Result};
use crate::gazetteer::{alias_key, EntityId, EntityType, Gazetteer};

/// What `--top N` ranks entities by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rank {
    /// Resolved mentions in the articles.
    #[default]
    Mentions,
    /// The sum of the weights of the entity's edges (after the other filters).
    Degree,
}

impl Rank {
    pub fn as_str(self) -> &'static str {
        match self {
            Rank::Mentions => "mentions",
            Rank::Degree => "degree",
        }
    }
}

impl fmt::Display for Rank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Rank {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "mentions" => Ok(Rank::Mentions),
            "degree" => Ok(Rank::Degree),
            other => Err(format!(
                "unknown ranking \"{other}\" (expected mentions or degree)"
            )),
        }
    }
}

/// Which part of the graph to keep. The default keeps everything.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selection {
    /// Keep only the entities within `depth` edges of this one (edges taken either way).
    pub focus: Option<EntityId>,
    pub depth: usize,
    /// Keep only entities of these types (empty: every type). A focused entity is always kept.
    pub types: Vec<EntityType>,
    /// Leave out edges seen fewer times than this.
    pub min_weight: u64,
    /// Keep only the N entities ranked highest by `rank` (ties go to the smaller id). A focused
    /// entity is always kept.
    pub top: Option<usize>,
    pub rank: Rank,
}

impl Selection {
    /// Whether the selection keeps the whole graph.
    pub fn keeps_everything(&self) -> bool {
        self.focus.is_none() && self.types.is_empty() && self.min_weight <= 1 && self.top.is_none()
    }
}

/// Finds the entity `query` names among the graph's nodes: its id, else its canonical name or
/// one of its aliases in the gazetteer (compared as the matcher compares them: case, accents
/// and quotes folded). Names that fit no entity, or several, or an entity that the articles
/// never mention, are errors that say what would have worked.
pub fn find_entity(graph: &EntityGraph, gazetteer: &Gazetteer, query: &str) -> Result<EntityId> {
    let in_graph = |id: &EntityId| graph.graph.node_weights().any(|n| &n.id == id);
    let error = |message: String| Error::UnknownFocus {
        query: query.to_string(),
        message,
    };
    let query_text = query.trim();
    let entity = match gazetteer.find(query_text) {
        Some(index) => Some(gazetteer.entity(index)),
        None => {
            let key = alias_key(query_text);
            let named: Vec<_> = gazetteer
                .entities()
                .iter()
                .filter(|e| {
                    !key.is_empty()
                        && std::iter::once(&e.name)
                            .chain(&e.aliases)
                            .any(|alias| alias_key(alias) == key)
                })
                .collect();
            match named.as_slice() {
                [] => None,
                [one] => Some(*one),
                several => {
                    let ids: Vec<&str> = several.iter().map(|e| e.id.as_str()).collect();
                    return Err(error(format!(
                        "it names {} entities ({}); give one of those ids",
                        ids.len(),
                        ids.join(", ")
                    )));
                }
            }
        }
    };
    match entity {
        Some(entity) if in_graph(&entity.id) => Ok(entity.id.clone()),
        Some(entity) => Err(error(format!(
            "{} ({}) is in the gazetteer, but the articles never mention it",
            entity.id, entity.name
        ))),
        None => {
            let suggestions = nearest_nodes(graph, gazetteer, query_text);
            let hint = if suggestions.is_empty() {
                "give an entity id or name from the graph (`namegraph stats` lists them)"
                    .to_string()
            } else {
                format!("did you mean {}?", suggestions.join(" or "))
            };
            Err(error(format!(
                "it is neither an entity id nor a name in the gazetteer; {hint}"
            )))
        }
    }
}

/// Up to three node ids whose id, name or an alias is close to `query`.
fn nearest_nodes(graph: &EntityGraph, gazetteer: &Gazetteer, query: &str) -> Vec<String> {
    let key = alias_key(query);
    let mut scored: Vec<(f64, &str)> = graph
        .graph
        .node_weights()
        .map(|node| {
            let entity = gazetteer.entity(node.entity);
            let score = std::iter::once(node.id.as_str())
                .chain(std::iter::once(entity.name.as_str()))
                .chain(entity.aliases.iter().map(String::as_str))
                .map(|name| strsim::jaro_winkler(&key, &alias_key(name)))
                .fold(0.0, f64::max);
            (score, node.id.as_str())
        })
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(3)
        .map(|(_, id)| id.to_string())
        .collect()
}

impl EntityGraph {
    /// The part of the graph `selection` keeps. Filters apply in this order: types and
    /// minimum weight, then the focus's neighbourhood, then the top N.
    pub fn select(&self, selection: &Selection) -> EntityGraph {
        if selection.keeps_everything() {
            return self.clone();
        }
        let graph = &self.graph;
        let focus: Option<NodeIndex> = selection
            .focus
            .as_ref()
            .and_then(|id| graph.node_indices().find(|&n| &graph[n].id == id));
        let type_kept = |node: NodeIndex| {
            Some(node) == focus
                || selection.types.is_empty()
                || selection.types.contains(&graph[node].entity_type)
        };
        let mut kept: BTreeSet<NodeIndex> =
            graph.node_indices().filter(|&n| type_kept(n)).collect();
        // Edges in both directions: the selection walks the graph as undirected.
        let incident = |node: NodeIndex| {
            graph
                .edges_directed(node, petgraph::Direction::Outgoing)
                .chain(graph.edges_directed(node, petgraph::Direction::Incoming))
        };
        let edge_kept =
            |kept: &BTreeSet<NodeIndex>, edge: petgraph::graph::EdgeReference<'_, super::Edge>| {
                edge.weight().weight >= selection.min_weight
                    && kept.contains(&edge.source())
                    && kept.contains(&edge.target())
            };
        if let Some(focus) = focus {
            let mut reached = BTreeSet::from([focus]);
            let mut queue = VecDeque::from([(focus, 0usize)]);
            while let Some((node, distance)) = queue.pop_front() {
                if distance == selection.depth {
                    continue;
                }
                for edge in incident(node) {
                    if !edge_kept(&kept, edge) {
                        continue;
                    }
                    let other = if edge.source() == node {
                        edge.target()
                    } else {
                        edge.source()
                    };
                    if reached.insert(other) {
                        queue.push_back((other, distance + 1));
                    }
                }
            }
            kept = reached;
        }
        if let Some(top) = selection.top {
            let score = |node: NodeIndex| -> u64 {
                match selection.rank {
                    Rank::Mentions => graph[node].mentions,
                    Rank::Degree => incident(node)
                        .filter(|&edge| edge_kept(&kept, edge))
                        .map(|edge| edge.weight().weight)
                        .sum(),
                }
            };
            let mut ranked: Vec<(u64, &Node, NodeIndex)> =
                kept.iter().map(|&n| (score(n), &graph[n], n)).collect();
            ranked.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
            let mut chosen: BTreeSet<NodeIndex> =
                ranked.iter().take(top).map(|(_, _, n)| *n).collect();
            chosen.extend(focus);
            kept = chosen;
        }
        let selected = graph.filter_map(
            |node, data| kept.contains(&node).then(|| data.clone()),
            |edge, data| {
                let (source, target) = graph.edge_endpoints(edge)?;
                (data.weight >= selection.min_weight
                    && kept.contains(&source)
                    && kept.contains(&target))
                .then(|| data.clone())
            },
        );
        EntityGraph {
            graph: selected,
            window: self.window,
            documents: self.documents,
            mentions: self.mentions,
            unresolved: self.unresolved,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::gazetteer::Entity;
    use crate::graph::{GraphBuilder, GraphOptions};
    use crate::Tagger;

    fn gazetteer() -> Gazetteer {
        let mut builder = Gazetteer::builder();
        for (id, name, entity_type, aliases) in [
            (
                "vladimir-putin",
                "Vladimir Putin",
                EntityType::Person,
                vec!["Putin"],
            ),
            (
                "alexander-lukashenko",
                "Alexander Lukashenko",
                EntityType::Person,
                vec!["Lukashenko", "Lukashenka"],
            ),
            ("russia", "Russia", EntityType::State, vec![]),
            ("belarus", "Belarus", EntityType::State, vec![]),
            ("minsk", "Minsk", EntityType::Place, vec![]),
            ("nato", "NATO", EntityType::Organization, vec![]),
        ] {
            builder
                .add(Entity {
                    id: EntityId(id.into()),
                    name: name.into(),
                    entity_type,
                    aliases: aliases.into_iter().map(String::from).collect(),
                    ..Default::default()
                })
                .unwrap();
        }
        builder.build().unwrap()
    }

    /// Putin–Lukashenko ×3, Lukashenko–Belarus ×2, Belarus–Minsk ×1, Putin–Russia ×1; NATO alone.
    fn graph(gazetteer: &Gazetteer) -> EntityGraph {
        let tagger = Tagger::new(gazetteer.clone());
        let mut builder = GraphBuilder::new(gazetteer, None, GraphOptions::default());
        let text = "Putin met Lukashenko. Putin called Lukashenko. Putin and Lukashenko spoke. \
                    Lukashenko rules Belarus. Lukashenko left Belarus. Belarus is run from Minsk. \
                    Putin rules Russia. NATO watched.";
        builder.add(&tagger.tag(&Document::new("a", text)));
        builder.finish()
    }

    fn ids(graph: &EntityGraph) -> Vec<&str> {
        graph.nodes().iter().map(|n| n.id.as_str()).collect()
    }

    fn edges(graph: &EntityGraph) -> Vec<String> {
        graph
            .edges()
            .iter()
            .map(|(s, t, e)| format!("{}-{}:{}", s.id.as_str(), t.id.as_str(), e.weight))
            .collect()
    }

    #[test]
    fn focus_keeps_the_neighbourhood_to_the_depth_asked() {
        let gazetteer = gazetteer();
        let graph = graph(&gazetteer);
        let focus = |depth| Selection {
            focus: Some(EntityId("alexander-lukashenko".into())),
            depth,
            ..Default::default()
        };
        assert_eq!(ids(&graph.select(&focus(0))), ["alexander-lukashenko"]);
        assert_eq!(
            ids(&graph.select(&focus(1))),
            ["alexander-lukashenko", "belarus", "vladimir-putin"]
        );
        assert_eq!(
            ids(&graph.select(&focus(2))),
            [
                "alexander-lukashenko",
                "belarus",
                "minsk",
                "russia",
                "vladimir-putin"
            ]
        );
    }

    #[test]
    fn min_weight_cuts_edges_before_the_neighbourhood_is_walked() {
        let gazetteer = gazetteer();
        let graph = graph(&gazetteer);
        let selection = Selection {
            focus: Some(EntityId("vladimir-putin".into())),
            depth: 2,
            min_weight: 2,
            ..Default::default()
        };
        let selected = graph.select(&selection);
        assert_eq!(
            ids(&selected),
            ["alexander-lukashenko", "belarus", "vladimir-putin"]
        );
        assert_eq!(
            edges(&selected),
            [
                "alexander-lukashenko-belarus:2",
                "alexander-lukashenko-vladimir-putin:3"
            ]
        );
    }

    #[test]
    fn types_and_top_keep_the_highest_ranked_of_the_types_asked() {
        let gazetteer = gazetteer();
        let graph = graph(&gazetteer);
        let states = Selection {
            types: vec![EntityType::State, EntityType::Place],
            ..Default::default()
        };
        assert_eq!(ids(&graph.select(&states)), ["belarus", "minsk", "russia"]);
        assert_eq!(edges(&graph.select(&states)), ["belarus-minsk:1"]);
        let top_by_mentions = Selection {
            top: Some(2),
            ..Default::default()
        };
        // Lukashenko 5 mentions, Putin 4, Belarus 3.
        assert_eq!(
            ids(&graph.select(&top_by_mentions)),
            ["alexander-lukashenko", "vladimir-putin"]
        );
        let top_by_degree = Selection {
            top: Some(2),
            rank: Rank::Degree,
            ..Default::default()
        };
        // Lukashenko 5, Putin 4, Belarus 3: the same two, by another measure.
        assert_eq!(
            ids(&graph.select(&top_by_degree)),
            ["alexander-lukashenko", "vladimir-putin"]
        );
        let top_states_by_degree = Selection {
            top: Some(1),
            rank: Rank::Degree,
            types: vec![EntityType::State, EntityType::Place],
            ..Default::default()
        };
        // Among states and places, Belarus–Minsk is the only edge: Belarus wins over Minsk by id.
        assert_eq!(ids(&graph.select(&top_states_by_degree)), ["belarus"]);
    }

    #[test]
    fn the_focus_is_found_by_id_name_or_alias_and_bad_names_are_explained() {
        let gazetteer = gazetteer();
        let graph = graph(&gazetteer);
        for query in [
            "alexander-lukashenko",
            "Alexander Lukashenko",
            "lukashenka",
            "LUKASHENKO",
        ] {
            assert_eq!(
                find_entity(&graph, &gazetteer, query).unwrap().as_str(),
                "alexander-lukashenko",
                "{query}"
            );
        }
        let typo = find_entity(&graph, &gazetteer, "Lukashenkko")
            .unwrap_err()
            .to_string();
        assert!(typo.contains("did you mean alexander-lukashenko"), "{typo}");
        let nobody = find_entity(&graph, &gazetteer, "Zelensky")
            .unwrap_err()
            .to_string();
        assert!(
            nobody.contains("neither an entity id nor a name"),
            "{nobody}"
        );
    }

    #[test]
    fn an_entity_the_articles_never_mention_cannot_be_the_focus() {
        let gazetteer = gazetteer();
        let tagger = Tagger::new(gazetteer.clone());
        let mut builder = GraphBuilder::new(&gazetteer, None, GraphOptions::default());
        builder.add(&tagger.tag(&Document::new("a", "Putin met Lukashenko.")));
        let graph = builder.finish();
        let error = find_entity(&graph, &gazetteer, "nato")
            .unwrap_err()
            .to_string();
        assert!(error.contains("never mention"), "{error}");
    }
}
