#!/usr/bin/env bash
# The worker on a GPU, measured in one run of at most 10 minutes (issue 13). Run from the repository
# root after `./mvnw -B -q -pl operator/worker -am package -DskipTests` (or with the jar packed into
# .device-carry/ by gpu-carry.sh). Each part prints one line, "== PART (seconds): figures", or
# "== PART: FAILED (exit N): last error line"; a failing or timed-out part does not stop the others.
# Full output of each part: $WORK/logs/PART.log.
#
#   operator/worker/bench/gpu.sh [PART...]     parts: parity runtime 7b (default: all three; on a
#                                              10-minute device call run "parity runtime", then "7b":
#                                              the JNI's objects in $WORK are reused while it stays warm)
#   operator/worker/bench/gpu.sh --dry-run     the same parts on --device cpu with tiny shapes: checks
#                                              this script on a machine without a GPU (WITH_JNI=1
#                                              PYTHON=... also builds and uses the JNI below)
#
# The libtorch: if .device-carry/djl-jni/build.sh exists (kept out of git), it builds DJL 0.36's JNI
# against this machine's Python torch and sets PYTORCH_LIBRARY_PATH, PYTORCH_VERSION, PYTORCH_FLAVOR
# (and FORESIGHT_JNI_BFLOAT16 when its JNI maps bfloat16). Otherwise PYTORCH_LIBRARY_PATH must name a
# libtorch 2.7.1+cu128 lib folder (the CUDA worker image's), or python3's torch must be 2.7.1.
#
# Parts and what they print:
#   parity    the transformers fixtures on CUDA: float32 (TF32 off) within 1e-4; float16 and bfloat16
#             against the float32 fixtures within ParityCheck's relative tolerances
#   runtime   prefill and decode tokens/s beside PyTorch on the same GPU (eager and SDPA attention):
#             the 106M Llama in float32, the 1.1B (TinyLlama-shaped) in bfloat16 (float16 without a
#             bfloat16 JNI)
#   7b        a 7B Llama (random weights, bf16 on disk): writing it, load against `cat` of its
#             files, prefill of 1,000 prompts × 256 tokens as the linear/mlp probes read it
#             (answer pooling, 2 layers) and as the attention probe does (all positions, 1 layer),
#             the batch planned from free memory, peak GPU memory, and the generative path (4
#             samples, 256 new tokens) on 64 of the prompts against the probe path on the same 64
set -uo pipefail
cd "$(dirname "$0")/../../.."
DRY=0
PARTS=()
for a in "$@"; do
  case "$a" in
    --dry-run) DRY=1 ;;
    parity|runtime|7b) PARTS+=("$a") ;;
    *) echo "gpu.sh: unknown argument '$a' (parts: parity runtime 7b; --dry-run)" >&2; exit 2 ;;
  esac
