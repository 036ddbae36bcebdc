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

# run NAME COMMAND...: runs under /usr/bin/time -v, keeping its stderr in NAME.time (and its
# stdout in out.tmp); then reads that log (see use_log).
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
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$ERR" | tail -1; }
mbs() { python3 -c "print(f'{$1/1e6/$2:.1f}')"; }
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
bytes=$(stat -c %s "$corpus")

# This machine's speed drifts by tens of percent over minutes. So the whole set of measurements
# runs REPEAT times, in rounds, and each figure is the median over the rounds: a slow spell
# lands on one round of everything, not on every run of one measurement.
#
# sample LABEL SIZE COMMAND...: one run of a measurement in round $round; records its MB/s.
declare -A speeds
sample() {
  local label=$1 size=$2; shift 2
  local gaz=$gaz100k; [ "$size" = 1m ] && gaz=$gaz1m
  local log=$label.$round
  case $1 in
    baseline)
      run "$log" target/release/examples/baseline_scan "$gaz" "$corpus"
      cp "$DATA/out.tmp" "$DATA/$log.json"
      speeds[$label]+="$(python3 -c "import json;print(round(json.load(open('$DATA/$log.json'))['mb_per_second'],1))") $round"$'\n' ;;
    tag)
      shift
      run "$log" "$bin" tag "$corpus" -g "$gaz" --timings "$@"
      speeds[$label]+="$(mbs "$(field bytes)" "$(field run_s)") $round"$'\n' ;;
    build)
      shift
      run "$log" "$bin" build "$corpus" -g "$gaz" --relations gazetteers/relations.toml --format json -o "$DATA/graph-$label" --timings "$@"
      # Like tag's MB/s: load and process exit left out; reading, tagging, relations, the
      # graph, and rendering and writing graph.json counted.
      speeds[$label]+="$(mbs "$bytes" "$(python3 -c "print($(field run_s) + $(field write_s))")") $round"$'\n' ;;
    relations)
      shift
      run "$log" "$bin" relations "$corpus" -g "$gaz" --relations gazetteers/relations.toml --json --timings "$@"
      speeds[$label]+="$(field tagging_ms) $round"$'\n' ;;
  esac
}
# pick LABEL: loads the log of LABEL's median round; sets SPEED to its figure.
pick() {
  local line; line=$(printf '%s' "${speeds[$1]}" | sort -g | sed -n "$(( (REPEAT + 1) / 2 ))p")
  SPEED=${line% *}
  use_log "$DATA/$1.${line#* }.time"
  PICKED=$DATA/$1.${line#* }
}

# The runs of a round, in an order that puts the two sides of every target ratio side by side:
# the baseline and tag on one thread, tag with 100k and with 1M aliases; then build and tag on
# all cores, tag on all cores and on one, tag and build on one thread (tag on one thread runs a
# second time for these, as full-1t-100k-again). The list is walked forwards in even rounds and
# backwards in odd ones, so that a drift in the machine's speed over a round moves both sides of
# a ratio alike and cancels out over two rounds.
measurements=(
  "baseline-100k 100k baseline"
  "full-1t-100k 100k tag --threads 1"
  "full-1t-1m 1m tag --threads 1"
  "exact-only-1t-1m 1m tag --threads 1 --no-fuzzy"
  "baseline-1m 1m baseline"
  "exact-only-1t-100k 100k tag --threads 1 --no-fuzzy"
  "build-all-100k 100k build --threads $cores"
  "full-all-100k 100k tag --threads $cores"
  "full-1t-100k-again 100k tag --threads 1"
  "build-1t-100k 100k build --threads 1"
)
for ((round = 0; round < REPEAT; round++)); do
  echo "round $((round + 1)) of $REPEAT" >&2
  for ((i = 0; i < ${#measurements[@]}; i++)); do
    j=$i; (( round % 2 )) && j=$(( ${#measurements[@]} - 1 - i ))
    # shellcheck disable=SC2086 # each entry is a label, a size and a command's words
    sample ${measurements[$j]}
  done
  sample relations-1t-100k 100k relations --threads 1
done

declare -A baseline baseline_build baseline_rss
for size in 100k 1m; do
  pick baseline-$size
  baseline[$size]=$SPEED
  baseline_build[$size]=$(python3 -c "import json;print(round(json.load(open('$PICKED.json'))['build_seconds'],2))")
  baseline_rss[$size]=$RSS
done

rows=()
tag_row() { # LABEL SIZE THREADS
  pick "$1-$2"
  rows+=("| tag $1 | $2 | $3 | $(field load_s) | $SPEED | $(ratio "$SPEED" "${baseline[$2]}") | $RSS | $(field exact_ms) | $(field fuzzy_ms) |")
}
build_row() { # LABEL SIZE THREADS
  pick "$1-$2"
  rows+=("| build $1 | $2 | $3 | $(field load_s) | $SPEED | $(ratio "$SPEED" "${baseline[$2]}") | $RSS | | |")
}
tag_row full-1t 100k 1
tag_row full-all 100k "$cores"
tag_row exact-only-1t 100k 1
build_row build-1t 100k 1
build_row build-all 100k "$cores"
tag_row full-1t 1m 1
tag_row exact-only-1t 1m 1
pick relations-1t-100k
# The relations run is the last of every round, so out.tmp holds its output (the same each round).
found=$(wc -l <"$DATA/out.tmp")
relation_rows=("| 100k | 1 | $(field tagging_ms) | $(field relations_ms) | $(field 'relations\/tagging') | $found |")

{
  echo "Corpus: $(stat -c %s "$corpus") bytes of generated news ($MB MB target, seed $SEED); machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m); $(date -u +%Y-%m-%d)."
  echo
  echo "| baseline: aho-corasick scan | aliases | threads | automaton build s | MB/s | | peak RSS MiB |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  for size in 100k 1m; do
    echo "| plain aho-corasick (ASCII case-insensitive, leftmost-longest, word boundaries) | $size | 1 | ${baseline_build[$size]:-} | $(printf '%.1f' "${baseline[$size]}") | 1.00 | ${baseline_rss[$size]:-} |"
  done
  echo
  echo "| namegraph | aliases | threads | gazetteer load + compile s | MB/s | × baseline | peak RSS MiB | exact pass ms | fuzzy pass ms |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  printf '%s\n' "${rows[@]}"
  echo
  echo "| relation extraction | aliases | threads | tagging ms (segment+exact+fuzzy+resolve) | extraction ms | extraction / tagging | relations found |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  printf '| relations %s\n' "${relation_rows[@]}"
  echo
  echo "Medians of $REPEAT rounds. Every round's figure, in round order (MB/s; for relations, tagging ms):"
  for label in $(printf '%s\n' "${!speeds[@]}" | sort); do
    echo "- $label: $(printf '%s' "${speeds[$label]}" | sort -k2 -n | cut -d' ' -f1 | paste -sd' ')"
  done
  echo
  # The targets' ratios, each taken within a round and then the median over rounds: a slow
  # spell that lasts a round moves both sides of a ratio alike.
  # A median near its line says little by itself on this kind of machine: the last column
  # counts the rounds whose own figure met the target.
  echo "| target | by round | median | rounds that meet it |"
  echo "| --- | --- | --- | --- |"
  ratio_row() { # TEXT NUMERATOR DENOMINATOR TARGET
    python3 - "$1" "${speeds[$2]}" "${speeds[$3]}" "$4" <<'PY'
import statistics, sys
def by_round(text):
    return {int(r): float(v) for v, r in (line.split() for line in text.strip().splitlines())}
top, bottom = by_round(sys.argv[2]), by_round(sys.argv[3])
target = float(sys.argv[4])
ratios = [top[r] / bottom[r] for r in sorted(top) if r in bottom]
# Compared as printed, so that the count agrees with the figures in the row.
met = sum(1 for x in ratios if round(x, 2) >= target)
print(f"| {sys.argv[1]} (target {target:.2f}) | {' '.join(f'{x:.2f}' for x in ratios)} | {statistics.median(ratios):.2f} | {met} of {len(ratios)} |")
PY
  }
  ratio_row "tag, 100k, one thread ÷ the baseline" full-1t-100k baseline-100k 3.0
  ratio_row "tag, 100k, two threads ÷ one thread" full-all-100k full-1t-100k-again 1.8
  ratio_row "build ÷ tag, one thread" build-1t-100k full-1t-100k-again 0.70
  ratio_row "build ÷ tag, two threads" build-all-100k full-all-100k 0.70
  ratio_row "tag, 1M ÷ tag, 100k (one thread)" full-1t-1m full-1t-100k 0.80
  # The 1M limits, by round, from the runs of tag on one thread with a million aliases.
  limit_row() { # TEXT VALUES(one per round) LIMIT UNIT
    python3 - "$@" <<'PY'
import statistics, sys
text, values, limit, unit = sys.argv[1], [float(v) for v in sys.argv[2].split()], float(sys.argv[3]), sys.argv[4]
met = sum(1 for v in values if v < limit)
shown = ' '.join(f'{v:g}' for v in values)
print(f"| {text} (under {limit:g} {unit}) | {shown} | {statistics.median(values):g} | {met} of {len(values)} |")
PY
  }
  loads="" peaks=""
  for ((round = 0; round < REPEAT; round++)); do
    use_log "$DATA/full-1t-1m.$round.time"
    loads+="$(field load_s) " peaks+="$RSS "
  done
  limit_row "1M: gazetteer load and compile, s" "$loads" 5 s
  limit_row "1M: peak RSS, MiB" "$peaks" 953.7 "MiB, 1 GB"
} | tee "$DATA/results.md"
