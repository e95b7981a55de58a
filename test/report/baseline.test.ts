import { describe, expect, it } from 'vitest';
import { BaselineError, compareBaseline, parseBaseline, renderReport, toBaseline, worstSeverityAtOrAbove } from '../../src/report/index.js';
import { makeResult } from './fixture.js';
import { OPTS } from './helpers.js';

describe('baseline', () => {
  it('toBaseline lists ruleId+severity with counts, sorted', () => {
    expect(toBaseline(makeResult())).toEqual({
      version: 1,
      findings: [
        { ruleId: 'gateway-unauthorized', severity: 'error', count: 12 },
        { ruleId: 'log-bias-suspicious', severity: 'warning', count: 3 },
        { ruleId: 'upload-resolved', severity: 'info', count: 1 },
      ],
    });
  });

  it('a result matches its own baseline, through a file round trip', () => {
    const result = makeResult();
    const text = JSON.stringify(toBaseline(result), null, 2);
    expect(compareBaseline(parseBaseline(text), result)).toEqual({ missing: [], unexpected: [], countChanged: [], ok: true });
  });

  it('reports missing and unexpected findings; count changes never fail', () => {
    const result = makeResult();
    const diff = compareBaseline({
      version: 1,
      findings: [
        { ruleId: 'gateway-unauthorized', severity: 'error', count: 40 },
        { ruleId: 'log-bias-suspicious', severity: 'error' }, // same rule, other severity
        { ruleId: 'upload-stalled', severity: 'error', count: 1 },
        { ruleId: 'upload-resolved', severity: 'info' },
      ],
    }, result);
    expect(diff.ok).toBe(false);
    expect(diff.missing).toEqual([{ ruleId: 'log-bias-suspicious', severity: 'error' }, { ruleId: 'upload-stalled', severity: 'error', count: 1 }]);
    expect(diff.unexpected).toEqual([{ ruleId: 'log-bias-suspicious', severity: 'warning', count: 3 }]);
    expect(diff.countChanged).toEqual([{ ruleId: 'gateway-unauthorized', severity: 'error', expected: 40, actual: 12 }]);

    const countsOnly = compareBaseline({ version: 1, findings: toBaseline(result).findings.map((f) => ({ ...f, count: 999 })) }, result);
    expect(countsOnly.ok).toBe(true);
    expect(countsOnly.countChanged).toHaveLength(3);
  });

  it('an empty baseline makes every finding unexpected; no findings makes every entry missing', () => {
    const result = makeResult();
    expect(compareBaseline({ version: 1, findings: [] }, result).unexpected).toHaveLength(3);
    const none = compareBaseline(toBaseline(result), { findings: [] });
    expect(none.missing).toHaveLength(3);
    expect(none.ok).toBe(false);
  });

  it('accepts a whole json report as a baseline', () => {
    const result = makeResult();
    const report = renderReport(result, 'json', OPTS);
    expect(compareBaseline(parseBaseline(report), result).ok).toBe(true);
  });

  it('parse errors say what is wrong', () => {
    const bad: [string, RegExp][] = [
      ['{not json', /not valid JSON/],
      ['[]', /must be a JSON object/],
      ['{"findings": []}', /no "version"/],
      ['{"version": 2, "findings": []}', /version 2 is not supported/],
      ['{"version": 1}', /"findings" must be an array/],
      ['{"version": 1, "findings": ["x"]}', /findings\[0\] must be an object/],
      ['{"version": 1, "findings": [{"severity": "error"}]}', /findings\[0\]: "ruleId" must be a non-empty string/],
      ['{"version": 1, "findings": [{"ruleId": "a", "severity": "fatal"}]}', /findings\[0\] \(a\): "severity" must be one of error, warning, info/],
      ['{"version": 1, "findings": [{"ruleId": "a", "severity": "error", "count": -1}]}', /"count" must be a non-negative integer/],
    ];
    for (const [text, re] of bad) {
      expect(() => parseBaseline(text), text).toThrow(BaselineError);
      expect(() => parseBaseline(text), text).toThrow(re);
    }
    expect(parseBaseline('\uFEFF{"version": 1, "findings": [{"ruleId": "a", "severity": "info", "count": 2}]}')).toEqual({ version: 1, findings: [{ ruleId: 'a', severity: 'info', count: 2 }] });
  });
});

describe('worstSeverityAtOrAbove', () => {
  it('follows --fail-on', () => {
    const f = makeResult().findings;
    expect(worstSeverityAtOrAbove(f, 'error')).toBe(true);
    expect(worstSeverityAtOrAbove(f.filter((x) => x.severity !== 'error'), 'error')).toBe(false);
    expect(worstSeverityAtOrAbove(f.filter((x) => x.severity !== 'error'), 'warning')).toBe(true);
    expect(worstSeverityAtOrAbove(f.filter((x) => x.severity === 'info'), 'warning')).toBe(false);
    expect(worstSeverityAtOrAbove(f.filter((x) => x.severity === 'info'), 'info')).toBe(true);
    expect(worstSeverityAtOrAbove(f, 'never')).toBe(false);
    expect(worstSeverityAtOrAbove([], 'info')).toBe(false);
  });
});
