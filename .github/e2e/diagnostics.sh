#!/usr/bin/env bash
# What to read when the e2e run fails: the resources, the operator's log, the worker pods' logs, events.
set -uo pipefail
operator_ns=${OPERATOR_NAMESPACE:-foresight-system}
ns=${1:-foresight-demo}

kubectl get nodes -o wide
kubectl get pods,jobs,pvc -A -o wide
kubectl get pe -A -o yaml
kubectl get pm -A -o yaml
kubectl describe pods -n "$ns"
kubectl logs -n "$operator_ns" -l app.kubernetes.io/name=foresight --tail=500 --all-containers
for pod in $(kubectl get pods -n "$ns" -o name); do
  echo "=== $pod"
  kubectl logs -n "$ns" "$pod" --all-containers --tail=500
done
kubectl get events -A --sort-by=.lastTimestamp | tail -n 100
