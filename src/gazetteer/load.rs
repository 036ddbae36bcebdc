//! Reading gazetteer files: hand-edited TOML and bulk JSON Lines.
//!
//! TOML (one file per kind is the convention: `people.toml`, `states.toml`, ...):
//!
//! ```toml
//! [[entity]]
//! id = "alexander-lukashenko"        # stable slug
//! name = "Alexander Lukashenko"      # canonical name
//! type = "person"                    # person | state | organization | place
//! aliases = ["Lukashenko", "Aliaksandr Lukashenka"]
//! demonyms = []                      # states: ["Belarusian", "Belarussian"]
//! ambiguous = []                     # aliases knowingly shared with another entity
//! default_for = []                   # ambiguous aliases that go here when context is silent
//! not = ["Viktor Lukashenko"]        # look-alike names known to be someone else
//! roles = [{ alias = "Belarusian leader", from = "1994-07-20" }]  # until = "..." when it ended
//! description = "President of Belarus since 1994"
//! wikidata = "Q…"                   # optional Wikidata item id, carried into the exports
//! ```
//!
//! JSON Lines, one entity per line, same fields:
//! `{"id": "e1", "name": "Jennifer Chen", "type": "person", "aliases": ["Chen"]}`.
//!
//! Every error names the file and line.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::{Entity, EntityId, EntityType, Gazetteer, GazetteerBuilder, PartLines, Role};
use crate::document::decode_utf8;
use crate::error::{line_column, Error, Result};

/// Loads every gazetteer file in `paths` (files, or folders of `.toml` and `.jsonl` files read in
/// sorted order, not recursively; a folder's `relations.toml` is the relation lexicon, not
/// entities) into one checked gazetteer.
pub fn load(paths: &[PathBuf]) -> Result<Gazetteer> {
    load_files(&expand(paths)?)
}

/// The gazetteer files `paths` name: files as given, folders' `.toml` and `.jsonl` files sorted.
pub(crate) fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            let entries = fs::read_dir(path).map_err(|e| Error::io(path, e))?;
            for entry in entries {
                let entry = entry.map_err(|e| Error::io(path, e))?;
                let file = entry.path();
                let extension = file
                    .extension()
                    .map(|e| e.to_string_lossy().to_ascii_lowercase());
                let is_lexicon = file
                    .file_name()
                    .is_some_and(|name| name == crate::relations::RELATIONS_FILE);
                if file.is_file()
                    && !is_lexicon
                    && matches!(extension.as_deref(), Some("toml" | "jsonl"))
                {
                    found.push(file);
                }
            }
            if found.is_empty() {
                return Err(Error::NoGazetteer { path: path.clone() });
            }
            found.sort();
            files.extend(found);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            return Err(Error::MissingPath { path: path.clone() });
        }
    }
    Ok(files)
}

/// What to do with a problem in a file: stop at the first, or note it and go on.
pub(crate) enum Problems {
    Stop,
    Collect(Vec<Error>),
}

impl Problems {
    /// Notes every problem of `found` (stopping: returns the first).
    fn note_all(&mut self, found: Vec<Error>) -> Result<()> {
        match self {
            Problems::Collect(all) => {
                all.extend(found);
                Ok(())
            }
            Problems::Stop => found.into_iter().next().map_or(Ok(()), Err),
        }
    }

    fn note(&mut self, result: Result<()>) -> Result<()> {
        match (self, result) {
            (Problems::Collect(all), Err(e)) => {
                all.push(e);
                Ok(())
            }
            (_, result) => result,
        }
    }
}

/// Loads exactly these files.
pub fn load_files(files: &[PathBuf]) -> Result<Gazetteer> {
    let mut problems = Problems::Stop;
    read_files(files, &mut problems)?.build()
}

/// Reads files into a builder; with [`Problems::Collect`] a bad file or entity is noted and
/// skipped, so that every problem can be reported at once.
pub(crate) fn read_files(files: &[PathBuf], problems: &mut Problems) -> Result<GazetteerBuilder> {
    let mut builder = Gazetteer::builder();
    for path in files {
        let text = fs::read(path)
            .map_err(|e| Error::io(path, e))
            .and_then(|bytes| decode_utf8(path, bytes));
        let text = match text {
            Ok(text) => text,
            Err(e) => {
                problems.note(Err(e))?;
                continue;
            }
        };
        let file = builder.add_file(path);
        let is_jsonl = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("jsonl"));
        if is_jsonl {
            load_jsonl(&mut builder, file, path, &text, problems)?;
        } else {
            load_toml(&mut builder, file, path, &text, problems)?;
        }
    }
    Ok(builder)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    #[serde(default)]
    entity: Vec<Spanned<TomlEntity>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlEntity {
    id: Spanned<String>,
    name: Spanned<String>,
    #[serde(rename = "type")]
    entity_type: EntityType,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    #[serde(default)]
    demonyms: Vec<Spanned<String>>,
    #[serde(default)]
    ambiguous: Vec<Spanned<String>>,
    #[serde(default)]
    default_for: Vec<Spanned<String>>,
    #[serde(default)]
    not: Vec<String>,
    #[serde(default)]
    roles: Vec<Spanned<Role>>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    wikidata: Option<Spanned<String>>,
}

