/** Hand-built records, events, sources and rules for the rule engine tests. */
import type { FieldValue, LogRecord } from '../../../parsers/types.js';
import type { SortedEvent, SourceSummary } from '../../../src/analysis/model.js';
import { RuleSchema, type Rule } from '../../../src/analysis/rules/schema.js';

export const T0 = Date.UTC(2026, 1, 10, 8, 0, 0);
export const SEC = 1000;
export const MIN = 60_000;

let line = 0;
let seq = 0;

export function rec(
  message: string,
  opts: { log?: string; path?: string; line?: number; utcMs?: number | null } = {},
): LogRecord {
  const log = opts.log ?? 'CMGatewayNotificationWorker';
  const utcMs = opts.utcMs === undefined ? T0 : opts.utcMs;
  const n = opts.line ?? ++line;
  return {
    log,
    path: opts.path ?? `${log}.log`,
    offset: n * 100,
    length: 100,
    line: n,
    endLine: n,
    localText: utcMs === null ? null : '02-10-2026 08:00:00.000',
    localMs: utcMs,
    bias: utcMs === null ? null : 0,
    utcMs,
    component: `SMS_SERVICE_CONNECTOR_${log}`,
    thread: '1',
    severity: 'info',
    severitySource: 'none',
    message,
    format: 'smsexec',
  };
}

export function ev(
  kind: string,
  fields: Record<string, FieldValue>,
  utcMs: number | null,
  opts: { log?: string; logKind?: string; path?: string; line?: number; sourceId?: string; text?: string; refs?: SortedEvent['refs'] } = {},
): SortedEvent {
  const log = opts.log ?? 'CMGatewayNotificationWorker';
  const n = opts.line ?? ++line;
  return {
    kind,
    log,
    utcMs,
    localText: null,
    bias: null,
    severity: 'info',
    summary: kind,
    fields,
    refs: opts.refs ?? [{ path: opts.path ?? `${log}.log`, line: n, offset: n * 100 }],
    text: opts.text ?? `${kind} text`,
    sortMs: utcMs ?? Number.NEGATIVE_INFINITY,
    seq: seq++,
    sourceId: opts.sourceId ?? `dir/${log}`,
    machine: null,
    logKind: opts.logKind ?? log,
  };
}

export function src(kind: string, firstUtcMs: number | null, lastUtcMs: number | null, name = kind): SourceSummary {
  return {
    id: `dir/${name}`,
    name,
    kind,
    role: 'unknown',
    machine: null,
    files: [`${name}.log`],
    format: 'smsexec',
    encoding: 'utf-8',
    records: 1,
    firstLocal: null,
    lastLocal: null,
    firstUtcMs,
    lastUtcMs,
    biases: [],
    biasOverride: null,
    recordsWithoutBias: 0,
    biasProblems: [], recordProblems: [],
    partialRecords: 0,
    skipped: [],
    errors: [],
  };
}

/** A rule from the parts a test cares about (validated by the real schema). */
export function rule(over: Record<string, unknown> & { id: string }): Rule {
  return RuleSchema.parse({
    title: 'Test rule',
    severity: 'warning',
    explanation: '{count} hits',
    remediation: ['fix it'],
    docs: [],
    samples: [{ log: 'X', lines: ['x'] }],
    ...over,
  });
}
