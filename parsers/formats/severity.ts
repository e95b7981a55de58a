import type { Severity, SeveritySource } from '../types.js';

/** A severity and where it came from. */
export interface TextSeverity {
  readonly severity: Severity;
  readonly source: SeveritySource;
}

// Shared results: this runs once per server-format line, and a fresh object each time shows in GC.
const PREFIX_ERROR: TextSeverity = Object.freeze({ severity: 'error', source: 'prefix' });
const PREFIX_WARNING: TextSeverity = Object.freeze({ severity: 'warning', source: 'prefix' });
const PREFIX_INFO: TextSeverity = Object.freeze({ severity: 'info', source: 'prefix' });
const TEXT_ERROR: TextSeverity = Object.freeze({ severity: 'error', source: 'heuristic' });
const TEXT_WARNING: TextSeverity = Object.freeze({ severity: 'warning', source: 'heuristic' });
const TEXT_INFO: TextSeverity = Object.freeze({ severity: 'info', source: 'heuristic' });

/**
 * Severity for lines that carry no `type` field. Known prefixes win; otherwise CMTrace's own
 * heuristic: a case-insensitive "error" or "fail" (but not "failover") means error, "warn"
 * means warning. The result is shared and frozen.
 */
export function severityFromText(message: string): TextSeverity {
  if (mayHavePrefix(message)) {
    const head = message.trimStart().slice(0, 40);
    if (/^(ERROR\s*:|\[Critical\]|\[Error\]|FATAL\s*:)/i.test(head)) return PREFIX_ERROR;
    if (/^(WARNING\s*:|WARN\s*:|\[Warning\])/i.test(head)) return PREFIX_WARNING;
    if (/^(INFO\s*:|\[Information\]|\[Info\]|\s*\*\*\*)/i.test(head)) return PREFIX_INFO;
  }
  // Most messages say none of the words: one scan for all three, a second only when one is there.
  if (!ANY_RE.test(message)) return TEXT_INFO;
  return ERROR_RE.test(message) ? TEXT_ERROR : TEXT_WARNING;
}

const ANY_RE = /error|fail(?!over)|warn/i;
const ERROR_RE = /error|fail(?!over)/i;

/**
 * Literal prefilter for the prefix patterns: false when the first two non-blank characters
 * cannot start one (`ER`, `FA`, `WA`, `IN`, `[C`, `[E`, `[W`, `[I`, `*`, any case). Non-ASCII
 * first characters go to the regexes (trimStart also skips Unicode spaces); without the `u`
 * flag, `/i` folds no non-ASCII character onto an ASCII letter.
 */
function mayHavePrefix(message: string): boolean {
  let i = 0;
  let c = message.charCodeAt(0);
  while (c === 0x20 || (c >= 0x09 && c <= 0x0d)) c = message.charCodeAt(++i);
  if (Number.isNaN(c)) return false;
  if (c >= 0x80 || c === 0x2a /* * */) return true;
  const next = message.charCodeAt(i + 1) | 0x20;
  if (c === 0x5b /* [ */) return next === 0x63 /* c */ || next === 0x65 /* e */ || next === 0x77 /* w */ || next === 0x69 /* i */;
  const l = c | 0x20;
  if (l === 0x65 /* e */) return next === 0x72 /* r */;
  if (l === 0x66 /* f */ || l === 0x77 /* w */) return next === 0x61 /* a */;
  return l === 0x69 /* i */ && next === 0x6e /* n */;
}

/** CMTrace `type` attribute → severity. 0 or empty is "none", shown as info. */
export function severityFromType(type: string | undefined): Severity | null {
  switch ((type ?? '').trim()) {
    case '3': return 'error';
    case '2': return 'warning';
    case '1': case '0': case '': return 'info';
    default: return null;
  }
}
