import type { Severity, SeveritySource } from '../types.js';
import { fractionToMs, readBias, wallClockMs } from './time.js';
import { severityFromText, severityFromType } from './severity.js';

/** The CMTrace/CCM entry markers: `<![LOG[message]LOG]!><time="…" date="…" …>`. */
export const CMTRACE_OPEN = '<![LOG[';
export const CMTRACE_CLOSE = ']LOG]!>';

/** Fields read from a CMTrace entry header. */
export interface CmtraceFields {
  localText: string | null;
  localMs: number | null;
  bias: number | null;
  component: string;
  thread: string;
  severity: Severity;
  severitySource: SeveritySource;
  context?: string;
  srcFile?: string;
  problems: string[];
}

const ATTR = /([A-Za-z]+)\s*=\s*"([^"]*)"/g;

/**
 * Parses the header that follows `]LOG]!>` (`<time="…" date="…" component="…" …>`).
 * Attributes may come in any order, in any case, or be missing; nothing here throws.
 */
export function parseCmtraceHeader(header: string, message: string): CmtraceFields {
  const attrs: Record<string, string> = {};
  for (const m of header.matchAll(ATTR)) attrs[m[1]!.toLowerCase()] = m[2]!;
  const problems: string[] = [];

  const timeText = (attrs.time ?? '').trim();
  const dateText = (attrs.date ?? '').trim();
  let localMs: number | null = null;
  let bias: number | null = null;
  let localText: string | null = null;

  const tm = /^(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d{1,7}))?\s*(.*)$/.exec(timeText);
  const dm = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$/.exec(dateText);
  if (tm && dm) {
    localMs = wallClockMs(Number(dm[3]), Number(dm[1]), Number(dm[2]), Number(tm[1]), Number(tm[2]), Number(tm[3]), fractionToMs(tm[4]));
    const biasPart = tm[5] ?? '';
    localText = `${dateText} ${timeText.slice(0, timeText.length - biasPart.length).trim()}`;
    if (localMs === null) problems.push(`impossible date/time ${JSON.stringify(`${dateText} ${timeText}`)}`);
    const reading = readBias(biasPart);
    bias = reading.bias;
    if (reading.problem) problems.push(reading.problem);
  } else if (timeText || dateText) {
    problems.push(`unreadable time ${JSON.stringify(`${dateText} ${timeText}`.trim())}`);
  } else {
    problems.push('entry header has no time');
  }

  const typed = severityFromType(attrs.type);
  let severity: Severity;
  let severitySource: SeveritySource;
  if (typed !== null && attrs.type !== undefined && attrs.type.trim() !== '') {
    severity = typed;
    severitySource = 'type';
  } else {
    if (typed === null) problems.push(`unknown type ${JSON.stringify(attrs.type)}`);
    ({ severity, source: severitySource } = severityFromText(message));
    if (attrs.type !== undefined && attrs.type.trim() === '') severitySource = 'heuristic';
  }

  const fields: CmtraceFields = {
    localText,
    localMs,
    bias,
    component: attrs.component ?? '',
    thread: attrs.thread ?? '',
    severity,
    severitySource,
    problems,
  };
  if (attrs.context) fields.context = attrs.context;
  if (attrs.file) fields.srcFile = attrs.file;
  return fields;
}

/**
 * Finds the end of a header starting at `from` (the `<` after `]LOG]!>`): the index just past
 * its closing `>`, or -1 when the header is not complete yet. Quoted values may hold `>`.
 */
export function findHeaderEnd(text: string, from: number): number {
  if (text.charCodeAt(from) !== 60 /* < */) return -1;
  let inQuote = false;
  for (let i = from + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) inQuote = !inQuote;
    else if (c === 62 /* > */ && !inQuote) return i + 1;
    else if (c === 10 /* \n */) return -1; // a header never spans lines
  }
  return -1;
}

/** Renders an entry in CMTrace format (used by tests, the bench generator and the redactor). */
export function renderCmtrace(e: {
  message: string; time: string; date: string; component?: string; context?: string;
  type?: string; thread?: string; file?: string;
}): string {
  return `${CMTRACE_OPEN}${e.message}${CMTRACE_CLOSE}<time="${e.time}" date="${e.date}" component="${e.component ?? ''}" context="${e.context ?? ''}" type="${e.type ?? '1'}" thread="${e.thread ?? ''}" file="${e.file ?? ''}">`;
}
