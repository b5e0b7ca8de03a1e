#!/usr/bin/env bash
# Labelling throughput with one shard and with two shards run as two processes at once (issue 12;
# the figures in BENCHMARKS.md "Label shards"). Each round times, in turn:
#   1 process, 1 thread    foresight label (the whole prompt set)
#   1 process, 2 threads   the same with -Dai.djl.pytorch.num_threads=2
#   2 processes, 1 thread  label --shard 0 --shards 2 and --shard 1 --shards 2 at once, then label-merge
#   start-up only          label --stop-after 0 (JVM, engine, checkpoint and task files; no prompt)
# and checks that the merged file is byte for byte the unsharded one. Times are wall clock per
# command (JVM and model start included, as a pod pays them); prompts/s = prompts / wall time.
# Run from the repository root after
#   ./mvnw -B -q -pl operator/worker -am package -DskipTests
# and with the tests' world in operator/worker/target/test-world (any worker test that uses TestWorld
# makes it, e.g. -Dtest=LabelShardsTest). Usage:
#   operator/worker/bench/label-shards.sh [rounds] [checkpoint] [task folder]
# SAMPLES (default 4, the world recipe's) sets the samples per prompt; REPEAT=k (default 1) labels
# each prompt k times under new ids (more work per process, the same kind of prompts).
set -euo pipefail
cd "$(dirname "$0")/../../.."
JAR=operator/worker/target/foresight-worker-0.1.0-SNAPSHOT.jar
ROUNDS=${1:-5}
CKPT=${2:-operator/worker/target/test-world/checkpoints/step-400}
TASKS=${3:-operator/worker/target/test-world/tasks}
WORK=${FORESIGHT_BENCH_DIR:-/tmp/foresight-bench-label}
SAMPLES=${SAMPLES:-4}
[ -f "$JAR" ] || { echo "label-shards.sh: no worker jar: ./mvnw -B -q -pl operator/worker -am package -DskipTests" >&2; exit 2; }
[ -d "$CKPT" ] || { echo "label-shards.sh: no checkpoint at $CKPT (run a worker test to make the tests' world)" >&2; exit 2; }
rm -rf "$WORK" && mkdir -p "$WORK"
if [ "${REPEAT:-1}" -gt 1 ]; then
  mkdir -p "$WORK/tasks"
  for f in "$TASKS"/*.jsonl; do
    python3 -c 'import json, sys
for k in range(int(sys.argv[1])):
    for line in open(sys.argv[2]):
        if line.strip():
            p = json.loads(line); p["id"] = p["id"] + "-r%d" % k; print(json.dumps(p))' "$REPEAT" "$f" > "$WORK/tasks/$(basename "$f")"
  done
  TASKS=$WORK/tasks
fi
PROMPTS=$(cat "$TASKS"/*.jsonl | grep -c .)
export DJL_OFFLINE=true FORESIGHT_PROGRESS=off

# label THREADS OUTPUT [extra args]: the world recipe's labelling settings
label() {
  local threads=$1 output=$2
  shift 2
  java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 -jar "$JAR" \
    label --checkpoint "$CKPT" --task-files "$TASKS" --output "$output" --samples "$SAMPLES" --temperature 0.8 \
    --max-new-tokens 40 --seed 1 "$@" > "$output.$BASHPID.log" 2>&1
}
now() { date +%s.%N; }

: > "$WORK/times.tsv"
for round in $(seq 1 "$ROUNDS"); do
  t0=$(now); label 1 "$WORK/startup-$round.jsonl" --stop-after 0; t1=$(now)
  echo -e "start-up only\t$(echo "$t1 - $t0" | bc)" >> "$WORK/times.tsv"
  t0=$(now); label 1 "$WORK/one-$round.jsonl"; t1=$(now)
  echo -e "1 process, 1 thread\t$(echo "$t1 - $t0" | bc)" >> "$WORK/times.tsv"
  t0=$(now); label 2 "$WORK/two-threads-$round.jsonl"; t1=$(now)
  echo -e "1 process, 2 threads\t$(echo "$t1 - $t0" | bc)" >> "$WORK/times.tsv"
  t0=$(now)
  label 1 "$WORK/shards-$round.jsonl" --shard 0 --shards 2 &
  first=$!
  label 1 "$WORK/shards-$round.jsonl" --shard 1 --shards 2 &
  second=$!
  wait "$first"
  wait "$second"
  t1=$(now)
  java -jar "$JAR" label-merge --output "$WORK/shards-$round.jsonl" --shards 2 > /dev/null
  t2=$(now)
  echo -e "2 processes (shards), 1 thread each\t$(echo "$t1 - $t0" | bc)" >> "$WORK/times.tsv"
  echo -e "label-merge\t$(echo "$t2 - $t1" | bc)" >> "$WORK/times.tsv"
  cmp -s "$WORK/one-$round.jsonl" "$WORK/shards-$round.jsonl" \
    || { echo "label-shards.sh: round $round: the merged shards differ from the unsharded file" >&2; exit 1; }
  echo "round $round of $ROUNDS done" >&2
done

echo "Labelling $PROMPTS prompts × $SAMPLES samples, $(basename "$CKPT"), $ROUNDS rounds; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(date -u +%Y-%m-%d)"
echo
echo "| run | wall s, median (min–max) | prompts/s, median (min–max) | prompts/s without start-up (median) |"
echo "|---|---|---|---|"
python3 - "$WORK/times.tsv" "$PROMPTS" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, secs = line.rstrip("\n").split("\t")
    rows.setdefault(name, []).append(float(secs))
prompts = int(sys.argv[2])
startup = statistics.median(rows["start-up only"])
for name, secs in rows.items():
    if name in ("label-merge", "start-up only"):
        print(f"| {name} | {statistics.median(secs):.2f} ({min(secs):.2f}–{max(secs):.2f}) | | |")
        continue
    rate = [prompts / s for s in secs]
    # Each process pays the start-up once; the shards pay it side by side.
    work = statistics.median(secs) - startup
    print(f"| {name} | {statistics.median(secs):.1f} ({min(secs):.1f}–{max(secs):.1f}) "
          f"| {statistics.median(rate):.1f} ({min(rate):.1f}–{max(rate):.1f}) | {prompts / work:.1f} |")
PY
