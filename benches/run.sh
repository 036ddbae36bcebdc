#!/usr/bin/env bash
# namegraph's benchmark: generates seeded synthetic data (benches/generate.py), then measures in
# one run, on the same data, a plain aho-corasick baseline (examples/baseline_scan.rs) and
# namegraph's tag and build, on one thread and on all cores, with peak RSS from /usr/bin/time -v.
# Results are ratios against the baseline, so they hold on a noisy machine.
#
#   bash benches/run.sh                 # 100 MB corpus, 100k and 1M aliases
#   MB=20 bash benches/run.sh           # a smaller corpus
#   REPEAT=5 bash benches/run.sh        # each measurement's median of 5 runs (default 3)
# Data goes to target/bench-data (kept between runs); the table to target/bench-data/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${MB:-100}
REPEAT=${REPEAT:-3}
SEED=${SEED:-7}
DATA=target/bench-data
mkdir -p "$DATA"
if [ ! -x /usr/bin/time ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
fi

gaz100k=$DATA/gaz-100k-s$SEED.jsonl
gaz1m=$DATA/gaz-1m-s$SEED.jsonl
corpus=$DATA/corpus-${MB}mb-s$SEED.jsonl
[ -s "$gaz100k" ] || python3 benches/generate.py gazetteer --aliases 100000 --seed "$SEED" --out "$gaz100k"
[ -s "$gaz1m" ] || python3 benches/generate.py gazetteer --aliases 1000000 --seed "$SEED" --out "$gaz1m"
[ -s "$corpus" ] || python3 benches/generate.py corpus --gazetteer "$gaz100k" --mb "$MB" --seed "$SEED" --out "$corpus"

cargo build --release --quiet
cargo build --release --quiet --example baseline_scan
bin=target/release/namegraph
cores=$(nproc)

# run NAME COMMAND...: runs under /usr/bin/time -v, keeping its stderr in NAME.time; then
# reads that log (see use_log).
run() {
  local log=$DATA/$1.time; shift
  /usr/bin/time -v "$@" >"$DATA/out.tmp" 2>"$log"
  use_log "$log"
}
# use_log FILE: sets WALL (s), RSS (MB) and ERR (the run's stderr) from a run's log.
use_log() {
  WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$1")
  RSS=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$1")
  ERR=$(cat "$1")
}
# median "VALUE INDEX"...: the INDEX of the median VALUE. This machine's speed drifts from run to
# run, so every figure is the median of REPEAT runs.
median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p" | cut -d' ' -f2; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$ERR" | tail -1; }
mbs() { python3 -c "print(f'{$1/1e6/$2:.1f}')"; }
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }

declare -A baseline baseline_build baseline_rss
for size in 100k 1m; do
  gaz=$gaz100k; [ $size = 1m ] && gaz=$gaz1m
  runs=()
  for ((i = 0; i < REPEAT; i++)); do
    run baseline-$size.$i target/release/examples/baseline_scan "$gaz" "$corpus"
    cp "$DATA/out.tmp" "$DATA/baseline-$size.$i.json"
    runs+=("$(python3 -c "import json;print(json.load(open('$DATA/out.tmp'))['mb_per_second'])") $i")
  done
  i=$(median "${runs[@]}")
  use_log "$DATA/baseline-$size.$i.time"
  baseline[$size]=$(python3 -c "import json;print(json.load(open('$DATA/baseline-$size.$i.json'))['mb_per_second'])")
  baseline_build[$size]=$(python3 -c "import json;print(round(json.load(open('$DATA/baseline-$size.$i.json'))['build_seconds'],2))")
  baseline_rss[$size]=$RSS
  echo "baseline $size: ${baseline[$size]} MB/s, automaton built in ${baseline_build[$size]} s, RSS $RSS MB (median of $REPEAT)" >&2
done

