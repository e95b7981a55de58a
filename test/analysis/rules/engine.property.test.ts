import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldValue } from '../../../parsers/types.js';
import { RuleEngine } from '../../../src/analysis/rules/engine.js';
import { builtinRulesDir, loadRules } from '../../../src/analysis/rules/load.js';
import { MIN, T0, ev, rec, rule, src } from './helpers.js';

const { rules: catalog } = await loadRules([builtinRulesDir()]);
const extra = [
  rule({ id: 'seq', sequence: { first: { event: 'action.forwarded' }, then: { text: 'taskguid=(?<taskGuid>\\S+)' }, within: '10m', key: 'taskGuid', requireLog: 'BgbServer' } }),
  rule({ id: 'abs', absence: { of: { event: 'gateway.*' }, for: '5m', whileLog: 'CMGatewayNotificationWorker' } }),
  rule({ id: 'abs-any', absence: { of: { text: 'poll' }, for: '1m' } }),
  rule({ id: 'thr', match: { any: [{ event: '*', where: { status: { gte: 400 } } }], unless: [{ text: 'x' }] }, threshold: { count: 2, within: '1m', resetOn: { event: 'cycle.ok' } } }),
];
const ALL = [...catalog, ...extra];

const KINDS = ['gateway.response', 'gateway.status', 'aad.error', 'exception', 'network.error', 'cycle.failed', 'cycle.ok', 'cycle.missed', 'chain.pending', 'chain.failed', 'source.bias-problem', 'action.forwarded', 'connectivity.check', 'weird.kind', ''];
const LOGS = ['CMGatewayNotificationWorker', 'CMGatewaySyncUploadWorker', 'BgbServer', 'AdminService', 'generic', ''];
const value: fc.Arbitrary<FieldValue> = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('AADSTS7000222', 'timeout', 401, 407, true));
const time = fc.oneof(fc.constant(null), fc.integer({ min: -1e13, max: 1e13 }), fc.constantFrom(T0, T0 + MIN, T0 + 40 * MIN, Number.NaN, Number.POSITIVE_INFINITY));

const eventArb = fc.record({
  kind: fc.constantFrom(...KINDS),
  fields: fc.dictionary(fc.constantFrom('status', 'code', 'type', 'taskGuid', 'nextLogCovered', 'httpStatus', 'endpoint', 'stoppedAt', '__proto__', 'constructor'), value),
  utcMs: time,
  log: fc.constantFrom(...LOGS),
  line: fc.integer({ min: 0, max: 20 }),
  text: fc.string(),
  noRefs: fc.boolean(),
});

describe('rule engine properties', () => {
  it('observe never throws on random messages, logs and times', () => {
    const engine = new RuleEngine(ALL);
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('AADSTS7000222', '(401) Unauthorized', 'taskguid=abc', 'poll')), fc.constantFrom(...LOGS), time, (message, log, utcMs) => {
        engine.observe(rec(message, { log, utcMs: utcMs !== null && Number.isFinite(utcMs) ? utcMs : null }), log, utcMs ?? Number.NEGATIVE_INFINITY);
      }),
      { numRuns: 10_000 },
    );
    expect(() => engine.evaluate({ events: [], sources: [], endMs: T0 })).not.toThrow();
  });

  it('evaluate never throws on random events, sources and ends, and gives well-formed findings', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 40 }), fc.array(fc.tuple(fc.constantFrom(...LOGS), time, time), { maxLength: 4 }), time, (raw, rawSources, endMs) => {
        const engine = new RuleEngine(ALL);
        engine.observe(rec('poll taskguid=abc', { utcMs: T0 }), 'BgbServer', T0);
        const events = raw
          .map((r) => ev(r.kind, r.fields, r.utcMs, { log: r.log, line: r.line, text: r.text, ...(r.noRefs ? { refs: [] } : {}) }))
          .sort((a, b) => (a.sortMs < b.sortMs ? -1 : a.sortMs > b.sortMs ? 1 : a.seq - b.seq));
        const sources = rawSources.map(([k, a, b]) => src(k, a, b));
        const findings = engine.evaluate({ events, sources, endMs });
        for (const f of findings) {
          if (f.count < 1 || f.evidence.length > 20 || f.evidence.length === 0) return false;
          if (!ALL.some((r) => r.id === f.ruleId)) return false;
        }
        return true;
      }),
      { numRuns: 1_000 },
    );
  });
});
