//! `tag`'s output: every mention of a document as one JSON object per line (JSON Lines), in
//! text order.
//!
//! ```text
//! {"doc": "a.txt", "start": 10, "end": 15, "text": "Putin", "entity": "vladimir-putin",
//!  "type": "person", "kind": "name", "method": "exact", "score": 1.0, "alias": "Putin"}
//! ```
//!
//! `start` and `end` count Unicode code points. A shared alias that nothing decided is listed
//! with `"entity": null`, `"method": "unresolved"` and its `candidates`; on request, every other
//! name-like span left unresolved is listed too, with its `reason` and `nearest` entity.

use std::borrow::Cow;
use std::sync::OnceLock;

use serde::Serialize;

use super::common::write_json_str as write_str;
use crate::document::{CharOffsets, Document};
use crate::gazetteer::{AliasKind, EntityType, Gazetteer};
use crate::memory::prefetch;
use crate::resolve::{round_score, Method, UnresolvedSpan};
use crate::tagger::TaggedDocument;

/// Appends the lines of one tagged document to `out`: its mentions, and the spans left
/// unresolved that name candidates (all of them when `all_unresolved`), merged in text order.
pub fn write_mention_lines(
    out: &mut Vec<u8>,
    gazetteer: &Gazetteer,
    tagged: &TaggedDocument<'_>,
    all_unresolved: bool,
) {
    let document = &*tagged.document;
    let text = document.text.as_str();
    let offsets = CharOffsets::new(text);
    // Entity ids and alias texts lie all over the gazetteer: the records of the mentions a few
    // lines ahead are asked for while a line is written, and the strings they point to a few
    // lines after that, so that the misses overlap with the writing.
    const RECORDS_AHEAD: usize = 16;
    const STRINGS_AHEAD: usize = 8;
    let mentions = &tagged.mentions;
    let prefetch_records = |index: usize| {
        if let Some(mention) = mentions.get(index) {
            // An entity record spans several cache lines: the two fields read.
            let entity = gazetteer.entity(mention.entity);
            prefetch(&entity.id);
            prefetch(&entity.entity_type);
            prefetch(gazetteer.alias(mention.alias));
        }
    };
    let prefetch_strings = |index: usize| {
        if let Some(mention) = mentions.get(index) {
            prefetch(gazetteer.entity(mention.entity).id.as_str().as_bytes());
            prefetch(gazetteer.alias(mention.alias).text.as_bytes());
        }
    };
    (0..RECORDS_AHEAD).for_each(prefetch_records);
    (0..STRINGS_AHEAD).for_each(prefetch_strings);
    // A line is about 200 bytes: one allocation for most documents.
    out.reserve(mentions.len() * 256);
    let mut unresolved = tagged
        .unresolved
        .iter()
        .filter(|span| all_unresolved || !span.candidates.is_empty())
        .peekable();
    // What every line of the document starts with.
    let mut line_start = b"{\"doc\":".to_vec();
    write_str(&mut line_start, &document.id);
    line_start.extend_from_slice(b",\"start\":");
    for (index, mention) in mentions.iter().enumerate() {
        prefetch_records(index + RECORDS_AHEAD);
        prefetch_strings(index + STRINGS_AHEAD);
        while let Some(span) = unresolved.next_if(|span| span.start < mention.start) {
            unresolved_line(span, document, &offsets, gazetteer).write_line(out);
        }
        let entity = gazetteer.entity(mention.entity);
        ResolvedLine {
            start: offsets.char_offset(mention.start),
            end: offsets.char_offset(mention.end),
            text: &text[mention.start..mention.end],
            entity: entity.id.as_str(),
            entity_type: entity.entity_type,
            kind: mention.kind,
            method: mention.method,
            score: mention.score,
            alias: &gazetteer.alias(mention.alias).text,
        }
        .write_line(&line_start, out);
    }
    for span in unresolved {
        unresolved_line(span, document, &offsets, gazetteer).write_line(out);
    }
}

