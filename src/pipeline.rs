//! Running the tagger over a stream of documents on every core, in input order.
//!
//! Documents are read in batches (a few megabytes at a time); each batch is tagged in parallel
//! on a rayon pool, and the results are handed to the caller's sink one by one **in input
//! order**, so the output does not depend on the number of threads. Only one batch is in memory
//! at a time. A progress bar (indicatif) is drawn on stderr when stderr is a terminal.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::document::{Document, DocumentStream};
use crate::error::Result;
use crate::tagger::{TaggedDocument, Tagger};

/// A batch is cut when it holds this many bytes of text...
const BATCH_BYTES: usize = 8 << 20;
/// ... or this many documents.
const BATCH_DOCUMENTS: usize = 4096;

/// How to run the pipeline.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// Draw a progress bar (only ever on a terminal).
    pub progress: bool,
}

/// Totals of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunTotals {
    pub documents: usize,
    pub bytes: usize,
}

/// Tags every document of `stream` and calls `sink` with each result, in input order.
pub fn run<F>(
    tagger: &Tagger,
    stream: DocumentStream,
    options: &RunOptions,
    mut sink: F,
) -> Result<RunTotals>
where
    F: FnMut(&TaggedDocument<'_>) -> Result<()>,
{
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .build()
        .expect("a thread pool can be built");
    let bar = progress_bar(options.progress);
    let mut totals = RunTotals::default();
    let mut batch: Vec<Document> = Vec::new();
    let mut stream = stream.peekable();
    while stream.peek().is_some() {
        batch.clear();
        let mut batch_bytes = 0;
        while batch_bytes < BATCH_BYTES && batch.len() < BATCH_DOCUMENTS {
            match stream.next() {
                Some(document) => {
                    let document = document?;
                    batch_bytes += document.text.len();
                    batch.push(document);
                }
                None => break,
            }
        }
        let tagged: Vec<TaggedDocument<'_>> =
            pool.install(|| batch.par_iter().map(|d| tagger.tag(d)).collect());
        for document in &tagged {
            sink(document)?;
        }
        totals.documents += batch.len();
        totals.bytes += batch_bytes;
        if let Some(bar) = &bar {
            bar.set_position(totals.bytes as u64);
            bar.set_message(format!("{} documents", totals.documents));
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(totals)
}

fn progress_bar(wanted: bool) -> Option<ProgressBar> {
    if !wanted || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {bytes} read, {msg} ({bytes_per_sec}) {elapsed}")
            .expect("valid progress template"),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    Some(bar)
}
