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

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Deserialize;

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

/// Reads every input in order and returns the documents, checking that ids are unique.
pub fn read_inputs(inputs: &[PathBuf]) -> Result<Vec<Document>> {
    let mut documents = Vec::new();
    let mut origins = Vec::new();
    for input in inputs {
        let before = documents.len();
        if input.as_os_str() == "-" {
            read_stdin(&mut documents)?;
        } else if input.is_dir() {
            read_folder(input, &mut documents)?;
        } else if input.is_file() {
            read_file(input, display_id(input), &mut documents)?;
        } else {
            return Err(Error::MissingPath {
                path: input.clone(),
            });
        }
        if documents.len() == before {
            return Err(Error::NoDocuments {
                path: input.clone(),
            });
        }
        origins.resize(documents.len(), display_id(input));
    }
    check_unique_ids(&documents, &origins)?;
    Ok(documents)
}

fn display_id(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn check_unique_ids(documents: &[Document], origins: &[String]) -> Result<()> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (index, document) in documents.iter().enumerate() {
        if let Some(first) = seen.insert(&document.id, index) {
            return Err(Error::DuplicateDocument {
                id: document.id.clone(),
                first: origins[first].clone(),
                second: origins[index].clone(),
            });
        }
    }
    Ok(())
}

fn read_stdin(documents: &mut Vec<Document>) -> Result<()> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("<stdin>", e))?;
    let text = decode_utf8(Path::new("<stdin>"), bytes)?;
    if text.trim_start().starts_with('{') {
        parse_json_lines(Path::new("<stdin>"), &text, documents)
    } else {
        documents.push(Document::new("stdin", text));
        Ok(())
    }
}

fn read_folder(folder: &Path, documents: &mut Vec<Document>) -> Result<()> {
    let mut files = Vec::new();
    collect_files(folder, &mut files)?;
    files.sort();
    let mut metadata_by_folder: BTreeMap<PathBuf, BTreeMap<String, FileMetadata>> = BTreeMap::new();
    for file in files {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
        if name.as_deref() == Some(METADATA_FILE) {
            continue;
        }
        let relative = file.strip_prefix(folder).unwrap_or(&file);
        let before = documents.len();
        read_file(&file, display_id(relative), documents)?;
        let parent = file.parent().unwrap_or(folder).to_path_buf();
        if !metadata_by_folder.contains_key(&parent) {
            let metadata = read_metadata(&parent)?;
            metadata_by_folder.insert(parent.clone(), metadata);
        }
        if let (Some(name), Some(metadata)) = (name, metadata_by_folder.get(&parent)) {
            if let Some(meta) = metadata.get(&name) {
                for document in &mut documents[before..] {
                    document.date = document.date.take().or_else(|| meta.date.clone());
                    document.title = document.title.take().or_else(|| meta.title.clone());
                }
            }
        }
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

fn read_file(path: &Path, id: String, documents: &mut Vec<Document>) -> Result<()> {
    let bytes = fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = decode_utf8(path, bytes)?;
    if extension(path).as_deref() == Some("jsonl") {
        parse_json_lines(path, &text, documents)
    } else {
        documents.push(Document::new(id, text));
        Ok(())
    }
}

/// Decodes UTF-8, or names the line and column of the first bad byte.
pub(crate) fn decode_utf8(path: &Path, bytes: Vec<u8>) -> Result<String> {
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

fn parse_json_lines(path: &Path, text: &str, documents: &mut Vec<Document>) -> Result<()> {
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record: JsonDocument = serde_json::from_str(line).map_err(|e| {
            Error::malformed(
                path,
                index + 1,
                format!("not a document record ({{\"id\", \"text\", \"date\"?}}): {e}"),
            )
        })?;
        if let Some(date) = &record.date {
            check_date(date).map_err(|m| Error::malformed(path, index + 1, m))?;
        }
        documents.push(Document {
            id: record.id,
            text: record.text,
            date: record.date,
            title: record.title,
        });
    }
    Ok(())
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

/// Accepts `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with plausible numbers.
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
    if ok {
        Ok(())
    } else {
        Err(format!(
            "date \"{date}\" is not an ISO 8601 date (YYYY-MM-DD)"
        ))
    }
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
        let (Some(&a), Some(&b)) = (words.get(i + 1), words.get(i + 2)) else {
            continue;
        };
        if day(a) && year(b) {
            return Some(format!("{b}-{month:02}-{:02}", a.parse::<u32>().unwrap()));
        }
        if i > 0 && day(words[i - 1]) && year(a) {
            return Some(format!(
                "{a}-{month:02}-{:02}",
                words[i - 1].parse::<u32>().unwrap()
            ));
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
        if !text.is_ascii() {
            for (byte, ch) in text.char_indices() {
                let len = ch.len_utf8();
                if len > 1 {
                    extra += len - 1;
                    after_multibyte.push((byte + len, extra));
                }
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
    fn char_offsets_count_code_points() {
        let text = "Łukaszenka’s “x” 🇧🇾 end";
        let offsets = CharOffsets::new(text);
        for (chars, (byte, _)) in text.char_indices().enumerate() {
            assert_eq!(offsets.char_offset(byte), chars);
        }
        assert_eq!(offsets.char_offset(text.len()), text.chars().count());
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
        assert!(check_date("15 August 2020").is_err());
    }
}
