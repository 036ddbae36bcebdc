//! Running the tagger over a stream of documents on every core, in input order.
//!
//! Documents are read in batches (half a megabyte at a time). On more than one thread every
//! worker of a rayon pool reads a batch for itself (one at a time: the stream is shared), then
//! parses, tags and prepares its documents, so that a batch's text stays in the cache of the
//! core that reads and tags it. The calling thread puts the tagged batches back in input order,
//! checks them (document ids are unique, in input order) and hands their results to the caller's
//! sink, one by one and **in input order**, so the output does not depend on the number of
//! threads. No worker reads more than a few batches ahead of the one handed on last, so memory
//! holds a bounded number of batches whatever the sink's speed. On one thread everything runs in
//! turn on the calling thread. A progress bar (indicatif) is drawn on stderr when stderr is a
//! terminal.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::mpsc::sync_channel;
use std::sync::{Condvar, Mutex};

use indicatif::{ProgressBar, ProgressStyle};

use crate::document::{DocumentIds, DocumentStream, UnreadDocument};
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
    stream: DocumentStream,
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
    let limit = pool.current_num_threads() + 2;
    let input = Mutex::new(Input {
        stream,
        numbered: 0,
        handed_on: 0,
        done: false,
    });
    let turn = Condvar::new();
    std::thread::scope(|scope| {
        // Each worker reads its own batches (the input's lock is held only while reading),
        // then parses, tags and prepares them, so a batch's text stays in the cache of the core
        // that tags it. The calling thread puts the results back in input order and hands them
        // on; a worker waits before reading a batch more than `limit` ahead of the one handed
        // on last, which bounds the batches in memory whatever the sink's speed.
        let (tagged, received) = sync_channel::<(usize, Tagged<T>)>(limit);
        let (pool, prepare, input, turn) = (&pool, &prepare, &input, &turn);
        scope.spawn(move || {
            pool.broadcast(|_| loop {
                let (number, batch) = {
                    let mut input = lock(input);
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
                            let input = unread.input;
                            let document = unread.parse()?;
                            Ok(Prepared {
                                id: document.id.clone(),
                                input,
                                text_bytes: document.text.len(),
                                value: prepare(tagger.tag_owned(document)),
                            })
                        })
                        .collect();
                    (done, bytes)
                });
                // Once the calling thread has gone (it failed), so does every worker.
                if tagged.send((number, done)).is_err() {
                    return;
                }
            });
        });
        // However the calling thread leaves (an error, say), the workers stop reading.
        let _stop = Stop { input, turn };
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        for (number, batch) in received {
            waiting.insert(number, batch);
            while let Some(batch) = waiting.remove(&next) {
                next += 1;
                let (batch, bytes) = batch?;
                progress.read(bytes);
                hand_on(batch, &mut ids, &mut progress, &mut sink)?;
                lock(input).handed_on = next;
                turn.notify_all();
            }
        }
        Ok(progress.finish())
    })
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

fn lock(input: &Mutex<Input>) -> std::sync::MutexGuard<'_, Input> {
    // A worker that panicked leaves the input as it was; the panic reaches the caller anyway.
    input.lock().unwrap_or_else(|e| e.into_inner())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::stream_inputs;
    use crate::gazetteer::{Entity, EntityId, EntityType, Gazetteer};
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn tagger() -> Tagger {
        let mut builder = Gazetteer::builder();
        builder
            .add(Entity {
                id: EntityId("lukashenko".to_string()),
                name: "Alexander Lukashenko".to_string(),
                entity_type: EntityType::Person,
                ..Default::default()
            })
            .unwrap();
        Tagger::new(builder.build().unwrap())
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
            let ahead = tagged.fetch_add(1, Ordering::SeqCst) + 1 - handed.load(Ordering::SeqCst);
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
}
