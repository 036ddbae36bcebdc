//! Running the tagger over a stream of documents on every core, in input order.
//!
//! Documents are read in batches (a few megabytes at a time) and every batch is tagged in
//! parallel on a rayon pool. On more than one thread the stages overlap: a reader thread parses
//! the next batch while the pool tags the current one, and the calling thread meanwhile hands
//! the previous batch's results to the caller's sink, one by one and **in input order**, so the
//! output does not depend on the number of threads. At most three batches are in memory at a
//! time. On one thread everything runs in turn on the calling thread. A progress bar (indicatif)
//! is drawn on stderr when stderr is a terminal.

use std::io::IsTerminal;
use std::sync::mpsc::sync_channel;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::document::{Document, DocumentStream};
use crate::error::Result;
use crate::tagger::{TaggedDocument, Tagger};

/// A batch is cut when it holds this many bytes of text...
const BATCH_BYTES: usize = 2 << 20;
/// ... or this many documents.
const BATCH_DOCUMENTS: usize = 1024;

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

/// The next batch of documents (empty at the end of the stream) and its size in bytes.
fn next_batch(stream: &mut DocumentStream) -> Result<(Vec<Document>, usize)> {
    let mut batch = Vec::new();
    let mut bytes = 0;
    while bytes < BATCH_BYTES && batch.len() < BATCH_DOCUMENTS {
        match stream.next() {
            Some(document) => {
                let document = document?;
                bytes += document.text.len();
                batch.push(document);
            }
            None => break,
        }
    }
    Ok((batch, bytes))
}

/// Counts a batch and moves the progress bar.
struct Progress {
    bar: Option<ProgressBar>,
    totals: RunTotals,
}

impl Progress {
    fn add(&mut self, documents: usize, bytes: usize) {
        self.totals.documents += documents;
        self.totals.bytes += bytes;
        if let Some(bar) = &self.bar {
            bar.set_position(self.totals.bytes as u64);
            bar.set_message(format!("{} documents", self.totals.documents));
        }
    }

    fn finish(self) -> RunTotals {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
        self.totals
    }
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
    run_prepared(
        tagger,
        stream,
        options,
        |tagged| tagged,
        |tagged| sink(&tagged),
    )
}

/// Like [`run`], with a `prepare` step that runs on the worker threads right after each
/// document is tagged and turns it into what the in-order `sink` needs (formatted output, say).
/// The sink then has little left to do, and the tagged document is freed on the thread that
/// made it.
pub fn run_prepared<T, P, F>(
    tagger: &Tagger,
    mut stream: DocumentStream,
    options: &RunOptions,
    prepare: P,
    mut sink: F,
) -> Result<RunTotals>
where
    T: Send,
    P: Fn(TaggedDocument<'static>) -> T + Sync,
    F: FnMut(T) -> Result<()>,
{
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .build()
        .expect("a thread pool can be built");
    let mut progress = Progress {
        bar: progress_bar(options.progress),
        totals: RunTotals::default(),
    };
    if pool.current_num_threads() == 1 {
        loop {
            let (batch, bytes) = next_batch(&mut stream)?;
            if batch.is_empty() {
                break;
            }
            let documents = batch.len();
            for document in batch {
                sink(prepare(tagger.tag_owned(document)))?;
            }
            progress.add(documents, bytes);
        }
        return Ok(progress.finish());
    }
    std::thread::scope(|scope| {
        // One batch waits in the channel while the pool tags another: the reader stays ahead.
        let (batches, received) = sync_channel::<Result<(Vec<Document>, usize)>>(1);
        scope.spawn(move || loop {
            let batch = next_batch(&mut stream);
            let done = !matches!(&batch, Ok((documents, _)) if !documents.is_empty());
            if batches.send(batch).is_err() || done {
                break;
            }
        });
        let mut previous: Vec<T> = Vec::new();
        let mut hand_on = |done: &mut Vec<T>| done.drain(..).try_for_each(&mut sink);
        let mut failure = None;
        for batch in received {
            let (batch, bytes) = match batch {
                Ok(batch) => batch,
                Err(error) => {
                    failure = Some(error);
                    break;
                }
            };
            if batch.is_empty() {
                break;
            }
            progress.add(batch.len(), bytes);
            let mut current = Vec::new();
            let mut sunk = Ok(());
            pool.in_place_scope(|tagging| {
                tagging.spawn(|_| {
                    current = batch
                        .into_par_iter()
                        .map(|document| prepare(tagger.tag_owned(document)))
                        .collect();
                });
                sunk = hand_on(&mut previous);
            });
            // Dropping `received` (by returning) ends the reader at its next send.
            sunk?;
            previous = current;
        }
        hand_on(&mut previous)?;
        match failure {
            Some(error) => Err(error),
            None => Ok(progress.finish()),
        }
    })
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
