//! CSV for Neo4j's bulk importer (`neo4j-admin database import full`), a node file and a
//! relationship file with its header conventions:
//!
//! ```text
//! neo4j-admin database import full --nodes=output/neo4j-nodes.csv \
//!     --relationships=output/neo4j-relationships.csv neo4j
//! ```
//!
//! Nodes: `entityId:ID`, `name`, `:LABEL` (`Entity` plus the type: `Entity;Person`), counts as
//! `:int`, dates as `:date`, `aliases:string[]` (split on `;`, the importer's default array
//! delimiter; a `;` inside a name becomes `,`). Relationships: `:START_ID`, `:END_ID`, `:TYPE`
//! (`CO_MENTIONED_WITH`, or the relation in capitals: `SUPPORTS`, `NOT_SUPPORTS` when negated),
//! properties for kind, polarity, negation, direction, weight, dates, and the evidence as one
//! string, sentences separated by " | " (a sentence can hold a `;`, so it is not an array).
//! Neo4j stores every relationship with a direction: co-mentions and symmetric relations run
//! from the smaller id and have `directed` false.

use std::fmt::Write;

use super::common::{aliases, csv_field, evidence_lines};
use crate::gazetteer::EntityType;
use crate::graph::EntityGraph;

pub const NODES_FILE: &str = "neo4j-nodes.csv";
pub const RELATIONSHIPS_FILE: &str = "neo4j-relationships.csv";

fn label(entity_type: EntityType) -> &'static str {
    match entity_type {
        EntityType::Person => "Person",
        EntityType::State => "State",
        EntityType::Organization => "Organization",
        EntityType::Place => "Place",
    }
}

/// `supports` → `SUPPORTS`, `meets with` → `MEETS_WITH`.
fn relationship_type(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

fn row(out: &mut String, fields: &[String]) {
    let cells: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    let _ = writeln!(out, "{}", cells.join(","));
}

/// The node file and the relationship file.
pub fn to_neo4j(graph: &EntityGraph) -> (String, String) {
    let mut nodes = String::new();
    nodes.push_str("entityId:ID,name,:LABEL,entity_type,mentions:int,documents:int,wikidata,description,aliases:string[],first_date:date,last_date:date\n");
    for node in graph.nodes() {
        let (first, last) = node.dates.clone().unwrap_or_default();
        let names: Vec<String> = aliases(node).iter().map(|a| a.replace(';', ",")).collect();
        row(
            &mut nodes,
            &[
                node.id.as_str().to_string(),
                node.label.clone(),
                format!("Entity;{}", label(node.entity_type)),
                node.entity_type.as_str().to_string(),
                node.mentions.to_string(),
                node.documents.to_string(),
                node.wikidata.clone().unwrap_or_default(),
                node.description.clone().unwrap_or_default(),
                names.join(";"),
                first,
                last,
            ],
        );
    }
    let mut relationships = String::new();
    relationships.push_str(":START_ID,:END_ID,:TYPE,kind,relation,polarity,negated:boolean,directed:boolean,weight:int,documents:int,first_date:date,last_date:date,evidence\n");
    for (source, target, edge) in graph.edges() {
        let relation = edge.relation.as_ref();
        let kind = match relation {
            None => "CO_MENTIONED_WITH".to_string(),
            Some(r) if r.negated => format!("NOT_{}", relationship_type(&r.name)),
            Some(r) => relationship_type(&r.name),
        };
        let (first, last) = edge.dates.as_deref().cloned().unwrap_or_default();
        let evidence = evidence_lines(edge);
        row(
            &mut relationships,
            &[
                source.id.as_str().to_string(),
                target.id.as_str().to_string(),
                kind,
                edge.kind.as_str().to_string(),
                relation.map(|r| r.name.clone()).unwrap_or_default(),
                relation
                    .map(|r| r.polarity.as_str().to_string())
                    .unwrap_or_default(),
                relation.is_some_and(|r| r.negated).to_string(),
                edge.directed().to_string(),
                edge.weight.to_string(),
                edge.documents.to_string(),
                first,
                last,
                evidence.join(" | "),
            ],
        );
    }
    (nodes, relationships)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relation_names_become_relationship_types() {
        assert_eq!(relationship_type("supports"), "SUPPORTS");
        assert_eq!(relationship_type("meets-with"), "MEETS_WITH");
    }
}