/// The line of a resolved mention: what [`MentionLine::write_line`] writes for it, with the
/// parts that every line of a document shares (`line_start`), or every mention of one type,
/// kind and method, rendered once.
struct ResolvedLine<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    entity: &'a str,
    entity_type: EntityType,
    kind: AliasKind,
    method: Method,
    score: f64,
    alias: &'a str,
}

impl ResolvedLine<'_> {
    /// `line_start`: `{"doc":` and the document's id, then `,"start":`.
    fn write_line(&self, line_start: &[u8], out: &mut Vec<u8>) {
        out.reserve(
            160 + line_start.len() + self.text.len() + self.entity.len() + self.alias.len(),
        );
        out.extend_from_slice(line_start);
        write_span(out, self.start, self.end, self.text);
        out.extend_from_slice(b",\"entity\":");
        write_str(out, self.entity);
        out.extend_from_slice(type_kind_method(self.entity_type, self.kind, self.method));
        write_score(out, self.score);
        out.extend_from_slice(b",\"alias\":");
        write_str(out, self.alias);
        out.extend_from_slice(b"}\n");
    }
}

/// `,"type":…,"kind":…,"method":…,"score":` as [`MentionLine::write_json`] writes them, for
/// every type, kind and method (84 of them, rendered once).
fn type_kind_method(entity_type: EntityType, kind: AliasKind, method: Method) -> &'static [u8] {
    static RENDERED: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    let index = |t: EntityType, k: AliasKind, m: Method| {
        (t as usize * AliasKind::ALL.len() + k as usize) * Method::ALL.len() + m as usize
    };
    let rendered = RENDERED.get_or_init(|| {
        let mut rendered =
            vec![Vec::new(); EntityType::ALL.len() * AliasKind::ALL.len() * Method::ALL.len()];
        for t in EntityType::ALL {
            for k in AliasKind::ALL {
                for m in Method::ALL {
                    let part = &mut rendered[index(t, k, m)];
                    part.extend_from_slice(b",\"type\":");
                    write_str(part, t.as_str());
                    part.extend_from_slice(b",\"kind\":");
                    write_str(part, k.as_str());
                    part.extend_from_slice(b",\"method\":");
                    write_str(part, m.as_str());
                    part.extend_from_slice(b",\"score\":");
                }
            }
        }
        rendered
    });
    &rendered[index(entity_type, kind, method)]
}

/// A line's span after its `"start":` key: the start, `"end"` and `"text"`, as serde_json
/// writes them. Inlined: as a call it cost 0.25% of `tag`'s instructions.
#[inline(always)]
fn write_span(out: &mut Vec<u8>, start: usize, end: usize, text: &str) {
    out.extend_from_slice(itoa::Buffer::new().format(start).as_bytes());
    out.extend_from_slice(b",\"end\":");
    out.extend_from_slice(itoa::Buffer::new().format(end).as_bytes());
    out.extend_from_slice(b",\"text\":");
    write_str(out, text);
}

/// A score as serde_json writes it.
fn write_score(out: &mut Vec<u8>, score: f64) {
    if score == 1.0 {
        // Nearly every score.
        out.extend_from_slice(b"1.0");
    } else {
        serde_json::to_writer(&mut *out, &score).expect("writing to a Vec cannot fail");
    }
}

fn unresolved_line<'a>(
    span: &'a UnresolvedSpan,
    document: &'a Document,
    offsets: &CharOffsets,
    gazetteer: &'a Gazetteer,
) -> MentionLine<'a> {
    MentionLine {
        doc: &document.id,
        start: offsets.char_offset(span.start),
        end: offsets.char_offset(span.end),
        text: &document.text[span.start..span.end],
        entity: None,
        entity_type: None,
        kind: span.kind.as_str(),
        method: "unresolved",
        score: span.nearest.as_ref().map_or(0.0, |n| round_score(n.score)),
        alias: None,
        candidates: span
            .candidates
            .iter()
            .map(|&e| gazetteer.entity(e).id.as_str())
            .collect(),
        reason: Some(span.reason.text(gazetteer)),
        nearest: span
            .nearest
            .as_ref()
            .map(|n| gazetteer.entity(n.entity).id.as_str()),
    }
}

