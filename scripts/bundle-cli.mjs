// Runs after tsc and build-catalog: bundles the headless CLI (dist/src/cli/main.js with commander
// and everything `scan`, `explain` and `rules` run) into dist/cli.cjs, then trains its V8 code
// cache on a scan of the samples (see src/cli/bundle.ts). `scan --follow` stays an unbundled ES
// module (it starts once and runs for minutes): the bundle require()s it (Node 20.19+ loads ES
// modules without top-level await that way), and it import()s chokidar itself. `open` is in the
// bundle; it loads the UI (Ink, React) from dist/tui.cjs (scripts/bundle-tui.mjs) through
// src/cli/bundle.js, which the bundle require()s rather than copies (bin.js has loaded it). The
// bundle has no import() of its own: a script compiled from a V8 code cache loses Node's
// dynamic-import callback (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING).
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS, writeBundle, writeCodeCache } from './bundle-files.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const UNBUNDLED = new Set(['src/cli/bundle.js', 'src/cli/scan-follow.js']);
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

const unbundled = {
  name: 'unbundled',
  setup(b) {
    b.onResolve({ filter: /^\./ }, (args) => {
      const rel = path.relative(DIST, path.resolve(args.resolveDir, args.path)).split(path.sep).join('/');
      return UNBUNDLED.has(rel) ? { path: `./${rel}`, external: true } : undefined;
    });
  },
};

// Commander requires child_process when it loads, only to spawn executable subcommands (which
// attachscope has none of); loading it and the net and dgram modules it pulls in costs ~3 ms.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) => (args.importer.includes(`${path.sep}commander${path.sep}`) ? { path: 'child_process', namespace: 'lazy' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, name) => require('node:child_process')[name] });",
      loader: 'js',
    }));
  },
};

const { outputFiles } = await build({
  entryPoints: [path.join(DIST, 'src/cli/main.js')],
  ...BUNDLE_OPTIONS,
  outfile: path.join(DIST, 'cli.cjs'),
  // Commander is inlined (it is on every path), and tinyqueue (ESM only: this CommonJS bundle
  // could not require it); other packages load from node_modules only when a command needs them
  // (fast-glob, fflate, yaml, zod).
  external: Object.keys(pkg.dependencies).filter((d) => d !== 'commander' && d !== 'tinyqueue'),
  plugins: [unbundled, lazyChildProcess],
});
const text = outputFiles[0].text;
const { BUNDLE_PATH, CODE_CACHE_PATH, loadBundle } = await import('../dist/src/cli/bundle.js');
writeBundle(BUNDLE_PATH, CODE_CACHE_PATH, text);

// After a run the cache holds every function the run compiled, not only the top level.
const { main, script, id } = loadBundle();
for (const format of ['json', 'text']) {
  await main(['scan', path.join(ROOT, 'sample-logs'), '--format', format, '--output', os.devNull, '--fail-on', 'never']);
}
writeCodeCache(CODE_CACHE_PATH, id, script);
