//! Graphviz DOT, printed with graphviz-rust.
//!
//! Node shape and colour show the entity type, edge width the weight. Co-mention edges are grey
//! lines without arrowheads (`dir=none`); stated relations are labelled arrows coloured by
//! polarity (green cooperative, red hostile, blue neutral), dashed when negated, with heads at
//! both ends when symmetric. The graph's label is the legend. Labels are escaped
//! here (`"` and `\`), because graphviz-rust prints quoted ids verbatim.

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use super::common::{edge_label, hex, polarity_colour};
use crate::gazetteer::EntityType;
use crate::graph::{EdgeKind, EntityGraph};
use crate::wording::counted_s;

/// Escapes text for a quoted DOT string: backslashes, quotes, line breaks.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(ch),
        }
    }
    out
}

fn quoted(text: &str) -> Id {
    Id::Escaped(format!("\"{}\"", escape(text)))
}

fn plain(text: &str) -> Id {
    Id::Plain(text.to_string())
}

fn attr(key: &str, value: Id) -> Attribute {
    Attribute(plain(key), value)
}

/// Shape and fill colour of each entity type.
fn style(entity_type: EntityType) -> (&'static str, &'static str, &'static str) {
    match entity_type {
        EntityType::Person => ("ellipse", "#cfe2ff", "blue"),
        EntityType::State => ("box", "#d1e7dd", "green"),
        EntityType::Organization => ("hexagon", "#fff3cd", "yellow"),
        EntityType::Place => ("house", "#e2d9f3", "purple"),
    }
}

fn legend(graph: &EntityGraph) -> String {
    let types: Vec<String> = EntityType::ALL
        .iter()
        .map(|&t| {
            let (shape, _, colour) = style(t);
            format!("{t} = {colour} {shape}")
        })
        .collect();
    format!(
        "namegraph: {}, co-mention window: {}\nnodes: {}; label = name and number of mentions\nedges: grey line = co-mention, width = number of {}s shared;\nlabelled arrow = stated relation: green cooperative, red hostile, blue neutral, dashed = negated, ×N = stated N times",
        counted_s(graph.documents as u64, "document"),
        graph.window,
        types.join(", "),
        graph.window
    )
}

/// The graph as DOT text.
pub fn to_dot(graph: &EntityGraph) -> String {
    let mut stmts = vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("layout", plain("neato")),
            attr("overlap", plain("false")),
            attr("splines", plain("true")),
            attr("outputorder", plain("edgesfirst")),
            attr("fontname", quoted("Helvetica")),
            attr("fontsize", plain("11")),
            attr("labelloc", plain("b")),
            attr("labeljust", plain("l")),
            attr("label", quoted(&legend(graph))),
        ])),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontname", quoted("Helvetica")),
            attr("fontsize", plain("10")),
            attr("style", quoted("filled")),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![attr(
            "fontname",
            quoted("Helvetica"),
        )])),
    ];
    for node in graph.nodes() {
        let (shape, fill, _) = style(node.entity_type);
        let mut tooltip = format!(
            "{} ({}): {} in {}",
            node.label,
            node.entity_type,
            counted_s(node.mentions, "mention"),
            counted_s(node.documents, "document")
        );
        if let Some(description) = &node.description {
            tooltip.push_str(&format!("\n{description}"));
        }
        stmts.push(Stmt::Node(Node::new(
            NodeId(quoted(node.id.as_str()), None),
            vec![
                attr(
                    "label",
                    quoted(&format!("{}\n{}", node.label, node.mentions)),
                ),
                attr("shape", plain(shape)),
                attr("fillcolor", quoted(fill)),
                attr("tooltip", quoted(&tooltip)),
                attr("class", quoted(node.entity_type.as_str())),
            ],
        )));
    }
    let edges = graph.edges();
    let heaviest = edges
        .iter()
        .filter(|(_, _, e)| e.kind == EdgeKind::CoMention)
        .map(|(_, _, e)| e.weight)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    for (source, target, edge) in edges {
        let width = 1.0 + 5.0 * (edge.weight as f64 / heaviest);
        let attributes = match edge.kind {
            EdgeKind::CoMention => vec![
                attr("dir", plain("none")),
                attr("color", quoted("#6c757d99")),
                attr("penwidth", plain(&format!("{width:.2}"))),
                attr("weight", plain(&edge.weight.to_string())),
                attr(
                    "tooltip",
                    quoted(&format!(
                        "{} and {}: co-mentioned in {}, {}",
                        source.label,
                        target.label,
                        counted_s(edge.weight, graph.window.as_str()),
                        counted_s(edge.documents, "document")
                    )),
                ),
                attr("class", quoted(edge.kind.as_str())),
            ],
            EdgeKind::Relation => {
                let relation = edge
                    .relation
                    .as_ref()
                    .expect("relation edges carry a label");
                let colour = hex(polarity_colour(relation.polarity));
                let mut label = edge_label(edge);
                if edge.weight > 1 {
                    label.push_str(&format!(" ×{}", edge.weight));
                }
                let evidence = edge
                    .evidence
                    .first()
                    .map(|e| format!("\n“{}” ({})", e.text, e.document))
                    .unwrap_or_default();
                vec![
                    attr(
                        "dir",
                        plain(if relation.symmetric {
                            "both"
                        } else {
                            "forward"
                        }),
                    ),
                    attr("color", quoted(&colour)),
                    attr("fontcolor", quoted(&colour)),
                    attr("fontsize", plain("9")),
                    attr(
                        "style",
                        plain(if relation.negated { "dashed" } else { "solid" }),
                    ),
                    attr(
                        "penwidth",
                        plain(&format!("{:.2}", 1.2 + 0.4 * edge.weight.min(5) as f64)),
                    ),
                    attr("label", quoted(&label)),
                    attr(
                        "tooltip",
                        quoted(&format!(
                            "{} {} {}: stated {} in {}{evidence}",
                            source.label,
                            label,
                            target.label,
                            counted_s(edge.weight, "time"),
                            counted_s(edge.documents, "document")
                        )),
                    ),
                    attr("class", quoted(&format!("relation {}", relation.polarity))),
                ]
            }
        };
        stmts.push(Stmt::Edge(Edge {
            ty: EdgeTy::Pair(
                Vertex::N(NodeId(quoted(source.id.as_str()), None)),
                Vertex::N(NodeId(quoted(target.id.as_str()), None)),
            ),
            attributes,
        }));
    }
    let dot = Graph::DiGraph {
        id: plain("namegraph"),
        strict: false,
        stmts,
    };
    let mut context = PrinterContext::default();
    let mut text = dot.print(&mut context);
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_quotes_and_backslashes_inside_the_string() {
        assert_eq!(escape(r#"Alice "Al" C:\x"#), r#"Alice \"Al\" C:\\x"#);
        assert_eq!(escape("two\nlines"), "two\\nlines");
    }
}
