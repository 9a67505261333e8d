// One run of a WASI command module under node:wasi, shared by the V8 peers of the benchmarks: a
// fresh WASI and WebAssembly.Instance of an already compiled module, stdout captured in memory
// (stderr goes to the process's stderr).
import { WASI } from 'node:wasi';

/** Runs `_start` once; answers the exit code and everything written to stdout. */
export function runCapturingStdout(module, args, env = {}) {
  const wasi = new WASI({ version: 'preview1', args, env, returnOnExit: true });
  const out = [];
  let memory;
  const imports = {
    ...wasi.wasiImport,
    fd_write(fd, iovs, iovsLen, nwritten) {
      if (fd !== 1) return wasi.wasiImport.fd_write(fd, iovs, iovsLen, nwritten);
      const view = new DataView(memory.buffer);
      let total = 0;
      for (let i = 0; i < iovsLen; i++) {
        const ptr = view.getUint32(iovs + i * 8, true);
        const len = view.getUint32(iovs + i * 8 + 4, true);
        out.push(Buffer.from(new Uint8Array(memory.buffer, ptr, len)));
        total += len;
      }
      view.setUint32(nwritten, total, true);
      return 0;
    },
  };
  const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: imports });
  memory = instance.exports.memory;
  const code = wasi.start(instance);
  return { code, stdout: Buffer.concat(out) };
}
