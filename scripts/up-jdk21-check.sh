#!/usr/bin/env bash
# `./nanolet up` on the JDK the README promises, 21, where CI's own is newer: in a container of nanolet/jdk:21
# (Debian's openjdk-21-jdk-headless and ps on the local Debian root, no xz: docker/base/jdk.Dockerfile), with this
# checkout's jars and scripts mounted read-only (so up writes nothing into it) and ~/.m2's repository for what up takes
# from there (the embedded PostgreSQL, pgjdbc, xz for scripts/Untxz.java), its state directory inside the container.
# A user's sequence, one node: up (finding the JDK itself, compiling its tools with javac 21, extracting the jars,
# starting each process with -XX:+AutoCreateSharedArchive), /hello answers 200 on the node's published port,
# `./nanolet get deployments` lists hello, down (the JVMs write their class-data archives), and up again, whose
# processes map the archives the first ones wrote (seen in /proc/PID/maps; each Spring Boot "Started … in" printed).
# The container (nanolet-jdk21-<pid>) is reached only through loopback-published ports and docker exec, and removed
# however this ends (and ends by itself an hour on, should this script be killed with kill -9). Run by scripts/test.sh
# once Maven built the jars, beside up-stop-check; 6 min 43 s at a load of 17 to 23.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-java.sh
image=nanolet/jdk:21
docker image inspect "$image" >/dev/null 2>&1 || { echo "up-jdk21-check: $image is missing (scripts/base-images.sh makes it)" >&2; exit 1; }
for m in db-migrations platform-api node-agent admin-ui cli; do
  [ -f "$m/target/$m-0.1.0-SNAPSHOT.jar" ] || { echo "up-jdk21-check: $m's jar is missing (./mvnw -DskipTests package)" >&2; exit 1; }
done

# two ports nothing listens on, from NANOLET_CHECK_PORT_BASE (+200) up: platform-api's and the node's, published; above
# up-check's (from the base up) and up-stop-check's (from 28190 up), which run while this does
ports=() p=$((${NANOLET_CHECK_PORT_BASE:-28090} + 200))
while [ ${#ports[@]} -lt 2 ]; do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || ports+=("$p"); p=$((p + 1)); done
name=nanolet-jdk21-$$ state=/var/nanolet out=$(mktemp -d /tmp/nanolet-jdk21-check.XXXXXX)
trap 'rc=$?; if [ $rc != 0 ]; then docker exec "$name" sh -c "tail -n 30 $state/logs/*.log" >&2 2>/dev/null || true; fi
  docker rm -f "$name" >/dev/null 2>&1 || true; rm -rf "$out"; exit $rc' EXIT
docker run -d --rm --name "$name" -v "$PWD:/nanolet:ro" -v "$HOME/.m2/repository:/root/.m2/repository:ro" \
  -p "127.0.0.1:${ports[0]}:8090" -p "127.0.0.1:${ports[1]}:8181" "$image" sleep 3600 >/dev/null
in_box() { docker exec -e NANOLET_STATE="$state" -e NANOLET_NODE_PORTS=8181 "$name" "$@"; }
nanolet() { # command log: ./nanolet command in the container, its output in $out/log
  in_box timeout 600 /nanolet/nanolet "$1" >"$out/$2" 2>&1 || { cat "$out/$2" >&2; echo "up-jdk21-check: ./nanolet $1 ($2) failed on JDK 21" >&2; exit 1; }
}
started() { in_box sh -c "sed -n 's/.*Started .* in \([0-9.]*\) seconds.*/\1 s/p' $state/logs/$1.log | tail -n 1"; }
maps() { in_box sh -c "cat /proc/\$(cat $state/pids/$1.pid)/maps" | grep -c "$state/cds/$1.jsa" || true; } # name: how often

[[ $(in_box java -version 2>&1) == *'version "21'* ]] || { in_box java -version >&2; echo "up-jdk21-check: $image runs no JDK 21" >&2; exit 1; }
nanolet up up-1.txt
grep -q "Nanolet is up" "$out/up-1.txt" || { cat "$out/up-1.txt" >&2; echo "up-jdk21-check: the first up did not say it is up" >&2; exit 1; }
! grep -q "refuses -XX:+AutoCreateSharedArchive\|without class-data sharing" "$out/up-1.txt" ||
  { cat "$out/up-1.txt" >&2; echo "up-jdk21-check: up on JDK 21 started without class-data sharing" >&2; exit 1; }
"$JAVA_HOME/bin/java" scripts/Http.java wait "http://127.0.0.1:${ports[1]}/hello" 60 Hello ||
  { echo "up-jdk21-check: /hello did not answer on the node's published port ${ports[1]}" >&2; exit 1; }
[[ $("$JAVA_HOME/bin/java" scripts/Http.java get "http://127.0.0.1:${ports[0]}/actuator/health") == *'"UP"'* ]] ||
  { echo "up-jdk21-check: platform-api's health did not answer UP on its published port ${ports[0]}" >&2; exit 1; }
in_box /nanolet/nanolet get deployments >"$out/get.txt" 2>&1 && grep -q '^default  *hello ' "$out/get.txt" ||
  { cat "$out/get.txt" >&2; echo "up-jdk21-check: ./nanolet get deployments did not list hello" >&2; exit 1; }
[ "$(maps node-1)" = 0 ] || { echo "up-jdk21-check: the first start mapped an archive no process had written" >&2; exit 1; }
first="platform-api $(started platform-api), node-1 $(started node-1), admin-ui $(started admin-ui)"
nanolet down down-1.txt
for n in platform-api node-1 admin-ui; do
  in_box test -s "$state/cds/$n.jsa" || { cat "$out/down-1.txt" >&2; echo "up-jdk21-check: $n wrote no class-data archive as it stopped" >&2; exit 1; }
done
nanolet up up-2.txt
for n in platform-api node-1 admin-ui; do
  [ "$(maps "$n")" != 0 ] || { echo "up-jdk21-check: $n's second start did not map the archive its first wrote" >&2; exit 1; }
done
"$JAVA_HOME/bin/java" scripts/Http.java wait "http://127.0.0.1:${ports[1]}/hello" 60 Hello ||
  { echo "up-jdk21-check: /hello did not answer after the second up" >&2; exit 1; }
echo "== up-jdk21-check: $(in_box java -version 2>&1 | head -n 1): up, /hello, get deployments, down, up again"
echo "== up-jdk21-check: Started in, first up (no archive): $first"
echo "== up-jdk21-check: Started in, second up (archives mapped): platform-api $(started platform-api), node-1 $(started node-1), admin-ui $(started admin-ui)"
nanolet down down-2.txt
