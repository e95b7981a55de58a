/**
 * The engine's bounded stores (past `exactHits` per rule and role) must give the findings the
 * exact stores give: same rules, counts and time ranges, on random streams and on every sample.
 */
import fc from 'fast-check';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzePaths } from '../../../src/analysis/analyze.js';
import type { Finding } from '../../../src/analysis/model.js';
import { RuleEngine } from '../../../src/analysis/rules/engine.js';
import { builtinRulesDir, loadRules } from '../../../src/analysis/rules/load.js';
import { MIN, T0, ev, rec, rule, src } from './helpers.js';

const { rules: catalog } = await loadRules([builtinRulesDir()]);
const extra = [
  rule({ id: 'abs', absence: { of: { event: 'gateway.*' }, for: '5m', whileLog: 'CMGatewayNotificationWorker' } }),
  rule({ id: 'abs-text', absence: { of: { text: 'poll' }, for: '3m' } }),
  rule({ id: 'thr', match: { any: [{ event: '*', where: { status: { gte: 400 } } }, { text: 'timed out' }] }, threshold: { count: 2, within: '4m', resetOn: { event: 'cycle.ok' } } }),
];
const RULES = [...catalog, ...extra];

const MESSAGES = [
  'poll', 'The operation has timed out', '[GetNotifications] Response from https://x/api/gateway/Notification is: 401 (Unauthorized)',
  'AADSTS7000222: The provided client secret keys are expired', 'nothing to see', '(407) Proxy Authentication Required', 'poll timed out',
];
const LOGS = ['CMGatewayNotificationWorker', 'AdminService', 'BgbServer'];
const KINDS = ['gateway.response', 'gateway.status', 'aad.error', 'network.error', 'exception', 'cycle.ok', 'cycle.failed'];

const stepArb = fc.record({
  message: fc.constantFrom(...MESSAGES),
  minute: fc.integer({ min: 0, max: 120 }),
  event: fc.option(fc.record({ kind: fc.constantFrom(...KINDS), status: fc.constantFrom(200, 204, 401, 407, 500), code: fc.constantFrom('AADSTS7000222', 'AADSTS700016') }), { nil: undefined }),
});
const streamArb = fc.array(fc.record({ log: fc.constantFrom(...LOGS), steps: fc.array(stepArb, { maxLength: 40 }) }), { maxLength: 4 });

/** What must not change when hits are compacted (evidence may show another copy of a duplicate). */
function essence(findings: Finding[]) {
  return findings.map((f) => ({ id: f.ruleId, count: f.count, first: f.firstUtc, last: f.lastUtc, evidence: f.evidence.length, title: f.title }));
}

function run(stream: fc.Arbitrary<unknown> extends never ? never : { log: string; steps: { message: string; minute: number; event?: { kind: string; status: number; code: string } }[] }[], engine: RuleEngine): Finding[] {
  let line = 0;
  for (const [si, { log, steps }] of stream.entries()) {
    for (const s of steps) {
      const utcMs = T0 + s.minute * MIN;
      const path = `${si}/${log}.log`;
      const r = rec(s.message, { log, path, line: ++line, utcMs });
      engine.observe(r, log, utcMs);
      if (s.event) engine.observeEvent(ev(s.event.kind, { status: s.event.status, code: s.event.code }, utcMs, { log, path, line, text: s.message }), log);
    }
  }
  return engine.evaluate({ events: [ev('cycle.ok', {}, T0 + 60 * MIN, { refs: [] })], sources: LOGS.map((l) => src(l, T0, T0 + 130 * MIN)), endMs: T0 + 130 * MIN });
}

describe('rule engine: bounded stores', () => {
  it('random streams: same findings with exact and with compacted stores', () => {
    fc.assert(
      fc.property(streamArb, fc.integer({ min: 1, max: 8 }), (stream, limit) => {
        const exact = run(stream, new RuleEngine(RULES));
        const compact = run(stream, new RuleEngine(RULES, { exactHits: limit, activityExact: limit }));
        expect(essence(compact)).toEqual(essence(exact));
      }),
      { numRuns: 300 },
    );
  });

  it('an unless on the same record or event still removes the hit once compacted', () => {
    const r = rule({ id: 'u', match: { any: [{ text: 'boom' }, { event: 'x' }], unless: [{ text: 'benign' }, { event: 'x', where: { ok: true } }] } });
    const engine = new RuleEngine([r], { exactHits: 1 });
    for (let i = 0; i < 5; i++) engine.observe(rec(i % 2 ? 'boom benign' : 'boom', { path: 'a', line: i + 1, utcMs: T0 + i * MIN }), 'CMGatewayNotificationWorker', T0 + i * MIN);
    for (let i = 0; i < 4; i++) engine.observeEvent(ev('x', { ok: i % 2 === 0 }, T0 + i * MIN, { path: 'b', line: i + 1 }));
    const [f] = engine.evaluate({ events: [], sources: [], endMs: T0 + 10 * MIN });
    expect(f?.count).toBe(3 + 2);
  });

  it('fields one rule merges into an event hit stay out of another rule matching that event', () => {
    const a = rule({ id: 'a', explanation: 'code {field.code}', match: { any: [{ text: 'code=(?<code>\\d+)' }, { event: 'x' }] } });
    const b = rule({ id: 'b', explanation: 'code {field.code}', match: { any: [{ event: 'x' }] } });
    const engine = new RuleEngine([a, b], { exactHits: 1 });
    // Latest first: the earliest hit (whose fields the explanation shows) comes once compacted.
    for (let i = 4; i >= 1; i--) {
      engine.observe(rec(`code=4${i}`, { path: 'p', line: i, utcMs: T0 + i * MIN }), 'CMGatewayNotificationWorker', T0 + i * MIN);
      engine.observeEvent(ev('x', {}, T0 + i * MIN, { path: 'p', line: i }));
    }
    const findings = engine.evaluate({ events: [], sources: [], endMs: T0 + 10 * MIN });
    expect(findings.find((f) => f.ruleId === 'a')?.explanation).toBe('code 41');
    expect(findings.find((f) => f.ruleId === 'b')?.explanation).toBe('code ?');
  });

  const samples = join(import.meta.dirname, '../../../sample-logs');
  const scenarios = readdirSync(samples).filter((d) => statSync(join(samples, d)).isDirectory());
  it.each(scenarios)('sample %s: same findings with every hit compacted', async (name) => {
    const dir = join(samples, name);
    const exact = await analyzePaths([dir]);
    const compact = await analyzePaths([dir], { engine: { exactHits: 1, activityExact: 1 }, keepEvent: () => false });
    expect(compact.findings).toEqual(exact.findings);
    expect(compact.cycles).toEqual(exact.cycles);
    expect(compact.chains).toEqual(exact.chains);
    expect(compact.summary).toEqual(exact.summary);
  });
});
