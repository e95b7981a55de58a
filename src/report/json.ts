/**
 * The JSON report (`--format json`) and the objects the NDJSON stream is made of. The shape is
 * documented in schema/report.schema.json; every time is an ISO UTC string or null, and nothing
 * depends on the wall clock, so the same analysis always gives the same bytes.
 */
import type { FieldValue, SkippedRange } from '../../parsers/types.js';
import type { ActionChain, Evidence, Finding, HealthSummary, SortedEvent, SourceSummary, UploadCycle } from '../analysis/model.js';
import type { AnalysisResult } from '../analysis/analyze.js';
import type { BaselineDiff } from './baseline.js';
import { iso, redactorOf, rn, type Redact } from './common.js';
import { escapeJsonText } from './sanitize.js';
import type { ReportOptions } from './types.js';

export const REPORT_SCHEMA_VERSION = 1;

export interface JsonSource {
  id: string;
  path: string | null;
  files: string[];
  name: string;
  kind: string;
  role: string;
  machine: string | null;
  format: string;
  encoding: string;
  records: number;
  firstLocal: string | null;
  lastLocal: string | null;
  firstUtc: string | null;
  lastUtc: string | null;
  bias: number | null;
  biases: number[];
  biasOverride: number | null;
  recordsWithoutBias: number;
  partialRecords: number;
  biasProblems: { problem: string; count: number; path: string; firstLine: number }[];
  recordProblems: { problem: string; count: number; path: string; firstLine: number; firstOffset: number }[];
  skipped: SkippedRange[];
  errors: string[];
}

/** Evidence is already plain JSON-ready data (ISO times, first line of text). */
export type JsonEvidence = Evidence;

export interface JsonFinding {
  ruleId: string;
  severity: Finding['severity'];
  title: string;
  explanation: string;
  remediation: string[];
  docs: string[];
  causes: { rank: number; cause: string; tellApart: string }[];
  count: number;
  firstUtc: string | null;
  lastUtc: string | null;
  evidence: JsonEvidence[];
}

export interface JsonHop {
  hop: string;
  event: string;
  log: string;
  machine: string | null;
  utc: string | null;
  local: string | null;
  path: string;
  line: number;
  latencyMs: number | null;
}

export interface JsonChain {
  taskGuid: string;
  action: string;
  state: ActionChain['state'];
  stoppedAt: string | null;
  reason: string | null;
  firstUtc: string | null;
  lastUtc: string | null;
  hops: JsonHop[];
}

export interface JsonCycle {
  id: string;
  source: string;
  machine: string | null;
  state: UploadCycle['state'];
  startUtc: string | null;
  endUtc: string | null;
  records: number | null;
  mode: 'full' | 'delta' | null;
  status: number | null;
  nextRunUtc: string | null;
  nextRunLocal: string | null;
  reason: string | null;
  path: string | null;
  line: number | null;
}

export interface JsonSummary {
  lastSuccessfulUploadUtc: string | null;
  nextUploadDueUtc: string | null;
  cycles: HealthSummary['cycles'];
  actions: HealthSummary['actions'];
  findings: HealthSummary['findings'];
  records: number;
  events: number;
  firstUtc: string | null;
  lastUtc: string | null;
  analysisEndUtc: string | null;
}

export interface JsonEvent {
  kind: string;
  log: string;
  machine: string | null;
  utc: string | null;
  local: string | null;
  bias: number | null;
  severity: string;
  summary: string;
  fields: Record<string, FieldValue>;
  path: string | null;
  line: number | null;
}

export interface JsonReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'attachscope'; version: string };
  sources: JsonSource[];
  inputProblems: { path: string; reason: string }[];
  summary: JsonSummary;
  findings: JsonFinding[];
  chains: JsonChain[];
  uploadCycles: JsonCycle[];
  rules: { evaluated: string[]; errors: string[] };
  baseline?: BaselineDiff;
}

