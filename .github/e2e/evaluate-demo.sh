#!/usr/bin/env bash
# Evaluates the demo world's newest checkpoint on a cluster where the chart is installed, and checks
# the result end to end: status (phase Succeeded, a predicted pass@1 per task) and metrics.
#
#   .github/e2e/evaluate-demo.sh DEMO_DIR [NAMESPACE]
#
# DEMO_DIR is the folder `foresight demo --workdir DEMO_DIR` filled; it must be /srv/foresight-demo on
# the node, where examples/demo/demo-world-volume.yaml points. Needs kubectl and curl.
set -euo pipefail
cd "$(dirname "$0")/../.."

demo=${1:?usage: $0 DEMO_DIR [NAMESPACE]}
ns=${2:-foresight-demo}
operator_ns=${OPERATOR_NAMESPACE:-foresight-system}
timeout_s=${EVALUATION_TIMEOUT_SECONDS:-1500}

step=$(find "$demo/checkpoints" -mindepth 1 -maxdepth 1 -type d -name 'step-*' -printf '%f\n' \
  | sed -n 's/^step-\([0-9][0-9]*\)$/\1/p' | sort -n | tail -n 1)
if [ -z "$step" ]; then
  echo "no checkpoints/step-N folder in $demo: run foresight demo --workdir $demo first" >&2
  exit 1
fi
if [ ! -f "$demo/bundle/probe.json" ]; then
  echo "no probe bundle (bundle/probe.json) in $demo" >&2
  exit 1
fi
name="demo-step-$step"
echo "evaluating checkpoints/step-$step of $demo as ProbeEvaluation $ns/$name"

kubectl create namespace "$ns" --dry-run=client -o yaml | kubectl apply -f -
kubectl apply -n "$ns" -f examples/demo/demo-world-volume.yaml
kubectl apply -f - <<YAML
apiVersion: foresight.dev/v1alpha1
kind: ProbeEvaluation
metadata:
  name: $name
  namespace: $ns
spec:
  checkpoint:
    uri: pvc://foresight-demo/checkpoints/step-$step
    run: demo
    step: $step
  probe:
    uri: pvc://foresight-demo/bundle
  runtime:
    gpus: 0
    resources:
      requests: {cpu: "1", memory: 2Gi}
      limits: {memory: 4Gi}
  activeDeadlineSeconds: $timeout_s
YAML

# Wait for a final phase; Failed ends the wait at once with the operator's own words.
deadline=$((SECONDS + timeout_s + 120))
phase=""
while [ "$SECONDS" -lt "$deadline" ]; do
  phase=$(kubectl get pe "$name" -n "$ns" -o jsonpath='{.status.phase}')
  case "$phase" in
    Succeeded | Failed) break ;;
  esac
  sleep 5
done
kubectl get pe -n "$ns"
kubectl get pe "$name" -n "$ns" -o yaml
if [ "$phase" != Succeeded ]; then
  echo "ProbeEvaluation $ns/$name ended in phase '${phase:-none}', not Succeeded" >&2
  exit 1
fi

# Every result has a predicted pass@1 in [0, 1].
results=$(kubectl get pe "$name" -n "$ns" -o jsonpath='{range .status.results[*]}{.task}={.predictedPassAt1}{"\n"}{end}')
if [ -z "$results" ]; then
  echo "Succeeded without results" >&2
  exit 1
fi
echo "$results" | awk -F= '{ if ($2 == "" || $2 < 0 || $2 > 1) { print "bad prediction: " $0; bad = 1 } } END { exit bad }'

# The operator exports the prediction per run and task.
.github/e2e/scrape-metrics.sh "$operator_ns" 18080 >/tmp/foresight-metrics.txt
if ! grep -E "^foresight_predicted_pass_at_1\{.*run=\"demo\"" /tmp/foresight-metrics.txt; then
  echo "no foresight_predicted_pass_at_1 series for run demo on /metrics" >&2
  exit 1
fi
echo "e2e: $ns/$name Succeeded with $(echo "$results" | wc -l) task result(s)"
