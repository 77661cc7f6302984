// Runs a WASI (preview1) program, such as a Rust example built for wasm32-wasip1, under Node's
// built-in node:wasi, with no JavaScript in its loops, and exits with the program's code.
//
//   node --no-warnings bench/wasi-run.mjs <file.wasm> [args...]
//
// The program sees its arguments (argv[0] is the file name) and this process's environment;
// it gets no directories (preopens), since the benchmarks need none.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { setFlagsFromString } from 'node:v8';

// Node's WASI host functions use V8 fast API calls, and a GC triggered inside one can crash the
// process with SIGSEGV (exit 139) after the program's output is complete: nodejs/node#46777, seen
// here on Node 20 in most 1M-event runs. Turned off before any code is compiled; the benchmarks
// make a handful of WASI calls, so this costs nothing measurable.
setFlagsFromString('--no-turbo-fast-api-calls');

// node:wasi warns that it is experimental; the warning is not ours to show.
process.removeAllListeners('warning');
const { WASI } = await import('node:wasi');

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/wasi-run.mjs <file.wasm> [args...]');
  process.exit(2);
}

const wasi = new WASI({ version: 'preview1', args: [basename(file), ...args], env: process.env, preopens: {} });
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
// start() returns the code the program passed to proc_exit (returnOnExit defaults to true), or 0.
process.exitCode = wasi.start(instance);
