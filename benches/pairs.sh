#!/usr/bin/env bash
# Compares two namegraph binaries on the benchmark's data, for a change too small to show
# through this machine's drift in benches/run.sh: runs them one right after the other, the
# order flipped every pair, and prints the median over the pairs of each stage's time ratio
# (NEW ÷ OLD, from --timings; below 1 is faster). A stage whose code did not change shows how
# far the drift still reaches.
#
#   bash benches/pairs.sh OLD_BINARY NEW_BINARY                # tag, 6 pairs, one thread
#   COMMAND=build PAIRS=12 bash benches/pairs.sh OLD NEW       # build (relations, graph.json)
#   THREADS=2 ALIASES=1m CORPUS=path.jsonl bash benches/pairs.sh OLD NEW
# The data is benches/run.sh's (target/bench-data); run that once first.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -ne 2 ]; then
  echo "usage: bash benches/pairs.sh OLD_BINARY NEW_BINARY" >&2
  exit 2
fi
old=$1 new=$2
command=${COMMAND:-tag}
pairs=${PAIRS:-6}
threads=${THREADS:-1}
data=target/bench-data
gazetteer=$data/gaz-${ALIASES:-100k}-s${SEED:-7}.jsonl
corpus=${CORPUS:-$data/corpus-${MB:-100}mb-s${SEED:-7}.jsonl}
for file in "$old" "$new" "$gazetteer" "$corpus"; do
  if [ ! -e "$file" ]; then
    echo "benches/pairs.sh: $file does not exist (benches/run.sh generates the data)" >&2
    exit 2
  fi
done
case $command in
  tag) extra=() ;;
  build) extra=(--relations gazetteers/relations.toml --format json -o "$data/pairs-graph") ;;
  *) echo "benches/pairs.sh: COMMAND is tag or build" >&2; exit 2 ;;
esac
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for ((pair = 0; pair < pairs; pair++)); do
  order=("$old" "$new")
  (( pair % 2 )) && order=("$new" "$old")
  for binary in "${order[@]}"; do
    side=old; [ "$binary" = "$new" ] && side=new
    timings=$("$binary" "$command" "$corpus" -g "$gazetteer" --threads "$threads" --timings \
      "${extra[@]}" 2>&1 >/dev/null | grep 'timings:')
    echo "$pair $side $timings" >>"$log"
  done
done
python3 - "$log" <<'PY'
import re, statistics, sys

runs = {}
for line in open(sys.argv[1]):
    pair, side, rest = line.split(" ", 2)
    figures = {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", rest)}
    if "write_s" in figures:
        figures["run_and_write_s"] = figures["run_s"] + figures["write_s"]
    runs.setdefault(pair, {})[side] = figures
skip = {"load_s", "documents", "bytes"}
keys = [k for k in next(iter(runs.values()))["old"] if k not in skip]
print(f"new ÷ old, median of {len(runs)} pairs:")
for key in keys:
    ratios = [r["new"][key] / r["old"][key] for r in runs.values() if r["old"][key] > 0]
    if ratios:
        print(f"  {key:16} {statistics.median(ratios):.3f}  (pairs {min(ratios):.3f} to {max(ratios):.3f})")
PY