fn load_toml(
    builder: &mut GazetteerBuilder,
    file: u32,
    path: &Path,
    text: &str,
    problems: &mut Problems,
) -> Result<()> {
    let line_of = |offset: usize| line_column(text.as_bytes(), offset).0 as u32;
    let parsed: TomlFile = match toml::from_str(text) {
        Ok(parsed) => parsed,
        Err(e) => {
            let line = e.span().map_or(1, |span| line_of(span.start));
            return problems.note(Err(Error::malformed(
                path,
                line as usize,
                e.message().trim().to_string(),
            )));
        }
    };
    for spanned in parsed.entity {
        let entity_line = line_of(spanned.span().start);
        let raw = spanned.into_inner();
        let line_of_each = |parts: &[Spanned<String>]| -> Vec<u32> {
            parts.iter().map(|p| line_of(p.span().start)).collect()
        };
        let mut forms = vec![line_of(raw.name.span().start)];
        forms.extend(line_of_each(&raw.aliases));
        forms.extend(line_of_each(&raw.demonyms));
        forms.extend(raw.roles.iter().map(|r| line_of(r.span().start)));
        let mut listed = line_of_each(&raw.ambiguous);
        listed.extend(line_of_each(&raw.default_for));
        let lines = PartLines {
            entity: entity_line,
            id: line_of(raw.id.span().start),
            wikidata: raw
                .wikidata
                .as_ref()
                .map_or(entity_line, |w| line_of(w.span().start)),
            forms,
            listed,
        };
        let texts = |parts: Vec<Spanned<String>>| -> Vec<String> {
            parts.into_iter().map(Spanned::into_inner).collect()
        };
        let entity = Entity {
            id: EntityId(raw.id.into_inner()),
            name: raw.name.into_inner(),
            entity_type: raw.entity_type,
            aliases: texts(raw.aliases),
            demonyms: texts(raw.demonyms),
            ambiguous: texts(raw.ambiguous),
            default_for: texts(raw.default_for),
            not: raw.not,
            roles: raw.roles.into_iter().map(Spanned::into_inner).collect(),
            description: raw.description,
            wikidata: raw.wikidata.map(Spanned::into_inner),
        };
        problems.note_all(builder.add_from(entity, file, lines))?;
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonEntity {
    id: String,
    name: String,
    #[serde(rename = "type")]
    entity_type: EntityType,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    demonyms: Vec<String>,
    #[serde(default)]
    ambiguous: Vec<String>,
    #[serde(default)]
    default_for: Vec<String>,
    #[serde(default)]
    not: Vec<String>,
    #[serde(default)]
    roles: Vec<Role>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    wikidata: Option<String>,
}

use crate::document::BYTE_ORDER_MARK;

fn load_jsonl(
    builder: &mut GazetteerBuilder,
    file: u32,
    path: &Path,
    text: &str,
    problems: &mut Problems,
) -> Result<()> {
    // One entity a line, at most.
    builder.reserve(text.bytes().filter(|&byte| byte == b'\n').count() + 1);
    // A byte order mark, as Windows tools write one, is no part of the first record.
    let text = text.strip_prefix(BYTE_ORDER_MARK).unwrap_or(text);
    for (number, line) in text.lines().enumerate() {
        let line_number = number + 1;
        if line.trim().is_empty() {
            continue;
        }
        let raw: JsonEntity = match serde_json::from_str(line) {
            Ok(raw) => raw,
            Err(e) => {
                let message = format!(
                    "not an entity record ({{\"id\", \"name\", \"type\", \"aliases\"}}): {}",
                    crate::error::json_line_message(&e)
                );
                problems.note(Err(Error::malformed(path, line_number, message)))?;
                continue;
            }
        };
        let entity = Entity {
            id: EntityId(raw.id),
            name: raw.name,
            entity_type: raw.entity_type,
            aliases: raw.aliases,
            demonyms: raw.demonyms,
            ambiguous: raw.ambiguous,
            default_for: raw.default_for,
            not: raw.not,
            roles: raw.roles,
            description: raw.description,
            wikidata: raw.wikidata,
        };
        let lines = PartLines::all_on(line_number as u32, &entity);
        problems.note_all(builder.add_from(entity, file, lines))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
        let path = dir.join(name);
        fs::File::create(&path)
            .unwrap()
            .write_all(content.as_bytes())
            .unwrap();
        path
    }

    #[test]
    fn toml_errors_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "people.toml",
            "[[entity]]\nid = \"a\"\nname = \"A\"\ntype = \"persn\"\n",
        );
        let error = load_files(&[path]).unwrap_err().to_string();
        assert!(error.contains("people.toml:4:"), "{error}");
        assert!(error.contains("persn"), "{error}");
    }

    #[test]
    fn alias_conflicts_name_both_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "people.toml",
            "[[entity]]\nid = \"a\"\nname = \"A One\"\ntype = \"person\"\naliases = [\"Shared\"]\n\n[[entity]]\nid = \"b\"\nname = \"B Two\"\ntype = \"person\"\naliases = [\n  \"Other\",\n  \"shared\",\n]\n",
        );
        let error = load_files(&[path]).unwrap_err().to_string();
        assert!(
            error.contains("people.toml:5") && error.contains("people.toml:13"),
            "{error}"
        );
    }

    #[test]
    fn jsonl_loads_and_reports_lines() {
        let dir = tempfile::tempdir().unwrap();
        let good = write(
            dir.path(),
            "bulk.jsonl",
            "{\"id\": \"e1\", \"name\": \"Jennifer Chen\", \"type\": \"person\", \"aliases\": [\"Chen\"]}\n\n{\"id\": \"e2\", \"name\": \"Ukraine\", \"type\": \"state\"}\n",
        );
        let gazetteer = load_files(&[good]).unwrap();
        assert_eq!(gazetteer.entities().len(), 2);
        assert_eq!(gazetteer.aliases().len(), 3);
        let bad = write(dir.path(), "bad.jsonl", "{\"id\": \"e1\", \"name\": \"A\", \"type\": \"person\"}\n{\"id\": \"e2\", \"name\": \"B\"\n");
        let error = load_files(&[bad]).unwrap_err().to_string();
        assert!(error.contains("bad.jsonl:2:"), "{error}");
    }
}
