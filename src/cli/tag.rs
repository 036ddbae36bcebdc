//! `namegraph tag`: articles → mentions, one JSON object per line.

use std::io::{BufWriter, Write};
use std::time::Duration;

use anyhow::Result;
use serde::Serialize;

use namegraph::document::CharOffsets;
use namegraph::resolve::round_score;
use namegraph::tagger::StageTimes;
use namegraph::tagger::TaggedDocument;
use namegraph::Tagger;

use super::{run_writing_prepared, InputArgs};

/// List every mention found: document, character offsets, text, entity, how it was resolved.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Each line of output is one mention:\n  {\"doc\": \"a.txt\", \"start\": 10, \"end\": 15, \"text\": \"Putin\", \"entity\": \"vladimir-putin\",\n   \"type\": \"person\", \"kind\": \"name\", \"method\": \"exact\", \"score\": 1.0, \"alias\": \"Putin\"}\nstart and end count Unicode code points (as Python does). kind is name, demonym or role;\nmethod is exact, normalized, transliterated, fuzzy, context, role or default. A shared alias\nthat nothing decided is listed with \"entity\": null, \"method\": \"unresolved\" and its\n\"candidates\"; --unresolved lists every other name-like span left unresolved too.\n\nExamples:\n  namegraph tag                              tag corpus/ with gazetteers/\n  namegraph tag article.txt | jq .entity\n  echo 'Putin met Lukashenka.' | namegraph tag -\n  namegraph tag --timings > /dev/null        time each stage"
)]
pub struct TagArgs {
    #[command(flatten)]
    input: InputArgs,

    /// Also list the name-like spans no entity took, with the reason and the nearest entity.
    #[arg(long)]
    unresolved: bool,

    /// Exact pass only: no fuzzy or transliterated matching.
    #[arg(long)]
    no_fuzzy: bool,

    /// Print the time spent in each stage on stderr.
    #[arg(long)]
    timings: bool,
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
    reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nearest: Option<&'a str>,
}

impl MentionLine<'_> {
    /// Appends the line as compact JSON, byte for byte what `serde_json::to_writer` writes for
    /// it. Written by hand because serde's field-by-field machinery cost more than tagging's
    /// exact pass: `tag` writes about two bytes of JSON for every byte it reads.
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
        out.extend_from_slice(itoa::Buffer::new().format(self.start).as_bytes());
        out.extend_from_slice(b",\"end\":");
        out.extend_from_slice(itoa::Buffer::new().format(self.end).as_bytes());
        out.extend_from_slice(b",\"text\":");
        write_str(out, self.text);
        out.extend_from_slice(b",\"entity\":");
        write_optional_str(out, self.entity);
        out.extend_from_slice(b",\"type\":");
        write_optional_str(out, self.entity_type);
        out.extend_from_slice(b",\"kind\":");
        write_str(out, self.kind);
        out.extend_from_slice(b",\"method\":");
        write_str(out, self.method);
        out.extend_from_slice(b",\"score\":");
        serde_json::to_writer(&mut *out, &self.score).expect("writing to a Vec cannot fail");
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
        if let Some(reason) = self.reason {
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

/// A JSON string. Text that needs no escape (nearly all of it) is copied as it is; the rest goes
/// through serde_json, so that escapes come out exactly as serde_json writes them.
fn write_str(out: &mut Vec<u8>, text: &str) {
    const ESCAPED: [bool; 256] = {
        let mut escaped = [false; 256];
        let mut byte = 0;
        while byte < 0x20 {
            escaped[byte] = true;
            byte += 1;
        }
        escaped[b'"' as usize] = true;
        escaped[b'\\' as usize] = true;
        escaped
    };
    if text.bytes().any(|b| ESCAPED[b as usize]) {
        serde_json::to_writer(&mut *out, text).expect("writing to a Vec cannot fail");
    } else {
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    }
}

fn write_optional_str(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(text) => write_str(out, text),
        None => out.extend_from_slice(b"null"),
    }
}

