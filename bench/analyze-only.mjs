#!/usr/bin/env node
/**
 * The analysis without the CLI and report modules (fallback for bench/run.mjs while the report
 * modules are unfinished): full parse, extractors, rules, then a JSON summary to /dev/null.
 *
 *   node bench/analyze-only.mjs PATH...        (build first: npx tsc -p tsconfig.json)
 *
 * Prints one JSON line to stderr: wall ms, records, events, findings, peak RSS (maxRSS).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const t0 = performance.now();
const { analyzePaths } = await import(pathToFileURL(path.join(root, 'dist/src/analysis/analyze.js')).href);
const tImport = performance.now();
const inputs = process.argv.slice(2);
if (inputs.length === 0) {
  process.stderr.write('usage: node bench/analyze-only.mjs PATH...\n');
  process.exit(2);
}
const r = await analyzePaths(inputs);
const tAnalyze = performance.now();
const out = JSON.stringify({ sources: r.sources, summary: r.summary, cycles: r.cycles, chains: r.chains, findings: r.findings });
writeFileSync('/dev/null', out);
const t1 = performance.now();
process.stderr.write(JSON.stringify({
  importMs: Math.round(tImport - t0), analyzeMs: Math.round(tAnalyze - tImport), totalMs: Math.round(t1 - t0),
  records: r.summary.records, events: r.summary.events, cycles: r.cycles.length, chains: r.chains.length, findings: r.findings.length,
  maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
}) + '\n');
