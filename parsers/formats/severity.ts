import type { Severity, SeveritySource } from '../types.js';

/**
 * Severity for lines that carry no `type` field. Known prefixes win; otherwise CMTrace's own
 * heuristic: a case-insensitive "error" or "fail" (but not "failover") means error, "warn"
 * means warning.
 */
export function severityFromText(message: string): { severity: Severity; source: SeveritySource } {
  if (mayHavePrefix(message)) {
    const head = message.trimStart().slice(0, 40);
    if (/^(ERROR\s*:|\[Critical\]|\[Error\]|FATAL\s*:)/i.test(head)) return { severity: 'error', source: 'prefix' };
    if (/^(WARNING\s*:|WARN\s*:|\[Warning\])/i.test(head)) return { severity: 'warning', source: 'prefix' };
    if (/^(INFO\s*:|\[Information\]|\[Info\]|\s*\*\*\*)/i.test(head)) return { severity: 'info', source: 'prefix' };
  }
  if (ERROR_RE.test(message)) return { severity: 'error', source: 'heuristic' };
  if (WARN_RE.test(message)) return { severity: 'warning', source: 'heuristic' };
  return { severity: 'info', source: 'heuristic' };
}

const ERROR_RE = /error|fail(?!over)/i;
const WARN_RE = /warn/i;

/**
 * Literal prefilter for the prefix patterns: false when the first non-blank character cannot
 * start one (E, F, W, I, `[` or `*`). Non-ASCII first characters go to the regexes (trimStart
 * also skips Unicode spaces).
 */
function mayHavePrefix(message: string): boolean {
  let i = 0;
  let c = message.charCodeAt(0);
  while (c === 0x20 || (c >= 0x09 && c <= 0x0d)) c = message.charCodeAt(++i);
  if (Number.isNaN(c)) return false;
  if (c >= 0x80) return true;
  const l = c | 0x20;
  return l === 0x65 /* e */ || l === 0x66 /* f */ || l === 0x77 /* w */ || l === 0x69 /* i */ || c === 0x5b /* [ */ || c === 0x2a /* * */;
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
