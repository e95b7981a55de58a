/**
 * Loads the bundles `scripts/bundle-cli.mjs` builds, each with the V8 code cache the build trained
 * on a sample run: `dist/cli.cjs` (the headless CLI) and `dist/tui.cjs` (the terminal UI: the
 * Session, src/tui, Ink and React). Resolving and compiling dozens of ES modules (about a hundred
 * for Ink and React), then compiling each function on first call, cost more than analyzing a small
 * log set or drawing the first screen; one script compiled from the cache skips both. Node 20 has
 * no module compile cache, hence vm.Script.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import type { main } from './main.js';

const BUNDLE_URL = new URL('../../cli.cjs', import.meta.url);
export const BUNDLE_PATH = fileURLToPath(BUNDLE_URL);
/** The cache file: the bundle's id line, then V8's cached data. */
export const CODE_CACHE_PATH = `${BUNDLE_PATH}.cache`;

const TUI_BUNDLE_URL = new URL('../../tui.cjs', import.meta.url);
export const TUI_BUNDLE_PATH = fileURLToPath(TUI_BUNDLE_URL);
export const TUI_CODE_CACHE_PATH = `${TUI_BUNDLE_PATH}.cache`;

export interface LoadedScript<T> {
  exports: T;
  /** For the build to write the cache after its training run. */
  script: vm.Script;
  /** The bundle's first line, which names its content hash. */
  id: string;
}

export interface LoadedBundle extends LoadedScript<{ main: typeof main }> {
  main: typeof main;
}


function runBundle<T>(path: string, url: URL): LoadedScript<T> {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`attachscope: ${path} is missing; run \`npm run build\``);
  }
  const id = source.slice(0, source.indexOf('\n'));
  // V8 checks a cache against the source's length only: the id line pairs it with this content.
  let cachedData: Buffer | undefined;
  try {
    const cache = readFileSync(`${path}.cache`);
    const nl = cache.indexOf(10);
    if (nl > 0 && cache.toString('latin1', 0, nl) === id) cachedData = cache.subarray(nl + 1);
  } catch {
    // No cache: compile as usual.
  }
  // CommonJS's wrapper, plus the value of the modules' `import.meta.url`.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __bundleUrl) {${source}\n})`, { filename: path, cachedData });
  const module = { exports: {} as T };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(path), module, path, dirname(path), url.href);
  return { exports: module.exports, script, id };
}

export function loadBundle(): LoadedBundle {
  const loaded = runBundle<{ main: typeof main }>(BUNDLE_PATH, BUNDLE_URL);
  return { ...loaded, main: loaded.exports.main };
}

/**
 * `dist/tui.cjs` exports `load()`: it instantiates Yoga's WASM, then runs the UI modules and gives
 * `{ Session, runTui }` (typed by src/cli/open.ts, the one module that reaches the UI).
 */
export function loadTuiBundle<T>(): LoadedScript<{ load(): Promise<T> }> {
  return runBundle(TUI_BUNDLE_PATH, TUI_BUNDLE_URL);
}
