//! `namegraph relations`: every stated relation extracted, one per line.

use std::io::{BufWriter, Write};
use std::time::Duration;

use anyhow::{bail, Result};
use serde::Serialize;

use namegraph::document::CharOffsets;
use namegraph::segment::collapse_whitespace;
use namegraph::tagger::{StageTimes, TaggedDocument};
use namegraph::Tagger;

use super::{run_writing, InputArgs, LexiconArgs};

/// List every stated relation: subject, relation, object, negation, document and sentence.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The table has one relation per line: subject and object entity ids, the relation (\"not\nsupports\" when negated), the document with the sentence's line, and the sentence.\n--json writes one object per line instead:\n  {\"document\": \"a.txt\", \"line\": 3, \"subject\": \"vladimir-putin\", \"relation\": \"supports\",\n   \"object\": \"alexander-lukashenko\", \"negated\": false, \"polarity\": \"cooperative\",\n   \"symmetric\": false, \"trigger\": \"backs\", \"sentence\": \"Putin backs Lukashenko\", ...}\nOffsets count Unicode code points.\n\nExamples:\n  namegraph relations                          the sample corpus\n  namegraph relations --json | jq -r .relation | sort | uniq -c\n  echo 'Putin backed Lukashenko.' | namegraph relations -"
)]
pub struct RelationsArgs {
    #[command(flatten)]
    input: InputArgs,

    #[command(flatten)]
    lexicon: LexiconArgs,

    /// One JSON object per line instead of a table.
    #[arg(long)]
    json: bool,

    /// Print the time spent in each stage on stderr.
    #[arg(long)]
    timings: bool,
}

#[derive(Serialize)]
struct RelationLine<'a> {
    document: &'a str,
    line: usize,
    subject: &'a str,
    subject_text: &'a str,
    relation: &'a str,
    object: &'a str,
    object_text: &'a str,
    negated: bool,
    polarity: &'static str,
    symmetric: bool,
    trigger: &'a str,
    trigger_start: usize,
    trigger_end: usize,
    sentence: String,
    sentence_start: usize,
    sentence_end: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
}

pub fn run(args: RelationsArgs) -> Result<()> {
    let started = std::time::Instant::now();
    let (gazetteer, stream) = args.input.open()?;
    let Some(lexicon) = args.input.relation_lexicon(&args.lexicon)? else {
        bail!(
            "no relation lexicon: put relations.toml in a gazetteer folder, or pass --relations FILE"
        );
    };
    let tagger = Tagger::new(gazetteer).with_relations(lexicon);
    let loaded = started.elapsed();
    let running = std::time::Instant::now();
    let gazetteer = tagger.gazetteer();
    let lexicon = tagger.relations().expect("a lexicon was given").lexicon();
    // Not locked for the whole run: the worker that hands a batch on writes it.
    let mut out = BufWriter::new(std::io::stdout());
    if !args.json {
        writeln!(
            out,
            "{:<24} {:<18} {:<24} {:<48} SENTENCE",
            "SUBJECT", "RELATION", "OBJECT", "DOCUMENT:LINE"
        )?;
    }
    let mut times = StageTimes::default();
    let mut write = |tagged: &TaggedDocument<'_>| -> std::io::Result<()> {
        times += tagged.times;
        if tagged.relations.is_empty() {
            return Ok(());
        }
        let document = &*tagged.document;
        let text = &document.text;
        let offsets = CharOffsets::new(text);
        // Relations come in text order: count line breaks once, from the previous sentence on.
        let (mut line, mut counted_to) = (1, 0);
        for relation in &tagged.relations {
            let sentence = &tagged.segmented.sentences[relation.sentence];
            let relation_type = &lexicon.relations[relation.relation];
            line += text[counted_to..sentence.start].matches('\n').count();
            counted_to = sentence.start;
            let sentence_text = collapse_whitespace(&text[sentence.start..sentence.end]);
            let subject = gazetteer.entity(relation.subject).id.as_str();
            let object = gazetteer.entity(relation.object).id.as_str();
            if args.json {
                let record = RelationLine {
                    document: &document.id,
                    line,
                    subject,
                    subject_text: &text[relation.subject_span.clone()],
                    relation: &relation_type.name,
                    object,
                    object_text: &text[relation.object_span.clone()],
                    negated: relation.negated,
                    polarity: relation_type.polarity.as_str(),
                    symmetric: relation_type.symmetric,
                    trigger: &text[relation.trigger.clone()],
                    trigger_start: offsets.char_offset(relation.trigger.start),
                    trigger_end: offsets.char_offset(relation.trigger.end),
                    sentence: sentence_text,
                    sentence_start: offsets.char_offset(sentence.start),
                    sentence_end: offsets.char_offset(sentence.end),
                    date: tagged.date.as_deref(),
                };
                serde_json::to_writer(&mut out, &record)?;
                out.write_all(b"\n")?;
            } else {
                let name = if relation.negated {
                    format!("not {}", relation_type.name)
                } else {
                    relation_type.name.clone()
                };
                writeln!(
                    out,
                    "{subject:<24} {name:<18} {object:<24} {:<48} {sentence_text}",
                    format!("{}:{line}", document.id)
                )?;
            }
        }
        Ok(())
    };
    let Some(totals) = run_writing(&tagger, stream, &args.input, &mut write)? else {
        return Ok(());
    };
    out.flush()?;
    if args.timings {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let tagging = times.segment + times.exact + times.fuzzy + times.resolve;
        eprintln!(
            "namegraph: timings: load_s={:.3} run_s={:.3} documents={} bytes={} (summed over threads:) tagging_ms={:.1} relations_ms={:.1} relations/tagging={:.3}",
            loaded.as_secs_f64(),
            running.elapsed().as_secs_f64(),
            totals.documents,
            totals.bytes,
            ms(tagging),
            ms(times.relations),
            times.relations.as_secs_f64() / tagging.as_secs_f64().max(1e-9)
        );
    }
    Ok(())
}
