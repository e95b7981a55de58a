import type { Severity, SeveritySource } from '../types.js';
import { fractionToMs, monthFromName, readBias, wallClockMs } from './time.js';
import { severityFromText } from './severity.js';

/** The server-format marker: `message  $$<Component><MM-dd-yyyy HH:mm:ss.fff+BBB><thread=N (0xHEX)>`. */
export const SMSEXEC_MARK = '$$<';

export interface SmsexecFields {
  message: string;
  localText: string | null;
  localMs: number | null;
  bias: number | null;
  component: string;
  thread: string;
  severity: Severity;
  severitySource: SeveritySource;
  problems: string[];
}

const TAIL = /^\$\$<([^>]*)><([^>]*)>(?:<thread=(\d+)(?:\s*\((0x[0-9A-Fa-f]+)\))?>)?\s*$/;

/**
 * Parses one physical server-format line, or returns null when the line is not in that shape.
 * Splits on the last `$$<` (the message may contain `$$`), tolerates any whitespace before it,
 * turns `~~` back into newlines and tolerates the legacy `<Thu Mar 18 15:07:47.421 1999 …>` date.
 */
export function parseSmsexecLine(line: string): SmsexecFields | null {
  const at = line.lastIndexOf(SMSEXEC_MARK);
  if (at < 0) return null;
  const tail = TAIL.exec(line.slice(at));
  if (!tail) return null;
  const message = line.slice(0, at).replace(/\s+$/, '').replace(/~~/g, '\n').replace(/\n+$/, '');
  const problems: string[] = [];
  const stamp = tail[2]!.trim();
  let localMs: number | null = null;
  let bias: number | null = null;
  let localText: string | null = null;

  const modern = /^(\d{1,2})-(\d{1,2})-(\d{4})\s+(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d{1,7}))?\s*(.*)$/.exec(stamp);
  const legacy = /^[A-Za-z]{3}\s+([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?\s+(\d{4})(?:\s+(.*))?$/.exec(stamp);
  if (modern) {
    localMs = wallClockMs(Number(modern[3]), Number(modern[1]), Number(modern[2]), Number(modern[4]), Number(modern[5]), Number(modern[6]), fractionToMs(modern[7]));
    const biasPart = modern[8] ?? '';
    localText = stamp.slice(0, stamp.length - biasPart.length).trim();
    const reading = readBias(biasPart);
    bias = reading.bias;
    if (reading.problem) problems.push(reading.problem);
    if (localMs === null) problems.push(`impossible date/time ${JSON.stringify(stamp)}`);
  } else if (legacy) {
    const month = monthFromName(legacy[1]!);
    localMs = month === null ? null : wallClockMs(Number(legacy[7]), month, Number(legacy[2]), Number(legacy[3]), Number(legacy[4]), Number(legacy[5]), fractionToMs(legacy[6]));
    localText = legacy[8] ? stamp.slice(0, stamp.length - legacy[8].length).trim() : stamp;
    if (localMs === null) problems.push(`impossible date/time ${JSON.stringify(stamp)}`);
    // The legacy form names the zone instead of a bias: the time stays local, UTC unknown.
  } else {
    problems.push(`unreadable time ${JSON.stringify(stamp)}`);
  }
  const thread = tail[3] ?? '';
  const { severity, source } = severityFromText(message);
  return {
    message, localText, localMs, bias, component: tail[1]!.trim(), thread,
    severity, severitySource: source, problems,
  };
}

/** Renders an entry in server format (tests, bench generator). `\n` becomes `~~`. */
export function renderSmsexec(e: { message: string; component: string; stamp: string; thread: number }): string {
  return `${e.message.replace(/\r?\n/g, '~~')}  $$<${e.component}><${e.stamp}><thread=${e.thread} (0x${e.thread.toString(16).toUpperCase()})>`;
}
