import type { ReportOptions } from '../../src/report/index.js';

export const OPTS: ReportOptions = { color: false, failOn: 'error', toolVersion: '1.2.3' };

/** Raw characters no report may carry (TAB and LF are allowed; everything else is shown escaped). */
export const UNSAFE_RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

/** The first unsafe raw character of a text, with some context, or null. */
export function firstUnsafe(text: string): string | null {
  const m = UNSAFE_RAW.exec(text);
  if (!m) return null;
  return `U+${m[0].codePointAt(0)!.toString(16).padStart(4, '0')} at ${m.index}: ${JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 40))}`;
}
