// The V8 peer of node-agent's ComputeBenchmark (docs/performance.md, "Compute"): runs a WASI command
// module under node:wasi, one fresh WebAssembly.Instance + WASI per run (as the node makes one
// instance per run), stdout captured in memory.
//   node benchmarks/node-wasi-compute.mjs FILE [ARGS…]   run once, print the module's stdout
//   node benchmarks/node-wasi-compute.mjs --serve        driven over stdin, one command per line:
//     load FILE [ARGS…]  compile the module once                     → "<compile ms>"
//     run                a fresh instance of it, _start               → "0 <run ms> <exit code> <stdout, base64>"
//     first              compile the bytes again, made unique with a custom section (so that V8
//                        cannot reuse an earlier compilation), then a fresh instance, _start
//                                                                     → "<compile ms> <run ms> <exit code> <stdout, base64>"
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { runCapturingStdout as run } from './wasi-run.mjs';

let nonces = 0;
/** The module's bytes with one more custom section, "nanolet-nonce-<n>-<time>": a module V8 has not seen. */
function unique(bytes) {
  const name = Buffer.from(`nanolet-nonce-${++nonces}-${Date.now()}`);
  return Buffer.concat([bytes, Buffer.from([0, 1 + name.length, name.length]), name]);
}

const timed = (work) => {
  const start = performance.now();
  const result = work();
  return { ms: performance.now() - start, ...result };
};

const [first, ...rest] = process.argv.slice(2);
if (first !== '--serve') {
  const { code, stdout } = run(new WebAssembly.Module(readFileSync(first)), [first, ...rest]);
  process.stdout.write(stdout);
  process.exit(code);
}

let bytes;
let module;
let args;
for await (const line of createInterface({ input: process.stdin })) {
  const [command, ...words] = line.trim().split(/\s+/);
  if (command === 'load') {
    bytes = readFileSync(words[0]);
    args = words;
    const { ms, compiled } = timed(() => ({ compiled: new WebAssembly.Module(bytes) }));
    module = compiled;
    console.log(ms.toFixed(3));
  } else if (command === 'run' || command === 'first') {
    const compile = command === 'run' ? { ms: 0, compiled: module } : timed(() => ({ compiled: new WebAssembly.Module(unique(bytes)) }));
    const { ms, code, stdout } = timed(() => run(compile.compiled, args));
    console.log(`${compile.ms.toFixed(3)} ${ms.toFixed(3)} ${code} ${stdout.toString('base64')}`);
  } else {
    console.log(`error unknown command ${command}`);
  }
}
