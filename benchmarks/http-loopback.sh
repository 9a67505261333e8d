#!/usr/bin/env bash
# HTTP on loopback: requests/s and latency percentiles of the hello route on a node agent started
# by ./nanolet up, and of the same examples/hello.wasm behind Node's node:wasi (the peer), in one run.
# usage: benchmarks/http-loopback.sh [duration=20s] [connections=8] [threads=2]
# (a replica serves at most limits.maxConcurrency=16 requests at once and answers 503 beyond that,
# so keep connections below 16 to measure service rather than shedding)
# Needs ./nanolet up (hello deployed at /hello), wrk and node >= 20.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-20s} connections=${2:-8} threads=${3:-2}
node_url=${NANOLET_BENCH_NODE:-http://127.0.0.1:8181}/hello
peer_url=http://127.0.0.1:8199/hello
. scripts/find-java.sh

echo "machine: $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)), $(free -g | awk '/^Mem/{print $2}') GiB RAM, $(uname -sr)"
echo "java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1); node: $(node --version); $(wrk --version 2>&1 | head -n 1)"

node benchmarks/node-wasi-cgi.mjs examples/hello.wasm 8199 /hello &
peer=$!
trap 'kill $peer 2>/dev/null || true' EXIT
"$JAVA_HOME/bin/java" scripts/Http.java wait "$peer_url" 30 || { echo "the node:wasi peer did not answer" >&2; exit 1; }
"$JAVA_HOME/bin/java" scripts/Http.java wait "$node_url" 30 || { echo "$node_url does not answer: ./nanolet up first" >&2; exit 1; }

for target in "nanolet node agent|$node_url" "node:wasi peer|$peer_url"; do
  name=${target%%|*} url=${target#*|}
  echo
  echo "== $name: $url"
  curl -s -i "$url" | head -n 20
  wrk -t"$threads" -c"$connections" -d10s "$url" >/dev/null   # warm-up (JIT, caches), not reported
  echo "\$ wrk -t$threads -c$connections -d$duration --latency $url"
  wrk -t"$threads" -c"$connections" -d"$duration" --latency "$url"
done
