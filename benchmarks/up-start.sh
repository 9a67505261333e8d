#!/usr/bin/env bash
# benchmarks/up-start.sh LABEL STATE [NANOLET]: one `./nanolet up` on state directory STATE (NANOLET_STATE), timed, then
# `./nanolet down`, timed; prints one line: the load average before, up's wall clock, the seconds from "starting
# platform-api" to platform-api healthy and to admin-ui healthy (the last), each process's own "Started … in N
# seconds", and down's wall clock. NANOLET: another copy of the script (a baseline's, in this checkout's root).
# Ports 27490 (API), 27480 (UI), 27429 (PostgreSQL), 27481 and 27482 (nodes) unless NANOLET_*_PORT(S) say others.
# docs/performance.md, "./nanolet up: start time".
set -uo pipefail
cd "$(dirname "$0")/.."
label=$1 state=$2 nanolet=./${3:-nanolet} out=$(mktemp)
export NANOLET_STATE=$state NANOLET_API_PORT=${NANOLET_API_PORT:-27490} NANOLET_UI_PORT=${NANOLET_UI_PORT:-27480} \
  NANOLET_PG_PORT=${NANOLET_PG_PORT:-27429} NANOLET_NODE_PORTS=${NANOLET_NODE_PORTS:-27481 27482}
now() { date +%s.%N; }
at() { grep -m1 "$1" "$out" | cut -d' ' -f1; } # when up printed that line
load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || uptime | sed 's/.*: //; s/,.*//')
start=$(now)
"$nanolet" up 2>&1 | while IFS= read -r line; do echo "$(now) $line"; done >"$out"; rc=${PIPESTATUS[0]}
end=$(now)
started=$(for n in platform-api node-1 node-2 admin-ui; do
  grep -o "Started [A-Za-z]* in [0-9.]* seconds" "$state/logs/$n.log" 2>/dev/null | tail -n 1 | awk -v n=$n '{printf " %s=%s", n, $4}'; done)
down=$(now); "$nanolet" down >/dev/null 2>&1; down=$(echo "$(now) - $down" | bc)
echo "$label up=$rc load=$load wall=$(echo "$end - $start" | bc) api-healthy=$(echo "$(at 'platform-api on') - $(at 'starting platform-api')" | bc)" \
  "all-healthy=$(echo "$(at 'admin-ui on') - $(at 'starting platform-api')" | bc) started:$started down=$down"
rm -f "$out"
