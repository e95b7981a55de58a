#!/usr/bin/env node
/**
 * Experiment: what lean analysis (CoreOptions.keepEvent) buys on big inputs. Same pipeline as
 * analyzePaths (discover → read/frame → extract → rules → snapshot), but the core keeps only
 * the events that some rule matcher would match (kind, logs and `where`), besides those upload
 * cycles and action chains read. The predicate is built here from the rule engine's compiled
 * matchers (private fields: bench code only) — the engine could offer it as `wantsEvent(e)`.
 *
 *   node bench/analyze-lean.mjs PATH... [--all|--floor]
 *     --all    keep every event (what analyzePaths does today)
 *     --floor  keep only what cycles and chains read: the memory floor of the pipeline if the rule
 *              engine matched events as they come (bounded state) instead of in snapshot().
 *              Findings of event rules are then incomplete: a measurement, not a result.
 *     --no-rules  no rule engine at all (with --floor: framing + extractors + core alone)
 *
 * Prints one JSON line to stderr, like analyze-only.mjs, plus the kept event count.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const imp = (p) => import(pathToFileURL(path.join(root, 'dist', p)).href);
const t0 = performance.now();
const [{ discover }, { emptyReport, readFileRecords }, { AnalysisCore }, { RuleEngine }, { builtinRulesDir, loadRules }] = await Promise.all([
  imp('src/ingest/discover.js'), imp('src/ingest/read.js'), imp('src/analysis/core.js'), imp('src/analysis/rules/engine.js'), imp('src/analysis/rules/load.js'),
]);
const args = process.argv.slice(2);
const keepAll = args.includes('--all');
const floor = args.includes('--floor');
const noRules = args.includes('--no-rules');
const inputs = args.filter((a) => !a.startsWith('--'));
if (inputs.length === 0) {
  process.stderr.write('usage: node bench/analyze-lean.mjs PATH... [--all]\n');
  process.exit(2);
}

const { rules } = noRules ? { rules: [] } : await loadRules([builtinRulesDir()]);
const engine = new RuleEngine(rules);
const noSources = new Map();
/** Whether any event matcher of any rule matches this event (what evaluate() would look at). */
function wantsEvent(e) {
  const kind = String(e.kind).toLowerCase();
  const exact = engine.eventByKind.get(kind) ?? [];
  for (const m of exact) if (engine.eventMatches(m, e, noSources)) return true;
  for (const m of engine.eventGlobs) if (m.kindRe?.test(kind) && engine.eventMatches(m, e, noSources)) return true;
  return false;
}
let kept = 0;
const ruleOpt = noRules ? null : engine;
const core = new AnalysisCore(keepAll ? { rules: ruleOpt } : { rules: ruleOpt, keepEvent: floor ? () => false : (e) => (wantsEvent(e) ? (kept++, true) : false) });
const { sources } = await discover(inputs);
for (const src of sources) {
  core.addSource(src, null);
  for (const file of src.files) {
    const report = emptyReport(file.path);
    for await (const batch of readFileRecords(file, { log: src.name }, report)) core.feed(src.id, batch);
    core.fileRead(src.id, report);
  }
  core.flushSource(src.id);
}
const a = core.snapshot(null);
writeFileSync('/dev/null', JSON.stringify({ sources: a.sources, summary: a.summary, cycles: a.cycles, chains: a.chains, findings: a.findings }));
process.stderr.write(JSON.stringify({
  mode: (keepAll ? 'all' : floor ? 'floor' : 'lean') + (noRules ? '+no-rules' : ''), totalMs: Math.round(performance.now() - t0), records: a.summary.records, events: a.summary.events,
  keptEvents: a.events.length, cycles: a.cycles.length, chains: a.chains.length, findings: a.findings.map((f) => `${f.ruleId}×${f.count}`).join(' '),
  maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
}) + '\n');
