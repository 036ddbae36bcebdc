//! The benchmark's baseline: a plain aho-corasick scan over the same aliases namegraph tags with
//! (ASCII case-insensitive, leftmost-longest, with a word-boundary check), on one thread.
//! It is what a hand-rolled dictionary tagger does, and so the yardstick for namegraph's own
//! throughput, measured in the same run on the same data (see benches/run.sh).
//!
//! cargo run --release --example baseline_scan -- GAZETTEER.jsonl CORPUS.jsonl
//! prints one JSON line: aliases, build seconds, bytes, scan seconds, MB/s, matches.

use std::io::{BufRead, BufReader};
use std::time::Instant;

use aho_corasick::{AhoCorasick, MatchKind};

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: baseline_scan GAZETTEER.jsonl CORPUS.jsonl");
        std::process::exit(2);
    }
    let started = Instant::now();
    let mut aliases: Vec<String> = Vec::new();
    for line in BufReader::new(std::fs::File::open(&args[1]).expect("gazetteer")).lines() {
        let entity: serde_json::Value = serde_json::from_str(&line.expect("line")).expect("json");
        aliases.push(entity["name"].as_str().expect("name").to_string());
        for alias in entity["aliases"].as_array().into_iter().flatten() {
            aliases.push(alias.as_str().expect("alias").to_string());
        }
    }
    let automaton = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(&aliases)
        .expect("automaton");
    let build_seconds = started.elapsed().as_secs_f64();
    let mut texts: Vec<String> = Vec::new();
    for line in BufReader::new(std::fs::File::open(&args[2]).expect("corpus")).lines() {
        let document: serde_json::Value = serde_json::from_str(&line.expect("line")).expect("json");
        texts.push(document["text"].as_str().expect("text").to_string());
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let scan = Instant::now();
    let mut matches = 0usize;
    for text in &texts {
        let haystack = text.as_bytes();
        for found in automaton.find_iter(haystack) {
            let before = found.start().checked_sub(1).map(|i| haystack[i]);
            let after = haystack.get(found.end()).copied();
            if !before.is_some_and(is_word_byte) && !after.is_some_and(is_word_byte) {
                matches += 1;
            }
        }
    }
    let scan_seconds = scan.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "aliases": aliases.len(),
            "build_seconds": build_seconds,
            "bytes": bytes,
            "scan_seconds": scan_seconds,
            "mb_per_second": bytes as f64 / 1e6 / scan_seconds,
            "matches": matches,
        })
    );
}
