//! Facts about a built graph, for `namegraph stats`: the entities that matter most (by
//! mentions, by weighted degree, by PageRank), how the graph falls apart into connected
//! components, and its strongest edges.
//!
//! Everything here is computed in a fixed order (nodes sorted by id) so the same graph always
//! gives the same facts, to the last digit. This module only reads the graph.

use std::collections::BTreeMap;

use serde::Serialize;

use super::EntityGraph;

/// One entity and its score on some measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedEntity {
    pub id: String,
    pub label: String,
    pub entity_type: &'static str,
    pub score: f64,
}

/// A set of entities connected to each other (edges taken either way).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    pub size: usize,
    /// Its entities, the most mentioned first.
    pub members: Vec<String>,
}

/// One edge, for the list of the strongest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EdgeFact {
    pub source: String,
    pub target: String,
    /// "co-mention", or the relation ("supports", "not-supports").
    pub key: String,
    pub directed: bool,
    pub weight: u64,
    pub documents: u64,
}

/// What `namegraph stats` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphFacts {
    pub documents: usize,
    pub nodes: usize,
    pub edges: usize,
    pub by_mentions: Vec<RankedEntity>,
    pub by_weighted_degree: Vec<RankedEntity>,
    pub by_pagerank: Vec<RankedEntity>,
    pub components: Vec<Component>,
    pub strongest_edges: Vec<EdgeFact>,
}

/// PageRank's damping factor, the usual one.
const DAMPING: f64 = 0.85;

impl EntityGraph {
    /// The graph's facts, each list cut to its `top` entries (components are all listed).
    pub fn facts(&self, top: usize) -> GraphFacts {
        let nodes = self.nodes();
        let position: BTreeMap<&str, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect();
        let edges = self.edges();
        let ends: Vec<(usize, usize, u64, bool)> = edges
            .iter()
            .map(|(s, t, e)| {
                (
                    position[s.id.as_str()],
                    position[t.id.as_str()],
                    e.weight,
                    e.directed(),
                )
            })
            .collect();

        let ranked = |scores: &[f64]| -> Vec<RankedEntity> {
            let mut order: Vec<usize> = (0..nodes.len()).collect();
            // Stable sort: equal scores keep id order.
            order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
            order
                .into_iter()
                .take(top)
                .map(|i| RankedEntity {
                    id: nodes[i].id.as_str().to_string(),
                    label: nodes[i].label.clone(),
                    entity_type: nodes[i].entity_type.as_str(),
                    score: scores[i],
                })
                .collect()
        };

        let mentions: Vec<f64> = nodes.iter().map(|n| n.mentions as f64).collect();
        let mut degree = vec![0.0; nodes.len()];
        for &(s, t, w, _) in &ends {
            degree[s] += w as f64;
            degree[t] += w as f64;
        }
        let pagerank: Vec<f64> = page_rank(nodes.len(), &ends)
            .into_iter()
            .map(|p| (p * 1e6).round() / 1e6)
            .collect();

        let mut strongest: Vec<EdgeFact> = edges
            .iter()
            .map(|(s, t, e)| EdgeFact {
                source: s.id.as_str().to_string(),
                target: t.id.as_str().to_string(),
                key: e.key(),
                directed: e.directed(),
                weight: e.weight,
                documents: e.documents,
            })
            .collect();
        strongest.sort_by_key(|e| std::cmp::Reverse(e.weight));
        strongest.truncate(top);

        GraphFacts {
            documents: self.documents,
            nodes: nodes.len(),
            edges: edges.len(),
            by_mentions: ranked(&mentions),
            by_weighted_degree: ranked(&degree),
            by_pagerank: ranked(&pagerank),
            components: components(nodes.len(), &ends)
                .into_iter()
                .map(|mut members| {
                    members.sort_by(|&a, &b| {
                        nodes[b].mentions.cmp(&nodes[a].mentions).then(a.cmp(&b))
                    });
                    Component {
                        size: members.len(),
                        members: members
                            .into_iter()
                            .map(|i| nodes[i].id.as_str().to_string())
                            .collect(),
                    }
                })
                .collect(),
            strongest_edges: strongest,
        }
    }
}

/// Weighted PageRank over `n` nodes. An undirected edge (co-mention, symmetric relation) passes
/// rank both ways; a directed one from subject to object. A node without outgoing weight
/// spreads its rank over every node.
fn page_rank(n: usize, edges: &[(usize, usize, u64, bool)]) -> Vec<f64> {
    if n == 0 {
        return Vec::new();
    }
    let mut links: Vec<(usize, usize, f64)> = Vec::new();
    for &(s, t, w, directed) in edges {
        links.push((s, t, w as f64));
        if !directed {
            links.push((t, s, w as f64));
        }
    }
    let mut out_weight = vec![0.0; n];
    for &(s, _, w) in &links {
        out_weight[s] += w;
    }
    let uniform = 1.0 / n as f64;
    let mut rank = vec![uniform; n];
    for _ in 0..200 {
        let dangling: f64 = (0..n)
            .filter(|&i| out_weight[i] == 0.0)
            .map(|i| rank[i])
            .sum();
        let base = (1.0 - DAMPING) * uniform + DAMPING * dangling * uniform;
        let mut next = vec![base; n];
        for &(s, t, w) in &links {
            next[t] += DAMPING * rank[s] * w / out_weight[s];
        }
        let change: f64 = next.iter().zip(&rank).map(|(a, b)| (a - b).abs()).sum();
        rank = next;
        if change < 1e-12 {
            break;
        }
    }
    rank
}

/// Connected components (edges taken either way), the largest first; ties by smallest member.
fn components(n: usize, edges: &[(usize, usize, u64, bool)]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for &(s, t, _, _) in edges {
        let (a, b) = (root(&mut parent, s), root(&mut parent, t));
        if a != b {
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = groups.into_values().collect();
    groups.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_rank_sums_to_one_and_favours_the_endorsed() {
        // 0 -> 2, 1 -> 2 directed; 2 -- 3 undirected.
        let edges = [(0, 2, 1, true), (1, 2, 1, true), (2, 3, 1, false)];
        let rank = page_rank(4, &edges);
        assert!((rank.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(rank[2] > rank[3] && rank[3] > rank[0]);
        assert_eq!(rank[0], rank[1]);
    }

    #[test]
    fn page_rank_of_a_symmetric_pair_is_even() {
        let rank = page_rank(2, &[(0, 1, 5, false)]);
        assert!((rank[0] - 0.5).abs() < 1e-9 && (rank[1] - 0.5).abs() < 1e-9);
    }

    #[test]
    fn components_are_listed_largest_first() {
        let groups = components(6, &[(0, 1, 1, false), (4, 3, 1, true), (3, 5, 2, false)]);
        assert_eq!(groups, vec![vec![3, 4, 5], vec![0, 1], vec![2]]);
    }
}
