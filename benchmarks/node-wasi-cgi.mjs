// The peer for Nanolet's data-plane benchmark: the same CGI module served by Node's node:wasi,
// one fresh instance per request (as Nanolet does), stdout and stdin in memory.
// usage: node benchmarks/node-wasi-cgi.mjs examples/hello.wasm [port] [route]
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { WASI } from 'node:wasi';

const [file, port = '8199', route = '/hello'] = process.argv.slice(2);
const module = await WebAssembly.compile(readFileSync(file));

function run(env, body) {
  const wasi = new WASI({ version: 'preview1', args: ['handler'], env, returnOnExit: true });
  const out = [];
  let memory;
  let input = body;
  const view = () => new DataView(memory.buffer);
  const imports = {
    ...wasi.wasiImport,
    fd_write(fd, iovs, iovsLen, nwritten) {
      if (fd !== 1) return wasi.wasiImport.fd_write(fd, iovs, iovsLen, nwritten);
      let total = 0;
      for (let i = 0; i < iovsLen; i++) {
        const ptr = view().getUint32(iovs + i * 8, true);
        const len = view().getUint32(iovs + i * 8 + 4, true);
        out.push(Buffer.from(new Uint8Array(memory.buffer, ptr, len)));
        total += len;
      }
      view().setUint32(nwritten, total, true);
      return 0;
    },
    fd_read(fd, iovs, iovsLen, nread) {
      if (fd !== 0) return wasi.wasiImport.fd_read(fd, iovs, iovsLen, nread);
      let total = 0;
      for (let i = 0; i < iovsLen && input.length > 0; i++) {
        const ptr = view().getUint32(iovs + i * 8, true);
        const len = Math.min(view().getUint32(iovs + i * 8 + 4, true), input.length);
        new Uint8Array(memory.buffer, ptr, len).set(input.subarray(0, len));
        input = input.subarray(len);
        total += len;
      }
      view().setUint32(nread, total, true);
      return 0;
    },
  };
  const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: imports });
  memory = instance.exports.memory;
  wasi.start(instance);
  return Buffer.concat(out);
}

createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url, 'http://localhost');
    const env = {
      GATEWAY_INTERFACE: 'CGI/1.1', REQUEST_METHOD: req.method, SCRIPT_NAME: route,
      PATH_INFO: url.pathname.slice(route.length), QUERY_STRING: url.search.slice(1),
      SERVER_NAME: 'localhost', SERVER_PORT: port, SERVER_PROTOCOL: 'HTTP/1.1',
      REMOTE_ADDR: req.socket.remoteAddress ?? '',
    };
    for (const [k, v] of Object.entries(req.headers)) env['HTTP_' + k.toUpperCase().replaceAll('-', '_')] = String(v);
    const raw = run(env, Buffer.concat(chunks));
    const split = raw.indexOf('\n\n') >= 0 ? raw.indexOf('\n\n') : raw.indexOf('\r\n\r\n');
    const head = raw.subarray(0, split).toString();
    let status = 200;
    const headers = {};
    for (const line of head.split(/\r?\n/)) {
      const i = line.indexOf(':');
      const name = line.slice(0, i).trim();
      const value = line.slice(i + 1).trim();
      if (name.toLowerCase() === 'status') status = parseInt(value, 10);
      else if (name) headers[name] = value;
    }
    res.writeHead(status, headers);
    res.end(raw.subarray(split + (raw[split] === 13 ? 4 : 2)));
  });
}).listen(Number(port), '127.0.0.1', () => console.log(`node:wasi peer on http://127.0.0.1:${port}${route}`));
