//! `namegraph tag`: articles → mentions, one JSON object per line.

use std::io::{BufWriter, Write};

use anyhow::Result;
use serde::Serialize;

use namegraph::document::CharOffsets;
use namegraph::Tagger;

use super::InputArgs;

/// List every mention found: document, character offsets, text, entity, how it was resolved.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Each line of output is one mention:\n  {\"doc\": \"a.txt\", \"start\": 10, \"end\": 15, \"text\": \"Putin\", \"entity\": \"vladimir-putin\",\n   \"type\": \"person\", \"kind\": \"name\", \"method\": \"exact\", \"score\": 1.0}\nstart and end count Unicode code points (as Python does). Unresolved ambiguous mentions have\n\"entity\": null and list their \"candidates\".\n\nExamples:\n  namegraph tag                              tag corpus/ with gazetteers/\n  namegraph tag article.txt | jq .entity\n  echo 'Putin met Lukashenko.' | namegraph tag -"
)]
pub struct TagArgs {
    #[command(flatten)]
    input: InputArgs,
}

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
    method: &'static str,
    score: f64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    candidates: Vec<&'a str>,
}

pub fn run(args: TagArgs) -> Result<()> {
    let (gazetteer, documents) = args.input.load()?;
    let tagger = Tagger::new(gazetteer);
    let gazetteer = tagger.gazetteer();
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for document in &documents {
        let tagged = tagger.tag(document);
        let offsets = CharOffsets::new(&document.text);
        for mention in &tagged.mentions {
            let entity = mention.entity.map(|e| gazetteer.entity(e));
            let line = MentionLine {
                doc: &document.id,
                start: offsets.char_offset(mention.start),
                end: offsets.char_offset(mention.end),
                text: &document.text[mention.start..mention.end],
                entity: entity.map(|e| e.id.as_str()),
                entity_type: entity.map(|e| e.entity_type.as_str()),
                kind: match mention.kind {
                    namegraph::gazetteer::AliasKind::Name => "name",
                    namegraph::gazetteer::AliasKind::Demonym => "demonym",
                },
                method: mention.method.as_str(),
                score: mention.score,
                candidates: mention
                    .candidates
                    .iter()
                    .map(|&e| gazetteer.entity(e).id.as_str())
                    .collect(),
            };
            serde_json::to_writer(&mut out, &line)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(())
}