export function sourceJson(s: SourceSummary, r: Redact): JsonSource {
  return {
    id: r(s.id),
    path: s.files[0] === undefined ? null : r(s.files[0]),
    files: s.files.map(r),
    name: r(s.name),
    kind: s.kind,
    role: s.role,
    machine: rn(r, s.machine),
    format: s.format,
    encoding: s.encoding,
    records: s.records,
    firstLocal: s.firstLocal,
    lastLocal: s.lastLocal,
    firstUtc: iso(s.firstUtcMs),
    lastUtc: iso(s.lastUtcMs),
    bias: s.biases[0] ?? null,
    biases: [...s.biases],
    biasOverride: s.biasOverride,
    recordsWithoutBias: s.recordsWithoutBias,
    partialRecords: s.partialRecords,
    biasProblems: s.biasProblems.map((p) => ({ problem: r(p.problem), count: p.count, path: r(p.path), firstLine: p.firstLine })),
    recordProblems: s.recordProblems.map((p) => ({ problem: r(p.problem), count: p.count, path: r(p.path), firstLine: p.firstLine, firstOffset: p.firstOffset })),
    skipped: s.skipped.map((k) => ({ path: r(k.path), startOffset: k.startOffset, endOffset: k.endOffset, reason: r(k.reason) })),
    errors: s.errors.map(r),
  };
}

export function findingJson(f: Finding, r: Redact): JsonFinding {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    title: r(f.title),
    explanation: r(f.explanation),
    remediation: f.remediation.map(r),
    docs: [...f.docs],
    causes: f.causes.map((c) => ({ rank: c.rank, cause: r(c.cause), tellApart: r(c.tellApart) })),
    count: f.count,
    firstUtc: f.firstUtc,
    lastUtc: f.lastUtc,
    evidence: f.evidence.map((e) => ({ log: r(e.log), path: r(e.path), line: e.line, utc: e.utc, local: e.local, text: r(e.text) })),
  };
}

export function chainJson(c: ActionChain, r: Redact): JsonChain {
  return {
    taskGuid: r(c.taskGuid),
    action: r(c.action),
    state: c.state,
    stoppedAt: c.stoppedAt,
    reason: rn(r, c.reason),
    firstUtc: iso(c.firstUtc),
    lastUtc: iso(c.lastUtc),
    hops: c.hops.map((h) => ({
      hop: h.hop, event: h.event, log: r(h.log), machine: rn(r, h.machine), utc: iso(h.utcMs), local: h.localText,
      path: r(h.path), line: h.line, latencyMs: h.latencyMs,
    })),
  };
}

export function cycleJson(c: UploadCycle, r: Redact): JsonCycle {
  const ref = c.refs[0];
  return {
    id: r(c.id),
    source: r(c.sourceId),
    machine: rn(r, c.machine),
    state: c.state,
    startUtc: iso(c.startUtc),
    endUtc: iso(c.endUtc),
    records: c.records,
    mode: c.mode,
    status: c.status,
    nextRunUtc: iso(c.nextRunUtc),
    nextRunLocal: c.nextRunLocal,
    reason: rn(r, c.reason),
    path: ref && ref.path ? r(ref.path) : null,
    line: ref && ref.line > 0 ? ref.line : null,
  };
}

export function summaryJson(s: HealthSummary, endMs: number | null): JsonSummary {
  return {
    lastSuccessfulUploadUtc: iso(s.lastSuccessfulUploadUtc),
    nextUploadDueUtc: iso(s.nextUploadDueUtc),
    cycles: { ...s.cycles },
    actions: { ...s.actions },
    findings: { ...s.findings },
    records: s.records,
    events: s.events,
    firstUtc: iso(s.firstUtcMs),
    lastUtc: iso(s.lastUtcMs),
    analysisEndUtc: iso(endMs),
  };
}

export function eventJson(e: SortedEvent, r: Redact): JsonEvent {
  const ref = e.refs[0];
  const fields: Record<string, FieldValue> = {};
  for (const [k, v] of Object.entries(e.fields)) fields[k] = typeof v === 'string' ? r(v) : v;
  return {
    kind: e.kind,
    log: r(e.log),
    machine: rn(r, e.machine),
    utc: iso(e.utcMs),
    local: e.localText,
    bias: e.bias,
    severity: e.severity,
    summary: r(e.summary),
    fields,
    path: ref && ref.path ? r(ref.path) : null,
    line: ref && ref.line > 0 ? ref.line : null,
  };
}