done
[ ${#PARTS[@]} -gt 0 ] || PARTS=(parity runtime 7b)
wants() { local p; for p in "${PARTS[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }

JAR=operator/worker/target/foresight-worker-0.1.0-SNAPSHOT.jar
[ -f "$JAR" ] || JAR=.device-carry/worker/foresight-worker-0.1.0-SNAPSHOT.jar
[ -x .device-carry/jre/bin/java ] && PATH="$PWD/.device-carry/jre/bin:$PATH"
WORK=${FORESIGHT_BENCH_DIR:-/tmp/foresight-bench}
mkdir -p "$WORK/logs"
command -v java >/dev/null || { echo "gpu.sh: no java on PATH (a JDK 17+, or gpu-carry.sh --with-jre)" >&2; exit 2; }
[ -f "$JAR" ] || { echo "gpu.sh: no worker jar: ./mvnw -B -q -pl operator/worker -am package -DskipTests" >&2; exit 2; }
PY=${PYTHON:-python3}
START=$SECONDS

# part NAME TIMEOUT PATTERN COMMAND...: runs COMMAND under TIMEOUT seconds, keeps its output in
# $WORK/logs/NAME.log and prints the output lines matching PATTERN (grep -E) as one line.
part() {
  local name=$1 limit=$2 pattern=$3
  shift 3
  local log="$WORK/logs/$name.log" t0=$SECONDS rc
  timeout --kill-after=10 "$limit" "$@" >"$log" 2>&1
  rc=$?
  local figures
  # Markdown table rows "| figure | ours | PyTorch | ratio |" read "figure ours vs PyTorch (ratio)".
  figures=$(grep -E "$pattern" "$log" | sed -E 's/^\| ([^|]+) \| ([^|]+) \| ([^|]+) \| ([^|]*) \|$/\1 \2 vs \3 (\4)/;
    s/.*(agree to [^ ]+).*/hidden states \1/; s/ vs not run \(\)//; s/ +/ /g; s/^ //' | paste -sd $'\x1f' | sed 's/\x1f/; /g')
  if [ $rc -eq 0 ]; then
    echo "== $name ($((SECONDS - t0)) s): ${figures:-no figures (see $log)}"
  else
    [ $rc -eq 124 ] && figures="timed out after $limit s; $figures"
    echo "== $name: FAILED (exit $rc): ${figures:+$figures; }$(grep -v '^\s*at ' "$log" | grep -E 'foresight:|Error|Exception|error' | tail -1)"
  fi
  return 0
}

# The JNI built here against this machine's torch (a dry run builds it only with WITH_JNI=1).
if [ -x .device-carry/djl-jni/build.sh ] && { [ $DRY -eq 0 ] || [ "${WITH_JNI:-0}" = 1 ]; }; then
  t0=$SECONDS
  if exports=$(timeout 300 .device-carry/djl-jni/build.sh "$WORK/djl-jni" 2>"$WORK/logs/jni.log"); then
    eval "$exports"
    echo "== jni ($((SECONDS - t0)) s): DJL 0.36 JNI built against torch $PYTORCH_VERSION ($PYTORCH_FLAVOR) in $PYTORCH_LIBRARY_PATH"
  else
    echo "== jni: FAILED (exit $?): $(tail -1 "$WORK/logs/jni.log"); going on with the standard libtorch 2.7.1"
  fi
fi
if [ $DRY -eq 1 ]; then
  DEVICE=cpu
  HALF=()
  echo "== libtorch: dry run on the CPU with ${PYTORCH_LIBRARY_PATH:-the libtorch 2.7.1 in the jar}"
else
  DEVICE=cuda
  if [ -z "${PYTORCH_LIBRARY_PATH:-}" ]; then
    if $PY -c 'import sys, torch; sys.exit(0 if torch.__version__.startswith("2.7.1") else 3)' 2>/dev/null; then
      PYTORCH_LIBRARY_PATH=$($PY -c 'import torch, os; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
      export PYTORCH_LIBRARY_PATH PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128
    else
      echo "gpu.sh: no JNI built and no libtorch 2.7.1: set PYTORCH_LIBRARY_PATH to a libtorch 2.7.1+cu128 lib folder" >&2
      exit 2
    fi
  fi
  export NVIDIA_TF32_OVERRIDE=0 # float32 means float32: no TensorFloat-32 anywhere in this run
  HALF=(float16)
  [ "${FORESIGHT_JNI_BFLOAT16:-0}" = 1 ] && HALF+=(bfloat16)
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | sed 's/^/== gpu: /'
fi
export DJL_OFFLINE=true DJL_CACHE_DIR="$WORK/djl"
JAVA=(java -Xmx64g -Dai.djl.offline=true)
# DJL counts GPUs through libcudart loaded by JNA; a pip torch keeps it under site-packages/nvidia/*/lib.
SITE=$($PY -c 'import torch, os; print(os.path.dirname(os.path.dirname(torch.__file__)))' 2>/dev/null)
CUDART=$(ls "${SITE:-/nonexistent}"/nvidia/*/lib/libcudart.so* 2>/dev/null | head -1)
[ $DRY -eq 0 ] && [ -n "$CUDART" ] && JAVA+=(-Djna.library.path="$(dirname "$CUDART")")
JAVA+=(-jar "$JAR")
LOWP=float32 # the type the larger models run in: the last 16-bit one the machine can do
[ ${#HALF[@]} -gt 0 ] && LOWP=${HALF[$((${#HALF[@]} - 1))]}

if wants parity; then
  for dtype in float32 ${HALF[@]+"${HALF[@]}"}; do
    part "parity-$dtype" 120 '^parity [0-9]+ of|FAILED' "${JAVA[@]}" bench parity --device "$DEVICE" --dtype "$dtype"
  done
fi

if wants runtime; then
  ROWS='prefill tokens/s|decode tokens/s|model load|agree to'
  if [ $DRY -eq 1 ]; then
    part runtime-100m-eager 300 "$ROWS" "${JAVA[@]}" bench runtime --device cpu --python "$PY" --workdir "$WORK" \
      --runs 1 --batch-size 2 --tokens 32 --decode-tokens 4 --load-bytes 0 --torch-attention eager
  else
    for attention in eager sdpa; do
      part "runtime-100m-float32-$attention" 150 "$ROWS" "${JAVA[@]}" bench runtime --device cuda --dtype float32 \
        --python "$PY" --workdir "$WORK" --runs 2 --batch-size 16 --load-bytes 0 --torch-attention "$attention"
      part "runtime-1b-$LOWP-$attention" 180 "$ROWS" "${JAVA[@]}" bench runtime --device cuda --dtype "$LOWP" \
        --shape LLAMA_1B --python "$PY" --workdir "$WORK" --runs 2 --batch-size 16 --load-bytes 0 --torch-attention "$attention"
    done
  fi
fi

if wants 7b; then
  if [ $DRY -eq 1 ]; then
    SHAPE=LLAMA_100M MODEL="$WORK/llama-100m" PROMPTS=8 GEN_PROMPTS=2 TOKENS=32 NEW=8 DT=float32 LAYERS=4,6 LAST=8
  else
    SHAPE=LLAMA_7B MODEL="$WORK/llama-7b" PROMPTS=1000 GEN_PROMPTS=64 TOKENS=256 NEW=256 DT=$LOWP LAYERS=16,24 LAST=24
  fi
  # Writes the model once (and times load, prefill and decode at batch 16 on the way).
  part "7b-write+runtime" 300 'model load|prefill tokens/s|decode tokens/s' "${JAVA[@]}" bench runtime \
    --device "$DEVICE" --dtype "$DT" --shape "$SHAPE" --python none --workdir "$WORK" --runs 1 --batch-size 16 \
    --tokens "$TOKENS" --decode-tokens 8 --load-bytes 0
  t0=$(date +%s.%N)
  cat "$MODEL"/*.safetensors >/dev/null 2>&1
  echo "== 7b-read: cat of $(du -sh "$MODEL" 2>/dev/null | cut -f1) of weights in $(awk "BEGIN { printf \"%.2f\", $(date +%s.%N) - $t0 }") s (page cache as the load left it; compare the load times above and below)"
  SMI=""
  if [ $DRY -eq 0 ]; then
    nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 200 >"$WORK/logs/gpu-memory.log" 2>/dev/null &
    SMI=$!
  fi
  PLANNED=(--batch-size 0 --answer-tokens 16 --prompts "$PROMPTS" --tokens "$TOKENS" --device "$DEVICE" --dtype "$DT")
  part 7b-linear-mlp-probes 150 '^load|^prefill|gpu memory' "${JAVA[@]}" inspect "$MODEL" --forward "${PLANNED[@]}" \
    --pooling answer --layers "$LAYERS"
  part 7b-attention-probe 150 '^load|^prefill|gpu memory' "${JAVA[@]}" inspect "$MODEL" --forward "${PLANNED[@]}" \
    --pooling all-with-answer --layers "$LAST"
  part 7b-probe-vs-generative 240 '^prefill|^generate' "${JAVA[@]}" inspect "$MODEL" --forward --batch-size 0 \
    --answer-tokens 16 --prompts "$GEN_PROMPTS" --tokens "$TOKENS" --device "$DEVICE" --dtype "$DT" --pooling answer \
    --layers "$LAYERS" --generate-tokens "$NEW" --samples 4
  if [ -n "$SMI" ]; then
    kill "$SMI" 2>/dev/null
    echo "== 7b-peak-gpu-memory: $(sort -n "$WORK/logs/gpu-memory.log" | tail -1) MiB used at most (nvidia-smi every 200 ms, all processes)"
  fi
fi
echo "== done in $((SECONDS - START)) s; logs in $WORK/logs"
