//! `namegraph tag`: articles → mentions, one JSON object per line.

use std::io::{BufWriter, Write};
use std::time::{Duration, Instant};

use anyhow::Result;

use namegraph::export::write_mention_lines;
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

pub fn run(args: TagArgs) -> Result<()> {
    let started = Instant::now();
    let (gazetteer, stream) = args.input.open()?;
    let tagger = Tagger::with_fuzzy(gazetteer, !args.no_fuzzy);
    let loaded = started.elapsed();
    let running = Instant::now();
    let gazetteer = tagger.gazetteer();
    // Large writes: `tag` writes about two bytes for every byte it reads. (Standard output is
    // locked at each of them: the worker that hands a batch on writes it.)
    let mut out = BufWriter::with_capacity(1 << 20, std::io::stdout());
    let mut times = StageTimes::default();
    let (mut formatting, mut writing) = (Duration::ZERO, Duration::ZERO);
    // Formatting runs on the worker threads; only the writing is in order.
    let format = |tagged: TaggedDocument<'static>| {
        let clock = Instant::now();
        let mut formatted = Vec::new();
        write_mention_lines(&mut formatted, gazetteer, &tagged, args.unresolved);
        (tagged.times, clock.elapsed(), formatted)
    };
    let write = |(document_times, formatted_in, formatted): (StageTimes, Duration, Vec<u8>)| {
        let clock = Instant::now();
        times += document_times;
        formatting += formatted_in;
        let written = out.write_all(&formatted);
        writing += clock.elapsed();
        written
    };
    let Some(totals) = run_writing_prepared(&tagger, stream, &args.input, format, write)? else {
        return Ok(());
    };
    out.flush()?;
    if args.timings {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        eprintln!(
            "namegraph: timings: load_s={:.3} run_s={:.3} documents={} bytes={} (summed over threads:) segment_ms={:.1} exact_ms={:.1} fuzzy_ms={:.1} resolve_ms={:.1} lines_ms={:.1} (in order:) write_ms={:.1}",
            loaded.as_secs_f64(),
            running.elapsed().as_secs_f64(),
            totals.documents,
            totals.bytes,
            ms(times.segment),
            ms(times.exact),
            ms(times.fuzzy),
            ms(times.resolve),
            ms(formatting),
            ms(writing)
        );
    }
    super::release_at_exit(tagger);
    Ok(())
}
