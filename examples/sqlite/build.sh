#!/usr/bin/env bash
# Builds sqlite-demo.wasm and sqlite-bench.wasm from their .c and SQLite's amalgamation, which is not
# kept in git (9 MB): it comes from npm's better-sqlite3 package (deps/sqlite3), fetched with
# `npm pack` into .cache/ and checked against its SHA-256. examples/build.sh calls this.
#   ./build.sh [OUTDIR]     default: this directory
set -euo pipefail
cd "$(dirname "$0")"
version=12.11.1          # better-sqlite3, which bundles SQLite 3.53.2
sha256=60d2f39a3726cd6b9021da6f4e868608d66fbb6528a9f513dc8ffcc640493422
out="${1:-.}"
src=".cache/better-sqlite3-$version"

if ! echo "$sha256  $src/sqlite3.c" | sha256sum -c --status 2>/dev/null; then
    rm -rf "$src"
    mkdir -p "$src"
    (cd "$src" && npm pack --silent "better-sqlite3@$version" >/dev/null \
        && tar xzf "better-sqlite3-$version.tgz" --strip-components=3 package/deps/sqlite3/sqlite3.c package/deps/sqlite3/sqlite3.h \
        && rm "better-sqlite3-$version.tgz")
    echo "$sha256  $src/sqlite3.c" | sha256sum -c --status || { echo "sqlite3.c from npm does not match $sha256" >&2; exit 1; }
fi

# SQLite is compiled once (it takes most of the time) and linked into each program
objects="$(mktemp -d)"
trap 'rm -rf "$objects"' EXIT
flags=(--target=wasm32-wasi -O2 -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_MMAN -I "$src")
clang "${flags[@]}" -c -o "$objects/sqlite3.o" "$src/sqlite3.c"
for program in sqlite-demo sqlite-bench; do
    clang "${flags[@]}" -Wl,--strip-debug -o "$out/$program.wasm" "$program.c" "$objects/sqlite3.o" \
        -lwasi-emulated-signal -lwasi-emulated-mman
done
