#!/usr/bin/env bash
# Packs what operator/worker/bench/gpu.sh needs on a GPU machine that has no Maven repository and
# possibly no Java into .device-carry/ (ignored by git; under 64 MiB): the worker jar, its
# dependencies without the CPU libtorch (the GPU machine brings a CUDA one), and with --with-jre a
# jlink'd Java runtime. Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/../../.."
./mvnw -B -q -pl operator/worker -am package -DskipTests
# Only what this script makes: other folders here (a JNI recipe of one's own) stay.
rm -rf .device-carry/worker .device-carry/jre && mkdir -p .device-carry/worker/lib
cp operator/worker/target/foresight-worker-*.jar .device-carry/worker/
cp operator/worker/target/lib/*.jar .device-carry/worker/lib/
# Not needed to run models: the CPU libtorch, and the Kubernetes model the API module brings.
rm .device-carry/worker/lib/{pytorch-native-cpu,kubernetes-,snakeyaml,jackson-dataformat-yaml,generator-annotations}*.jar
if [ "${1:-}" = "--with-jre" ]; then
  # Room for a Java runtime: the tokenizers jar goes (gpu.sh's random checkpoints have no tokenizer).
  rm .device-carry/worker/lib/tokenizers-*.jar
  jlink --add-modules java.base,java.logging,java.management,java.xml,jdk.unsupported \
    --strip-debug --no-header-files --no-man-pages --compress=2 --output .device-carry/jre
fi
du -sh .device-carry
