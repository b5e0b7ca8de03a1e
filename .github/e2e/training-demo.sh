#!/usr/bin/env bash
# Builds a probe bundle in the cluster with a ProbeTraining (examples/probetraining-generate.yaml: the
# demo world's first eight checkpoints, generated labels in two shards each) on a cluster where the
# chart is installed, then evaluates a later checkpoint with it through probe.trainingRef. The
# evaluation is created first, before the training exists, so that it must wait ("not found", then
# WaitingForTraining with the training's stage) and be woken by the training's success. It checks:
# the training Succeeded with a bundle (URI, fingerprint, chosen family, held-out AUROC in [0, 1]);
# the evaluation ran with that bundle (status.probeUri, probeFingerprint) and predicted a pass@1 per
# task; foresight_trainings_total counted the success.
#
#   .github/e2e/training-demo.sh DEMO_DIR [NAMESPACE]
#
# DEMO_DIR is the folder `foresight demo --workdir DEMO_DIR` filled, /srv/foresight-demo on the node
# (examples/demo/demo-world-volume.yaml); the bundle is written to DEMO_DIR/trained/demo-probes.
# Needs kubectl, curl and write access to DEMO_DIR. Every failure says what it expected and what it
# saw, then prints the training, the evaluation and their Jobs.
set -euo pipefail
cd "$(dirname "$0")/../.."

demo=${1:?usage: $0 DEMO_DIR [NAMESPACE]}
ns=${2:-foresight-demo}
operator_ns=${OPERATOR_NAMESPACE:-foresight-system}
timeout_s=${TRAINING_TIMEOUT_SECONDS:-2700}
training=demo-probes # metadata.name in examples/probetraining-generate.yaml
bundle=pvc://foresight-demo/trained/demo-probes # its spec.output.uri

fail() {
  echo "e2e training: FAILED: $*" >&2
  echo "--- ProbeTraining $ns/$training" >&2
  kubectl get ptr "$training" -n "$ns" -o yaml >&2 || true
  echo "--- ProbeEvaluation $ns/${evaluation:-}" >&2
  kubectl get pe "${evaluation:-none}" -n "$ns" -o yaml >&2 || true
  echo "--- trainings, evaluations, jobs and pods in $ns" >&2
  kubectl get ptr,pe,jobs,pods -n "$ns" -o wide >&2 || true
  echo "--- events of the training" >&2
  kubectl get events -n "$ns" --field-selector "involvedObject.name=$training" >&2 || true
  exit 1
}

ptr() {
  kubectl get ptr "$training" -n "$ns" -o jsonpath="$1" 2>/dev/null || true
}

pe() {
  kubectl get pe "$evaluation" -n "$ns" -o jsonpath="$1" 2>/dev/null || true
}

# Waits until a JSONPath of the evaluation reads a value matching the extended regex PATTERN.
wait_pe() {
  local path=$1 pattern=$2 what=$3 deadline=$((SECONDS + 180)) got=""
  while :; do
    got=$(pe "$path")
    [[ "$got" =~ $pattern ]] && return 0
    [ "$SECONDS" -lt "$deadline" ] || fail "evaluation $what: expected /$pattern/, saw '$got'"
    sleep 3
  done
}

# The demo's checkpoints, oldest first: the first eight train the probe, the newest is evaluated.
mapfile -t steps < <(find "$demo/checkpoints" -mindepth 1 -maxdepth 1 -type d -name 'step-*' -printf '%f\n' \
  | sed -n 's/^step-\([0-9][0-9]*\)$/\1/p' | sort -n)
if [ "${#steps[@]}" -lt 9 ]; then
  fail "need at least 9 checkpoints/step-N folders in $demo (run foresight demo --workdir $demo first), found ${#steps[@]}"
fi
for s in 200 400 600 800 1000 1200 1400 1600; do
  [ -d "$demo/checkpoints/step-$s" ] || fail "examples/probetraining-generate.yaml lists step-$s, which $demo/checkpoints lacks"
