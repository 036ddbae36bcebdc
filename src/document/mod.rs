//! Reading articles: plain-text files, folders of them, JSON Lines corpora and standard input.
//!
//! This module owns what a document *is* (an id, its original text, an optional date and title)
//! and how ids and dates are found. It does not look inside the text: segmentation, matching and
//! everything after work on the [`Document`] it hands out, and every offset they produce points
//! into [`Document::text`] exactly as it was read.
//!
//! Inputs:
//! - a `.txt` file (any other named file too): one document, its id the path as given;
//! - a folder: every `.txt` and `.jsonl` file below it, in sorted order, ids relative to the
//!   folder; a `metadata.toml` in a folder gives titles and dates of the files beside it;
//! - a `.jsonl` file: one `{"id": "...", "text": "...", "date": "..."}` object per line
//!   (`date` and `title` optional);
//! - `-`: standard input, JSON Lines if it starts with `{`, else one document with id `stdin`.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

mod json_line;

pub(crate) use json_line::is_json_special;
#[cfg(target_arch = "x86_64")]
pub(crate) use json_line::json_special_mask;

use crate::error::{line_column, Error, Result};

/// One article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Unique within a run: the file's path (relative to the folder it was found in), or the
    /// `id` of a JSON Lines record.
    pub id: String,
    /// The original text, untouched.
    pub text: String,
    /// ISO 8601 date (`2020-08-15`) when the metadata gives one.
    pub date: Option<String>,
    pub title: Option<String>,
}

impl Document {
    /// A document made in code (tests, library users).
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Document {
            id: id.into(),
            text: text.into(),
            date: None,
            title: None,
        }
    }
}

/// The file name that holds titles and dates for the documents of a folder.
pub const METADATA_FILE: &str = "metadata.toml";

/// Where documents come from: found (folders listed, metadata read) before any is read.
enum Source {
    Text {
        path: PathBuf,
        id: String,
        meta: Option<FileMetadata>,
        input: usize,
    },
    JsonLines {
        path: PathBuf,
        input: usize,
    },
    Stdin {
        input: usize,
    },
}

/// A JSON Lines reader in progress.
struct Lines {
    label: Arc<Path>,
    reader: Box<dyn BufRead + Send>,
    line: usize,
    input: usize,
}

/// The documents of a list of inputs, read one at a time, so that memory holds one document (or
/// one batch of them) rather than the corpus.
///
/// As an iterator it hands out documents ready to tag, their ids checked for uniqueness. The
/// pipeline instead reads [`UnreadDocument`]s ([`DocumentStream::next_unread`]), parses them on
/// its worker threads and checks ids itself, in input order ([`DocumentIds`]).
pub struct DocumentStream {
    inputs: Vec<PathBuf>,
    sources: std::vec::IntoIter<Source>,
    lines: Option<Lines>,
    ids: DocumentIds,
    produced: Vec<usize>,
    done: bool,
}

/// A document as read, not yet parsed: a text file read and decoded, or one line of a JSON
/// Lines file, as bytes. Parsing it ([`UnreadDocument::parse`]) is a pure function of it, so
/// that it can run on any thread; whatever error it finds names the file and line.
#[derive(Debug)]
pub struct UnreadDocument {
    /// The index of the input (command-line path) it came from.
    pub input: usize,
    /// The file, or file and line, it came from.
    pub origin: Origin,
    content: Unread,
}

/// Where a document was read: what an error about it (a repeated id) names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A text file.
    File(Arc<Path>),
    /// A line of a JSON Lines file (or of standard input), counted from 1.
    Line { file: Arc<Path>, line: usize },
    /// Text read from standard input.
    Stdin,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::File(path) => f.write_str(&display_id(path)),
            Origin::Line { file, line } => write!(f, "{}:{line}", display_id(file)),
            Origin::Stdin => f.write_str("standard input"),
        }
    }
}

#[derive(Debug)]
enum Unread {
    Parsed(Document),
    JsonLine {
        label: Arc<Path>,
        line: usize,
        bytes: Vec<u8>,
    },
}

impl UnreadDocument {
    /// The bytes read for it (a JSON line's whole line).
    pub fn read_len(&self) -> usize {
        match &self.content {
            Unread::Parsed(document) => document.text.len(),
            Unread::JsonLine { bytes, .. } => bytes.len(),
        }
    }

