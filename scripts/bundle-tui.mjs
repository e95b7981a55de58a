// Runs after bundle-cli.mjs: bundles the terminal UI (the Session, src/tui, Ink, React and what
// they import) into dist/tui.cjs, then trains its V8 code cache by drawing the UI once on a
// sample into a fake terminal (see src/cli/bundle.ts; `open` loads it from there).
//
// Two things in Ink's graph keep esbuild from writing CommonJS as is, both top-level await:
// - yoga-layout instantiates its WASM (embedded as base64) with `await` when it loads. Here
//   `yoga-layout` resolves to a shim whose default export is bound by `initYoga()`; the bundle's
//   `load()` awaits that first, then runs the UI modules (import() below becomes a lazy
//   require(), so Ink reads `Yoga` only once it is there).
// - ink/build/reconciler.js awaits React devtools and its package.json only when DEV=true: those
//   branches are cut (no devtools in the bundle).
// React is the production build (process.env.NODE_ENV is 'production' inside the bundle).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS, writeBundle, writeCodeCache } from './bundle-files.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const require = createRequire(path.join(ROOT, 'package.json'));
const yogaDir = path.dirname(path.dirname(require.resolve('yoga-layout/load'))); // …/yoga-layout/dist
const YOGA_SHIM = `
import loadYogaImpl from ${JSON.stringify(path.join(yogaDir, 'binaries/yoga-wasm-base64-esm.js'))};
import wrapAssembly from ${JSON.stringify(path.join(yogaDir, 'src/wrapAssembly.js'))};
export * from ${JSON.stringify(path.join(yogaDir, 'src/generated/YGEnums.js'))};
let Yoga;
export { Yoga as default };
export async function initYoga() {
  Yoga ??= wrapAssembly(await loadYogaImpl());
}
`;

const yogaShim = {
  name: 'yoga-shim',
  setup(b) {
    b.onResolve({ filter: /^yoga-layout$/ }, () => ({ path: 'yoga-layout', namespace: 'yoga-shim' }));
    b.onLoad({ filter: /.*/, namespace: 'yoga-shim' }, () => ({ contents: YOGA_SHIM, loader: 'js', resolveDir: yogaDir }));
  },
};

/** Replaces `from` by `to` in a file, failing the build when the text is not there (Ink changed). */
const patches = {
  [`ink${path.sep}build${path.sep}reconciler.js`]: [
    ["await import('./devtools.js');", "throw new Error('attachscope: the bundled UI has no React devtools');"],
    ['? await loadPackageJson()', '? undefined'],
  ],
};
const patchInk = {
  name: 'patch-ink',
  setup(b) {
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, (args) => {
      const key = Object.keys(patches).find((k) => args.path.endsWith(k));
      let text = readFileSync(args.path, 'utf8');
      for (const [from, to] of patches[key]) {
        if (!text.includes(from)) throw new Error(`bundle-tui: ${args.path} no longer contains ${JSON.stringify(from)}`);
        text = text.replace(from, to);
      }
      return { contents: text, loader: 'js' };
    });
  },
};

const ENTRY = `
import { initYoga } from 'yoga-layout';
export async function load() {
  await initYoga();
  const [{ Session }, { runTui }] = await Promise.all([import('./src/analysis/session.js'), import('./src/tui/index.js')]);
  return { Session, runTui };
}
`;

const { outputFiles } = await build({
  stdin: { contents: ENTRY, resolveDir: DIST, sourcefile: 'tui-entry.js', loader: 'js' },
  ...BUNDLE_OPTIONS,
  outfile: path.join(DIST, 'tui.cjs'),
  // Ink, React and string-width are inlined; the Session's packages load from node_modules as
  // they do for the CLI (chokidar only when following).
  external: ['chokidar', 'fast-glob', 'fflate', 'yaml', 'zod', 'commander'],
  plugins: [yogaShim, patchInk],
  define: { ...BUNDLE_OPTIONS.define, 'process.env.NODE_ENV': '"production"' },
});
const text = outputFiles[0].text;
const { TUI_BUNDLE_PATH, TUI_CODE_CACHE_PATH, loadTuiBundle } = await import('../dist/src/cli/bundle.js');
writeBundle(TUI_BUNDLE_PATH, TUI_CODE_CACHE_PATH, text);

// Training: draw the UI on a sample in a fake 120×40 terminal, move, open the help, search,
// quit. After the run the cache holds every function it compiled, not only the top level.
const { exports, script, id } = loadTuiBundle();
const { Session, runTui } = await exports.load();
const { analyzeOptionsFrom } = await import('../dist/src/cli/scan.js');
const stdout = Object.assign(new Writable({ write: (_c, _e, cb) => cb() }), { isTTY: true, columns: 120, rows: 40 });
const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin });
const session = new Session([path.join(ROOT, 'sample-logs/multi-site-three-zones')], { ...analyzeOptionsFrom({ rules: [], bias: [] }), follow: false, keepRecords: true, throttleMs: 100 });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let errText = '';
const stderr = Object.assign(new Writable({ write: (c, _e, cb) => ((errText += c), cb()) }), { isTTY: false });
const done = runTui(session, { stdout, stdin, stderr });
for (const key of ['', 'j', 'j', 'k', 'G', 'g', '\t', 'j', '\t', '?', '?', '/', 'e', 'r', 'r', '\r', 'n', 'q']) {
  await sleep(key === '' ? 1500 : 120);
  if (key) stdin.write(key);
}
const code = await Promise.race([done, sleep(10_000).then(() => 'timeout')]);
if (code !== 0) throw new Error(`bundle-tui: the training run ended with ${code}: ${errText}`);
writeCodeCache(TUI_CODE_CACHE_PATH, id, script);
// Ink leaves its stdin listener and signal handlers behind on the fake terminal, and its
// cursor restore (restore-cursor, on exit) writes "show cursor" to the real stderr: the UI drew
// into a fake terminal, so the build's own output gets nothing of it.
const write = process.stderr.write.bind(process.stderr);
process.stderr.write = (chunk, ...rest) => (String(chunk) === '\u001B[?25h' ? true : write(chunk, ...rest));
process.exit(0);
