#!/usr/bin/env bash
# The README's test command: sets up what the whole suite needs on this machine, then runs it.
#   scripts/test.sh [maven args…]        e.g. scripts/test.sh -pl packaging -am
# 1. installs what is missing with apt (as root, or through sudo): PostgreSQL, Chromium and
#    ChromeDriver, the C-to-WASI toolchain, kubectl (kubernetes-client), Docker (docker.io, docker-compose, docker-registry,
#    debootstrap);
# 2. starts what is not running: dockerd, a throwaway PostgreSQL cluster on a free loopback port;
# 3. builds the local base images (scripts/base-images.sh: Debian trixie, JRE 21, JDK 21, PostgreSQL 17),
#    since no public registry is assumed;
# 4. checks that the examples still build from their sources, and runs `./mvnw -T 2 verify -Pparallel-order -Pdocker`:
#    every module's tests, the end-to-end tests, the chart tests, and the Docker tests (images
#    through a registry on loopback, the docker-compose demo end to end, nanolet/postgres:17 under Testcontainers).
# NANOLET_SKIP_DOCKER=true leaves out steps 1-3's Docker parts and -Pdocker, on purpose.
# `./mvnw verify` alone still works for people who already have the parts.
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/find-java.sh
echo "== JDK: $JAVA_HOME"
docker_on=true
[ "${NANOLET_SKIP_DOCKER:-}" = true ] && docker_on=false
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- packages -----------------------------------------------------------------------------------
packages=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages+=(postgresql)
command -v chromium >/dev/null || packages+=(chromium)
command -v chromedriver >/dev/null || packages+=(chromium-driver)
command -v clang >/dev/null || packages+=(clang)
command -v wasm-ld >/dev/null || packages+=(lld)
[ -f /usr/lib/wasm32-wasi/libc.a ] || [ -d /usr/share/wasi-sysroot ] || packages+=(wasi-libc)
ls /usr/lib/llvm-14/lib/clang/14*/lib/wasi/libclang_rt.builtins-wasm32.a >/dev/null 2>&1 || packages+=(libclang-rt-14-dev-wasm32)
command -v wat2wasm >/dev/null || packages+=(wabt)
command -v npm >/dev/null || packages+=(npm)  # examples/sqlite fetches SQLite from npm
command -v kubectl >/dev/null || packages+=(kubernetes-client)  # kubectl logs through an API server, in node-agent tests
if $docker_on; then
  command -v dockerd >/dev/null || packages+=(docker.io)
  command -v docker-compose >/dev/null || docker compose version >/dev/null 2>&1 || packages+=(docker-compose)
  command -v docker-registry >/dev/null || packages+=(docker-registry)
  command -v debootstrap >/dev/null || packages+=(debootstrap)