rows=()
measure() { # LABEL SIZE THREADS [extra tag args]
  local label=$1 size=$2 threads=$3; shift 3
  local gaz=$gaz100k; [ "$size" = 1m ] && gaz=$gaz1m
  local runs=() i
  for ((i = 0; i < REPEAT; i++)); do
    run "$label.$i" "$bin" tag "$corpus" -g "$gaz" --threads "$threads" --timings "$@"
    runs+=("$(mbs "$(field bytes)" "$(field run_s)") $i")
  done
  use_log "$DATA/$label.$(median "${runs[@]}").time"
  local load run_s bytes
  load=$(field load_s); run_s=$(field run_s); bytes=$(field bytes)
  local speed; speed=$(mbs "$bytes" "$run_s")
  rows+=("| tag $label | $size | $threads | $load | $speed | $(ratio "$speed" "${baseline[$size]}") | $RSS | $(field exact_ms) | $(field fuzzy_ms) |")
  echo "tag $label: $speed MB/s, load $load s, RSS $RSS MB" >&2
}
measure_build() { # LABEL SIZE THREADS: like tag's MB/s, load and process exit left out; the
  # time covers reading, tagging, relation extraction, the graph, and rendering and writing it.
  local label=$1 size=$2 threads=$3
  local gaz=$gaz100k; [ "$size" = 1m ] && gaz=$gaz1m
  local bytes; bytes=$(stat -c %s "$corpus")
  local runs=() i
  for ((i = 0; i < REPEAT; i++)); do
    run "$label.$i" "$bin" build "$corpus" -g "$gaz" --relations gazetteers/relations.toml --threads "$threads" --format json -o "$DATA/graph-$label" --timings
    runs+=("$(mbs "$bytes" "$(python3 -c "print($(field run_s) + $(field write_s))")") $i")
  done
  use_log "$DATA/$label.$(median "${runs[@]}").time"
  local seconds; seconds=$(python3 -c "print($(field run_s) + $(field write_s))")
  local speed; speed=$(mbs "$bytes" "$seconds")
  rows+=("| build $label | $size | $threads | $(field load_s) | $speed | $(ratio "$speed" "${baseline[$size]}") | $RSS | | |")
  echo "build $label: $speed MB/s (run $(field run_s) s + write $(field write_s) s), RSS $RSS MB" >&2
}

relation_rows=()
measure_relations() { # LABEL SIZE THREADS: stage times of tagging and of relation extraction
  local label=$1 size=$2 threads=$3
  local gaz=$gaz100k; [ "$size" = 1m ] && gaz=$gaz1m
  run "$label" "$bin" relations "$corpus" -g "$gaz" --relations gazetteers/relations.toml --threads "$threads" --json --timings
  local found; found=$(wc -l <"$DATA/out.tmp")
  relation_rows+=("| $size | $threads | $(field tagging_ms) | $(field relations_ms) | $(field 'relations\/tagging') | $found |")
  echo "relations $label: tagging $(field tagging_ms) ms, extraction $(field relations_ms) ms, $found relations" >&2
}

measure full-1t 100k 1
measure_relations relations-1t 100k 1
measure full-all 100k "$cores"
measure exact-only-1t 100k 1 --no-fuzzy
measure_build build-1t 100k 1
measure_build build-all 100k "$cores"
measure full-1t 1m 1
measure exact-only-1t 1m 1 --no-fuzzy

{
  echo "Corpus: $(stat -c %s "$corpus") bytes of generated news ($MB MB target, seed $SEED); machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m); $(date -u +%Y-%m-%d)."
  echo
  echo "| baseline: aho-corasick scan | aliases | threads | automaton build s | MB/s | | peak RSS MB |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  for size in 100k 1m; do
    echo "| plain aho-corasick (ASCII case-insensitive, leftmost-longest, word boundaries) | $size | 1 | ${baseline_build[$size]:-} | $(printf '%.1f' "${baseline[$size]}") | 1.00 | ${baseline_rss[$size]:-} |"
  done
  echo
  echo "| namegraph | aliases | threads | gazetteer load + compile s | MB/s | × baseline | peak RSS MB | exact pass ms | fuzzy pass ms |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  printf '%s\n' "${rows[@]}"
  echo
  echo "| relation extraction | aliases | threads | tagging ms (segment+exact+fuzzy+resolve) | extraction ms | extraction / tagging | relations found |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  printf '| relations %s\n' "${relation_rows[@]}"
} | tee "$DATA/results.md"