/// One line of `tag`'s output. [`MentionLine::write_json`] writes it; the `Serialize` impl is the
/// reference the tests hold that writer to.
#[derive(Serialize)]
struct MentionLine<'a> {
    doc: &'a str,
    start: usize,
    end: usize,
    text: &'a str,
    entity: Option<&'a str>,
    #[serde(rename = "type")]
    entity_type: Option<&'static str>,
    kind: &'static str,
    method: &'a str,
    score: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    alias: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    candidates: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nearest: Option<&'a str>,
}

impl MentionLine<'_> {
    /// Appends the line as compact JSON, byte for byte what `serde_json::to_writer` writes for
    /// it. Written by hand because serde's field-by-field machinery cost more than tagging's
    /// exact pass: `tag` writes about two bytes of JSON for every byte it reads.
    fn write_line(&self, out: &mut Vec<u8>) {
        self.write_json(out);
        out.push(b'\n');
    }

    fn write_json(&self, out: &mut Vec<u8>) {
        // Room for the line unless it needs escapes, so that the pushes below never reallocate.
        out.reserve(
            160 + self.doc.len()
                + self.text.len()
                + self.entity.map_or(0, str::len)
                + self.alias.map_or(0, str::len),
        );
        out.extend_from_slice(b"{\"doc\":");
        write_str(out, self.doc);
        out.extend_from_slice(b",\"start\":");
        write_span(out, self.start, self.end, self.text);
        out.extend_from_slice(b",\"entity\":");
        write_optional_str(out, self.entity);
        out.extend_from_slice(b",\"type\":");
        write_optional_str(out, self.entity_type);
        out.extend_from_slice(b",\"kind\":");
        write_str(out, self.kind);
        out.extend_from_slice(b",\"method\":");
        write_str(out, self.method);
        out.extend_from_slice(b",\"score\":");
        write_score(out, self.score);
        if let Some(alias) = self.alias {
            out.extend_from_slice(b",\"alias\":");
            write_str(out, alias);
        }
        if !self.candidates.is_empty() {
            out.extend_from_slice(b",\"candidates\":[");
            for (i, candidate) in self.candidates.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_str(out, candidate);
            }
            out.push(b']');
        }
        if let Some(reason) = &self.reason {
            out.extend_from_slice(b",\"reason\":");
            write_str(out, reason);
        }
        if let Some(nearest) = self.nearest {
            out.extend_from_slice(b",\"nearest\":");
            write_str(out, nearest);
        }
        out.push(b'}');
    }
}