done
newest=${steps[${#steps[@]} - 1]}
evaluation="demo-trained-step-$newest"
rm -rf "$demo/trained" # a bundle left by an earlier run would be accepted as the same one: start clean

kubectl create namespace "$ns" --dry-run=client -o yaml | kubectl apply -f -
kubectl apply -n "$ns" -f examples/demo/demo-world-volume.yaml

# The evaluation first: its training does not exist yet.
kubectl apply -f - <<YAML
apiVersion: foresight.dev/v1alpha1
kind: ProbeEvaluation
metadata:
  name: $evaluation
  namespace: $ns
spec:
  checkpoint:
    uri: pvc://foresight-demo/checkpoints/step-$newest
    run: demo
    step: $newest
  probe:
    trainingRef: $training
  runtime:
    gpus: 0
    resources:
      requests: {cpu: "1", memory: 2Gi}
      limits: {memory: 4Gi}
YAML
wait_pe '{.status.message}' "^waiting for ProbeTraining $training: not found in namespace $ns\$" "message before the training exists"

echo "training ProbeTraining $ns/$training on steps 200..1600 of $demo"
kubectl apply -n "$ns" -f examples/probetraining-generate.yaml
wait_pe '{.status.message}' "^waiting for ProbeTraining $training \\(" "message while the training runs"
wait_pe '{.status.conditions[?(@.type=="Scheduled")].reason}' '^WaitingForTraining$' "Scheduled reason while the training runs"
[ -z "$(pe '{.status.jobName}')" ] || fail "the evaluation has a Job before its training succeeded: $(pe '{.status.jobName}')"

deadline=$((SECONDS + timeout_s))
last=""
while :; do
  phase=$(ptr '{.status.phase}')
  case "$phase" in
    Succeeded) break ;;
    Failed) fail "ProbeTraining $training Failed: $(ptr '{.status.message}')" ;;
  esac
  now="$phase $(ptr '{.status.stage}') $(ptr '{.status.progress.summary}')"
  [ "$now" = "$last" ] || { echo "training: $now"; last=$now; }
  [ "$SECONDS" -lt "$deadline" ] || fail "after ${timeout_s}s the training is still: $now"
  sleep 10
done
kubectl get ptr -n "$ns"

uri=$(ptr '{.status.bundle.uri}')
fingerprint=$(ptr '{.status.bundle.fingerprint}')
family=$(ptr '{.status.chosenFamily}')
auroc=$(ptr '{.status.bestHeldOutAuroc}')
[ "$uri" = "$bundle" ] || fail "status.bundle.uri: expected $bundle, saw '$uri'"
[ -n "$fingerprint" ] || fail "status.bundle.fingerprint is empty"
[[ "$family" =~ ^(linear|mlp)$ ]] || fail "status.chosenFamily: expected linear or mlp, saw '$family'"
awk -v a="$auroc" 'BEGIN { exit !(a != "" && a >= 0 && a <= 1) }' || fail "status.bestHeldOutAuroc: not in [0, 1]: '$auroc'"
[ -f "$demo/trained/demo-probes/probe.json" ] || fail "no probe.json in $demo/trained/demo-probes"

# The training's success wakes the evaluation, which runs with its bundle.
deadline=$((SECONDS + 1500))
while :; do
  phase=$(pe '{.status.phase}')
  case "$phase" in
    Succeeded) break ;;
    Failed) fail "ProbeEvaluation $evaluation Failed: $(pe '{.status.message}')" ;;
  esac
  [ "$SECONDS" -lt "$deadline" ] || fail "after 1500 s the evaluation is still ${phase:-without status}: $(pe '{.status.message}')"
  sleep 5
done
[ "$(pe '{.status.probeUri}')" = "$bundle" ] || fail "status.probeUri: expected $bundle, saw '$(pe '{.status.probeUri}')'"
[ "$(pe '{.status.probeFingerprint}')" = "$fingerprint" ] \
  || fail "status.probeFingerprint: expected the training's $fingerprint, saw '$(pe '{.status.probeFingerprint}')'"
predictions=$(pe '{range .status.results[*]}{.task}={.predictedPassAt1}{"\n"}{end}')
[ -n "$predictions" ] || fail "no results"
echo "$predictions" | awk -F= '{ if ($2 == "" || $2 < 0 || $2 > 1) { print "not a pass@1: " $0; bad = 1 } } END { exit bad }' >&2 \
  || fail "results: $(echo "$predictions" | tr '\n' ' ')"

# The training's metric.
metrics=/tmp/foresight-training-metrics.txt
.github/e2e/scrape-metrics.sh "$operator_ns" 18082 >"$metrics"
line=$(grep -E "^foresight_trainings_total\{[^}]*namespace=\"$ns\"[^}]*result=\"Succeeded\"|^foresight_trainings_total\{[^}]*result=\"Succeeded\"[^}]*namespace=\"$ns\"" "$metrics" || true)
echo "$line" | awk '$NF + 0 >= 1 { found = 1 } END { exit !found }' \
  || fail "/metrics: expected foresight_trainings_total{namespace=\"$ns\",result=\"Succeeded\"} >= 1, saw '${line:-no series}'"

echo "e2e training: $ns/$training built $bundle ($family, held-out AUROC $auroc); $evaluation predicted $(echo "$predictions" | tr '\n' ' ')"
