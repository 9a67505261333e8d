#!/usr/bin/env bash
# hello vs the node's own endpoint: the Wasm route /hello against the node agent's /actuator/health
# (no Wasm) on the same node, in alternating wrk rounds of the same run, with the load average
# before and after. Prints each round's wrk output, then one summary line per round:
#   round N: hello R req/s p99 P ms (E non-2xx) | actuator R req/s p99 P ms | ratio req/s X, p99 Y
# and the goal (issue 13): req/s ratio >= 0.80, p99 ratio <= 2.0.
# usage: benchmarks/hello-vs-actuator.sh [duration=8s] [connections=16] [rounds=2]
# Needs ./nanolet up (hello deployed at /hello) and wrk. NANOLET_BENCH_NODE picks the node
# (default http://127.0.0.1:8181). A warm-up of each endpoint comes first and is not reported:
# NANOLET_BENCH_WARMUP (default 30s). It was 5 s; after 5 s or 15 s of hello, its first round still
# ran at 0.54-0.71 of the actuator right after ./nanolet up while the JIT compiled the module's
# classes (later rounds 1.02-1.30); after 30 s the first round is like the others.
set -euo pipefail
duration=${1:-8s} connections=${2:-16} rounds=${3:-2}
node=${NANOLET_BENCH_NODE:-http://127.0.0.1:8181}
warmup=${NANOLET_BENCH_WARMUP:-30s}

curl -fsS -o /dev/null "$node/hello" || { echo "$node/hello does not answer: ./nanolet up first" >&2; exit 1; }
wrk -t2 -c"$connections" -d"$warmup" "$node/hello" >/dev/null
wrk -t2 -c"$connections" -d"$warmup" "$node/actuator/health" >/dev/null

ms() { # a wrk latency (123.45us, 1.23ms, 1.02s) in milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) n *= 1000; printf "%.2f", n }'
}
round() { # url -> "req/s p99ms non2xx", wrk's output on stderr
  local out
  out=$(wrk -t2 -c"$connections" -d"$duration" --latency "$1")
  echo "$out" >&2
  echo "$(echo "$out" | awk '/^Requests\/sec/ {print $2}') $(ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")" \
    "$(echo "$out" | awk '/Non-2xx/ {print $NF}' | grep . || echo 0)"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
summary=()
for i in $(seq 1 "$rounds"); do
  echo "== round $i: $node/hello" >&2
  read -r hr hp he < <(round "$node/hello")
  echo "== round $i: $node/actuator/health" >&2
  read -r ar ap ae < <(round "$node/actuator/health")
  summary+=("$(awk -v i="$i" -v hr="$hr" -v hp="$hp" -v he="$he" -v ar="$ar" -v ap="$ap" 'BEGIN {
    printf "round %d: hello %.0f req/s p99 %.2f ms (%d non-2xx) | actuator %.0f req/s p99 %.2f ms | ratio req/s %.2f, p99 %.2f",
      i, hr, hp, he, ar, ap, hr / ar, hp / ap }')")
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%s\n' "${summary[@]}"
echo "goal (issue 13): ratio req/s >= 0.80, ratio p99 <= 2.00"
