//! Writing results out: the graph in one file per format, all written atomically; and the
//! mention lines of `tag` ([`write_mention_lines`]).
//!
//! Every output is written to a temporary file in the output folder first (the large ones
//! streamed straight into it); only when all of them succeeded are they renamed over the old
//! ones. An error removes the temporary files, so it never leaves a half-written or
//! half-updated output folder.

mod common;
mod cytoscape;
mod dot;
mod gexf;
mod graphml;
mod html;
mod json;
mod mentions;
mod neo4j;
mod render;

pub use cytoscape::to_cytoscape;
pub use dot::{escape as escape_dot, to_dot};
pub use gexf::to_gexf;
pub use graphml::to_graphml;
pub use html::{to_html, CYTOSCAPE_VERSION};
pub use json::{to_json, write_json, Provenance};
pub use mentions::write_mention_lines;
pub use neo4j::{
    to_neo4j, NODES_FILE as NEO4J_NODES_FILE, RELATIONSHIPS_FILE as NEO4J_RELATIONSHIPS_FILE,
};
pub use render::{graphviz_available, render, Rendered};

use std::fmt;
use std::fs;
use std::io::{self, BufWriter, Write};
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

/// One output file rendered in memory.
pub struct OutputFile {
    pub name: &'static str,
    pub bytes: Vec<u8>,
}

/// The files [`write_formats`] wrote, and what Graphviz warned about while rendering them.
pub struct Written {
    pub paths: Vec<PathBuf>,
    /// (file name, warning text), for the files rendered with warnings.
    pub warnings: Vec<(&'static str, String)>,
}

/// Renders the graph in every format asked for and writes the files into `folder` (created if
/// missing), atomically: nothing is replaced unless every format was rendered and written.
pub fn write_formats(
    folder: &Path,
    graph: &EntityGraph,
    provenance: &Provenance<'_>,
    formats: &[Format],
) -> Result<Written> {
    let mut staging = Staging::new(folder)?;
    let mut warnings = Vec::new();
    let mut dot_text: Option<String> = None;
    for &format in formats {
        let name = format.file_names()[0];
        match format {
            Format::Json => staging.write(name, |out| write_json(graph, provenance, out))?,
            Format::Dot => {
                let text = dot_text.get_or_insert_with(|| to_dot(graph));
                staging.write(name, |out| out.write_all(text.as_bytes()))?
            }
            Format::Gexf => staging.write_bytes(name, to_gexf(graph).as_bytes())?,
            Format::Graphml => staging.write_bytes(name, to_graphml(graph).as_bytes())?,
            Format::Cytoscape => staging.write_bytes(name, to_cytoscape(graph).as_bytes())?,
            Format::Neo4j => {
                let (nodes, relationships) = to_neo4j(graph);
                staging.write_bytes(NEO4J_NODES_FILE, nodes.as_bytes())?;
                staging.write_bytes(NEO4J_RELATIONSHIPS_FILE, relationships.as_bytes())?;
            }
            Format::Html => staging.write_bytes(name, to_html(graph).as_bytes())?,
            Format::Svg | Format::Png => {
                let text = dot_text.get_or_insert_with(|| to_dot(graph));
                let output = render(text, format.as_str())?;
                staging.write_bytes(name, &output.bytes)?;
                if !output.warnings.is_empty() {
                    warnings.push((name, output.warnings));
                }
            }
        }
    }
    Ok(Written {
        paths: staging.commit()?,
        warnings,
    })
}

/// Writes every file into `folder` (created if missing): all to temporary files first, then
/// renamed into place. Returns the paths written.
pub fn write_atomically(folder: &Path, files: &[OutputFile]) -> Result<Vec<PathBuf>> {
    let mut staging = Staging::new(folder)?;
    for file in files {
        staging.write_bytes(file.name, &file.bytes)?;
    }
    staging.commit()
}

/// Files staged in an output folder: each written (and synced) to a temporary file beside its
/// target, then renamed into place by [`Staging::commit`]. Temporary files left when it is
/// dropped (after an error) are removed.
struct Staging {
    folder: PathBuf,
    /// (temporary file, target), in the order they were written.
    staged: Vec<(PathBuf, PathBuf)>,
}

impl Staging {
    fn new(folder: &Path) -> Result<Self> {
        fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
        Ok(Staging {
            folder: folder.to_path_buf(),
            staged: Vec::new(),
        })
    }

