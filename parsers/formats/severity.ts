import type { Severity, SeveritySource } from '../types.js';

/**
 * Severity for lines that carry no `type` field. Known prefixes win; otherwise CMTrace's own
 * heuristic: a case-insensitive "error" or "fail" (but not "failover") means error, "warn"
 * means warning.
 */
export function severityFromText(message: string): { severity: Severity; source: SeveritySource } {
  const head = message.trimStart().slice(0, 40);
  if (/^(ERROR\s*:|\[Critical\]|\[Error\]|FATAL\s*:)/i.test(head)) return { severity: 'error', source: 'prefix' };
  if (/^(WARNING\s*:|WARN\s*:|\[Warning\])/i.test(head)) return { severity: 'warning', source: 'prefix' };
  if (/^(INFO\s*:|\[Information\]|\[Info\]|\s*\*\*\*)/i.test(head)) return { severity: 'info', source: 'prefix' };
  if (/error|fail(?!over)/i.test(message)) return { severity: 'error', source: 'heuristic' };
  if (/warn/i.test(message)) return { severity: 'warning', source: 'heuristic' };
  return { severity: 'info', source: 'heuristic' };
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
