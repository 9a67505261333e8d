#!/usr/bin/env bash
# What ./nanolet up does before it starts anything, in a copy of the script and its scripts/ (no jars there,
# so up builds): an up stopped during its build (a kill, and Ctrl-C as a terminal sends it, to the whole
# process group, without flock) stops Maven and leaves no lock; a PostgreSQL fetch that fails shows Maven's
# errors and what to check (the real mvnw, its repository unreachable); and status refuses node ports that
# name no port. Maven's build here is a fake ./mvnw that only waits, as the real one would for minutes.
# Run by scripts/test.sh; about a minute (the fetch's Maven and compiling up's tools).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-java.sh
real=$(pwd)
tmp=$(mktemp -d /tmp/nanolet-up-stop-check.XXXXXX)
pids=() # what a failed check leaves running is stopped
trap 'rc=$?; for p in ${pids[@]+"${pids[@]}"}; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; exit $rc' EXIT
fail() { cat "$tmp/out.txt" >&2 2>/dev/null || true; echo "up-stop-check: $*" >&2; exit 1; }

copy() { # dir: a checkout of ./nanolet with no jars, whose ./mvnw waits in place of building
  mkdir -p "$1"
  cp "$real/nanolet" "$1/"; cp -R "$real/scripts" "$1/"
  printf '#!/bin/sh\necho $$ >>"%s"\necho "[INFO] Building Nanolet db-migrations 0.1.0-SNAPSHOT"\nexec sleep 300\n' "$1/maven.pids" >"$1/mvnw"
  chmod +x "$1/mvnw"
}
await_maven() { # dir: the fake Maven runs
  for _ in $(seq 1 300); do [ -s "$1/maven.pids" ] && break; sleep 0.2; done
  [ -s "$1/maven.pids" ] || fail "up did not get to its build"
  pids+=("$(cat "$1/maven.pids")")
  grep -q "Building Nanolet db-migrations" "$tmp/out.txt" || sleep 1 # (its filter's line, usually there by now)
}
stopped() { # dir status signal: up ended with status, Maven is gone, and so is the lock
  local maven; maven=$(cat "$1/maven.pids")
  [ "$up_rc" = "$2" ] || fail "up $3 ended with $up_rc, not $2"
  ! kill -0 "$maven" 2>/dev/null || fail "up $3 left its Maven (pid $maven) running"
  [ ! -e "$1/state/up.lock.d" ] || fail "up $3 left its lock directory"
  [ ! -e "$1/state/build-output" ] || fail "up $3 left its build's FIFO"
  if command -v flock >/dev/null; then flock -n "$1/state/up.lock" true || fail "up $3 left its lock held"; fi
  grep -q "up stopped: stopping what it started" "$tmp/out.txt" || fail "up $3 did not say it stopped"
  echo "== up-stop-check: up $3 during its build stopped Maven and left no lock"
}

# kill (SIGTERM) of up alone, with flock
copy "$tmp/a"
NANOLET_STATE="$tmp/a/state" "$tmp/a/nanolet" up >"$tmp/out.txt" 2>&1 & up=$!
pids+=("$up")
await_maven "$tmp/a"
kill -TERM "$up"
up_rc=0; wait "$up" || up_rc=$?
stopped "$tmp/a" 143 "killed (SIGTERM)"

# Ctrl-C: a terminal sends SIGINT to every process of the foreground job, up's own jobs included (which
# ignore it); here in a job of its own (set -m) and with a PATH without flock, as on macOS
nof="$tmp/path-without-flock"; mkdir "$nof"
for d in ${PATH//:/ }; do ln -s "$d"/* "$nof/" 2>/dev/null || true; done # the first of a name wins, as in PATH
rm -f "$nof/flock"
copy "$tmp/b"
set -m
PATH=$nof NANOLET_STATE="$tmp/b/state" "$tmp/b/nanolet" up >"$tmp/out.txt" 2>&1 & up=$!
set +m
pids+=("$up")
await_maven "$tmp/b"
[ -d "$tmp/b/state/up.lock.d" ] || fail "up without flock holds no lock directory"
kill -INT -- "-$up"
up_rc=0; wait "$up" || up_rc=$?
stopped "$tmp/b" 130 "interrupted (Ctrl-C)"

# a PostgreSQL fetch that fails (Maven's repository unreachable; jars there, so up builds nothing) shows
# Maven's error lines and what to check; the real ./mvnw with its Maven, a home whose ~/.m2 has no PostgreSQL
c="$tmp/c"; mkdir -p "$c/home"
cp -R "$real/nanolet" "$real/scripts" "$real/mvnw" "$real/.mvn" "$c/"
for m in db-migrations platform-api node-agent admin-ui; do mkdir -p "$c/$m/target"; touch "$c/$m/target/$m-0.1.0-SNAPSHOT.jar"; done
cat >"$c/settings.xml" <<EOF
<settings>
  <localRepository>$c/home/.m2/repository</localRepository>
  <mirrors><mirror><id>unreachable</id><mirrorOf>*</mirrorOf><url>https://127.0.0.1:9/maven2</url></mirror></mirrors>
</settings>
EOF
if HOME="$c/home" MAVEN_USER_HOME="${MAVEN_USER_HOME:-$HOME/.m2}" MAVEN_ARGS="-s $c/settings.xml" NANOLET_STATE="$c/state" \
  timeout 300 "$c/nanolet" up >"$tmp/out.txt" 2>&1; then fail "up with Maven's repository unreachable did not fail"; fi
grep -q '^\[ERROR\] .*https://127.0.0.1:9/maven2' "$tmp/out.txt" || fail "up did not show Maven's error when the PostgreSQL fetch failed"
grep -qF "check that this machine reaches https://repo.maven.apache.org, and behind a proxy" "$tmp/out.txt" ||
  fail "up did not say what to check when the PostgreSQL fetch failed"
echo "== up-stop-check: a PostgreSQL fetch that failed showed Maven's errors and what to check"

# status with node ports that name no port refuses them as up does (bash 3.2 would stop on an empty array)
if NANOLET_STATE="$tmp/a/state" NANOLET_NODE_PORTS="," "$real/nanolet" status >"$tmp/out.txt" 2>&1 ||
  ! grep -qF "NANOLET_NODE_PORTS names no port" "$tmp/out.txt"; then fail "status with NANOLET_NODE_PORTS=, did not refuse it"; fi
echo "== up-stop-check: status refused NANOLET_NODE_PORTS=,"
