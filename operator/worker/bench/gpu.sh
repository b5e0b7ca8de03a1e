#!/usr/bin/env bash
# The runtime on CUDA, for a machine with an NVIDIA GPU: a smoke test and the GPU figures of the
# runtime benchmark (issue 3). Run from the repository root after
#   ./mvnw -B -q -pl operator/worker -am package -DskipTests
# Needs a JDK 17+ (`java`) and a CUDA libtorch 2.7.1 (DJL 0.36's JNI is built for it): set
# PYTORCH_LIBRARY_PATH to its lib folder (a libtorch-2.7.1+cu128 zip, or a pip torch==2.7.1+cu128's
# site-packages/torch/lib). Usage:
#   operator/worker/bench/gpu.sh            # smoke + 106M-parameter figures (a minute or two)
#   operator/worker/bench/gpu.sh 7b         # also a 7B-shaped model: load + prefill 1000 × 256 tokens
set -euo pipefail
cd "$(dirname "$0")/../../.."
# The jar from a build, or from .device-carry/ (operator/worker/bench/gpu-carry.sh) on a machine without Maven.
JAR=operator/worker/target/foresight-worker-0.1.0-SNAPSHOT.jar
[ -f "$JAR" ] || JAR=.device-carry/worker/foresight-worker-0.1.0-SNAPSHOT.jar
[ -x .device-carry/jre/bin/java ] && PATH="$PWD/.device-carry/jre/bin:$PATH"
WORK=${FORESIGHT_BENCH_DIR:-/tmp/foresight-bench}

command -v java >/dev/null || { echo "gpu.sh: no java on PATH (a JDK 17+, or gpu-carry.sh --with-jre)" >&2; exit 2; }
[ -f "$JAR" ] || { echo "gpu.sh: no worker jar: ./mvnw -B -q -pl operator/worker -am package -DskipTests" >&2; exit 2; }
if [ -z "${PYTORCH_LIBRARY_PATH:-}" ]; then
  # A pip torch 2.7.1 with CUDA will do. Another version is built against a different C++ ABI than
  # DJL 0.36's JNI library; FORESIGHT_ANY_TORCH=1 tries it anyway (expect "undefined symbol").
  check='import torch, os, sys; sys.exit(0 if torch.__version__.startswith("2.7.1") or os.environ.get("FORESIGHT_ANY_TORCH") == "1" else 3)'
  if python3 -c "$check" 2>/dev/null; then
    PYTORCH_LIBRARY_PATH=$(python3 -c 'import torch, os; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
  else
    echo "gpu.sh: set PYTORCH_LIBRARY_PATH to a libtorch 2.7.1+cu128 lib folder (python's torch is $(python3 -c 'import torch; print(torch.__version__)' 2>/dev/null || echo absent))" >&2
    exit 2
  fi
fi
export PYTORCH_LIBRARY_PATH PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128 DJL_OFFLINE=true DJL_CACHE_DIR="$WORK/djl"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
mkdir -p "$WORK"
JAVA=(java -Xmx48g -Dai.djl.offline=true -jar "$JAR")

echo "== smoke: a tiny forward on CUDA, then the runtime benchmark (106M Llama, float16) =="
"${JAVA[@]}" bench runtime --device cuda --dtype float16 --python none --workdir "$WORK" --runs 5
echo "== the same in float32 =="
"${JAVA[@]}" bench runtime --device cuda --dtype float32 --python none --workdir "$WORK" --runs 5 --load-bytes 0

if [ "${1:-}" = "7b" ]; then
  echo "== 7B-shaped Llama (random weights, bf16 on disk): load + prefill 1000 prompts × 256 tokens, float16 =="
  "${JAVA[@]}" bench runtime --device cuda --dtype float16 --python none --workdir "$WORK" --shape LLAMA_7B \
    --batch-size 32 --decode-tokens 16 --runs 1 --load-bytes 0
  "${JAVA[@]}" inspect "$WORK/llama-7b" --forward --device cuda --dtype float16 --prompts 1000 --tokens 256 --batch-size 32
fi
