//! Running the tagger over a stream of documents on every core, in input order.
//!
//! Documents are read in batches (half a megabyte at a time). On more than one thread every
//! worker of a rayon pool reads a batch for itself (one at a time: the stream is shared), then
//! parses, tags and prepares its documents, so that a batch's text stays in the cache of the
//! core that reads and tags it. Then the worker hands on every batch that is next in input
//! order, its own most often: it checks them (document ids are unique, in input order) and
//! calls the caller's sink with their results, one by one and **in input order**, so the output
//! does not depend on the number of threads. Only one worker hands on at a time; one that finds
//! another doing so leaves its batch waiting and goes on reading. No worker reads more than a
//! few batches ahead of the one handed on last, so memory holds a bounded number of batches
//! whatever the sink's speed. On one thread everything runs in turn on the calling thread. A
//! progress bar (indicatif) is drawn on stderr when stderr is a terminal.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::{Condvar, Mutex};

use indicatif::{ProgressBar, ProgressStyle};

use crate::document::{DocumentIds, DocumentStream, Origin, UnreadDocument};
use crate::error::Result;
use crate::tagger::{TaggedDocument, Tagger};

/// A batch is cut when it holds this many bytes as read (small, so that the workers end their
/// last batches at nearly the same time)...
const BATCH_BYTES: usize = 1 << 19;
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

/// One document's result, made on a worker thread: what the sink needs, and what is checked
/// before the result is handed on.
struct Prepared<T> {
    id: String,
    origin: Origin,
    text_bytes: usize,
    value: T,
}

