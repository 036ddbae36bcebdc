//! The library's error type. Every variant names the input it is about (file and line where the
//! problem is in a file), so the CLI can print it as it is. This module owns no I/O.

use std::fmt;
use std::path::PathBuf;

/// Where something is in a file: a path and a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub line: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.path.display(), self.line)
    }
}

/// One alias claimed by two entities that did not both mark it ambiguous.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasConflict {
    pub alias: String,
    pub first_id: String,
    pub first: Location,
    pub second_id: String,
    pub second: Location,
}

impl fmt::Display for AliasConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "alias \"{}\" is claimed by `{}` ({}) and by `{}` ({}); if both are meant, list it under `ambiguous = [...]` in both entities",
            self.alias, self.first_id, self.first, self.second_id, self.second
        )
    }
}

/// Everything that can go wrong in namegraph's library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: no such file or folder", path.display())]
    MissingPath { path: PathBuf },
    #[error("{}: no documents found (namegraph reads .txt and .jsonl files)", path.display())]
    NoDocuments { path: PathBuf },
    #[error("{}: {problem} (convert it to UTF-8, e.g. `iconv -f UTF-16 -t UTF-8`)", path.display())]
    Utf16 {
        path: PathBuf,
        problem: &'static str,
    },
    #[error("{}:{line}:{column}: not valid UTF-8 text (namegraph reads UTF-8, and UTF-16 text with a byte order mark; convert the file, e.g. with iconv)", path.display())]
    NotUtf8 {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    /// A malformed input file: a gazetteer, a JSON Lines corpus, a metadata file.
    #[error("{location}: {message}")]
    Malformed { location: Location, message: String },
    #[error("document id `{id}` is used twice: in {first} and in {second} ({hint})")]
    DuplicateDocument {
        id: String,
        first: String,
        second: String,
        /// How to tell the two apart, for the kinds of source they came from.
        hint: &'static str,
    },
    #[error("entity id `{id}` is defined twice: at {first} and at {second}")]
    DuplicateEntity {
        id: String,
        first: Location,
        second: Location,
    },
    #[error("{0}")]
    AliasConflict(Box<AliasConflict>),
    #[error("{}: no gazetteer files found (namegraph reads .toml and .jsonl entity files)", path.display())]
    NoGazetteer { path: PathBuf },
    /// The entity a selection is focused on could not be found in the graph.
    #[error("no entity \"{query}\" to focus on: {message}")]
    UnknownFocus { query: String, message: String },
    #[error("Graphviz `dot` is needed to render {format} but was not found on PATH; install Graphviz (Debian/Ubuntu: `apt-get install graphviz`, macOS: `brew install graphviz`) or ask for --format json,dot")]
    GraphvizMissing { format: String },
    #[error("Graphviz `dot` failed to render {format}: {message}")]
    Graphviz { format: String, message: String },
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn malformed(
        path: impl Into<PathBuf>,
        line: usize,
        message: impl Into<String>,
    ) -> Self {
        Error::Malformed {
            location: Location {
                path: path.into(),
                line,
            },
            message: message.into(),
        }
    }
}

/// The message of a serde_json error in a whole JSON file, for a [`Location`] that already gives
/// the line: serde_json's "at line 3 column 35" becomes "(column 35)".
pub(crate) fn json_file_message(error: &serde_json::Error) -> String {
    match without_position(error) {
        Some(message) => format!("{message} (column {})", error.column()),
        None => error.to_string(),
    }
}

/// A serde_json error's message without its " at line L column C" (None when it has none).
fn without_position(error: &serde_json::Error) -> Option<String> {
    let text = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    text.strip_suffix(&position).map(str::to_string)
}

/// The message of a serde_json error on one line of a JSON Lines file, its position given as a
/// column of that line: serde_json counts lines within the record it was given, so its own
/// "at line 1 column 35" would contradict the file's line number written before it.
pub(crate) fn json_line_message(error: &serde_json::Error) -> String {
    match without_position(error) {
        Some(_) if error.line() == 1 => json_file_message(error),
        // Past the line's own end: a reader that hands on the line with its line break.
        Some(message) => format!("{message} (at the end of the line)"),
        None => error.to_string(),
    }
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub(crate) fn line_column(text: &[u8], offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_line_errors_give_their_column_not_a_line_of_their_own() {
        let error = serde_json::from_str::<serde_json::Value>("{\"id\": }").unwrap_err();
        let message = json_line_message(&error);
        assert!(message.ends_with("(column 8)"), "{message}");
        assert!(!message.contains("line"), "{message}");
        // A string left open to the line break that ends the record.
        let error = serde_json::from_str::<serde_json::Value>("{\"id\": \"a\n").unwrap_err();
        let message = json_line_message(&error);
        assert!(message.ends_with("(at the end of the line)"), "{message}");
    }
}
