/**
 * Building TimelineEvents from records, and the small interface every per-log part implements.
 */
import type { FieldValue, LogRecord, RecordRef, Severity, TimelineEvent } from '../types.js';
import type { EventKind } from './kinds.js';
import { firstLine } from './text.js';

/** The pointer back to a record. */
export function refOf(record: LogRecord): RecordRef {
  return { path: record.path, line: record.line, offset: record.offset };
}

/**
 * An event anchored on `record`: time, bias, log and refs come from the record, `text` is the
 * first line of its message. `severity` is the event's own (what the line means), not the
 * record's type attribute.
 */
export function makeEvent(
  record: LogRecord,
  kind: EventKind,
  severity: Severity,
  summary: string,
  fields: Record<string, FieldValue>,
): TimelineEvent {
  return {
    kind,
    log: record.log,
    utcMs: record.utcMs,
    localText: record.localText,
    bias: record.bias,
    severity,
    summary,
    fields,
    refs: [refOf(record)],
    text: firstLine(record.message),
  };
}

/** One physical line of a record's message, as the parts see it. */
export interface LineInput {
  record: LogRecord;
  /** The line (cut at MAX_LINE characters), never blank. */
  text: string;
  /** 0-based index of the line within the record's message. */
  index: number;
  /** True when the line belongs to an exception block (common.ts reads those). */
  inException: boolean;
}

/**
 * A per-log matcher. It sees every non-blank line of every record, in order, and appends its
 * events for the line to `out`, which already holds the events earlier parts made for the same
 * line (so a part can skip a fact another part has already stated).
 */
export interface LinePart {
  line(input: LineInput, out: TimelineEvent[]): void;
  /**
   * True when the part keeps no state and its events for a line depend only on the line's text,
   * `inException`, the events earlier parts made for the line, and the record only through
   * makeEvent, failureSeverity and `record.bias`. An extractor whose parts are all pure replays
   * the events of a text it has read before (memo.ts).
   */
  readonly pure?: boolean;
  /** Events held back until the end of input (most parts hold none). */
  flush?(out: TimelineEvent[]): void;
  /**
   * For a part that is not pure: everything it keeps that can change its events for later lines,
   * as plain JSON data (objects built in a fixed key order, arrays in the order the part uses
   * them; `null` when it keeps nothing). Two parts of the same kind with equal states (by
   * stateText) give the same events for the same following lines. Called rarely (where a log is
   * split between workers), never per line. A part that is not pure and has no syncState makes
   * its extractor's syncState() null.
   */
  syncState?(): unknown;
}

/**
 * A state (LinePart.syncState, ExceptionBlocks.syncState) as a canonical string: JSON, with the
 * numbers JSON cannot tell apart (-0, NaN, ±Infinity) kept distinct. Objects must be built in a
 * fixed key order and hold no `undefined`.
 */
export function stateText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)) ? { '#number': Object.is(v, -0) ? '-0' : String(v) } : v,
  );
}

/** Severity for a failure that the record itself may call only a warning. */
export function failureSeverity(record: LogRecord): Severity {
  return record.severity === 'warning' ? 'warning' : 'error';
}

/** error for 4xx/5xx, info otherwise. */
export function statusSeverity(status: number | null): Severity {
  return status !== null && status >= 400 ? 'error' : 'info';
}