fn write_optional_str(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(text) => write_str(out, text),
        None => out.extend_from_slice(b"null"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(line: &MentionLine) -> (String, String) {
        let mut ours = Vec::new();
        line.write_json(&mut ours);
        let serde = serde_json::to_string(line).unwrap();
        (String::from_utf8(ours).unwrap(), serde)
    }

    /// The rendered pieces are found by each variant's number: every list of variants must hold
    /// every variant, at its number. (A new variant fails to compile the matches below until it
    /// is listed.)
    #[test]
    fn every_type_kind_and_method_is_listed_at_its_number() {
        let listed = |numbers: Vec<usize>| numbers.iter().enumerate().all(|(i, &n)| i == n);
        assert!(listed(
            EntityType::ALL.iter().map(|&t| t as usize).collect()
        ));
        assert!(listed(AliasKind::ALL.iter().map(|&k| k as usize).collect()));
        assert!(listed(Method::ALL.iter().map(|&m| m as usize).collect()));
        let _ = |t: EntityType| match t {
            EntityType::Person
            | EntityType::State
            | EntityType::Organization
            | EntityType::Place => 4,
        };
        let _ = |k: AliasKind| match k {
            AliasKind::Name | AliasKind::Demonym | AliasKind::Role => 3,
        };
        let _ = |m: Method| match m {
            Method::Exact
            | Method::Normalized
            | Method::Transliterated
            | Method::Fuzzy
            | Method::Context
            | Method::Role
            | Method::Default => 7,
        };
        assert_eq!(
            (
                EntityType::ALL.len(),
                AliasKind::ALL.len(),
                Method::ALL.len()
            ),
            (4, 3, 7)
        );
    }

    #[test]
    fn resolved_lines_are_the_lines_of_their_mentions() {
        let texts = ["Putin", "say \"Lukashenko\"", "Ціханоўская", ""];
        for (i, text) in texts.iter().enumerate() {
            for entity_type in EntityType::ALL {
                for kind in AliasKind::ALL {
                    for method in Method::ALL {
                        let line = MentionLine {
                            doc: texts[(i + 1) % texts.len()],
                            start: i,
                            end: 1000 * i + 7,
                            text,
                            entity: Some(texts[(i + 2) % texts.len()]),
                            entity_type: Some(entity_type.as_str()),
                            kind: kind.as_str(),
                            method: method.as_str(),
                            score: [1.0, 0.875, 0.0][i % 3],
                            alias: Some(texts[(i + 3) % texts.len()]),
                            candidates: Vec::new(),
                            reason: None,
                            nearest: None,
                        };
                        let mut expected = Vec::new();
                        line.write_line(&mut expected);
                        let mut line_start = b"{\"doc\":".to_vec();
                        write_str(&mut line_start, line.doc);
                        line_start.extend_from_slice(b",\"start\":");
                        let mut ours = b"before\n".to_vec();
                        ResolvedLine {
                            start: line.start,
                            end: line.end,
                            text,
                            entity: line.entity.unwrap(),
                            entity_type,
                            kind,
                            method,
                            score: line.score,
                            alias: line.alias.unwrap(),
                        }
                        .write_line(&line_start, &mut ours);
                        assert_eq!(ours[b"before\n".len()..], expected);
                    }
                }
            }
        }
    }

    #[test]
    fn lines_are_written_exactly_as_serde_json_writes_them() {
        let texts = [
            "Putin",
            "Ціханоўская",
            "say \"Lukashenko\"",
            "back\\slash",
            "tab\tnew\nline\r\u{1}\u{1f}",
            "\u{7f} and \u{2028}",
            "",
        ];
        let scores = [1.0, 0.0, 0.9123, 0.87, 1e-7, 123456.5];
        for (i, text) in texts.iter().enumerate() {
            let resolved = MentionLine {
                doc: text,
                start: i,
                end: usize::MAX - i,
                text,
                entity: Some("vladimir-putin"),
                entity_type: Some("person"),
                kind: "name",
                method: "exact",
                score: scores[i % scores.len()],
                alias: Some(text),
                candidates: Vec::new(),
                reason: None,
                nearest: None,
            };
            let (ours, serde) = both(&resolved);
            assert_eq!(ours, serde);
            let unresolved = MentionLine {
                entity: None,
                entity_type: None,
                alias: None,
                candidates: vec![text, "b", text],
                reason: Some(Cow::Borrowed(text)),
                nearest: Some(text),
                score: scores[(i + 1) % scores.len()],
                ..resolved
            };
            let (ours, serde) = both(&unresolved);
            assert_eq!(ours, serde);
            let one_candidate = MentionLine {
                candidates: vec![text],
                nearest: None,
                ..unresolved
            };
            let (ours, serde) = both(&one_candidate);
            assert_eq!(ours, serde);
        }
    }
}