/**
 * The report's members in order, each built when asked for. The redactor numbers placeholders
 * in the order it meets values, so the whole object and the streamed text ask in this one order.
 * The arrays that grow with the input (a 2 GB post-mortem lists ~18,000 chains) come as a count
 * and a per-item builder, so the stream never holds them all at once.
 */
type Member = { key: keyof JsonReport; value: () => unknown } | { key: keyof JsonReport; count: number; item: (i: number) => unknown };

function members(result: AnalysisResult, opts: ReportOptions): Member[] {
  const r = redactorOf(opts);
  const list: Member[] = [
    { key: 'schemaVersion', value: () => REPORT_SCHEMA_VERSION },
    { key: 'tool', value: () => ({ name: 'attachscope', version: opts.toolVersion }) },
    { key: 'sources', value: () => result.sources.map((s) => sourceJson(s, r)) },
    { key: 'inputProblems', value: () => result.inputProblems.map((p) => ({ path: r(p.path), reason: r(p.reason) })) },
    { key: 'summary', value: () => summaryJson(result.summary, result.endMs) },
    { key: 'findings', value: () => result.findings.map((f) => findingJson(f, r)) },
    { key: 'chains', count: result.chains.length, item: (i) => chainJson(result.chains[i]!, r) },
    { key: 'uploadCycles', count: result.cycles.length, item: (i) => cycleJson(result.cycles[i]!, r) },
    { key: 'rules', value: () => ({ evaluated: [...result.ruleIds], errors: result.ruleErrors.map(r) }) },
  ];
  const diff = opts.baselineDiff;
  if (diff) list.push({ key: 'baseline', value: () => diff });
  return list;
}

/** The whole report as one plain object (validated by schema/report.schema.json). */
export function buildJsonReport(result: AnalysisResult, opts: ReportOptions): JsonReport {
  const doc: Record<string, unknown> = {};
  for (const m of members(result, opts)) doc[m.key] = 'value' in m ? m.value() : Array.from({ length: m.count }, (_v, i) => m.item(i));
  return doc as unknown as JsonReport;
}

/** About how many characters a piece of a streamed report holds (JSON here, NDJSON in index.ts). */
export const PIECE_CHARS = 64 * 1024;

/**
 * The report's text (`JSON.stringify(buildJsonReport(...), null, 2)`, made terminal-safe, plus a
 * newline) in pieces of about `pieceChars`: a big report is written without its whole text, or
 * every chain's object, in memory at once.
 */
export function* renderJsonPieces(result: AnalysisResult, opts: ReportOptions, pieceChars = PIECE_CHARS): Generator<string> {
  // JSON.stringify with an indent puts a nested value's lines one level deeper for each level;
  // JSON strings hold no raw newline, so re-indenting a value's text is a plain replace.
  const nested = (value: unknown, indent: string): string => (JSON.stringify(value, null, 2) ?? 'null').replaceAll('\n', '\n' + indent);
  const list = members(result, opts);
  let piece = '{\n';
  for (let k = 0; k < list.length; k++) {
    const m = list[k]!;
    const comma = k < list.length - 1 ? ',' : '';
    const head = `  ${JSON.stringify(m.key)}: `;
    if ('value' in m) {
      piece += head + nested(m.value(), '  ') + comma + '\n';
    } else if (m.count === 0) {
      piece += head + '[]' + comma + '\n';
    } else {
      piece += head + '[\n';
      for (let i = 0; i < m.count; i++) {
        piece += '    ' + nested(m.item(i), '    ') + (i < m.count - 1 ? ',\n' : '\n');
        if (piece.length >= pieceChars) {
          yield escapeJsonText(piece);
          piece = '';
        }
      }
      piece += '  ]' + comma + '\n';
    }
    if (piece.length >= pieceChars) {
      yield escapeJsonText(piece);
      piece = '';
    }
  }
  yield escapeJsonText(piece + '}\n');
}

export function renderJson(result: AnalysisResult, opts: ReportOptions): string {
  let text = '';
  for (const piece of renderJsonPieces(result, opts)) text += piece;
  return text;
}