    /// The document, or why this line or file is not one.
    pub fn parse(self) -> Result<Document> {
        match self.content {
            Unread::Parsed(document) => Ok(document),
            Unread::JsonLine { label, line, bytes } => {
                let text = std::str::from_utf8(&bytes).map_err(|e| {
                    let column = String::from_utf8_lossy(&bytes[..e.valid_up_to()])
                        .chars()
                        .count()
                        + 1;
                    Error::NotUtf8 {
                        path: label.to_path_buf(),
                        line,
                        column,
                    }
                })?;
                parse_json_document(&label, line, text)
            }
        }
    }
}

/// Checks that document ids are unique across a run, in the order the documents come.
///
/// A run may read millions of documents, so an id is not kept: only a 128-bit hash of it
/// (two ids share one with odds far below those of a disk error) and where it was first read,
/// in 33 bytes of table (a `tag` of two million short JSON lines peaks at 290 MB, not 500).
#[derive(Debug, Clone, Default)]
pub struct DocumentIds {
    /// Hash of each id admitted -> where it was read first.
    seen: rustc_hash::FxHashMap<u128, FirstRead>,
    /// The files of [`FirstRead::file`] (the lines of a JSON Lines file share one entry).
    files: Vec<Arc<Path>>,
}

/// Where an id was first read: a file of [`DocumentIds::files`] (`NO_FILE`: standard input),
/// and its line in a JSON Lines file (0: the whole file).
#[derive(Debug, Clone, Copy)]
struct FirstRead {
    file: u32,
    line: u64,
}

const NO_FILE: u32 = u32::MAX;

