import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { severityFromText } from '../../../parsers/formats/severity.js';

/** The reference: the regexes alone, without the literal prefilter. */
function reference(message: string) {
  const head = message.trimStart().slice(0, 40);
  if (/^(ERROR\s*:|\[Critical\]|\[Error\]|FATAL\s*:)/i.test(head)) return { severity: 'error', source: 'prefix' };
  if (/^(WARNING\s*:|WARN\s*:|\[Warning\])/i.test(head)) return { severity: 'warning', source: 'prefix' };
  if (/^(INFO\s*:|\[Information\]|\[Info\]|\s*\*\*\*)/i.test(head)) return { severity: 'info', source: 'prefix' };
  if (/error|fail(?!over)/i.test(message)) return { severity: 'error', source: 'heuristic' };
  if (/warn/i.test(message)) return { severity: 'warning', source: 'heuristic' };
  return { severity: 'info', source: 'heuristic' };
}

describe('severityFromText prefilter', () => {
  it('gives what the regexes alone give', () => {
    const start = fc.constantFrom('', ' ', '\t', '\u00a0', '\u3000', '\ufeff', '\r\n ', 'ERROR:', 'error :', '[Critical]', '[error]', 'FATAL:', 'WARNING:', 'warn :', '[Warning]', 'INFO:', '[Information]', '[info]', '***', ' *** ', 'E', 'Fail', 'failover', 'Info', '[x]', 'ſ', 'K',
      // Two-character prefilter: near misses and case.
      '[GetNotifications]', '[C', '[w', '[i', '[e', '[', 'Ex', 'Er', 'eR', 'Fa', 'fA', 'Fx', 'wA', 'Wx', 'In', 'iN', 'Ix', 'ı', 'İnfo:', '*x');
    const rest = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', ' failed', ' failover', ' warning', ' Error 42', ' warn then error', ' warnfail', ' failover warn', ' WARN', ' FAILOVER failed', ' warn failover'));
    fc.assert(fc.property(start, rest, (a, b) => {
      expect(severityFromText(a + b)).toEqual(reference(a + b));
    }), { numRuns: 5000 });
  });
});
