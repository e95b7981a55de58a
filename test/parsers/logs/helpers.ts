import type { LogRecord, TimelineEvent } from '../../../parsers/types.js';
import { EVENT_KINDS } from '../../../parsers/logs/kinds.js';
import { createExtractor } from '../../../parsers/logs/index.js';

export interface RecOptions {
  log?: string;
  bias?: number | null;
  localText?: string | null;
  utcMs?: number | null;
  line?: number;
  path?: string;
  offset?: number;
  thread?: string;
  severity?: LogRecord['severity'];
}

/** A LogRecord for a message (defaults: a plain record with no time). */
export function rec(message: string, o: RecOptions = {}): LogRecord {
  const line = o.line ?? 1;
  const lines = message.split('\n').length;
  return {
    log: o.log ?? 'TestLog',
    path: o.path ?? 'test.log',
    offset: o.offset ?? (line - 1) * 100,
    length: message.length + 1,
    line,
    endLine: line + lines - 1,
    localText: o.localText ?? null,
    localMs: null,
    bias: o.bias === undefined ? null : o.bias,
    utcMs: o.utcMs ?? null,
    component: '',
    thread: o.thread ?? '',
    severity: o.severity ?? 'unknown',
    severitySource: 'none',
    message,
    format: 'plain',
  };
}

/** Records for messages, numbered as consecutive lines of one file. */
export function recs(messages: readonly string[], o: RecOptions = {}): LogRecord[] {
  let line = o.line ?? 1;
  return messages.map((m) => {
    const r = rec(m, { ...o, line });
    line += m.split('\n').length;
    return r;
  });
}

/** Feed records to a fresh extractor of `kind`, then flush. */
export function run(kind: string, records: readonly LogRecord[]): TimelineEvent[] {
  const x = createExtractor(kind);
  const out: TimelineEvent[] = [];
  for (const r of records) out.push(...x.feed(r));
  out.push(...x.flush());
  return out;
}

/** Events for messages (one record each). */
export function events(kind: string, ...messages: string[]): TimelineEvent[] {
  return run(kind, recs(messages, { log: kind }));
}

/** The single event of `kindName` among the events (fails when there is not exactly one). */
export function only(list: readonly TimelineEvent[], kindName: string): TimelineEvent {
  const found = list.filter((e) => e.kind === kindName);
  if (found.length !== 1) {
    throw new Error(`expected one ${kindName}, got ${found.length}: ${JSON.stringify(list.map((e) => e.kind))}`);
  }
  return found[0]!;
}

export function kinds(list: readonly TimelineEvent[]): string[] {
  return list.map((e) => e.kind);
}

/** Documented field names of each kind, read from the `{…}` part of EVENT_KINDS. */
export function documentedFields(kind: string): { name: string; optional: boolean }[] {
  const text = (EVENT_KINDS as Record<string, string>)[kind];
  if (text === undefined) throw new Error(`unknown kind ${kind}`);
  const open = text.lastIndexOf('{');
  if (open < 0) return [];
  const body = text.slice(open + 1, text.lastIndexOf('}'));
  return body
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const m = /^([A-Za-z]+)(\?)?/.exec(s);
      if (!m) throw new Error(`unreadable field ${s} in ${kind}`);
      return { name: m[1]!, optional: m[2] === '?' };
    });
}

/** Throws when an event's kind or fields do not follow kinds.ts. */
export function checkContract(e: TimelineEvent): void {
  const fields = documentedFields(e.kind);
  const names = new Set(fields.map((f) => f.name));
  for (const key of Object.keys(e.fields)) {
    if (!names.has(key)) throw new Error(`${e.kind}: undocumented field ${key}`);
  }
  for (const f of fields) {
    if (!(f.name in e.fields)) throw new Error(`${e.kind}: missing field ${f.name}`);
  }
  if (e.refs.length === 0) throw new Error(`${e.kind}: no refs`);
  if (!['error', 'warning', 'info', 'unknown'].includes(e.severity)) throw new Error(`${e.kind}: bad severity`);
}