/// 128 bits of `id`: two SipHash values with different prefixes.
fn id_hash(id: &str) -> u128 {
    use std::hash::{DefaultHasher, Hasher};
    let half = |prefix: u8| {
        let mut hasher = DefaultHasher::new();
        hasher.write_u8(prefix);
        hasher.write(id.as_bytes());
        hasher.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
}

impl DocumentIds {
    /// Admits the id of a document read at `origin`, or names both places that have it.
    pub fn admit(&mut self, id: &str, origin: &Origin) -> Result<()> {
        let hash = id_hash(id);
        if let Some(&first) = self.seen.get(&hash) {
            let first = self.origin(first);
            let from_a_line = |origin: &Origin| matches!(origin, Origin::Line { .. });
            let hint = match (from_a_line(&first), from_a_line(origin)) {
                (true, true) => "give one of the lines another \"id\"",
                (false, false) => "rename one, or give them distinct folders",
                _ => "rename the file, or give the line another \"id\"",
            };
            return Err(Error::DuplicateDocument {
                id: id.to_string(),
                first: first.to_string(),
                second: origin.to_string(),
                hint,
            });
        }
        let first = self.first_read(origin);
        self.seen.insert(hash, first);
        Ok(())
    }

    fn first_read(&mut self, origin: &Origin) -> FirstRead {
        let (file, line) = match origin {
            Origin::File(path) => (path, 0),
            Origin::Line { file, line } => (file, *line as u64),
            Origin::Stdin => {
                return FirstRead {
                    file: NO_FILE,
                    line: 0,
                }
            }
        };
        // The lines of a file come one after the other: it is the last file, or a new one.
        if !self
            .files
            .last()
            .is_some_and(|last| Arc::ptr_eq(last, file))
        {
            self.files.push(file.clone());
        }
        FirstRead {
            file: (self.files.len() - 1) as u32,
            line,
        }
    }

    fn origin(&self, first: FirstRead) -> Origin {
        match self.files.get(first.file as usize) {
            None => Origin::Stdin,
            Some(file) if first.line == 0 => Origin::File(file.clone()),
            Some(file) => Origin::Line {
                file: file.clone(),
                line: first.line as usize,
            },
        }
    }
}

/// Lists the documents' sources (checking that every path exists and every folder has
/// documents) and returns a stream over them.
pub fn stream_inputs(inputs: &[PathBuf]) -> Result<DocumentStream> {
    let mut sources = Vec::new();
    for (input, path) in inputs.iter().enumerate() {
        if path.as_os_str() == "-" {
            sources.push(Source::Stdin { input });
        } else if path.is_dir() {
            let before = sources.len();
            list_folder(path, input, &mut sources)?;
            if sources.len() == before {
                return Err(Error::NoDocuments { path: path.clone() });
            }
        } else if path.is_file() {
            if extension(path).as_deref() == Some("jsonl") {
                sources.push(Source::JsonLines {
                    path: path.clone(),
                    input,
                });
            } else {
                sources.push(Source::Text {
                    path: path.clone(),
                    id: display_id(path),
                    meta: None,
                    input,
                });
            }
        } else {
            return Err(Error::MissingPath { path: path.clone() });
        }
    }
    Ok(DocumentStream {
        inputs: inputs.to_vec(),
        sources: sources.into_iter(),
        lines: None,
        ids: DocumentIds::default(),
        produced: vec![0; inputs.len()],
        done: false,
    })
}

fn display_id(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn list_folder(folder: &Path, input: usize, sources: &mut Vec<Source>) -> Result<()> {
    let mut files = Vec::new();
    collect_files(folder, &mut files)?;
    files.sort();
    let mut metadata_by_folder: BTreeMap<PathBuf, BTreeMap<String, FileMetadata>> = BTreeMap::new();
    for file in files {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name == METADATA_FILE {
            continue;
        }
        if extension(&file).as_deref() == Some("jsonl") {
            sources.push(Source::JsonLines { path: file, input });
            continue;
        }
        let parent = file.parent().unwrap_or(folder).to_path_buf();
        if !metadata_by_folder.contains_key(&parent) {
            let metadata = read_metadata(&parent)?;
            metadata_by_folder.insert(parent.clone(), metadata);
        }
        let meta = metadata_by_folder
            .get(&parent)
            .and_then(|m| m.get(&name))
            .cloned();
        let relative = file.strip_prefix(folder).unwrap_or(&file);
        let id = display_id(relative);
        sources.push(Source::Text {
            path: file,
            id,
            meta,
            input,
        });
    }
    Ok(())
}

fn collect_files(folder: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    let entries = fs::read_dir(folder).map_err(|e| Error::io(folder, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(folder, e))?;
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if hidden {
            continue;
        }
        if path.is_dir() {
            collect_files(&path, files)?;
        } else if matches!(extension(&path).as_deref(), Some("txt" | "jsonl"))
            || path.file_name().is_some_and(|n| n == METADATA_FILE)
        {
            files.push(path);
        }
    }
    Ok(())
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
}

impl Iterator for DocumentStream {
    type Item = Result<Document>;

    fn next(&mut self) -> Option<Self::Item> {
        let unread = match self.next_unread()? {
            Ok(unread) => unread,
            Err(e) => return Some(Err(e)),
        };
        let origin = unread.origin.clone();
        let checked = unread
            .parse()
            .and_then(|document| self.ids.admit(&document.id, &origin).map(|()| document));
        if checked.is_err() {
            self.done = true;
        }
        Some(checked)
    }
}

impl DocumentStream {
    /// A checker of ids for the documents of this stream, to use with
    /// [`DocumentStream::next_unread`] (the iterator checks ids by itself).
    pub fn ids(&self) -> DocumentIds {
        self.ids.clone()
    }

    /// The next document as read, not parsed. Ends after the first error.
    pub fn next_unread(&mut self) -> Option<Result<UnreadDocument>> {
        if self.done {
            return None;
        }
        match self.advance() {
            Some(Ok(unread)) => {
                self.produced[unread.input] += 1;
                Some(Ok(unread))
            }
            Some(Err(e)) => {
                self.done = true;
                Some(Err(e))
            }
            None => {
                self.done = true;
                // Every input must have given at least one document.
                let empty = self.produced.iter().position(|&n| n == 0)?;
                Some(Err(Error::NoDocuments {
                    path: self.inputs[empty].clone(),
                }))
            }
        }
    }

    fn advance(&mut self) -> Option<Result<UnreadDocument>> {
        loop {
            if let Some(lines) = &mut self.lines {
                match next_json_line(lines) {
                    Some(result) => return Some(result),
                    None => self.lines = None,
                }
            }
            match self.sources.next()? {
                Source::Text {
                    path,
                    id,
                    meta,
                    input,
                } => {
                    let text = fs::read(&path)
                        .map_err(|e| Error::io(&path, e))
                        .and_then(|bytes| decode_utf8(&path, bytes));
                    return Some(text.map(|text| UnreadDocument {
                        input,
                        origin: Origin::File(path.into()),
                        content: Unread::Parsed(Document {
                            id,
                            text,
                            date: meta.as_ref().and_then(|m| m.date.clone()),
                            title: meta.as_ref().and_then(|m| m.title.clone()),
                        }),
                    }));
                }
                Source::JsonLines { path, input } => match fs::File::open(&path) {
                    Ok(file) => {
                        self.lines = Some(Lines {
                            label: path.into(),
                            reader: Box::new(BufReader::with_capacity(1 << 20, file)),
                            line: 0,
                            input,
                        })
                    }
                    Err(e) => return Some(Err(Error::io(&path, e))),
                },
                Source::Stdin { input } => match open_stdin() {
                    Ok(StdinContent::Text(text)) => {
                        return Some(Ok(UnreadDocument {
                            input,
                            origin: Origin::Stdin,
                            content: Unread::Parsed(Document::new("stdin", text)),
                        }));
                    }
                    Ok(StdinContent::JsonLines(reader)) => {
                        self.lines = Some(Lines {
                            label: Path::new("<stdin>").into(),
                            reader,
                            line: 0,
                            input,
                        })
                    }
                    Err(e) => return Some(Err(e)),
                },
            }
        }
    }
}

enum StdinContent {
    Text(String),
    JsonLines(Box<dyn BufRead + Send>),
}

/// Standard input: JSON Lines (read lazily) when it starts with `{`, else one text document.
fn open_stdin() -> Result<StdinContent> {
    let label = Path::new("<stdin>");
    let mut reader = BufReader::new(std::io::stdin());
    let mut prefix = Vec::new();
    // A byte order mark first: looked past to tell JSON Lines, kept in a text document.
    let mark = BYTE_ORDER_MARK.as_bytes();
    let marked = reader
        .fill_buf()
        .map_err(|e| Error::io(label, e))?
        .starts_with(mark);
    if marked {
        reader.consume(mark.len());
    }
    loop {
        let buffer = reader.fill_buf().map_err(|e| Error::io(label, e))?;
        if buffer.is_empty() {
            break;
        }
        let blank = buffer
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        let all_blank = blank == buffer.len();
        let starts_json = !all_blank && buffer[blank] == b'{';
        prefix.extend_from_slice(&buffer[..blank]);
        reader.consume(blank);
        if !all_blank {
            if starts_json {
                let chained = std::io::Cursor::new(prefix).chain(reader);
                return Ok(StdinContent::JsonLines(Box::new(BufReader::new(chained))));
            }
            break;
        }
    }
    if marked {
        prefix.splice(0..0, mark.iter().copied());
    }
    reader
        .read_to_end(&mut prefix)
        .map_err(|e| Error::io(label, e))?;
    Ok(StdinContent::Text(decode_utf8(label, prefix)?))
}

/// The next line of a JSON Lines input that is not blank, unparsed.
fn next_json_line(lines: &mut Lines) -> Option<Result<UnreadDocument>> {
    loop {
        let mut bytes = Vec::new();
        match lines.reader.read_until(b'\n', &mut bytes) {
            Ok(0) => return None,
            Ok(_) => {}
            Err(e) => return Some(Err(Error::io(&*lines.label, e))),
        }
        lines.line += 1;
        if lines.line == 1 && bytes.starts_with(BYTE_ORDER_MARK.as_bytes()) {
            // Written by Windows tools; no part of the first record.
            bytes.drain(..BYTE_ORDER_MARK.len());
        }
        if lines.line == 1 && matches!(bytes.as_slice(), [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..]) {
            return Some(Err(Error::Utf16 {
                path: lines.label.to_path_buf(),
                problem: "UTF-16 by its byte order mark; JSON Lines are read as UTF-8 only",
            }));
        }
        if is_blank(&bytes) {
            continue;
        }
        return Some(Ok(UnreadDocument {
            input: lines.input,
            origin: Origin::Line {
                file: lines.label.clone(),
                line: lines.line,
            },
            content: Unread::JsonLine {
                label: lines.label.clone(),
                line: lines.line,
                bytes,
            },
        }));
    }
}

/// U+FEFF at the start of a file: kept in a text file's document (its offsets count it, as
/// Python's `open` does), dropped from JSON, which cannot start with it.
pub const BYTE_ORDER_MARK: &str = "\u{feff}";

/// Whether a line is nothing but white space (as `str::trim` sees it). Only a line that starts
/// with non-ASCII bytes after its ASCII white space is decoded to tell.
fn is_blank(line: &[u8]) -> bool {
    let ascii_space = |b: &u8| b.is_ascii_whitespace() || *b == 0x0b;
    match line.iter().find(|b| !ascii_space(b)) {
        None => true,
        Some(&b) if b >= 0x80 => std::str::from_utf8(line).is_ok_and(|l| l.trim().is_empty()),
        Some(_) => false,
    }
}

/// Decodes UTF-8, or names the line and column of the first bad byte.
/// UTF-16 with its byte order mark (as Windows Notepad saves "Unicode") is decoded too, without
/// the mark (as Python's `open(encoding="utf-16")` reads it): such bytes are never valid UTF-8.
pub(crate) fn decode_utf8(path: &Path, bytes: Vec<u8>) -> Result<String> {
    if let Some(decoded) = decode_utf16(&bytes) {
        return decoded.map_err(|problem| Error::Utf16 {
            path: path.to_path_buf(),
            problem,
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let (line, column) = line_column(e.as_bytes(), offset);
        Error::NotUtf8 {
            path: path.to_path_buf(),
            line,
            column,
        }
    })
}

/// The text of UTF-16 bytes that start with a byte order mark (None for other bytes), or what
/// is wrong with them.
fn decode_utf16(bytes: &[u8]) -> Option<std::result::Result<String, &'static str>> {
    let little_endian = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    if !bytes.len().is_multiple_of(2) {
        return Some(Err(
            "UTF-16 by its byte order mark, but cut off in a character",
        ));
    }
    let units = bytes[2..].chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if little_endian {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    Some(
        char::decode_utf16(units)
            .collect::<std::result::Result<String, _>>()
            .map_err(|_| "UTF-16 by its byte order mark, but with a broken surrogate pair"),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonDocument {
    id: String,
    text: String,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    title: Option<String>,
}

fn parse_json_document(path: &Path, line_number: usize, line: &str) -> Result<Document> {
    let record = match json_line::read_record(line) {
        Some(record) => JsonDocument {
            id: record.id,
            text: record.text,
            date: record.date,
            title: record.title,
        },
        None => serde_json::from_str(line).map_err(|e| {
            Error::malformed(
                path,
                line_number,
                format!(
                    "not a document record ({{\"id\", \"text\", \"date\"?}}): {}",
                    crate::error::json_line_message(&e)
                ),
            )
        })?,
    };
    if let Some(date) = &record.date {
        check_date(date).map_err(|m| Error::malformed(path, line_number, m))?;
    }
    Ok(Document {
        id: record.id,
        text: record.text,
        date: record.date,
        title: record.title,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MetadataFile {
    #[serde(default)]
    document: Vec<FileMetadata>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct FileMetadata {
    file: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    date_text: Option<String>,
    #[serde(default)]
    publisher: Option<String>,
    #[serde(default)]
    seed: Option<String>,
}

fn read_metadata(folder: &Path) -> Result<BTreeMap<String, FileMetadata>> {
    let path = folder.join(METADATA_FILE);
    if !path.is_file() {
        return Ok(BTreeMap::new());
    }
    let bytes = fs::read(&path).map_err(|e| Error::io(&path, e))?;
    let text = decode_utf8(&path, bytes)?;
    let parsed: MetadataFile = toml::from_str(&text).map_err(|e| {
        let line = e
            .span()
            .map_or(1, |s| line_column(text.as_bytes(), s.start).0);
        Error::malformed(&path, line, e.message().to_string())
    })?;
    let mut by_file = BTreeMap::new();
    for meta in parsed.document {
        if let Some(date) = &meta.date {
            check_date(date)
                .map_err(|m| Error::malformed(&path, 1, format!("{}: {m}", meta.file)))?;
        }
        let _ = (&meta.date_text, &meta.publisher, &meta.seed);
        by_file.insert(meta.file.clone(), meta);
    }
    Ok(by_file)
}

/// The number of days in `month` (1-12) of `year`, in the Gregorian calendar.
fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Accepts `YYYY`, `YYYY-MM` or `YYYY-MM-DD` naming a day that exists (no 30 February).
pub(crate) fn check_date(date: &str) -> std::result::Result<(), String> {
    let parts: Vec<&str> = date.split('-').collect();
    let ok = !parts.is_empty()
        && parts.len() <= 3
        && parts[0].len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && parts
            .get(1)
            .is_none_or(|m| m.len() == 2 && (1..=12).contains(&m.parse::<u32>().unwrap_or(0)))
        && parts
            .get(2)
            .is_none_or(|d| d.len() == 2 && (1..=31).contains(&d.parse::<u32>().unwrap_or(0)));
    if !ok {
        return Err(format!(
            "date \"{date}\" is not an ISO 8601 date (YYYY-MM-DD)"
        ));
    }
    if let [year, month, day] = parts[..] {
        let (year, month, day) = (number(year), number(month), number(day));
        let days = days_in_month(year, month);
        if day > days {
            return Err(format!(
                "date \"{date}\" is not a day of the calendar: {} {year} has {days} days",
                crate::wording::capitalized(MONTHS[month as usize - 1])
            ));
        }
    }
    Ok(())
}

/// A run of ASCII digits, already checked, as a number.
fn number(digits: &str) -> u32 {
    digits.parse().expect("checked: four or two ASCII digits")
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_number(word: &str) -> Option<u32> {
    let word = word.to_ascii_lowercase();
    if word.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| *m == word || (m.starts_with(&word) && (word.len() == 3 || word == "sept")))
        .map(|i| i as u32 + 1)
}

/// The first date written in a text ("August 15, 2020", "Aug 28, 2020", "Sept. 14, 2020",
/// "15 August 2020", "2020-08-15"), as ISO 8601. Looks at the first 2,000 characters only,
/// where datelines are.
pub fn date_in_text(text: &str) -> Option<String> {
    let head: String = text.chars().take(2000).collect();
    let words: Vec<&str> = head
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
        .filter(|w| !w.is_empty())
        .collect();
    let year = |w: &str| {
        w.len() == 4
            && w.bytes().all(|b| b.is_ascii_digit())
            && (w.starts_with("19") || w.starts_with("20"))
    };
    let day = |w: &str| w.len() <= 2 && w.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d));
    for (i, word) in words.iter().enumerate() {
        if word.len() == 10 && check_date(word).is_ok() {
            return Some(word.to_string());
        }
        let Some(month) = month_number(word) else {
            continue;
        };
        let Some(&a) = words.get(i + 1) else {
            continue;
        };
        let b = words.get(i + 2).copied().unwrap_or_default();
        // "August 15, 2020", then "15 August 2020"; "February 30, 2020" is no date.
        let written = if day(a) && year(b) {
            format!("{b}-{month:02}-{:02}", a.parse::<u32>().unwrap())
        } else if i > 0 && day(words[i - 1]) && year(a) {
            format!("{a}-{month:02}-{:02}", words[i - 1].parse::<u32>().unwrap())
        } else {
            continue;
        };
        if check_date(&written).is_ok() {
            return Some(written);
        }
    }
    None
}

/// Converts byte offsets of one text into character (Unicode code point) offsets, the way Python
/// and most tools count. Costs memory only for the text's non-ASCII characters.
#[derive(Debug, Clone)]
pub struct CharOffsets {
    /// For each multi-byte character: the byte offset just after it, and the number of bytes
    /// beyond one per character accumulated up to there.
    after_multibyte: Vec<(usize, usize)>,
}

impl CharOffsets {
    pub fn new(text: &str) -> Self {
        let mut after_multibyte = Vec::new();
        let mut extra = 0;
        // A character's length shows in its first byte; continuation bytes are skipped over,
        // and so are runs of ASCII, 32 bytes and then eight bytes at a time.
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            if bytes.get(at..at + 32).is_some_and(<[u8]>::is_ascii) {
                at += 32;
                continue;
            }
            if let Some(word) = bytes.get(at..at + 8) {
                let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
                if word & 0x8080_8080_8080_8080 == 0 {
                    at += 8;
                    continue;
                }
            }
            let lead = bytes[at];
            let len = match lead {
                0x00..=0x7F => 1,
                0xF0.. => 4,
                0xE0.. => 3,
                _ => 2,
            };
            at += len;
            if len > 1 {
                extra += len - 1;
                after_multibyte.push((at, extra));
            }
        }
        CharOffsets { after_multibyte }
    }

    /// The character offset of a byte offset that lies on a character boundary.
    pub fn char_offset(&self, byte: usize) -> usize {
        let index = self
            .after_multibyte
            .partition_point(|&(after, _)| after <= byte);
        let extra = if index == 0 {
            0
        } else {
            self.after_multibyte[index - 1].1
        };
        byte - extra
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_id_names_where_it_was_first_read_whatever_the_source() {
        let mut ids = DocumentIds::default();
        let bulk: Arc<Path> = Path::new("bulk.jsonl").into();
        let other: Arc<Path> = Path::new("more.jsonl").into();
        let text: Arc<Path> = Path::new("news/a.txt").into();
        for n in 1..=1000 {
            let line = Origin::Line {
                file: bulk.clone(),
                line: n,
            };
            ids.admit(&format!("d{n}"), &line).unwrap();
        }
        ids.admit("news/a.txt", &Origin::File(text.clone()))
            .unwrap();
        ids.admit("from-stdin", &Origin::Stdin).unwrap();
        // The lines of one file are one entry of the file list.
        assert_eq!(ids.files.len(), 2);
        let repeat = |ids: &mut DocumentIds, id: &str, origin: Origin| {
            ids.admit(id, &origin).unwrap_err().to_string()
        };
        let again = Origin::Line {
            file: other.clone(),
            line: 7,
        };
        let error = repeat(&mut ids, "d512", again.clone());
        assert!(
            error.contains("in bulk.jsonl:512 and in more.jsonl:7"),
            "{error}"
        );
        let error = repeat(&mut ids, "news/a.txt", again.clone());
        assert!(
            error.contains("in news/a.txt and in more.jsonl:7"),
            "{error}"
        );
        assert!(error.contains("rename the file"), "{error}");
        let error = repeat(&mut ids, "from-stdin", again);
        assert!(
            error.contains("in standard input and in more.jsonl:7"),
            "{error}"
        );
        // An id that differs in one character is another id.
        ids.admit("D512", &Origin::Stdin).unwrap();
    }

    #[test]
    fn char_offsets_count_code_points() {
        // Every character boundary of `text`, and its end, at the character's index.
        let counts_code_points = |text: &str| {
            let offsets = CharOffsets::new(text);
            for (chars, (byte, _)) in text.char_indices().enumerate() {
                assert_eq!(offsets.char_offset(byte), chars, "{text:?} at byte {byte}");
            }
            assert_eq!(offsets.char_offset(text.len()), text.chars().count());
        };
        counts_code_points("Łukaszenka’s “x” 🇧🇾 end");
        // ASCII runs of every length around the 8- and 32-byte steps, between characters of
        // every width.
        let mut text = String::new();
        for run in 0..70 {
            text.push_str(&"a".repeat(run));
            text.push(['é', '’', '🇧', 'z'][run % 4]);
        }
        counts_code_points(&text);
    }

    #[test]
    fn dates_are_found_in_datelines() {
        assert_eq!(
            date_in_text("By AFP\n\nAugust 15, 2020\n\nThe Kremlin"),
            Some("2020-08-15".into())
        );
        assert_eq!(
            date_in_text("Updated: Aug 28, 2020, 07:51 AM IST"),
            Some("2020-08-28".into())
        );
        assert_eq!(
            date_in_text("Sochi, Russia, on Sept. 14, 2020."),
            Some("2020-09-14".into())
        );
        assert_eq!(
            date_in_text("on 15 August 2020 in Minsk"),
            Some("2020-08-15".into())
        );
        assert_eq!(date_in_text("May I say: 2020 was long"), None);
        assert_eq!(date_in_text("Thousands gathered on Saturday"), None);
    }

    #[test]
    fn dates_are_checked() {
        assert!(check_date("2020-08-15").is_ok());
        assert!(check_date("2020").is_ok());
        assert!(check_date("2020-13-01").is_err());
        assert!(check_date("2020-02-29").is_ok());
        assert!(check_date("2000-02-29").is_ok());
        assert!(check_date("2020-12-31").is_ok());
        assert_eq!(
            check_date("2020-02-30").unwrap_err(),
            "date \"2020-02-30\" is not a day of the calendar: February 2020 has 29 days"
        );
        assert!(check_date("2019-02-29").is_err());
        assert!(check_date("1900-02-29").is_err());
        assert!(check_date("2020-04-31").is_err());
        assert_eq!(date_in_text("MINSK, February 30, 2020"), None);
        assert_eq!(
            date_in_text("MINSK, 29 February 2020"),
            Some("2020-02-29".into())
        );
        assert!(check_date("15 August 2020").is_err());
    }
}
