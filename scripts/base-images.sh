#!/usr/bin/env bash
# Builds Nanolet's local base images where no public registry is reachable (CI, air-gapped hosts):
#
#   nanolet/debian:trixie   Debian trixie from `debootstrap --variant=minbase`, `docker import`-ed
#   nanolet/jre:21          + openjdk-21-jre-headless, curl: the BASE of Nanolet's service images
#                            (users build on eclipse-temurin:21-jre instead)
#   nanolet/jdk:21          + openjdk-21-jdk-headless, procps: a user's JDK 21, where scripts/up-jdk21-check.sh
#                            runs ./nanolet up (CI's own JDK is newer)
#   nanolet/postgres:17     + postgresql-17, configured like the official `postgres` image:
#                            POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB, port 5432,
#                            data volume /var/lib/postgresql/data, /docker-entrypoint-initdb.d/*.sql|*.sh
#                            (a drop-in for `postgres:17` in compose files and Testcontainers)
#
# An image that already exists is kept (--rebuild makes them all again). The debootstrap root is
# cached as a tarball in $NANOLET_BASE_CACHE (default /var/cache/nanolet), so a rebuild skips it.
# Needs root (debootstrap) and a Docker engine. Takes about 2-3 minutes on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=${NANOLET_BASE_CACHE:-/var/cache/nanolet}
mirror=${NANOLET_DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=trixie
rebuild=false
[ "${1:-}" = --rebuild ] && rebuild=true

say() { printf '== %s\n' "$*" >&2; }
have() { ! $rebuild && docker image inspect "$1" >/dev/null 2>&1; }

rootfs() {
  local tarball="$cache/$suite-minbase.tar"
  if [ ! -s "$tarball" ]; then
    command -v debootstrap >/dev/null || { echo "debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
    say "debootstrap --variant=minbase $suite (cached in $tarball)"
    mkdir -p "$cache"
    local dir
    dir=$(mktemp -d "$cache/rootfs.XXXXXX")
    trap 'rm -rf "$dir"' RETURN
    debootstrap --variant=minbase "$suite" "$dir" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
      { tail -n 20 "$cache/debootstrap.log" >&2; exit 1; }
    # a container needs no apt lists or package caches: they are fetched again when needed
    rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb
    tar -C "$dir" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
  fi
  echo "$tarball"
}

if ! have nanolet/debian:$suite; then
  tarball=$(rootfs)
  say "docker import nanolet/debian:$suite"
  docker import -c 'CMD ["bash"]' -c 'ENV LANG=C.UTF-8' "$tarball" nanolet/debian:$suite >/dev/null
fi
if ! have nanolet/jre:21; then
  say "nanolet/jre:21 (openjdk-21-jre-headless)"
  docker build -q -t nanolet/jre:21 -f docker/base/jre.Dockerfile docker/base >/dev/null
fi
if ! have nanolet/jdk:21; then
  say "nanolet/jdk:21 (openjdk-21-jdk-headless)"
  docker build -q -t nanolet/jdk:21 -f docker/base/jdk.Dockerfile docker/base >/dev/null
fi
if ! have nanolet/postgres:17; then
  say "nanolet/postgres:17 (postgresql-17)"
  docker build -q -t nanolet/postgres:17 -f docker/base/postgres.Dockerfile docker/base >/dev/null
fi
docker image ls --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep '^nanolet/\(debian\|jre\|jdk\|postgres\):'
