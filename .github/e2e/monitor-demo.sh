#!/usr/bin/env bash
# Follows the demo world's training with a ProbeMonitor (examples/demo/demo-monitor.yaml) on a cluster
# where the chart is installed, and checks it end to end. The demo has finished training, so its run
# is replayed the way a trainer writes it: two checkpoints are in DEMO_DIR/live when the monitor starts
# (a backlog), a folder that never becomes ready lies beside them, and the newest checkpoint lands
# while the monitor follows. It checks: one ProbeEvaluation per ready checkpoint, named demo-<step>,
# owned by the monitor, Succeeded; the never-ready folder in status.notReady and never evaluated; the
# monitor's status (steps, counts, trend, drift, conditions) and metrics; deleting it completes.
#
#   .github/e2e/monitor-demo.sh DEMO_DIR [NAMESPACE]
#
# DEMO_DIR is the folder `foresight demo --workdir DEMO_DIR` filled, /srv/foresight-demo on the node
# (examples/demo/demo-world-volume.yaml). Needs kubectl, curl and write access to DEMO_DIR. Every
# failure says what it expected and what it saw, then prints the monitor and its evaluations.
set -euo pipefail
cd "$(dirname "$0")/../.."

demo=${1:?usage: $0 DEMO_DIR [NAMESPACE]}
ns=${2:-foresight-demo}
operator_ns=${OPERATOR_NAMESPACE:-foresight-system}
timeout_s=${MONITOR_TIMEOUT_SECONDS:-1500}
monitor=demo # metadata.name in examples/demo/demo-monitor.yaml
live="$demo/live"

fail() {
  echo "e2e monitor: FAILED: $*" >&2
  echo "--- ProbeMonitor $ns/$monitor" >&2
  kubectl get pm "$monitor" -n "$ns" -o yaml >&2 || true
  echo "--- evaluations, jobs and pods in $ns" >&2
  kubectl get pe,jobs,pods -n "$ns" -o wide >&2 || true
  echo "--- events of the monitor" >&2
  kubectl get events -n "$ns" --field-selector "involvedObject.name=$monitor" >&2 || true
  echo "--- $live" >&2
  find "$live" -maxdepth 2 | sort >&2 || true
  exit 1
}

# The demo's checkpoints, oldest first.
mapfile -t steps < <(find "$demo/checkpoints" -mindepth 1 -maxdepth 1 -type d -name 'step-*' -printf '%f\n' \
  | sed -n 's/^step-\([0-9][0-9]*\)$/\1/p' | sort -n)
if [ "${#steps[@]}" -lt 3 ]; then
  fail "need at least 3 checkpoints/step-N folders in $demo (run foresight demo --workdir $demo first), found ${#steps[@]}"
fi
first=${steps[0]}
second=${steps[1]}
newest=${steps[${#steps[@]} - 1]}
# Higher than every real step: it must count neither as seen nor as evaluated.
incomplete=$((newest * 10))

# Copies checkpoint step-N into the followed folder, as the trainer saving it would.
land() {
  cp -r "$demo/checkpoints/step-$1" "$live/step-$1"
  echo "landed step-$1 in $live"
}

phase_of() {
  kubectl get pe "$1" -n "$ns" -o jsonpath='{.status.phase}' 2>/dev/null || true
}

# Waits until every named ProbeEvaluation is Succeeded; a Failed one ends the wait at once.
wait_succeeded() {
  local deadline=$((SECONDS + timeout_s)) name phase waiting
  while :; do
    waiting=""
    for name in "$@"; do
      phase=$(phase_of "$name")
      case "$phase" in
        Succeeded) ;;
        Failed) fail "ProbeEvaluation $name Failed: $(kubectl get pe "$name" -n "$ns" -o jsonpath='{.status.message}')" ;;
        *) waiting="$waiting $name(${phase:-not created})" ;;
      esac
    done
    [ -z "$waiting" ] && return 0
    [ "$SECONDS" -lt "$deadline" ] || fail "after ${timeout_s}s still waiting for:$waiting"
    sleep 5
  done
}

# Waits until a JSONPath of the monitor reads EXPECTED (its status follows the evaluations' shortly).
wait_status() {
  local path=$1 expected=$2 what=$3 deadline=$((SECONDS + 180)) got=""
  while :; do
    got=$(kubectl get pm "$monitor" -n "$ns" -o jsonpath="$path" 2>/dev/null || true)
    [ "$got" = "$expected" ] && return 0
    [ "$SECONDS" -lt "$deadline" ] || fail "status $what: expected '$expected', saw '$got'"
    sleep 5
  done
}

# Lines task=value of a JSONPath; fails unless there is at least one and each value is in [0, 1].
check_fractions() {
  local what=$1 lines=$2
  [ -n "$lines" ] || fail "$what: none"
  echo "$lines" | awk -F= -v what="$what" '{ if ($2 == "" || $2 < 0 || $2 > 1) { print what ": not a pass@1: " $0; bad = 1 } }
    END { exit bad }' >&2 || fail "$what: $(echo "$lines" | tr '\n' ' ')"
}

echo "following a replay of $demo/checkpoints (steps ${steps[*]}) in $live as ProbeMonitor $ns/$monitor"
rm -rf "$live"
mkdir -p "$live"
land "$first"
land "$second"
mkdir "$live/step-$incomplete"
cp "$demo/checkpoints/step-$newest/config.json" "$live/step-$incomplete/" # no weights: never complete

