/**
 * NDJSON (`--format ndjson`): one JSON object per line, each with a `type`. Order: every
 * `source`, every `event` (UTC order), every `cycle`, `chain`, `finding`, then one `summary`
 * last. `record` lines (`--records`) are written by the caller as records are read.
 */
import type { LogRecord } from '../../parsers/types.js';
import type { ActionChain, Finding, SortedEvent, SourceSummary, UploadCycle } from '../analysis/model.js';
import type { AnalysisResult } from '../analysis/analyze.js';
import { identity, iso, redactorOf, type Redact } from './common.js';
import { chainJson, cycleJson, eventJson, findingJson, REPORT_SCHEMA_VERSION, sourceJson, summaryJson } from './json.js';
import { safeJsonStringify } from './sanitize.js';
import type { RecordLineOptions, ReportOptions } from './types.js';

export type NdjsonType = 'source' | 'event' | 'cycle' | 'chain' | 'finding' | 'summary' | 'record';

function line(type: NdjsonType, body: object): string {
  return safeJsonStringify({ type, ...body });
}

export function sourceLine(s: SourceSummary, r: Redact): string {
  return line('source', sourceJson(s, r));
}

export function eventLine(e: SortedEvent, r: Redact): string {
  return line('event', eventJson(e, r));
}

/** An event's line without redaction: what an NDJSON listing spills as events are extracted. */
export function plainEventLine(e: SortedEvent): string {
  return eventLine(e, identity);
}

export function cycleLine(c: UploadCycle, r: Redact): string {
  return line('cycle', cycleJson(c, r));
}

export function chainLine(c: ActionChain, r: Redact): string {
  return line('chain', chainJson(c, r));
}

export function findingLine(f: Finding, r: Redact): string {
  return line('finding', findingJson(f, r));
}

export function summaryLine(result: AnalysisResult, opts: ReportOptions): string {
  const r = redactorOf(opts);
  const body: Record<string, unknown> = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'attachscope', version: opts.toolVersion },
    summary: summaryJson(result.summary, result.endMs),
    inputProblems: result.inputProblems.map((p) => ({ path: r(p.path), reason: r(p.reason) })),
    rules: { evaluated: [...result.ruleIds], errors: result.ruleErrors.map(r) },
  };
  if (opts.baselineDiff) body.baseline = opts.baselineDiff;
  return line('summary', body);
}

/** The report as NDJSON lines (without line terminators), for streaming. */
export function* ndjsonLines(result: AnalysisResult, opts: ReportOptions): Generator<string> {
  const r = redactorOf(opts);
  for (const s of result.sources) yield sourceLine(s, r);
  if (opts.eventLines) yield* opts.eventLines;
  else for (const e of result.events) yield eventLine(e, r);
  for (const c of result.cycles) yield cycleLine(c, r);
  for (const c of result.chains) yield chainLine(c, r);
  for (const f of result.findings) yield findingLine(f, r);
  yield summaryLine(result, opts);
}

/** One parsed log record as an NDJSON `record` line (no terminator), for `--records`. */
export function recordLine(record: LogRecord, opts: RecordLineOptions = {}): string {
  const r = redactorOf(opts);
  return line('record', {
    log: r(record.log),
    path: r(record.path),
    line: record.line,
    local: record.localText,
    bias: record.bias,
    utc: iso(record.utcMs),
    severity: record.severity,
    component: r(record.component),
    thread: r(record.thread),
    message: r(record.message),
    format: record.format,
    // Where the record sits in its file, so a platform can link back to the exact bytes.
    offset: record.offset,
    length: record.length,
    endLine: record.endLine,
    ...(record.partial ? { partial: true } : {}),
    ...(record.problems?.length ? { problems: record.problems.map(r) } : {}),
  });
}
