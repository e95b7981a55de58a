/**
 * Loads the headless CLI from its bundle, `dist/cli.cjs` (scripts/bundle-cli.mjs), with the V8
 * code cache the build trained on a sample scan. Resolving and compiling ~50 ES modules, then
 * compiling each function on first call, cost more than analyzing a small log set; one script
 * compiled from the cache skips both. Node 20 has no module compile cache, hence vm.Script.
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

export interface LoadedBundle {
  main: typeof main;
  /** For the build to write the cache after its training run. */
  script: vm.Script;
  /** The bundle's first line, which names its content hash. */
  id: string;
}

export function loadBundle(): LoadedBundle {
  let source: string;
  try {
    source = readFileSync(BUNDLE_PATH, 'utf8');
  } catch {
    throw new Error(`attachscope: ${BUNDLE_PATH} is missing; run \`npm run build\``);
  }
  const id = source.slice(0, source.indexOf('\n'));
  // V8 checks a cache against the source's length only: the id line pairs it with this content.
  let cachedData: Buffer | undefined;
  try {
    const cache = readFileSync(CODE_CACHE_PATH);
    const nl = cache.indexOf(10);
    if (nl > 0 && cache.toString('latin1', 0, nl) === id) cachedData = cache.subarray(nl + 1);
  } catch {
    // No cache: compile as usual.
  }
  // CommonJS's wrapper, plus the value of the modules' `import.meta.url`.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __bundleUrl) {${source}\n})`, { filename: BUNDLE_PATH, cachedData });
  const module = { exports: {} as { main: typeof main } };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(BUNDLE_PATH), module, BUNDLE_PATH, dirname(BUNDLE_PATH), BUNDLE_URL.href);
  return { main: module.exports.main, script, id };
}
