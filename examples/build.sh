#!/usr/bin/env bash
# Builds the example modules with Debian's clang, lld and wasi-libc
# (apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32 wabt); sqlite/ also needs npm.
#   ./build.sh          rebuild the committed .wasm files
#   ./build.sh --check  rebuild into a temporary directory and fail if any committed .wasm differs
set -euo pipefail
cd "$(dirname "$0")"

build() {
    local out="$1"
    for src in *.c; do
        clang --target=wasm32-wasi -O2 -Wl,--strip-debug -o "$out/${src%.c}.wasm" "$src"
    done
    for src in compute/*.c; do
        clang --target=wasm32-wasi -O2 -Wl,--strip-debug -o "$out/${src%.c}.wasm" "$src"
    done
    for src in wasi/*.c; do
        clang --target=wasm32-wasi -O2 -Wno-unused-result -Wl,--strip-debug -o "$out/${src%.c}.wasm" "$src"
    done
    for src in bindings/*.c; do
        clang --target=wasm32-wasi -O2 -Isdk -Wl,--strip-debug -o "$out/${src%.c}.wasm" "$src" sdk/nanolet.c
    done
    for src in fixtures/*.wat; do
        local check=()
        [[ "$src" == *invalid* ]] && check=(--no-check)
        # a first line ";; wat2wasm: <flags>" enables the proposals a fixture needs
        read -ra flags <<< "$(sed -n '1s/^;; wat2wasm: //p' "$src")"
        wat2wasm "${check[@]}" "${flags[@]}" -o "$out/fixtures/$(basename "${src%.wat}").wasm" "$src"
    done
    huge_function | wat2wasm -o "$out/fixtures/huge-function.wasm" -
    nop_function | wat2wasm -o "$out/fixtures/nop-function.wasm" -
    many_locals | wat2wasm -o "$out/fixtures/many-locals.wasm" -
    data_bomb > "$out/fixtures/data-bomb.wasm"
    sqlite/build.sh "$(cd "$out" && pwd)/sqlite"
}

# Hostile modules, tiny on disk but huge in an engine that believes their declarations
# (node-agent SandboxContract, module-limits ModuleScannerTest, platform-api ModuleLimitsApiTest).

# One function of 1,100,000 nops (1.05 MiB of code): above the 1 MiB max-function-body-bytes.
nop_function() {
    echo '(module (func (export "_start")'
    awk 'BEGIN { for (i = 0; i < 110000; i++) print "nop nop nop nop nop nop nop nop nop nop" }'
    echo '))'
}

# A function with 40,000 locals that calls itself: every call holds them all.
many_locals() {
    echo '(module (func $f (export "_start")'
    awk 'BEGIN { printf "  (local"; for (i = 0; i < 40000; i++) printf " i32"; print ")" }'
    echo '  call $f))'
}

# 17 bytes: the header and a data section whose one passive segment declares 2 GiB (LEB128
# 0x80 0x80 0x80 0x80 0x08) and holds none of it.
data_bomb() {
    printf '\x00asm\x01\x00\x00\x00\x0b\x07\x01\x01\x80\x80\x80\x80\x08'
}

# One function too large for a JVM method (64 KiB of bytecode): Chicory's compiler refuses it and
# the runtime falls back to the interpreter for it, with a warning.
huge_function() {
    echo '(module (memory (export "memory") 1) (global $g (mut i32) (i32.const 0))'
    echo '  (func (export "_start")'
    awk 'BEGIN { for (i = 0; i < 6000; i++) printf "    (global.set $g (i32.add (global.get $g) (i32.const %d)))\n", i }'
    echo '  ))'
}

if [[ "${1:-}" == "--check" ]]; then
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    mkdir -p "$tmp/fixtures" "$tmp/compute" "$tmp/wasi" "$tmp/sqlite" "$tmp/bindings"
    build "$tmp"
    status=0
    for built in "$tmp"/*.wasm "$tmp"/fixtures/*.wasm "$tmp"/compute/*.wasm "$tmp"/wasi/*.wasm "$tmp"/sqlite/*.wasm "$tmp"/bindings/*.wasm; do
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
echo "built: $(ls *.wasm fixtures/*.wasm compute/*.wasm wasi/*.wasm sqlite/*.wasm bindings/*.wasm | tr '\n' ' ')"