kubectl create namespace "$ns" --dry-run=client -o yaml | kubectl apply -f -
kubectl apply -n "$ns" -f examples/demo/demo-world-volume.yaml
kubectl apply -n "$ns" -f examples/demo/demo-monitor.yaml

# The backlog: one evaluation each, the newer one first.
wait_succeeded "$monitor-$second" "$monitor-$first"
created_second=$(kubectl get pe "$monitor-$second" -n "$ns" -o jsonpath='{.metadata.creationTimestamp}')
created_first=$(kubectl get pe "$monitor-$first" -n "$ns" -o jsonpath='{.metadata.creationTimestamp}')
if [[ "$created_first" < "$created_second" ]]; then
  fail "backlog not newest first: $monitor-$first created $created_first, before $monitor-$second ($created_second)"
fi

# A new checkpoint lands while the monitor follows.
land "$newest"
wait_succeeded "$monitor-$newest"

wait_status '{.status.lastSeenStep}' "$newest" "lastSeenStep (the never-ready step-$incomplete must not count)"
wait_status '{.status.lastEvaluatedStep}' "$newest" "lastEvaluatedStep"
wait_status '{.status.counts.succeeded}' 3 "counts.succeeded"
wait_status '{.status.conditions[?(@.type=="Ready")].status}' True "condition Ready"
kubectl get pm -n "$ns"

failed=$(kubectl get pm "$monitor" -n "$ns" -o jsonpath='{.status.counts.failed}')
[ "${failed:-0}" = 0 ] || fail "counts.failed: expected 0, saw $failed"
scan_failed=$(kubectl get pm "$monitor" -n "$ns" -o jsonpath='{.status.conditions[?(@.type=="ScanFailed")].status}')
[ "$scan_failed" != True ] || fail "condition ScanFailed is True"

# Exactly the three ready checkpoints were evaluated, each once, by the monitor.
owned=$(kubectl get pe -n "$ns" -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.metadata.ownerReferences[0].kind}{"/"}{.metadata.ownerReferences[0].name}{"\n"}{end}' \
  | awk -v owner="ProbeMonitor/$monitor" '$2 == owner { print $1 }' | sort | tr '\n' ' ')
expected=$(printf '%s\n' "$monitor-$first" "$monitor-$second" "$monitor-$newest" | sort | tr '\n' ' ')
[ "$owned" = "$expected" ] || fail "evaluations owned by the monitor: expected '$expected', saw '$owned'"

# The trend keeps each evaluated step with a prediction per task; drift comes from the validated ones.
trend_steps=$(kubectl get pm "$monitor" -n "$ns" -o jsonpath='{range .status.trend[*]}{.step}{"\n"}{end}' | sort -n | tr '\n' ' ')
[ "$trend_steps" = "$first $second $newest " ] || fail "status.trend steps: expected '$first $second $newest', saw '$trend_steps'"
check_fractions "status.trend predictions" \
  "$(kubectl get pm "$monitor" -n "$ns" -o jsonpath='{range .status.trend[*]}{range .results[*]}{.task}={.predictedPassAt1}{"\n"}{end}{end}')"
check_fractions "status.drift measurements (validation.every: 2)" \
  "$(kubectl get pm "$monitor" -n "$ns" -o jsonpath='{range .status.drift[*]}{.task}={.actualPassAt1}{"\n"}{end}')"

# The folder that never became ready is listed, with why.
not_ready=$(kubectl get pm "$monitor" -n "$ns" -o jsonpath='{range .status.notReady[*]}{.path}{": "}{.why}{"\n"}{end}')
echo "$not_ready" | grep -q "^step-$incomplete: ." || fail "status.notReady: expected step-$incomplete with why, saw '$not_ready'"

# The monitor's metrics.
metrics=/tmp/foresight-monitor-metrics.txt
.github/e2e/scrape-metrics.sh "$operator_ns" 18081 >"$metrics"
series() {
  grep -E "^$1\{[^}]*monitor=\"$monitor\"[^}]*namespace=\"$ns\"|^$1\{[^}]*namespace=\"$ns\"[^}]*monitor=\"$monitor\"" "$metrics" || true
}
for name in foresight_monitor_last_seen_step foresight_monitor_last_evaluated_step; do
  line=$(series "$name")
  echo "$line" | awk -v step="$newest" '$NF + 0 == step { found = 1 } END { exit !found }' \
    || fail "/metrics: expected $name of monitor $monitor at $newest, saw '${line:-no series}'"
done
line=$(series foresight_monitor_evaluations_total | grep 'result="succeeded"' || true)
echo "$line" | awk '$NF + 0 >= 1 { found = 1 } END { exit !found }' \
  || fail "/metrics: expected foresight_monitor_evaluations_total{result=\"succeeded\"} of monitor $monitor, saw '${line:-no series}'"

# Deleting the monitor completes, and takes its scan Jobs with it.
kubectl delete pm "$monitor" -n "$ns" --timeout=120s || fail "deleting ProbeMonitor $monitor did not complete in 120 s"
deadline=$((SECONDS + 120))
while :; do
  left=$(kubectl get jobs -n "$ns" -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.metadata.ownerReferences[0].kind}{"/"}{.metadata.ownerReferences[0].name}{"\n"}{end}' \
    | awk -v owner="ProbeMonitor/$monitor" '$2 == owner { print $1 }' | tr '\n' ' ')
  [ -z "$left" ] && break
  [ "$SECONDS" -lt "$deadline" ] || fail "Jobs of the deleted monitor still there after 120 s: $left"
  sleep 5
done

echo "e2e monitor: $ns/$monitor evaluated steps $first, $second (backlog) and $newest (landed later), once each"
