#!/usr/bin/env bash
# Builds the example modules with Debian's clang, lld and wasi-libc
# (apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32 wabt).
#   ./build.sh          rebuild the committed .wasm files
#   ./build.sh --check  rebuild into a temporary directory and fail if any committed .wasm differs
set -euo pipefail
cd "$(dirname "$0")"

build() {
    local out="$1"
    for src in *.c; do
        clang --target=wasm32-wasi -O2 -Wl,--strip-debug -o "$out/${src%.c}.wasm" "$src"
    done
    for src in fixtures/*.wat; do
        wat2wasm -o "$out/fixtures/$(basename "${src%.wat}").wasm" "$src"
    done
}

if [[ "${1:-}" == "--check" ]]; then
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    mkdir -p "$tmp/fixtures"
    build "$tmp"
    status=0
    for built in "$tmp"/*.wasm "$tmp"/fixtures/*.wasm; do
        committed="${built#"$tmp"/}"
        if ! cmp -s "$built" "$committed"; then
            echo "differs from a fresh build: examples/$committed" >&2
            status=1
        fi
    done
    [[ $status -eq 0 ]] && echo "examples: committed .wasm match the sources"
    exit $status
fi

build .
echo "built: $(ls *.wasm fixtures/*.wasm | tr '\n' ' ')"
