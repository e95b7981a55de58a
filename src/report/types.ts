import type { BaselineDiff } from './baseline.js';

export type ReportFormat = 'text' | 'json' | 'ndjson' | 'junit' | 'sarif' | 'markdown';

export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'ndjson', 'junit', 'sarif', 'markdown'];

/** The lowest finding severity that fails a run (`--fail-on`); `never` fails on none. */
export type FailOn = 'error' | 'warning' | 'info' | 'never';

export interface ReportOptions {
  /** ANSI colour in the text report (never in any other format). */
  color: boolean;
  failOn: FailOn;
  toolVersion: string;
  /**
   * Applied to every string that comes from a log or a path (messages, paths, machine names,
   * reasons, filled-in rule texts) before it is escaped for the format. Identity if absent.
   */
  redactor?: ((s: string) => string) | undefined;
  /** Result of `--baseline`, shown in the report when given. */
  baselineDiff?: BaselineDiff | null | undefined;
  /**
   * NDJSON: the `event` lines to write, in timeline order, instead of the result's events
   * rendered (a scan's event spill, which does not hold them all in memory). Read once.
   */
  eventLines?: Iterable<string> | undefined;
}

/** The options `recordLine` needs. */
export type RecordLineOptions = Pick<ReportOptions, 'redactor'>;
