/** Line formats: pure functions from text to records. */
export { Framer, frameText, type FramerOptions } from './framer.js';
export { parseCmtraceHeader, renderCmtrace, CMTRACE_OPEN, CMTRACE_CLOSE } from './cmtrace.js';
export { parseSmsexecLine, renderSmsexec } from './smsexec.js';
export { parsePlainLine } from './plain.js';
export { severityFromText, severityFromType } from './severity.js';
export * from './time.js';

import type { LogRecord } from '../types.js';
import { frameText } from './framer.js';

/** Frames a whole text in any of the three shapes (tests, rule samples). */
export function parseText(text: string, opts: { log: string; path: string; biasOverride?: number }): LogRecord[] {
  return frameText(text, opts);
}
