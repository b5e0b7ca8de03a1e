#!/usr/bin/env bash
# A ProbeTraining's stages as processes on the default demo world (issue 12; BENCHMARKS.md
# "ProbeTraining stages"), beside `foresight demo` doing the same work in one process: label the
# first 8 checkpoints (4 samples, temperature 0.8, the demo's settings and seed), extract the
# features of the 4 probe families, train them and pick the best. Times, wall clock per stage with
# every JVM, engine and checkpoint start included (as pods pay them):
#   check                      1 process (headers only)
#   label, 1 shard             8 processes one after another (index 0..7)
#   label, 2 shards            per checkpoint 2 processes at once (indices 2c, 2c+1), 8 rounds
#   extract                    8 processes (merges the 2-shard labels first)
#   train                      1 process (4 families; 1 checkpoint held out: the spec's default)
#   demo, same work            `foresight demo` on a copy of the world (labels, probes, bundle deleted),
#                              from its "labels:" line to its "bundle:" line
# and checks that the 1-shard and the merged 2-shard labels are byte for byte alike.
# Run from the repository root after `./foresight demo` (it makes foresight-demo/, ~4 minutes) and
#   ./mvnw -B -q -pl operator/worker -am package -DskipTests
# Usage: operator/worker/bench/training-stages.sh [world dir]
# Another world (e.g. the tests' one, operator/worker/target/test-world) with STEPS="100 200 300 400",
# MAX_NEW_TOKENS=40 (its recipe's labelling) and COMPARE=0 (no demo comparison: `foresight demo` makes
# and scores its own default world only).
set -euo pipefail
cd "$(dirname "$0")/../../.."
JAR=$(ls -t operator/worker/target/foresight-worker-*.jar | head -n 1)
WORLD=$(cd "${1:-foresight-demo}" && pwd)
WORK=${FORESIGHT_BENCH_DIR:-/tmp/foresight-bench-training}
read -r -a STEPS <<< "${STEPS:-200 400 600 800 1000 1200 1400 1600}"
MAX_NEW_TOKENS=${MAX_NEW_TOKENS:-58}
N=${#STEPS[@]}
[ -d "$WORLD/checkpoints/step-${STEPS[$((N - 1))]}" ] || { echo "training-stages.sh: no world in $WORLD: run ./foresight demo" >&2; exit 2; }
rm -rf "$WORK" && mkdir -p "$WORK"
export DJL_OFFLINE=true FORESIGHT_PROGRESS=off FORESIGHT_CACHE_DIR="$WORK/cache"

# plan SHARDS: the plan of the demo's labelling and probes, its work folder per shard count
plan() {
  python3 - "$WORLD" "$WORK" "$1" "$MAX_NEW_TOKENS" "${STEPS[@]}" <<'PY'
import json, sys
demo, work, shards, tokens, steps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]
print(json.dumps({"v": 1, "name": "bench", "run": "demo",
  "checkpoints": [{"uri": "file://%s/checkpoints/step-%s" % (demo, s), "step": int(s)} for s in steps],
  "tasks": {"uri": "file://%s/tasks" % demo},
  "labels": {"generate": {"samples": 4, "temperature": 0.8, "maxNewTokens": tokens, "seed": 1, "shardsPerCheckpoint": shards}},
  "probe": {"families": ["linear", "mlp", "attention", "submodel"], "layers": [1, 2], "pooling": "answer", "seed": 3},
  "output": {"uri": "file://%s/bundle-%d" % (work, shards)},
  "workDir": "file://%s/work-%d" % (work, shards)}))
PY
}
plan 1 > "$WORK/plan-1.json"
plan 2 > "$WORK/plan-2.json"

stage() {  # stage LOG ARGS...: one stage process, its output kept in LOG
  local log=$1
  shift
  java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 -jar "$JAR" \
    training "$@" >> "$log" 2>&1 || { echo "training-stages.sh: failed: training $* (see $log)" >&2; exit 1; }
}
now() { date +%s.%N; }
: > "$WORK/times.tsv"
timed() {  # timed NAME COMMAND...: appends NAME and the command's wall seconds
  local name=$1 t0 t1
  shift
  t0=$(now); "$@"; t1=$(now)
  echo -e "$name\t$(echo "$t1 - $t0" | bc)" >> "$WORK/times.tsv"
}

label_one() { for i in "${!STEPS[@]}"; do stage "$WORK/label-1.log" label --plan "$WORK/plan-1.json" --index "$i"; done; }
label_two() {
  for i in "${!STEPS[@]}"; do
    stage "$WORK/label-2.log" label --plan "$WORK/plan-2.json" --index $((2 * i)) &
    local a=$!
    stage "$WORK/label-2.log" label --plan "$WORK/plan-2.json" --index $((2 * i + 1)) &
    local b=$!
    wait "$a"; wait "$b"
  done
}
extract() { for i in "${!STEPS[@]}"; do stage "$WORK/extract.log" extract --plan "$WORK/plan-2.json" --index "$i"; done; }

timed "check" stage "$WORK/check.log" check --plan "$WORK/plan-2.json" --report-file "$WORK/check.json"
timed "label, 1 shard ($N processes in turn)" label_one
timed "label, 2 shards (2 processes at once, $N rounds)" label_two
timed "extract ($N processes; merge + 4 families' features)" extract
timed "train (4 families, 1 process)" stage "$WORK/train.log" train --plan "$WORK/plan-2.json" --report-file "$WORK/train.json"
for s in "${STEPS[@]}"; do
  # A 1-shard run's file is a shard (its header says so); merged, it is the plain label file.
  one="$WORK/work-1/labels/step-$s/labels.jsonl"
  java -jar "$JAR" label-merge --output "$one" --shards 1 > /dev/null
  cmp -s "$one" "$WORK/work-2/labels/step-$s/labels.jsonl" \
    || { echo "training-stages.sh: step $s: the merged 2-shard labels differ from the 1-shard file" >&2; exit 1; }
done

# The demo on a copy of its world, with what this work would reuse removed.
if [ "${COMPARE:-1}" = 1 ]; then
  mkdir -p "$WORK/demo"
  cp -r "$WORLD/checkpoints" "$WORLD/tasks" "$WORLD/world.json" "$WORK/demo/"
  t0=$(now)
  java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 -jar "$JAR" \
    demo --workdir "$WORK/demo" 2>/dev/null | while IFS= read -r line; do
    echo -e "$(echo "$(now) - $t0" | bc)\t$line"
  done > "$WORK/demo.log"
  start=$(grep -m1 -P '\tlabels: ' "$WORK/demo.log" | cut -f1)
  end=$(grep -m1 -P '\tbundle: ' "$WORK/demo.log" | cut -f1)
  echo -e "demo, same work (one process: label, features, 4 families)\t$(echo "$end - $start" | bc)" >> "$WORK/times.tsv"
fi

echo "ProbeTraining stages on $WORLD ($N labelled checkpoints × $(cat "$WORLD"/tasks/*.jsonl | grep -c .) prompts); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "| run | wall s |"
echo "|---|---|"
while IFS=$'\t' read -r name secs; do printf '| %s | %.1f |\n' "$name" "$secs"; done < "$WORK/times.tsv"
echo
echo "train: $(cat "$WORK/train.json")"
