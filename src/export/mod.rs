//! Writing the graph out: one file per format, all written atomically.
//!
//! Every output is rendered in memory first; only when all of them succeeded are they written,
//! each to a temporary file in the output folder and then renamed over the old one. An error
//! therefore never leaves a half-written or half-updated output folder.

mod common;
mod cytoscape;
mod dot;
mod gexf;
mod graphml;
mod html;
mod json;
mod neo4j;
mod render;

pub use cytoscape::to_cytoscape;
pub use dot::{escape as escape_dot, to_dot};
pub use gexf::to_gexf;
pub use graphml::to_graphml;
pub use html::{to_html, CYTOSCAPE_VERSION};
pub use json::{to_json, Provenance};
pub use neo4j::{
    to_neo4j, NODES_FILE as NEO4J_NODES_FILE, RELATIONSHIPS_FILE as NEO4J_RELATIONSHIPS_FILE,
};
pub use render::{graphviz_available, render, Rendered};

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::graph::EntityGraph;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// Node-link JSON (D3, NetworkX).
    Json,
    /// Graphviz DOT.
    Dot,
    /// GEXF 1.3 (Gephi).
    Gexf,
    /// GraphML (yEd, igraph, NetworkX).
    Graphml,
    /// Cytoscape.js elements JSON (cytoscape.js, Cytoscape desktop).
    Cytoscape,
    /// Two CSV files for `neo4j-admin database import`.
    Neo4j,
    /// A self-contained interactive page.
    Html,
    /// Drawn by Graphviz.
    Svg,
    Png,
}

impl Format {
    /// Every format, in the order they are written.
    pub const ALL: [Format; 9] = [
        Format::Json,
        Format::Dot,
        Format::Gexf,
        Format::Graphml,
        Format::Cytoscape,
        Format::Neo4j,
        Format::Html,
        Format::Svg,
        Format::Png,
    ];

    /// The files the format writes.
    pub fn file_names(self) -> &'static [&'static str] {
        match self {
            Format::Json => &["graph.json"],
            Format::Dot => &["graph.dot"],
            Format::Gexf => &["graph.gexf"],
            Format::Graphml => &["graph.graphml"],
            Format::Cytoscape => &["graph.cyjs"],
            Format::Neo4j => &[NEO4J_NODES_FILE, NEO4J_RELATIONSHIPS_FILE],
            Format::Html => &["graph.html"],
            Format::Svg => &["graph.svg"],
            Format::Png => &["graph.png"],
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Dot => "dot",
            Format::Gexf => "gexf",
            Format::Graphml => "graphml",
            Format::Cytoscape => "cytoscape",
            Format::Neo4j => "neo4j",
            Format::Html => "html",
            Format::Svg => "svg",
            Format::Png => "png",
        }
    }

    /// Whether the format needs the Graphviz `dot` program.
    pub fn needs_graphviz(self) -> bool {
        matches!(self, Format::Svg | Format::Png)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        let name = s.trim().to_ascii_lowercase();
        let name = match name.as_str() {
            "cyjs" => "cytoscape",
            "csv" => "neo4j",
            other => other,
        };
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
                format!(
                    "unknown format \"{}\" (expected one of: {})",
                    s.trim(),
                    names.join(", ")
                )
            })
    }
}

/// One rendered output file.
pub struct OutputFile {
    pub name: &'static str,
    pub bytes: Vec<u8>,
    /// Anything the renderer warned about.
    pub warnings: String,
}

/// Renders the graph in every format asked for, in memory.
pub fn render_all(
    graph: &EntityGraph,
    provenance: &Provenance<'_>,
    formats: &[Format],
) -> Result<Vec<OutputFile>> {
    let mut files = Vec::new();
    let mut dot_text: Option<String> = None;
    let mut add = |name: &'static str, text: String| {
        files.push(OutputFile {
            name,
            bytes: text.into_bytes(),
            warnings: String::new(),
        })
    };
    let mut rendered = Vec::new();
    for &format in formats {
        let name = format.file_names()[0];
        match format {
            Format::Json => add(name, to_json(graph, provenance)),
            Format::Dot => add(name, dot_text.get_or_insert_with(|| to_dot(graph)).clone()),
            Format::Gexf => add(name, to_gexf(graph)),
            Format::Graphml => add(name, to_graphml(graph)),
            Format::Cytoscape => add(name, to_cytoscape(graph)),
            Format::Neo4j => {
                let (nodes, relationships) = to_neo4j(graph);
                add(NEO4J_NODES_FILE, nodes);
                add(NEO4J_RELATIONSHIPS_FILE, relationships);
            }
            Format::Html => add(name, to_html(graph)),
            Format::Svg | Format::Png => {
                let text = dot_text.get_or_insert_with(|| to_dot(graph));
                let output = render(text, format.as_str())?;
                rendered.push(OutputFile {
                    name,
                    bytes: output.bytes,
                    warnings: output.warnings,
                });
            }
        }
    }
    files.extend(rendered);
    Ok(files)
}

/// Writes every file into `folder` (created if missing): all to temporary files first, then
/// renamed into place. Returns the paths written.
pub fn write_atomically(folder: &Path, files: &[OutputFile]) -> Result<Vec<PathBuf>> {
    fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let cleanup = |staged: &[(PathBuf, PathBuf)]| {
        for (temporary, _) in staged {
            let _ = fs::remove_file(temporary);
        }
    };
    for file in files {
        let target = folder.join(file.name);
        let temporary = folder.join(format!(".{}.{}.tmp", file.name, std::process::id()));
        let written = fs::File::create(&temporary).and_then(|mut handle| {
            use std::io::Write;
            handle.write_all(&file.bytes)?;
            handle.sync_all()
        });
        staged.push((temporary.clone(), target));
        if let Err(e) = written {
            cleanup(&staged);
            return Err(Error::io(&temporary, e));
        }
    }
    let mut written = Vec::new();
    for (index, (temporary, target)) in staged.iter().enumerate() {
        if let Err(e) = fs::rename(temporary, target) {
            cleanup(&staged[index..]);
            return Err(Error::io(target, e));
        }
        written.push(target.clone());
    }
    Ok(written)
}
