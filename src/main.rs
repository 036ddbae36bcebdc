//! The `namegraph` command: a thin layer over the library (see `src/cli/`).

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: tagging makes many small, short-lived allocations
/// (tokens, candidates, keys) on every thread, and glibc's malloc spent a sixth of the run on
/// them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h's `mi_option_e` (the same number in mimalloc 2 and 3;
/// the Rust bindings do not name it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
/// `mi_option_page_full_retain` in mimalloc 3's `mi_option_e`.
const MI_OPTION_PAGE_FULL_RETAIN: libmimalloc_sys::mi_option_t = 36;

fn main() -> ExitCode {
    // Never hand freed memory back to the OS while running. Each run is one short batch job, and
    // memory handed back is zeroed again by the kernel when it is reused: that made a fifth of
    // a run's time, and loading 100k aliases twice as slow. Peak memory does not change.
    // SAFETY: sets a plain integer option; mimalloc allows it at any time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    // Keep the emptied pages of each size class for the thread that freed them (32, the most
    // mimalloc allows, instead of 2): on more than one thread, documents are read, tagged and
    // written on different threads, and pages handed back went on to be taken fresh, and
    // zeroed, by the next thread. Read when a thread starts, so it holds for the worker threads.
    // SAFETY: as above.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PAGE_FULL_RETAIN, 32) };
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            if error.chain().any(|cause| {
                cause
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("namegraph: error: {}", message(&error));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes, joined by `: `, leaving out a cause whose text the message already
/// ends with: the library's errors say their cause (an I/O error after its file name), and also
/// give it as their source.
fn message(error: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if message.ends_with(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    message
}