fi
if [ ${#packages[@]} -gt 0 ]; then
  echo "== installing: ${packages[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

# --- Docker: an engine that answers ---------------------------------------------------------------
if $docker_on && ! docker info >/dev/null 2>&1; then
  echo "== starting dockerd (log: /tmp/nanolet-dockerd.log)"
  as_root sh -c 'nohup dockerd >/tmp/nanolet-dockerd.log 2>&1 &'
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { tail -n 20 /tmp/nanolet-dockerd.log >&2; echo "dockerd did not start" >&2; exit 1; }
fi

# --- PostgreSQL: a throwaway cluster of our own on a free port ------------------------------------
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
# below Linux's ephemeral range (32768-60999): an outgoing connection's port, even one in TIME_WAIT
# after apt's downloads, would keep PostgreSQL from binding to it
pgport=${NANOLET_CI_PG_PORT:-25432}
# a port nothing listens on yet (a developer's own PostgreSQL may hold the default)
while (exec 3<>"/dev/tcp/127.0.0.1/$pgport") 2>/dev/null; do pgport=$((pgport + 1)); done
pgdir=$(mktemp -d /tmp/nanolet-ci-pg.XXXXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$pgdir"
as_pg "$pgbin/initdb" -D "$pgdir/data" -U postgres --auth=trust -E UTF8 >/dev/null
as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
  -o "-p $pgport -k $pgdir -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off" start >/dev/null
jdk21='' # up-jdk21-check's pid while it runs beside the checks after Maven (below): stopped with this script
trap '[ -z "$jdk21" ] || kill "$jdk21" 2>/dev/null; as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true' EXIT
echo "== PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pgport"

export NANOLET_TEST_JDBC_URL="jdbc:postgresql://127.0.0.1:$pgport/postgres"
export NANOLET_TEST_JDBC_USER=postgres
export NANOLET_TEST_JDBC_PASSWORD=
export NANOLET_CHROMIUM=$(command -v chromium)
export NANOLET_CHROMEDRIVER=$(command -v chromedriver)

# --- local base images -----------------------------------------------------------------------------
profiles=()
if $docker_on; then
  start=$(date +%s)
  as_root env NANOLET_BASE_CACHE="${NANOLET_BASE_CACHE:-/var/cache/nanolet}" scripts/base-images.sh
  echo "== base images ready in $(( $(date +%s) - start )) s"
  export NANOLET_BASE_IMAGE=nanolet/jre:21 NANOLET_BUILDER_IMAGE=nanolet/jre:21 NANOLET_POSTGRES_IMAGE=nanolet/postgres:17
  export NANOLET_REVISION=$(git rev-parse HEAD 2>/dev/null || echo unknown)
  # Testcontainers' reaper image would come from Docker Hub; the tests stop their containers themselves
  export TESTCONTAINERS_RYUK_DISABLED=true
  # Containers are reached on loopback only. Without this, Testcontainers running inside a container
  # (a CI runner, a dev container) asks Docker for the host's address by starting alpine:3.17, which
  # it cannot pull here: every container test then fails after two minutes.
  export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1
  profiles=(-Pdocker)
fi

# --- the examples still build from their sources ---------------------------------------------------
if [ -x examples/build.sh ]; then
  echo "== building examples"
  examples/build.sh --check
fi

# Two modules at a time (NANOLET_MAVEN_THREADS): platform-api's, node-agent's and admin-ui's suites, then e2e's,
# e2e-shared's and the packaging tests, spend much of their time waiting on processes, databases and containers, so two
# of them share two cores well; the tests' bounds are set for a loaded machine. platform-api's and node-agent's, the
# longest, start first (with -Pparallel-order admin-ui's waits for platform-api's: admin-ui/pom.xml); e2e needs only
# their jars, so it starts beside admin-ui's suite; packaging and e2e-shared (which needs admin-ui and the CLI too) follow.
threads=${NANOLET_MAVEN_THREADS:-2}
echo "== ./mvnw -T $threads verify -Pparallel-order ${profiles[*]} $*"
./mvnw -B -ntp -T "$threads" verify -Pparallel-order "${profiles[@]}" "$@"
[ -f packaging/target/compose-timings.txt ] && sed 's/^/== /' packaging/target/compose-timings.txt

# up-jdk21-check (Docker) runs beside the checks up to up-check, which mostly wait (up-stop-check's fake Maven and its
# waits of 10 s, 20 s and 2 minutes), on ports and a state directory of its own: one after another, it added its 3 to 7
# minutes to CI's. Its output comes when it ends, before up-check, which runs alone as it did (its waits, those of
# up for each process among them, are set for one up at a time)
if $docker_on; then
  jdk21_log=$(mktemp /tmp/nanolet-up-jdk21-check.XXXXXX)
  jdk21_start=$(date +%s)
  scripts/up-jdk21-check.sh >"$jdk21_log" 2>&1 & jdk21=$!
fi
echo "== the JDK ./nanolet and ./mvnw take (scripts/find-java-check.sh)"
scripts/find-java-check.sh
echo "== the embedded PostgreSQL ./nanolet up picks on Linux and macOS (scripts/pg-artifact-check.sh)"
scripts/pg-artifact-check.sh
echo "== ./nanolet up stopped during its build or PostgreSQL's start, a PostgreSQL fetch that fails (scripts/up-stop-check.sh)"
scripts/up-stop-check.sh
if [ -n "$jdk21" ]; then
  echo "== ./nanolet up, down and up again on Debian's JDK 21, in a container (scripts/up-jdk21-check.sh, beside the checks above)"
  rc=0; wait "$jdk21" || rc=$?
  jdk21=''; cat "$jdk21_log"; rm -f "$jdk21_log"
  [ $rc = 0 ] || exit $rc
  echo "== up-jdk21-check took $(( $(date +%s) - jdk21_start )) s"
fi
echo "== ./nanolet up, then up again on other ports (scripts/up-check.sh)"
start=$(date +%s)
scripts/up-check.sh
echo "== up-check took $(( $(date +%s) - start )) s"
exit 0
