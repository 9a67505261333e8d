#!/usr/bin/env bash
# Many instances at once (docs/performance.md, "Neighbours: many instances at once"): deploys
# examples/fixtures/hold-memory.wasm (64 MiB from its start, loops to its 3 s deadline) as three
# deployments with maxConcurrency 16 on a running platform, sends 16 requests at once to each
# (3 GiB of linear memory asked for), and /hello every 50 ms meanwhile; prints the status counts and
# the slowest /hello. Run from the repository root after ./nanolet up with one node
# (NANOLET_NODE_PORTS=<one port>), so that every replica is on the node measured; the three
# deployments stay (delete them with the API or `./nanolet down && rm -rf .nanolet`).
#
#   benchmarks/memory-neighbours.sh API_URL NODE_URL [rounds]
set -euo pipefail
api=${1:?API_URL, e.g. http://localhost:8090}
node=${2:?NODE_URL, e.g. http://127.0.0.1:8181}
rounds=${3:-2}
token=$(cat .nanolet/admin-token)
auth=(-H "Authorization: Bearer $token")

digest=$(curl -sf "${auth[@]}" -H 'Content-Type: application/wasm' --data-binary @examples/fixtures/hold-memory.wasm \
  "$api/api/v1/modules?name=hold" | sed -n 's/.*"digest" *: *"\([^"]*\)".*/\1/p')
[ -n "$digest" ] || { echo "memory-neighbours: the module upload gave no digest" >&2; exit 1; }
for i in 1 2 3; do
  curl -sf -o /dev/null "${auth[@]}" -H 'Content-Type: application/json' -X PUT \
    -d "{\"module\":\"$digest\",\"http\":{\"path\":\"/hold$i\"},\"replicas\":1,\"limits\":{\"memoryMiB\":64,\"timeoutMs\":3000,\"maxConcurrency\":16}}" \
    "$api/api/v1/namespaces/default/deployments/hold$i"
done
for i in 1 2 3; do # each route answers (a 504 at its deadline) before the round starts
  for try in $(seq 60); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$node/hold$i" || true)" = 504 ] && break
    [ "$try" = 60 ] && { echo "memory-neighbours: $node/hold$i never answered 504" >&2; exit 1; }
  done
done

for round in $(seq "$rounds"); do
  out=$(mktemp -d)
  for i in 1 2 3; do for j in $(seq 16); do
    { curl -s -o /dev/null -w '%{http_code}\n' --max-time 30 "$node/hold$i" || true; } > "$out/hold-$i-$j" &
  done; done
  for k in $(seq 60); do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 30 "$node/hello" >> "$out/hello" || true
    sleep 0.05 # pacing of the probe, not a wait for a condition
  done
  wait
  echo "round $round: hold: $(cat "$out"/hold-* | sort | uniq -c | tr -s ' \n' ' ')| hello: $(awk '{print $1}' "$out/hello" | sort | uniq -c | tr -s ' \n' ' ')| slowest hello: $(awk '{print $2}' "$out/hello" | sort -n | tail -1) s"
  rm -rf "$out"
done