    /// Writes the file `name` through `write` (buffered) into its temporary file.
    fn write(
        &mut self,
        name: &str,
        write: impl FnOnce(&mut BufWriter<WrittenBack>) -> io::Result<()>,
    ) -> Result<()> {
        let target = self.folder.join(name);
        let temporary = self
            .folder
            .join(format!(".{}.{}.tmp", name, std::process::id()));
        self.staged.push((temporary.clone(), target));
        let written = fs::File::create(&temporary).and_then(|file| {
            let file = WrittenBack {
                file,
                not_started: 0,
            };
            let mut out = BufWriter::with_capacity(1 << 20, file);
            write(&mut out)?;
            out.into_inner()
                .map_err(|e| e.into_error())?
                .file
                .sync_all()
        });
        written.map_err(|e| Error::io(&temporary, e))
    }

    fn write_bytes(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        self.write(name, |out| out.write_all(bytes))
    }

    /// Renames every temporary file over its target. Returns the targets.
    fn commit(mut self) -> Result<Vec<PathBuf>> {
        let staged = std::mem::take(&mut self.staged);
        let mut written = Vec::new();
        for (index, (temporary, target)) in staged.iter().enumerate() {
            if let Err(e) = fs::rename(temporary, target) {
                self.staged = staged[index..].to_vec();
                return Err(Error::io(target, e));
            }
            written.push(target.clone());
        }
        Ok(written)
    }
}

/// A file being written that the kernel starts writing to disk every few megabytes (Linux),
/// so that the sync before the rename has little left to wait for: a graph.json can be larger
/// than the corpus.
struct WrittenBack {
    file: fs::File,
    /// Bytes written since the kernel last started writing the file back.
    not_started: usize,
}

impl WrittenBack {
    /// Written back from this many bytes on.
    const EVERY: usize = 8 << 20;
}

impl Write for WrittenBack {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let written = self.file.write(bytes)?;
        self.not_started += written;
        if self.not_started >= Self::EVERY {
            self.not_started = 0;
            #[cfg(target_os = "linux")]
            {
                use std::os::fd::AsRawFd;
                // SAFETY: the call reads no memory of ours; it asks the kernel to start writing
                // the file's dirty pages (offset 0, length 0: all of them), without waiting.
                // Only a hint: its failure changes nothing, the sync still comes.
                unsafe {
                    libc::sync_file_range(self.file.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE);
                }
            }
        }
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        for (temporary, _) in &self.staged {
            let _ = fs::remove_file(temporary);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_written_back_as_it_grows_holds_every_byte_written() {
        let dir = tempfile::tempdir().unwrap();
        let mut staging = Staging::new(dir.path()).unwrap();
        // Three times the write-back step, in pieces that do not divide it.
        let piece: Vec<u8> = (0..=250u8).collect();
        let pieces = 3 * WrittenBack::EVERY / piece.len() + 1;
        staging
            .write("big.bin", |out| {
                (0..pieces).try_for_each(|_| out.write_all(&piece))
            })
            .unwrap();
        staging.commit().unwrap();
        let written = fs::read(dir.path().join("big.bin")).unwrap();
        assert_eq!(written.len(), pieces * piece.len());
        assert!(written.chunks(piece.len()).all(|chunk| chunk == piece));
    }

    fn listing(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_failed_write_replaces_nothing_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path();
        fs::write(folder.join("graph.json"), "previous").unwrap();
        let mut staging = Staging::new(folder).unwrap();
        staging.write_bytes("graph.json", b"new").unwrap();
        let failed = staging.write("graph.dot", |out| {
            out.write_all(b"half")?;
            Err(io::Error::other("renderer failed"))
        });
        let message = failed.unwrap_err().to_string();
        assert!(message.contains(".graph.dot."), "{message}");
        drop(staging);
        assert_eq!(listing(folder), ["graph.json"]);
        assert_eq!(
            fs::read_to_string(folder.join("graph.json")).unwrap(),
            "previous"
        );
    }

    #[test]
    fn a_commit_replaces_every_file() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("new");
        let mut staging = Staging::new(&folder).unwrap();
        staging.write_bytes("a.txt", b"one").unwrap();
        staging.write("b.txt", |out| out.write_all(b"two")).unwrap();
        let written = staging.commit().unwrap();
        assert_eq!(written, [folder.join("a.txt"), folder.join("b.txt")]);
        assert_eq!(listing(&folder), ["a.txt", "b.txt"]);
        assert_eq!(fs::read_to_string(folder.join("b.txt")).unwrap(), "two");
    }
}
