// The peer for the runtime benchmark (node-agent FreshInstanceBenchmark): one CGI request to the
// hello module = one fresh WebAssembly.Instance with its own node:wasi, CGI env in, stdout captured
// in memory. The module is compiled once, as Nanolet compiles once per digest.
// usage: node benchmarks/node-wasi-instance.mjs [examples/hello.wasm] [seconds=10]
import { readFileSync } from 'node:fs';
import { runCapturingStdout } from './wasi-run.mjs';

const [file = 'examples/hello.wasm', seconds = '10'] = process.argv.slice(2);
const module = await WebAssembly.compile(readFileSync(file));
const env = {
  GATEWAY_INTERFACE: 'CGI/1.1', REQUEST_METHOD: 'GET', SCRIPT_NAME: '/hello', PATH_INFO: '',
  QUERY_STRING: '', SERVER_NAME: 'localhost', SERVER_PORT: '8181', SERVER_PROTOCOL: 'HTTP/1.1',
  REMOTE_ADDR: '127.0.0.1', HTTP_HOST: 'localhost:8181', HTTP_USER_AGENT: 'bench',
};

function request() {
  const { code, stdout } = runCapturingStdout(module, ['hello'], env);
  if (code !== 0 || stdout.length !== 42) throw new Error(`bad run: ${code} ${stdout}`);
}

function measure(ms) {
  const samples = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const start = performance.now();
    request();
    samples.push(performance.now() - start);
  }
  return samples;
}

measure(3000); // warm-up
const samples = measure(Number(seconds) * 1000).sort((a, b) => a - b);
const pct = (p) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] * 1000;
const mean = (samples.reduce((a, b) => a + b, 0) / samples.length) * 1000;
console.log(`node ${process.version} node:wasi fresh instance + CGI round trip of ${file}`);
console.log(`ops=${samples.length} mean=${mean.toFixed(1)}us p50=${pct(0.5).toFixed(1)}us `
  + `p99=${pct(0.99).toFixed(1)}us ops/s=${(1e6 / mean).toFixed(0)}`);
