/**
 * The data model shared by every stage of the pipeline:
 *   sources → framing → records → extractors → timeline → rules → views.
 *
 * Everything here is plain data (no classes) so records and events can cross
 * worker threads, be written as JSON and be compared in tests.
 */

/** error / warning / info from the log; `unknown` when the line gives no hint at all. */
export type Severity = 'error' | 'warning' | 'info' | 'unknown';

/** The three line shapes ConfigMgr logs come in. */
export type LineFormat = 'cmtrace' | 'smsexec' | 'plain';

/** Where a severity came from: the CMTrace `type` attribute, a text heuristic, or nothing. */
export type SeveritySource = 'type' | 'heuristic' | 'prefix' | 'none';

/**
 * One log entry, normalized. A CMTrace entry may span many physical lines;
 * `line`..`endLine` and `offset`..`offset+length` cover all of them.
 */
export interface LogRecord {
  /** Logical log name, e.g. `CMGatewaySyncUploadWorker` (rotation group, case as the newest file). */
  log: string;
  /** Physical file path as the user gave it (or `zip!entry`, or `-` for stdin). */
  path: string;
  /** Byte offset of the first byte of the record in the physical file. */
  offset: number;
  /** Byte length of the record in the physical file (including its line terminator). */
  length: number;
  /** 1-based line number of the record's first physical line. */
  line: number;
  /** 1-based line number of the record's last physical line. */
  endLine: number;
  /** Local time exactly as written (`06-26-2015 14:24:33.329`), or null. */
  localText: string | null;
  /** Local wall-clock time as epoch ms if it were UTC (built from parts), or null. */
  localMs: number | null;
  /** Time-zone bias in minutes (UTC = local + bias), or null when the record carries none. */
  bias: number | null;
  /** UTC epoch ms = localMs + bias·60000; null when there is no time or no usable bias. */
  utcMs: number | null;
  component: string;
  thread: string;
  severity: Severity;
  severitySource: SeveritySource;
  /** Message text with embedded newlines kept (`~~` of the server format becomes `\n`). */
  message: string;
  format: LineFormat;
  /** A record cut short: the first entry after a rollover, or an entry that never closed. */
  partial?: boolean;
  /** Parse problems found in this record (malformed bias, bad date, ...). Empty/absent if none. */
  problems?: string[];
  /** CMTrace `context` attribute when present and non-empty. */
  context?: string;
  /** CMTrace `file` attribute (source file:line of the writer) when present and non-empty. */
  srcFile?: string;
}

/** A pointer from an event back to the record it came from. */
export interface RecordRef {
  path: string;
  line: number;
  offset: number;
}

/** Scalar values an event field can hold. */
export type FieldValue = string | number | boolean | null;

/**
 * A record with meaning. `kind` is a dotted name (`upload.batch`, `gateway.response`,
 * `action.forwarded`, `bgb.push-start`, `client.task-received`, `aad.error`, `exception`, ...).
 * See parsers/logs/README.md for the catalogue of kinds and their fields.
 */
export interface TimelineEvent {
  kind: string;
  /** Logical log the event was read from. */
  log: string;
  utcMs: number | null;
  localText: string | null;
  bias: number | null;
  severity: Severity;
  /** One-line human summary, e.g. `DevicePost answered 401 (Unauthorized)`. */
  summary: string;
  fields: Record<string, FieldValue>;
  /** The record(s) this event was read from; the first is the anchor. */
  refs: RecordRef[];
  /** First line of the anchor record's message (for evidence and display). */
  text: string;
}

/** A logical log that was read: one rotation group (`X.lo_` + `X.log` + history files). */
export interface SkippedRange {
  path: string;
  startOffset: number;
  endOffset: number;
  reason: string;
}
