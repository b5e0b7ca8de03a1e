#!/usr/bin/env bash
# Prints the operator's /metrics once, through a port-forward to the chart's metrics Service (tried
# for up to 30 s while the forward comes up); prints nothing if it never answers, so that the
# caller's check says which series it missed.
#
#   .github/e2e/scrape-metrics.sh OPERATOR_NAMESPACE LOCAL_PORT > metrics.txt
set -uo pipefail

operator_ns=${1:?usage: $0 OPERATOR_NAMESPACE LOCAL_PORT}
port=${2:?usage: $0 OPERATOR_NAMESPACE LOCAL_PORT}

kubectl -n "$operator_ns" port-forward svc/foresight-metrics "$port:8080" >/dev/null 2>&1 &
forward=$!
trap 'kill "$forward" 2>/dev/null || true' EXIT
for _ in $(seq 1 30); do
  if body=$(curl -fsS "http://127.0.0.1:$port/metrics" 2>/dev/null); then
    printf '%s\n' "$body"
    exit 0
  fi
  sleep 1
done
exit 0
