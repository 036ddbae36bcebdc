//! Writing the graph out: one file per format, all written atomically.
//!
//! Every output is rendered in memory first; only when all of them succeeded are they written,
//! each to a temporary file in the output folder and then renamed over the old one. An error
//! therefore never leaves a half-written or half-updated output folder.

mod dot;
mod json;
mod render;

pub use dot::{escape as escape_dot, to_dot};
pub use json::to_json;
pub use render::{graphviz_available, render, Rendered};

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::gazetteer::Gazetteer;
use crate::graph::EntityGraph;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Json,
    Dot,
    Svg,
    Png,
}

impl Format {
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Json => "graph.json",
            Format::Dot => "graph.dot",
            Format::Svg => "graph.svg",
            Format::Png => "graph.png",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Dot => "dot",
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
        match s.trim().to_ascii_lowercase().as_str() {
            "json" => Ok(Format::Json),
            "dot" => Ok(Format::Dot),
            "svg" => Ok(Format::Svg),
            "png" => Ok(Format::Png),
            other => Err(format!(
                "unknown format \"{other}\" (expected json, dot, svg or png)"
            )),
        }
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
    gazetteer: &Gazetteer,
    formats: &[Format],
) -> Result<Vec<OutputFile>> {
    let mut files = Vec::new();
    let mut dot_text: Option<String> = None;
    for &format in formats {
        let (bytes, warnings) = match format {
            Format::Json => (to_json(graph, gazetteer).into_bytes(), String::new()),
            Format::Dot => (
                dot_text
                    .get_or_insert_with(|| to_dot(graph))
                    .clone()
                    .into_bytes(),
                String::new(),
            ),
            Format::Svg | Format::Png => {
                let text = dot_text.get_or_insert_with(|| to_dot(graph));
                let rendered = render(text, format.as_str())?;
                (rendered.bytes, rendered.warnings)
            }
        };
        files.push(OutputFile {
            name: format.file_name(),
            bytes,
            warnings,
        });
    }
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
