/**
 * Log text → text safe for the terminal. The real sanitizer lives with the reports
 * (`src/report/sanitize.ts`: C0/C1 controls, CSI/OSC incl. OSC 8 and titles, bidi overrides and
 * isolates); this module is the one door the UI uses, plus the two shapes the UI needs.
 */
import { sanitizeForTerminal } from '../report/sanitize.js';

export { sanitizeForTerminal };

/** First line of a message, inert and one line (tabs become spaces). */
export function displayLine(s: string): string {
  const nl = s.search(/\r?\n/);
  const first = nl === -1 ? s : s.slice(0, nl);
  return sanitizeForTerminal(first, { ansi: 'strip' });
}

/** A whole (multi-line) text, inert; keeps `\n`, tabs become four spaces. */
export function displayText(s: string): string {
  return sanitizeForTerminal(s, { multiline: true, ansi: 'strip' }).replace(/\t/g, '    ');
}
