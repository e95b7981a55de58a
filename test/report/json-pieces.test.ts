import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzePaths } from '../../src/analysis/analyze.js';
import { buildJsonReport, renderJsonPieces } from '../../src/report/json.js';
import { createRedactor } from '../../src/report/redact.js';
import { compareBaseline, safeJsonStringify } from '../../src/report/index.js';
import type { ReportOptions } from '../../src/report/index.js';
import type { AnalysisResult } from '../../src/analysis/analyze.js';
import { HOSTILE, makeEmptyResult, makeResult } from './fixture.js';
import { firstUnsafe, OPTS } from './helpers.js';

const SAMPLES = path.join(import.meta.dirname, '../../sample-logs');

/** The report text the way it was written before it was streamed: one JSON.stringify. */
function whole(result: AnalysisResult, opts: () => ReportOptions): string {
  return safeJsonStringify(buildJsonReport(result, opts()), 2) + '\n';
}

function pieces(result: AnalysisResult, opts: () => ReportOptions, size?: number): string[] {
  return [...renderJsonPieces(result, opts(), size)];
}

describe('json report written in pieces', () => {
  // Each call gets a fresh redactor: placeholders are numbered in the order values are met.
  const variants: [string, () => ReportOptions][] = [
    ['plain', () => OPTS],
    ['redacted', () => ({ ...OPTS, redactor: createRedactor() })],
  ];

  it('joins to the same text as one JSON.stringify, at every piece size', async () => {
    const sample = await analyzePaths([path.join(SAMPLES, 'unauthorized-action'), path.join(SAMPLES, 'healthy-day')]);
    expect(sample.chains.length).toBeGreaterThan(1);
    expect(sample.cycles.length).toBeGreaterThan(1);
    const results: [string, AnalysisResult][] = [['fixture', makeResult()], ['empty', makeEmptyResult()], ['samples', sample]];
    for (const [name, result] of results) {
      for (const [how, opts] of variants) {
        const expected = whole(result, opts);
        for (const size of [1, 200, undefined]) {
          expect(pieces(result, opts, size).join(''), `${name}, ${how}, pieces of ${size ?? 'default'}`).toBe(expected);
        }
      }
    }
  });

  it('carries a baseline diff and escapes hostile characters the same way', () => {
    const result = makeResult();
    const baselineDiff = compareBaseline({ version: 1, findings: [{ ruleId: 'upload-stalled', severity: 'error', count: 2 }] }, result);
    const opts = () => ({ ...OPTS, baselineDiff });
    const text = pieces(result, opts, 10).join('');
    expect(text).toBe(whole(result, opts));
    expect(JSON.parse(text).baseline).toEqual(JSON.parse(JSON.stringify(baselineDiff)));
    // The fixture carries control and bidi characters; a piece boundary never lets one through raw.
    expect(JSON.stringify(result)).toContain(HOSTILE.slice(0, 3));
    expect(firstUnsafe(text)).toBeNull();
  });

  it('holds a long chain list in bounded pieces', () => {
    const one = makeResult();
    const chain = one.chains[0]!;
    const result = { ...one, chains: Array.from({ length: 5000 }, (_v, i) => ({ ...chain, taskGuid: `guid-${i}` })) };
    const list = pieces(result, () => OPTS, 4096);
    expect(list.length).toBeGreaterThan(100);
    // A piece ends after an item: at most one chain past the size asked for.
    // One chain as the report writes it (indented in its list): what one more chain adds.
    const withChains = (n: number) => whole({ ...one, chains: Array.from({ length: n }, () => chain) }, () => OPTS).length;
    const oneChain = (withChains(2) - withChains(1)) * 2;
    for (const p of list) expect(p.length).toBeLessThan(4096 + oneChain);
    expect(JSON.parse(list.join('')).chains).toHaveLength(5000);
  });
});