/// Tags every document of `stream` and calls `sink` with each result, in input order. The sink
/// is called by one thread at a time, but not always the same one (hence `Send`).
pub fn run<F>(
    tagger: &Tagger,
    stream: DocumentStream,
    options: &RunOptions,
    mut sink: F,
) -> Result<RunTotals>
where
    F: FnMut(&TaggedDocument<'_>) -> Result<()> + Send,
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
/// The sink then has little left to do.
///
/// A batch in which a document is malformed (or repeats an id) is not handed on at all: the
/// run ends with that document's error after the batches before it, whatever the number of
/// threads.
pub fn run_prepared<T, P, F>(
    tagger: &Tagger,
    stream: DocumentStream,
    options: &RunOptions,
    prepare: P,
    mut sink: F,
) -> Result<RunTotals>
where
    T: Send,
    P: Fn(TaggedDocument<'static>) -> T + Sync,
    F: FnMut(T) -> Result<()> + Send,
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
        let mut stream = stream;
        loop {
            let (batch, bytes) = next_batch(&mut stream)?;
            if batch.is_empty() {
                break;
            }
            progress.read(bytes);
            let mut documents = Vec::with_capacity(batch.len());
            let mut text_bytes = 0;
            for unread in batch {
                let origin = unread.origin.clone();
                let document = unread.parse()?;
                ids.admit(&document.id, &origin)?;
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
    let limit = pool.current_num_threads() + 2;
    let input = Mutex::new(Input {
        stream,
        numbered: 0,
        handed_on: 0,
        done: false,
    });
    let turn = Condvar::new();
    let order = Mutex::new(Order {
        waiting: BTreeMap::new(),
        next: 0,
        handing_on: false,
        failed: None,
    });
    let handing = Mutex::new(Handing {
        ids,
        progress,
        sink,
    });
    // Each worker reads its own batches (the input's lock is held only while reading), then
    // parses, tags and prepares them, so that a batch's text stays in the cache of the core
    // that tags it. Then it hands on, in input order, every batch that is ready (its own
    // first, most often), unless another worker is doing so: then it leaves its batch waiting
    // for that worker and goes on reading. No thread is left to preempt the workers, and a
    // worker waits only before reading a batch more than `limit` ahead of the one handed on
    // last, which bounds the batches in memory whatever the sink's speed.
    pool.broadcast(|_| {
        // However a worker leaves (the end, a failed batch, a panic), reading ends.
        let _stop = Stop {
            input: &input,
            turn: &turn,
        };
        loop {
            let (number, batch) = {
                let mut input = lock(&input);
                while !input.done && input.numbered >= input.handed_on + limit {
                    input = turn.wait(input).unwrap_or_else(|e| e.into_inner());
                }
                if input.done {
                    return;
                }
                let batch = next_batch(&mut input.stream);
                match &batch {
                    Ok((documents, _)) if documents.is_empty() => {
                        input.done = true;
                        return;
                    }
                    Ok(_) => {}
                    // Nothing after a read error is read.
                    Err(_) => input.done = true,
                }
                input.numbered += 1;
                (input.numbered - 1, batch)
            };
            let done = batch.map(|(batch, bytes)| {
                let done = batch
                    .into_iter()
                    .map(|unread| {
                        let origin = unread.origin.clone();
                        let document = unread.parse()?;
                        Ok(Prepared {
                            id: document.id.clone(),
                            origin,
                            text_bytes: document.text.len(),
                            value: prepare(tagger.tag_owned(document)),
                        })
                    })
                    .collect();
                (done, bytes)
            });
            hand_on_in_order(number, done, &order, &handing, &input, &turn);
        }
    });
    let order = order.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some(error) = order.failed {
        return Err(error);
    }
    let handing = handing.into_inner().unwrap_or_else(|e| e.into_inner());
    Ok(handing.progress.finish())
}

/// Puts batch `number` among those waiting to be handed on; then, unless another worker is
/// handing on, hands on every batch that is next in input order, until the next one is not
/// ready yet. The first batch that fails ends the run: nothing after it is handed on.
fn hand_on_in_order<T, F>(
    number: usize,
    batch: Tagged<T>,
    order: &Mutex<Order<T>>,
    handing: &Mutex<Handing<F>>,
    input: &Mutex<Input>,
    turn: &Condvar,
) where
    F: FnMut(T) -> Result<()>,
{
    let mut waiting = lock(order);
    waiting.waiting.insert(number, batch);
    if waiting.handing_on || waiting.failed.is_some() {
        return;
    }
    waiting.handing_on = true;
    loop {
        let next = waiting.next;
        let Some(batch) = waiting.waiting.remove(&next) else {
            break;
        };
        waiting.next += 1;
        drop(waiting);
        let handed = {
            // Only the worker handing on locks it: never waited for.
            let mut handing = lock(handing);
            let Handing {
                ids,
                progress,
                sink,
            } = &mut *handing;
            batch.and_then(|(batch, bytes)| {
                progress.read(bytes);
                hand_on(batch, ids, progress, sink)
            })
        };
        {
            let mut input = lock(input);
            input.handed_on = next + 1;
            input.done |= handed.is_err();
        }
        turn.notify_all();
        waiting = lock(order);
        if let Err(error) = handed {
            waiting.failed = Some(error);
            waiting.waiting.clear();
            break;
        }
    }
    waiting.handing_on = false;
}

/// The tagged batches waiting to be handed on in input order.
struct Order<T> {
    waiting: BTreeMap<usize, Tagged<T>>,
    /// The next batch to hand on.
    next: usize,
    /// Whether a worker is handing batches on.
    handing_on: bool,
    /// The error that ended the run.
    failed: Option<crate::error::Error>,
}

/// What handing on changes; only ever used by one worker at a time.
struct Handing<F> {
    ids: DocumentIds,
    progress: Progress,
    sink: F,
}

/// A batch as tagged (or the error that ended reading).
type Tagged<T> = Result<(Vec<Result<Prepared<T>>>, usize)>;

/// The input as the workers share it.
struct Input {
    stream: DocumentStream,
    /// Batches read so far (the next batch's number).
    numbered: usize,
    /// Batches handed on so far.
    handed_on: usize,
    /// Whether reading has ended (the stream's end, a read error, or the run's end).
    done: bool,
}

fn lock<S>(shared: &Mutex<S>) -> std::sync::MutexGuard<'_, S> {
    // A worker that panicked leaves what it locked as it was; the panic reaches the caller
    // anyway.
    shared.lock().unwrap_or_else(|e| e.into_inner())
}

/// Ends reading when dropped, and wakes the workers waiting for their turn.
struct Stop<'a> {
    input: &'a Mutex<Input>,
    turn: &'a Condvar,
}

impl Drop for Stop<'_> {
    fn drop(&mut self) {
        lock(self.input).done = true;
        self.turn.notify_all();
    }
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
        ids.admit(&prepared.id, &prepared.origin)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::stream_inputs;
    use crate::gazetteer::people;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn tagger() -> Tagger {
        Tagger::new(people(&[("lukashenko", "Alexander Lukashenko")]))
    }

    /// Runs `documents` one-line documents through the pipeline on `threads` threads, with a sink
    /// that is slow at first (so the workers run ahead as far as they may); returns the ids
    /// handed on, and the most documents ever tagged but not yet handed on.
    fn run_corpus(documents: usize, threads: usize) -> (Vec<String>, usize) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("corpus.jsonl");
        let mut corpus = String::new();
        for n in 0..documents {
            let text = format!("Day {n}: Alexander Lukashenko spoke.");
            corpus.push_str(&serde_json::json!({"id": format!("d{n}"), "text": text}).to_string());
            corpus.push('\n');
        }
        std::fs::write(&path, corpus).unwrap();
        let tagger = tagger();
        let (tagged, handed) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let most_ahead = AtomicUsize::new(0);
        let mut ids = Vec::new();
        let options = RunOptions {
            threads,
            progress: false,
        };
        let stream = stream_inputs(&[path]).unwrap();
        let prepare = |document: TaggedDocument<'static>| {
            let tagged_so_far = tagged.fetch_add(1, Ordering::SeqCst) + 1;
            // Read after the count above: if this thread was held up in between, others may
            // have tagged and handed on more since, so the difference can be negative.
            let ahead = tagged_so_far.saturating_sub(handed.load(Ordering::SeqCst));
            most_ahead.fetch_max(ahead, Ordering::SeqCst);
            assert_eq!(document.mentions.len(), 1);
            document.document.id.clone()
        };
        let totals = run_prepared(&tagger, stream, &options, prepare, |id| {
            if ids.len() < 2 * BATCH_DOCUMENTS {
                std::thread::sleep(std::time::Duration::from_micros(50));
            }
            ids.push(id);
            handed.fetch_add(1, Ordering::SeqCst);
            Ok(())
        })
        .unwrap();
        assert_eq!(totals.documents, documents);
        (ids, most_ahead.into_inner())
    }

    #[test]
    fn many_batches_come_out_in_input_order_with_a_bounded_number_ahead() {
        let documents = 20 * BATCH_DOCUMENTS + 7;
        let expected: Vec<String> = (0..documents).map(|n| format!("d{n}")).collect();
        for threads in [1, 2, 3] {
            let (ids, most_ahead) = run_corpus(documents, threads);
            assert_eq!(ids, expected, "{threads} threads");
            // The batch being handed on, and at most `threads + 2` read after it.
            let bound = (threads + 3) * BATCH_DOCUMENTS;
            assert!(most_ahead <= bound, "{threads} threads: {most_ahead} ahead");
        }
    }

    #[test]
    fn a_failing_or_panicking_sink_ends_the_run_on_any_number_of_threads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("corpus.jsonl");
        let corpus: String = (0..10 * BATCH_DOCUMENTS)
            .map(|n| format!("{{\"id\": \"d{n}\", \"text\": \"Alexander Lukashenko.\"}}\n"))
            .collect();
        std::fs::write(&path, corpus).unwrap();
        let tagger = tagger();
        for threads in [1, 2, 3] {
            let options = RunOptions {
                threads,
                progress: false,
            };
            let mut handed = 0;
            let failed = run(
                &tagger,
                stream_inputs(std::slice::from_ref(&path)).unwrap(),
                &options,
                |_| {
                    handed += 1;
                    if handed == 3 * BATCH_DOCUMENTS {
                        return Err(crate::error::Error::Io {
                            path: "<sink>".into(),
                            source: std::io::Error::other("full"),
                        });
                    }
                    Ok(())
                },
            );
            assert!(failed.is_err(), "{threads} threads");
            assert_eq!(handed, 3 * BATCH_DOCUMENTS, "{threads} threads");
            // A panic reaches the caller; no worker is left waiting for its turn.
            let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let mut handed = 0;
                run(
                    &tagger,
                    stream_inputs(std::slice::from_ref(&path)).unwrap(),
                    &options,
                    |_| {
                        handed += 1;
                        assert!(handed < 2 * BATCH_DOCUMENTS, "the sink gives up");
                        Ok(())
                    },
                )
            }));
            assert!(panicked.is_err(), "{threads} threads");
        }
    }
}
