#!/usr/bin/env node
/**
 * Nightly fuzzing: the properties of test/hardening/fuzz.test.ts (no exception escapes the
 * framer, any extractor or the rule engine with the built-in catalog; what comes out is
 * well-formed) with many more runs, against the compiled build (`npm run build` first).
 *
 *   node bench/fuzz.mjs                   # 200,000 runs per property
 *   node bench/fuzz.mjs --runs 1000000    # more
 *   node bench/fuzz.mjs --seed 42         # reproduce a run (the seed is printed)
 *   node bench/fuzz.mjs --only extractor  # properties whose name contains the text
 *
 * Prints one line per property (runs, time) and any counterexample; exits 1 if one failed.
 */
import fc from 'fast-check';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildCorpus, fuzzProperties } from '../test/hardening/fuzz-properties.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const runs = Number(arg('runs', '200000'));
const seed = Number(arg('seed', String(Date.now() % 2 ** 31)));
const only = arg('only', '');
if (!Number.isInteger(runs) || runs < 1) {
  console.error('--runs expects a positive integer');
  process.exit(2);
}
if (!existsSync(path.join(DIST, 'src/cli/bin.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}

const load = (p) => import(pathToFileURL(path.join(DIST, p)).href);
const formats = await load('parsers/formats/index.js');
const logs = await load('parsers/logs/index.js');
const engineMod = await load('src/analysis/rules/engine.js');
const loadMod = await load('src/analysis/rules/load.js');
const decodeMod = await load('src/ingest/decode.js');
// The UTF-8 byte framer, when this build has it (its property is skipped otherwise).
const byteFramerMod = existsSync(path.join(DIST, 'parsers/formats/byte-framer.js')) ? await load('parsers/formats/byte-framer.js') : {};

const api = {
  parseText: formats.parseText,
  Framer: formats.Framer,
  createExtractor: logs.createExtractor,
  LOG_KINDS: logs.LOG_KINDS,
  RuleEngine: engineMod.RuleEngine,
  ByteFramer: byteFramerMod.ByteFramer,
  StreamDecoder: decodeMod.StreamDecoder,
};
const { rules, errors } = await loadMod.loadRules([path.join(ROOT, 'rules')]);
if (errors.length) for (const e of errors) console.error(`rule error: ${e.message}`);
const corpus = buildCorpus(api, { samplesDir: path.join(ROOT, 'sample-logs'), rules });
const props = fuzzProperties(api, corpus, rules).filter((p) => p.name.includes(only));

console.log(`attachscope fuzz: ${props.length} properties × ${runs.toLocaleString('en-US')} runs, seed ${seed}`);
console.log(`corpus: ${corpus.rawLines.length} raw lines, ${corpus.messages.length} messages, ${corpus.eventKinds.length} event kinds, ${rules.length} rules`);
let failed = 0;
let total = 0;
const t0 = Date.now();
for (const p of props) {
  const t = Date.now();
  const details = fc.check(p.property, { numRuns: runs, seed });
  total += details.numRuns;
  const secs = ((Date.now() - t) / 1000).toFixed(1);
  const heap = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
  if (details.failed) {
    failed++;
    console.log(`FAIL  ${p.name}: after ${details.numRuns} runs (${secs}s), seed ${details.seed}, path ${details.counterexamplePath}`);
    console.log(`      counterexample: ${fc.stringify(details.counterexample).slice(0, 2000)}`);
    const err = details.errorInstance;
    console.log(`      error: ${err instanceof Error ? err.stack?.split('\n').slice(0, 6).join('\n      ') : String(err)}`);
  } else {
    console.log(`ok    ${p.name}: ${details.numRuns.toLocaleString('en-US')} runs in ${secs}s (heap ${heap} MB)`);
  }
}
const heap = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
console.log(`${failed ? `${failed} FAILED` : 'all passed'}: ${total.toLocaleString('en-US')} cases in ${((Date.now() - t0) / 1000).toFixed(1)}s, heap ${heap} MB`);
process.exit(failed ? 1 : 0);