pub fn run(args: TagArgs) -> Result<()> {
    let started = std::time::Instant::now();
    let (gazetteer, stream) = args.input.open()?;
    let tagger = Tagger::with_fuzzy(gazetteer, !args.no_fuzzy);
    let loaded = started.elapsed();
    let running = std::time::Instant::now();
    let gazetteer = tagger.gazetteer();
    let stdout = std::io::stdout();
    // Large writes: `tag` writes about two bytes for every byte it reads.
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let mut times = StageTimes::default();
    // Formatting runs on the worker threads; only the writing is in order.
    let format = |tagged: TaggedDocument<'static>| -> (StageTimes, Vec<u8>) {
        let document = &*tagged.document;
        let offsets = CharOffsets::new(&document.text);
        let mut lines: Vec<(usize, MentionLine)> = Vec::new();
        for mention in &tagged.mentions {
            let entity = gazetteer.entity(mention.entity);
            lines.push((
                mention.start,
                MentionLine {
                    doc: &document.id,
                    start: offsets.char_offset(mention.start),
                    end: offsets.char_offset(mention.end),
                    text: &document.text[mention.start..mention.end],
                    entity: Some(entity.id.as_str()),
                    entity_type: Some(entity.entity_type.as_str()),
                    kind: mention.kind.as_str(),
                    method: mention.method.as_str(),
                    score: mention.score,
                    alias: Some(&gazetteer.alias(mention.alias).text),
                    candidates: Vec::new(),
                    reason: None,
                    nearest: None,
                },
            ));
        }
        for span in &tagged.unresolved {
            if span.candidates.is_empty() && !args.unresolved {
                continue;
            }
            lines.push((
                span.start,
                MentionLine {
                    doc: &document.id,
                    start: offsets.char_offset(span.start),
                    end: offsets.char_offset(span.end),
                    text: &document.text[span.start..span.end],
                    entity: None,
                    entity_type: None,
                    kind: "name",
                    method: "unresolved",
                    score: span.nearest.as_ref().map_or(0.0, |n| round_score(n.score)),
                    alias: None,
                    candidates: span
                        .candidates
                        .iter()
                        .map(|&e| gazetteer.entity(e).id.as_str())
                        .collect(),
                    reason: Some(&span.reason),
                    nearest: span
                        .nearest
                        .as_ref()
                        .map(|n| gazetteer.entity(n.entity).id.as_str()),
                },
            ));
        }
        lines.sort_by_key(|(start, _)| *start);
        // Entity ids and alias texts live all over the gazetteer: read the first byte of each
        // here, in a loop with nothing else to wait for, so that the reads overlap instead of
        // stalling the writer one by one.
        let first_bytes = lines.iter().fold(0u8, |acc, (_, line)| {
            let first = |text: Option<&str>| text.and_then(|t| t.bytes().next()).unwrap_or(0);
            acc ^ first(line.entity) ^ first(line.alias)
        });
        std::hint::black_box(first_bytes);
        // A line is about 200 bytes: one allocation for most documents.
        let mut formatted = Vec::with_capacity(lines.len() * 256);
        for (_, line) in lines {
            line.write_json(&mut formatted);
            formatted.push(b'\n');
        }
        (tagged.times, formatted)
    };
    let write = |(document_times, formatted): (StageTimes, Vec<u8>)| -> std::io::Result<()> {
        times += document_times;
        out.write_all(&formatted)
    };
    let Some(totals) = run_writing_prepared(&tagger, stream, &args.input, format, write)? else {
        return Ok(());
    };
    out.flush()?;
    if args.timings {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        eprintln!(
            "namegraph: timings: load_s={:.3} run_s={:.3} documents={} bytes={} (summed over threads:) segment_ms={:.1} exact_ms={:.1} fuzzy_ms={:.1} resolve_ms={:.1}",
            loaded.as_secs_f64(),
            running.elapsed().as_secs_f64(),
            totals.documents,
            totals.bytes,
            ms(times.segment),
            ms(times.exact),
            ms(times.fuzzy),
            ms(times.resolve)
        );
    }
    super::release_at_exit(tagger);
    Ok(())
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
                reason: Some(text),
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
