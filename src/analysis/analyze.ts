import type { LogRecord } from '../../parsers/types.js';
import { discover, totalBytes, type DiscoverOptions, type LogicalSource, type InputProblem, groupRotations, type PhysicalFile } from '../ingest/discover.js';
import { emptyReport, readFileRecords } from '../ingest/read.js';
import { kindFromName, logicalName } from '../ingest/kinds.js';
import { AnalysisCore, type Analysis, type CoreOptions } from './core.js';
import { RuleEngine, type EngineOptions } from './rules/engine.js';
import { loadBuiltinRules } from './rules/catalog.js';
import { builtinRulesDir } from './rules/locate.js';
import type { Rule } from './rules/schema.js';
import { readOptionsFor, type BiasOverride } from './bias-override.js';
import type { SortedEvent } from './model.js';

export interface AnalyzeOptions extends Omit<CoreOptions, 'rules'> {
  /** Extra rule files or folders (`--rules`), on top of the built-in catalog. */
  rulePaths?: string[];
  /** Use exactly these rules instead of loading any (tests, rule samples). */
  rules?: Rule[];
  /** How the rule engine stores hits (tests force its bounded stores with small limits). */
  engine?: EngineOptions;
  /** `--bias FILE_GLOB=MINUTES`. */
  biasOverrides?: BiasOverride[];
  /** Analysis end for absence rules (default: the latest UTC in any log). */
  endMs?: number;
  discover?: DiscoverOptions;
  /** Every record, source by source, in file order (the TUI store, `--records`). */
  onRecords?: (records: readonly LogRecord[], source: LogicalSource) => void;
  /** Progress while reading: bytes read so far of the total. */
  onProgress?: (bytesRead: number, bytesTotal: number) => void;
  /**
   * Every event as it is extracted (whether or not `keepEvent` keeps it), source by source:
   * `scan --format ndjson` lists them all from a spill (event-spill.ts), not from the core.
   */
  onEvents?: (events: readonly SortedEvent[]) => void;
}

export interface AnalysisResult extends Analysis {
  inputProblems: InputProblem[];
  ruleErrors: string[];
}

/** Loads the built-in catalog plus user rules into an engine. */
export async function loadEngine(opts: { rulePaths?: string[]; rules?: Rule[]; engine?: EngineOptions }): Promise<{ engine: RuleEngine; errors: string[] }> {
  if (opts.rules) return { engine: new RuleEngine(opts.rules, opts.engine), errors: [] };
  const builtin = await loadBuiltinRules(builtinRulesDir());
  const rules = [...builtin.rules];
  const errors = builtin.errors.map((e) => e.message);
  if (opts.rulePaths?.length) {
    // User rules need the YAML loader (and its file:line:col errors); ids must stay unique.
    const { loadRules } = await import('./rules/load.js');
    const user = await loadRules(opts.rulePaths);
    errors.push(...user.errors.map((e) => e.message));
    const ids = new Set(rules.map((r) => r.id));
    for (const r of user.rules) {
      if (ids.has(r.id)) errors.push(`${user.files.get(r.id) ?? r.id}: duplicate rule id "${r.id}" (a built-in rule has it)`);
      else { rules.push(r); ids.add(r.id); }
    }
  }
  return { engine: new RuleEngine(rules, opts.engine), errors };
}

export interface ReadHooks {
  /** A batch of one file's records, in file order; `reached` is how far into the file it ends. */
  onBatch(src: LogicalSource, batch: readonly LogRecord[], reached: number): void;
  /** A file is done (its report is already in the core). */
  onFileDone?(src: LogicalSource, file: PhysicalFile): void;
  /** A source is done: the events its extractors still held. */
  onSourceDone?(src: LogicalSource, flushed: SortedEvent[]): void;
  /** Checked between batches and sources: stop reading when true. */
  stopped?(): boolean;
  /** Bytes read (and framed into one batch) at a time; default 1 MiB. */
  chunkSize?: number;
  /** Write zip entries bigger than this aside as they are read, to read records back (read.ts). */
  keepZipAside?: number;
}

/**
 * Reads each source's files in rotation order, with the user's bias override, registering the
 * source and each file's report in the core. The hooks feed the records (the batch analysis
 * and the TUI session do different things with them).
 */
export async function readSourcesInto(core: AnalysisCore, sources: readonly LogicalSource[], overrides: readonly BiasOverride[], hooks: ReadHooks): Promise<void> {
  for (const src of sources) {
    if (hooks.stopped?.()) return;
    const { override, readOpts: base } = readOptionsFor(src, overrides);
    const readOpts = hooks.chunkSize || hooks.keepZipAside !== undefined ? { ...base, chunkSize: hooks.chunkSize, keepZipAside: hooks.keepZipAside } : base;
    core.addSource(src, override);
    for (const file of src.files) {
      const report = emptyReport(file.path);
      for await (const batch of readFileRecords(file, readOpts, report)) {
        const last = batch[batch.length - 1];
        hooks.onBatch(src, batch, last ? Math.min(file.size, last.offset + last.length) : 0);
        if (hooks.stopped?.()) break;
      }
      core.fileRead(src.id, report);
      hooks.onFileDone?.(src, file);
    }
    // Flushed whether or not a hook wants the events (`hooks.onSourceDone?.(src, flush())` would
    // skip the flush itself when there is no hook, and a log's last open block with it).
    const flushed = core.flushSource(src.id);
    hooks.onSourceDone?.(src, flushed);
  }
}

/** Reads every source into a fresh core and returns the analysis. */
export async function analyzeSources(sources: LogicalSource[], inputProblems: InputProblem[], opts: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const { engine, errors } = await loadEngine(opts);
  const core = new AnalysisCore({ ...opts, rules: engine });
  const total = totalBytes(sources);
  let done = 0;
  await readSourcesInto(core, sources, opts.biasOverrides ?? [], {
    onBatch: (src, batch) => {
      const events = core.feed(src.id, batch);
      if (events.length) opts.onEvents?.(events);
      opts.onRecords?.(batch, src);
    },
    onFileDone: (_src, file) => {
      done += file.size;
      opts.onProgress?.(done, total);
    },
    onSourceDone: (_src, flushed) => {
      if (flushed.length) opts.onEvents?.(flushed);
    },
  });
  const analysis = core.snapshot(opts.endMs ?? null);
  return { ...analysis, inputProblems, ruleErrors: errors };
}

/** Files, folders, globs, zips or `-` → analysis. */
export async function analyzePaths(inputs: string[], opts: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const { sources, problems } = await discover(inputs, opts.discover);
  return analyzeSources(sources, problems, opts);
}

/** In-memory texts → analysis (tests and rule samples). `log` names the log (`BgbServer`). */
export async function analyzeTexts(files: { log: string; text: string; path?: string }[], opts: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const physical: PhysicalFile[] = files.map((f, i) => {
    const data = Buffer.from(f.text, 'utf8');
    const p = f.path ?? `${f.log}.log`;
    return { path: p, name: p.split(/[\\/]/).pop()!, dir: `mem${i}:${p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : ''}`, root: `mem${i}:`, size: data.length, mtimeMs: 0, data };
  });
  const sources = groupRotations(physical).map((s) => {
    const info = kindFromName(logicalName(s.name));
    return { ...s, kind: info.kind, role: info.role };
  });
  return analyzeSources(sources, [], opts);
}
