// Trunk's post-build hook (Trunk.toml): finishes the page trunk staged, for `make serve` and the
// release build alike.
//   1. A Content-Security-Policy in index.html: scripts only from the site itself and the one
//      inline module trunk writes to start the wasm (allowed by its hash), WebAssembly compiled
//      ('wasm-unsafe-eval', what wasm needs), no eval, no plugins, nothing fetched elsewhere.
//   2. sw.js, the service worker (from static/js/sw.js): the list of every file of the build to
//      cache and a version named by their contents, so that a new build is a new worker, which
//      the page offers to switch to.
import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR;
const source = process.env.TRUNK_SOURCE_DIR ?? process.cwd();
if (!staging) throw new Error('TRUNK_STAGING_DIR is not set: run this as trunk\'s post_build hook');

const sha256 = (text) => createHash('sha256').update(text).digest('base64');

const indexPath = join(staging, 'index.html');
let html = await readFile(indexPath, 'utf8');
const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${sha256(m[1])}'`);
const policy = [
  "default-src 'self'",
  `script-src 'self' 'wasm-unsafe-eval' ${inline.join(' ')}`.trim(),
  // Yew sets style attributes (bar widths, chart positions); no style sheet comes from elsewhere.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/g, '');
html = html.replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`);
await writeFile(indexPath, html);

async function files(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await files(path)));
    else out.push(path);
  }
  return out;
}
// The console's API (console/) is cached when first used, not with the page.
const cached = (await files(staging))
  .filter((path) => relative(staging, path) !== 'sw.js' && !relative(staging, path).startsWith('console/'))
  .sort();
const version = createHash('sha256');
for (const path of cached) version.update(relative(staging, path)).update(await readFile(path));
const list = ['./', ...cached.map((path) => `./${relative(staging, path).split('\\').join('/')}`)];
const worker = (await readFile(join(source, 'static/js/sw.js'), 'utf8'))
  .replace("'__VERSION__'", JSON.stringify(version.digest('hex').slice(0, 16)))
  .replace("['__FILES__']", JSON.stringify(list));
await writeFile(join(staging, 'sw.js'), worker);
