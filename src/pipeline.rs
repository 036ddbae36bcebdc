//! Running the tagger over a stream of documents on every core, in input order.
//!
//! Documents are read in batches (a few megabytes at a time) and every batch is parsed and
//! tagged in parallel on a rayon pool. On more than one thread the stages overlap: a reader
//! thread reads ahead while the pool parses and tags a batch, and the calling thread meanwhile
//! checks an earlier batch (document ids are unique, in input order) and hands its results to
//! the caller's sink, one by one and **in input order**, so the output does not depend on the
//! number of threads. At most five batches are in memory at a time (two read ahead, one being
//! tagged, one tagged and waiting, one being handed on). On one thread everything runs in turn
//! on the calling thread. A progress bar (indicatif)
//! is drawn on stderr when stderr is a terminal.

use std::io::IsTerminal;
use std::sync::mpsc::sync_channel;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::document::{DocumentIds, DocumentStream, UnreadDocument};
use crate::error::Result;
use crate::tagger::{TaggedDocument, Tagger};

/// A batch is cut when it holds this many bytes as read...
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
    /// Bytes of text (of the documents' `text`, not of the JSON lines that held it).
    pub bytes: usize,
}

/// The next batch of documents as read (empty at the end of the stream) and the bytes read.
fn next_batch(stream: &mut DocumentStream) -> Result<(Vec<UnreadDocument>, usize)> {
    let mut batch = Vec::new();
    let mut bytes = 0;
    while bytes < BATCH_BYTES && batch.len() < BATCH_DOCUMENTS {
        match stream.next_unread() {
            Some(document) => {
                let document = document?;
                bytes += document.read_len();
                batch.push(document);
            }
            None => break,
        }
    }
    Ok((batch, bytes))
}

/// Counts what was read (on the progress bar) and what was handed on (the totals).
struct Progress {
    bar: Option<ProgressBar>,
    read: u64,
    totals: RunTotals,
}

impl Progress {
    fn read(&mut self, bytes: usize) {
        self.read += bytes as u64;
        if let Some(bar) = &self.bar {
            bar.set_position(self.read);
        }
    }

    fn handed_on(&mut self, documents: usize, bytes: usize) {
        self.totals.documents += documents;
        self.totals.bytes += bytes;
        if let Some(bar) = &self.bar {
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

/// One document's result, made on a worker thread: what the sink needs, and what the calling
/// thread checks before it hands the result on.
struct Prepared<T> {
    id: String,
    input: usize,
    text_bytes: usize,
    value: T,
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
///
/// A batch in which a document is malformed (or repeats an id) is not handed on at all: the
/// run ends with that document's error after the batches before it, whatever the number of
/// threads.
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
        read: 0,
        totals: RunTotals::default(),
    };
    let mut ids = stream.ids();
    if pool.current_num_threads() == 1 {
        loop {
            let (batch, bytes) = next_batch(&mut stream)?;
            if batch.is_empty() {
                break;
            }
            progress.read(bytes);
            let mut documents = Vec::with_capacity(batch.len());
            let mut text_bytes = 0;
            for unread in batch {
                let input = unread.input;
                let document = unread.parse()?;
                ids.admit(&document.id, input)?;
                text_bytes += document.text.len();
                documents.push(document);
            }
            progress.handed_on(documents.len(), text_bytes);
            for document in documents {
                sink(prepare(tagger.tag_owned(document)))?;
            }
        }
        return Ok(progress.finish());
    }
    std::thread::scope(|scope| {
        // Three stages, each a batch ahead of the next: a reader thread keeps one batch ready,
        // a tagging thread has the pool parse and tag the next, and one tagged batch waits for
        // the calling thread, which checks it and hands it on. So the pool never waits for the
        // sink to finish a batch (building a graph is serial work) unless the sink is a whole
        // batch behind, and the sink never waits for the pool unless it has caught up.
        let (batches, to_tag) = sync_channel::<Result<(Vec<UnreadDocument>, usize)>>(1);
        scope.spawn(move || loop {
            let batch = next_batch(&mut stream);
            let done = !matches!(&batch, Ok((documents, _)) if !documents.is_empty());
            if batches.send(batch).is_err() || done {
                break;
            }
        });
        type Tagged<T> = Result<(Vec<Result<Prepared<T>>>, usize)>;
        let (tagged, received) = sync_channel::<Tagged<T>>(1);
        let (pool, prepare) = (&pool, &prepare);
        scope.spawn(move || {
            for batch in to_tag {
                let (batch, bytes) = match batch {
                    Ok(batch) if batch.0.is_empty() => return,
                    Ok(batch) => batch,
                    Err(error) => {
                        // The calling thread may be gone already (it failed first).
                        let _ = tagged.send(Err(error));
                        return;
                    }
                };
                let done = pool.install(|| {
                    // Parsed here rather than on the reader thread: the text is then fresh
                    // in the cache of the core that tags it.
                    batch
                        .into_par_iter()
                        .map(|unread| {
                            let input = unread.input;
                            let document = unread.parse()?;
                            Ok(Prepared {
                                id: document.id.clone(),
                                input,
                                text_bytes: document.text.len(),
                                value: prepare(tagger.tag_owned(document)),
                            })
                        })
                        .collect()
                });
                // Once the calling thread has gone (it failed), so does this one, and with it
                // `to_tag`, which ends the reader at its next send.
                if tagged.send(Ok((done, bytes))).is_err() {
                    return;
                }
            }
        });
        for batch in received {
            let (batch, bytes) = batch?;
            progress.read(bytes);
            hand_on(batch, &mut ids, &mut progress, &mut sink)?;
        }
        Ok(progress.finish())
    })
}

/// Checks a tagged batch in input order (the first malformed document or repeated id ends the
/// run) and only then hands it on to `sink`.
fn hand_on<T>(
    batch: Vec<Result<Prepared<T>>>,
    ids: &mut DocumentIds,
    progress: &mut Progress,
    sink: &mut impl FnMut(T) -> Result<()>,
) -> Result<()> {
    let mut values = Vec::with_capacity(batch.len());
    let mut text_bytes = 0;
    for prepared in batch {
        let prepared = prepared?;
        ids.admit(&prepared.id, prepared.input)?;
        text_bytes += prepared.text_bytes;
        values.push(prepared.value);
    }
    progress.handed_on(values.len(), text_bytes);
    values.into_iter().try_for_each(sink)
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
