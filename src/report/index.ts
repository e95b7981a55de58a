/**
 * Report writers for `attachscope scan`: text, json, ndjson, junit, sarif, markdown. Pure
 * functions of an AnalysisResult (no clock, no I/O, no UI imports), so the headless path stays
 * light and the same analysis always renders the same bytes.
 */
import type { Finding } from '../analysis/model.js';
import type { AnalysisResult } from '../analysis/analyze.js';
import { atOrAbove } from './common.js';
import { PIECE_CHARS, renderJson, renderJsonPieces } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { ndjsonLines } from './ndjson.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';
import type { FailOn, ReportFormat, ReportOptions } from './types.js';

export type { FailOn, RecordLineOptions, ReportFormat, ReportOptions } from './types.js';
export { REPORT_FORMATS } from './types.js';
export type { Baseline, BaselineDiff, BaselineEntry, BaselineCountChange } from './baseline.js';
export { BaselineError, compareBaseline, parseBaseline, toBaseline } from './baseline.js';
export { escapeJsonText, isTerminalSafe, safeJsonStringify, sanitizeForTerminal, type SanitizeOptions } from './sanitize.js';
export { buildJsonReport, REPORT_SCHEMA_VERSION, type JsonReport } from './json.js';
export { chainLine, cycleLine, eventLine, findingLine, ndjsonLines, plainEventLine, recordLine, sourceLine, summaryLine, type NdjsonType } from './ndjson.js';
export { buildSarif } from './sarif.js';

/** Renders the whole report. Every format ends with a newline. */
export function renderReport(result: AnalysisResult, format: ReportFormat, opts: ReportOptions): string {
  switch (format) {
    case 'text':
      return renderText(result, opts);
    case 'json':
      return renderJson(result, opts);
    case 'ndjson':
      return [...ndjsonPieces(result, opts)].join('');
    case 'junit':
      return renderJunit(result, opts);
    case 'sarif':
      return renderSarif(result, opts);
    case 'markdown':
      return renderMarkdown(result, opts);
    default: {
      const never: never = format;
      throw new Error(`unknown report format ${String(never)}`);
    }
  }
}

/**
 * The report in pieces, joined the same as `renderReport`: JSON chain by chain and NDJSON line
 * by line, so a big report is written without its whole text in memory; the others at once.
 */
export function* reportPieces(result: AnalysisResult, format: ReportFormat, opts: ReportOptions): Generator<string> {
  if (format === 'json') {
    yield* renderJsonPieces(result, opts);
    return;
  }
  if (format === 'ndjson') {
    yield* ndjsonPieces(result, opts);
    return;
  }
  const text = renderReport(result, format, opts);
  yield text.endsWith('\n') ? text : text + '\n';
}

/** The NDJSON lines, each ended by a newline, gathered into pieces of about PIECE_CHARS. */
function* ndjsonPieces(result: AnalysisResult, opts: ReportOptions): Generator<string> {
  let piece = '';
  for (const l of ndjsonLines(result, opts)) {
    piece += l + '\n';
    if (piece.length >= PIECE_CHARS) {
      yield piece;
      piece = '';
    }
  }
  if (piece) yield piece;
}

/** Whether any finding is at or above `failOn` (the CLI's exit code 1); `never` → false. */
export function worstSeverityAtOrAbove(findings: readonly Pick<Finding, 'severity'>[], failOn: FailOn): boolean {
  return findings.some((f) => atOrAbove(f.severity, failOn));
}
