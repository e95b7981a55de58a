import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FieldValue } from '../../../parsers/types.js';
import { RuleEngine, formatDuration, sameAs } from '../../../src/analysis/rules/engine.js';
import { MIN, SEC, T0, ev, rec, rule, src } from './helpers.js';

const NOTIF = 'CMGatewayNotificationWorker';

function run(engine: RuleEngine, events: Parameters<RuleEngine['evaluate']>[0]['events'] = [], sources = [src(NOTIF, T0, T0 + 60 * MIN)], endMs: number | null = T0 + 60 * MIN) {
  return engine.evaluate({ events, sources, endMs });
}

describe('text matcher', () => {
  it('fires on the records whose message matches, in the logs it names', () => {
    const engine = new RuleEngine([rule({ id: 't', match: { any: [{ text: 'is: 401 \\(Unauthorized\\)', logs: [NOTIF] }] } })]);
    engine.observe(rec('[GetNotifications] Response from https://x/api/gateway/Notification is: 401 (Unauthorized)'), NOTIF, T0);
    engine.observe(rec('[GetNotifications] Response from https://x/api/gateway/Notification is: 204 (NoContent)'), NOTIF, T0);
    engine.observe(rec('is: 401 (Unauthorized)', { log: 'AdminService' }), 'AdminService', T0);
    const [f] = run(engine);
    expect(f?.ruleId).toBe('t');
    expect(f?.count).toBe(1);
    expect(f?.evidence[0]?.log).toBe(NOTIF);
  });

  it('finds the same matches after a long log has its prefilter rebuilt as a trie', () => {
    const engine = new RuleEngine([
      rule({ id: 'a', match: { any: [{ text: 'AADSTS7000222', logs: [NOTIF] }] } }),
      rule({ id: 'p', match: { any: [{ text: '\\(407\\) Proxy', flags: 'i', logs: [NOTIF] }] } }),
    ]);
    // 10,000 distinct texts (a repeated one is answered from memory, not by the prefilter):
    // the rebuild comes after 4,096 of them, and hits fall on both sides of it.
    for (let i = 0; i < 10_000; i++) {
      const text = i % 1000 === 7 ? `Error AADSTS7000222 #${i}` : i % 1000 === 500 ? `The remote server returned an error: (407) proxy #${i}` : `Response ${i} is: 204 (NoContent)`;
      engine.observe(rec(text, { line: i + 1 }), NOTIF, T0 + i);
    }
    const counts = Object.fromEntries(run(engine).map((f) => [f.ruleId, f.count]));
    expect(counts).toEqual({ a: 10, p: 10 });
  });

  it('matches the log by canonical kind or by log name, without case', () => {
    const engine = new RuleEngine([rule({ id: 't', match: { any: [{ text: 'boom', logs: ['collectionaadgroupsyncworker'] }] } })]);
    engine.observe(rec('boom', { log: 'CollectionAADGroupSyncWorker' }), 'generic', T0);
    expect(run(engine)[0]?.count).toBe(1);
  });

  it('honours flags, and the prefilter never hides a match', () => {
    const engine = new RuleEngine([rule({ id: 't', match: { any: [{ text: 'Mismatch certificate subject name', flags: 'i' }] } })]);
    engine.observe(rec('System.ArgumentException: MISMATCH Certificate SUBJECT name'), NOTIF, T0);
    engine.observe(rec('mismatch certificate'), NOTIF, T0);
    expect(run(engine)[0]?.count).toBe(1);
  });

  it('fills the explanation from named groups, times, count and log', () => {
    const engine = new RuleEngine([
      rule({
        id: 't',
        title: 'Code {field.code}',
        explanation: '{count} x {field.code} in {log} from {first} to {last}; {field.missing}',
        match: { any: [{ text: 'AADSTS(?<code>\\d+)' }] },
      }),
    ]);
    engine.observe(rec('AADSTS7000222: expired', { utcMs: T0 }), NOTIF, T0);
    engine.observe(rec('AADSTS7000215: invalid', { utcMs: T0 + MIN }), NOTIF, T0 + MIN);
    const [f] = run(engine);
    expect(f?.title).toBe('Code 7000222');
    expect(f?.explanation).toBe(`2 x 7000222 in ${NOTIF} from 2026-02-10T08:00:00.000Z to 2026-02-10T08:01:00.000Z; ?`);
  });

  it('gives evidence with path, line, UTC, local time and the first line of the message', () => {
    const engine = new RuleEngine([rule({ id: 't', match: { any: [{ text: 'Unauthorized' }] } })]);
    engine.observe(rec('Exception details:\n[Warning][W][0][System.Net.WebException][0x80131509]\n(401) Unauthorized', { path: 'a/x.log', line: 42 }), NOTIF, T0);
    const e = run(engine)[0]?.evidence[0];
    expect(e).toEqual({ log: NOTIF, path: 'a/x.log', line: 42, utc: '2026-02-10T08:00:00.000Z', local: '02-10-2026 08:00:00.000', text: 'Exception details:' });
  });

  it('keeps a record without time (evidence utc null, sorted first)', () => {
    const engine = new RuleEngine([rule({ id: 't', match: { any: [{ text: 'boom' }] } })]);
    engine.observe(rec('boom', { utcMs: null }), NOTIF, Number.NEGATIVE_INFINITY);
    const [f] = run(engine);
    expect(f?.count).toBe(1);
    expect(f?.firstUtc).toBeNull();
    expect(f?.evidence[0]?.utc).toBeNull();
  });
});

describe('event matcher', () => {
  const cases: [string, Record<string, unknown>, boolean][] = [
    ['equality, number against string', { status: '401' }, true],
    ['equality, no match', { status: 403 }, false],
    ['in', { status: { in: [400, 401] } }, true],
    ['notIn', { status: { notIn: [400, 401] } }, false],
    ['gte/lte', { status: { gte: 400, lte: 499 } }, true],
    ['gt/lt out of range', { status: { gt: 401 } }, false],
    ['regex', { endpoint: { regex: '^notif', flags: 'i' } }, true],
    ['exists', { activityId: { exists: false } }, true],
    ['exists on a present field', { endpoint: { exists: true } }, true],
    ['ne', { endpoint: { ne: 'DevicePost' } }, true],
    ['null equality', { activityId: null }, true],
    ['case-insensitive strings', { endpoint: 'NOTIFICATION' }, true],
  ];
  for (const [name, where, expected] of cases) {
    it(`where: ${name}`, () => {
      const engine = new RuleEngine([rule({ id: 'e', match: { any: [{ event: 'gateway.response', where }] } })]);
      const found = run(engine, [ev('gateway.response', { status: 401, endpoint: 'Notification', activityId: null }, T0)]);
      expect(found.length).toBe(expected ? 1 : 0);
    });
  }

  it('matches kinds by glob', () => {
    const engine = new RuleEngine([rule({ id: 'e', match: { any: [{ event: 'gateway.*' }] } })]);
    const found = run(engine, [ev('gateway.response', {}, T0), ev('gateway.status', {}, T0 + 1), ev('upload.batch', {}, T0 + 2)]);
    expect(found[0]?.count).toBe(2);
  });

  it('limits to logs by the event log kind, the source kind or the log name', () => {
    const engine = new RuleEngine([rule({ id: 'e', match: { any: [{ event: 'chain.pending', logs: ['BgbServer'] }] } })]);
    const byKind = ev('chain.pending', {}, T0, { log: 'BGBServer', logKind: 'BgbServer' });
    const bySource = ev('chain.pending', {}, T0, { log: 'odd-name', logKind: '', sourceId: 'dir/BgbServer' });
    const other = ev('chain.pending', {}, T0, { log: 'CcmNotificationAgent' });
    expect(run(engine, [byKind, bySource, other], [src('BgbServer', T0, T0)])[0]?.count).toBe(2);
  });

  it('takes {field.X} from the first hit', () => {
    const engine = new RuleEngine([rule({ id: 'e', explanation: '{field.taskGuid} stopped at {field.stoppedAt}', match: { any: [{ event: 'chain.pending' }] } })]);
    const [f] = run(engine, [ev('chain.pending', { taskGuid: 'abc', stoppedAt: 'forwarded' }, T0, { refs: [] })]);
    expect(f?.explanation).toBe('abc stopped at forwarded');
    expect(f?.evidence[0]).toMatchObject({ path: '', line: 0, text: 'chain.pending text' });
  });
});

describe('one occurrence counts once', () => {
  it('a text hit and an event hit on the same record', () => {
    const engine = new RuleEngine([rule({ id: 'd', match: { any: [{ text: 'AADSTS7000222' }, { event: 'aad.error', where: { code: 'AADSTS7000222' } }] } })]);
    engine.observe(rec('AADSTS7000222: expired', { path: 'p.log', line: 7 }), NOTIF, T0);
    const e = ev('aad.error', { code: 'AADSTS7000222' }, T0, { path: 'p.log', line: 7 });
    expect(run(engine, [e])[0]?.count).toBe(1);
  });

  it('an event covering several records swallows text hits on any of them', () => {
    const engine = new RuleEngine([rule({ id: 'd', match: { any: [{ text: '\\(401\\) Unauthorized' }, { event: 'exception', where: { httpStatus: 401 } }] } })]);
    engine.observe(rec('(401) Unauthorized', { path: 'p.log', line: 9 }), NOTIF, T0);
    const e = ev('exception', { httpStatus: 401 }, T0, { refs: [{ path: 'p.log', line: 8, offset: 0 }, { path: 'p.log', line: 9, offset: 0 }] });
    expect(run(engine, [e])[0]?.count).toBe(1);
  });

  it('two synthetic events that point at the same line stay two', () => {
    const engine = new RuleEngine([rule({ id: 'd', match: { any: [{ event: 'cycle.missed' }] } })]);
    const a = ev('cycle.missed', {}, T0, { path: 'u.log', line: 3 });
    const b = ev('cycle.missed', {}, T0 + 15 * MIN, { path: 'u.log', line: 3 });
    expect(run(engine, [a, b])[0]?.count).toBe(2);
  });
});

describe('unless', () => {
  it('drops records or events that also match an unless matcher', () => {
    const engine = new RuleEngine([
      rule({
        id: 'u',
        match: { any: [{ text: 'timed out' }, { event: 'network.error' }], unless: [{ text: 'wait operation' }, { event: 'adminservice.error' }] },
      }),
    ]);
    engine.observe(rec('The operation has timed out', { path: 'a', line: 1 }), NOTIF, T0);
    engine.observe(rec('The wait operation timed out', { path: 'a', line: 2 }), NOTIF, T0);
    engine.observe(rec('SQL timed out', { path: 'a', line: 3 }), NOTIF, T0);
    const events = [ev('adminservice.error', {}, T0, { path: 'a', line: 3 }), ev('network.error', {}, T0, { path: 'b', line: 1, text: 'The wait operation timed out' })];
    const [f] = run(engine, events);
    expect(f?.count).toBe(1);
    expect(f?.evidence[0]?.line).toBe(1);
  });
});

describe('findings', () => {
  it('count all hits, keep the first 10 and last 10 as evidence', () => {
    const engine = new RuleEngine([rule({ id: 'c', match: { any: [{ text: 'hit (?<n>\\d+)' }] } })]);
    for (let i = 0; i < 25; i++) engine.observe(rec(`hit ${i}`, { utcMs: T0 + i * SEC }), NOTIF, T0 + i * SEC);
    const [f] = run(engine);
    expect(f?.count).toBe(25);
    expect(f?.evidence.map((e) => e.text)).toEqual([...Array.from({ length: 10 }, (_, i) => `hit ${i}`), ...Array.from({ length: 10 }, (_, i) => `hit ${i + 15}`)]);
    expect(f?.firstUtc).toBe(new Date(T0).toISOString());
    expect(f?.lastUtc).toBe(new Date(T0 + 24 * SEC).toISOString());
  });

  it('sort by severity, then first time, and number the causes', () => {
    const engine = new RuleEngine([
      rule({ id: 'w-early', severity: 'warning', match: { any: [{ text: 'a' }] } }),
      rule({ id: 'e-late', severity: 'error', match: { any: [{ text: 'b' }] } }),
      rule({ id: 'e-early', severity: 'error', match: { any: [{ text: 'c' }] }, causes: [{ cause: 'one', tellApart: 'x' }, { cause: 'two', tellApart: 'y' }] }),
      rule({ id: 'i', severity: 'info', match: { any: [{ text: 'd' }] } }),
    ]);
    engine.observe(rec('a', { utcMs: T0 }), NOTIF, T0);
    engine.observe(rec('b', { utcMs: T0 + MIN }), NOTIF, T0 + MIN);
    engine.observe(rec('c', { utcMs: T0 + 2 * SEC }), NOTIF, T0 + 2 * SEC);
    engine.observe(rec('d', { utcMs: T0 }), NOTIF, T0);
    const found = run(engine);
    expect(found.map((f) => f.ruleId)).toEqual(['e-early', 'e-late', 'w-early', 'i']);
    expect(found[0]?.causes).toEqual([{ rank: 1, cause: 'one', tellApart: 'x' }, { rank: 2, cause: 'two', tellApart: 'y' }]);
    expect(engine.ruleIds).toEqual(['w-early', 'e-late', 'e-early', 'i']);
  });

  it('evaluate is repeatable (pure over what was observed)', () => {
    const engine = new RuleEngine([rule({ id: 'p', match: { any: [{ text: 'x' }, { event: 'k' }] }, threshold: { count: 2, within: '1m' } })]);
    engine.observe(rec('x', { utcMs: T0 }), NOTIF, T0);
    const events = [ev('k', {}, T0 + SEC)];
    expect(run(engine, events)).toEqual(run(engine, events));
  });
});

describe('threshold', () => {
  const mk = () => new RuleEngine([rule({ id: 'th', match: { any: [{ text: 'timed out' }] }, threshold: { count: 3, within: '30m' } })]);
  const feed = (engine: RuleEngine, offsets: number[]) => {
    for (const o of offsets) engine.observe(rec('The operation has timed out', { utcMs: T0 + o }), NOTIF, T0 + o);
  };

  it('fires when count hits fall within the window (edge inclusive)', () => {
    const engine = mk();
    feed(engine, [0, 15 * MIN, 30 * MIN]);
    expect(run(engine)[0]?.count).toBe(3);
  });

  it('does not fire when the hits spread over more than the window', () => {
    const engine = mk();
    feed(engine, [0, 15 * MIN, 30 * MIN + 1]);
    expect(run(engine)).toEqual([]);
  });

  it('counts only the hits that belong to a burst', () => {
    const engine = mk();
    feed(engine, [0, 2 * MIN, 4 * MIN, 6 * MIN, 3 * 60 * MIN]);
    const [f] = run(engine, [], [src(NOTIF, T0, T0 + 4 * 60 * MIN)], T0 + 4 * 60 * MIN);
    expect(f?.count).toBe(4);
    expect(f?.lastUtc).toBe(new Date(T0 + 6 * MIN).toISOString());
  });

  it('never counts a window across a reset hit', () => {
    const engine = new RuleEngine([rule({ id: 'th', match: { any: [{ event: 'cycle.failed' }] }, threshold: { count: 2, within: '35m', resetOn: { event: 'cycle.ok' } } })]);
    const split = [ev('cycle.failed', {}, T0), ev('cycle.ok', {}, T0 + 15 * MIN), ev('cycle.failed', {}, T0 + 30 * MIN)];
    expect(run(engine, split)).toEqual([]);
    const together = [ev('cycle.failed', {}, T0), ev('cycle.failed', {}, T0 + 15 * MIN), ev('cycle.ok', {}, T0 + 30 * MIN)];
    expect(run(engine, together)[0]?.count).toBe(2);
  });

  it('ignores hits without a time', () => {
    const engine = mk();
    for (let i = 0; i < 5; i++) engine.observe(rec('The operation has timed out', { utcMs: null }), NOTIF, Number.NEGATIVE_INFINITY);
    expect(run(engine)).toEqual([]);
  });
});

describe('sequence', () => {
  const seqRule = (over: Record<string, unknown> = {}) =>
    rule({
      id: 'seq',
      explanation: '{field.taskGuid} not pushed within {within}',
      sequence: {
        first: { event: 'action.forwarded' },
        then: { event: 'bgb.push-start' },
        within: '10m',
        key: 'taskGuid',
        requireLog: 'BgbServer',
        ...over,
      },
    });
  const fwd = (guid: string, at = T0) => ev('action.forwarded', { taskGuid: guid }, at);
  const push = (guid: string, at: number) => ev('bgb.push-start', { taskGuid: guid }, at, { log: 'BgbServer' });
  const covered = [src(NOTIF, T0 - MIN, T0 + 60 * MIN), src('BgbServer', T0 - MIN, T0 + 20 * MIN)];

  it('stays silent when the follow-up comes in time (key compared without case)', () => {
    const engine = new RuleEngine([seqRule()]);
    expect(run(engine, [fwd('abc-def'), push('ABC-DEF', T0 + 5 * MIN)], covered, T0 + 60 * MIN)).toEqual([]);
  });

  it('fires when it does not, the required log covers the window and the window is over', () => {
    const engine = new RuleEngine([seqRule()]);
    const [f] = run(engine, [fwd('abc'), push('other', T0 + 5 * MIN), push('abc', T0 + 11 * MIN)], covered, T0 + 60 * MIN);
    expect(f?.count).toBe(1);
    expect(f?.explanation).toBe('abc not pushed within 10m');
    expect(f?.firstUtc).toBe(new Date(T0).toISOString());
  });

  it('accepts a follow-up slightly before the first event when keyed (clock drift)', () => {
    const engine = new RuleEngine([seqRule()]);
    expect(run(engine, [push('abc', T0 - 30 * SEC), fwd('abc')], covered, T0 + 60 * MIN)).toEqual([]);
  });

  it('waits until the window is over', () => {
    const engine = new RuleEngine([seqRule()]);
    expect(run(engine, [fwd('abc')], covered, T0 + 9 * MIN)).toEqual([]);
    expect(run(engine, [fwd('abc')], covered, T0 + 10 * MIN)).toHaveLength(1);
    expect(run(engine, [fwd('abc')], covered, null)).toEqual([]);
  });

  it('is silent when the required log does not cover the window, or is missing', () => {
    const engine = new RuleEngine([seqRule()]);
    const short = [src('BgbServer', T0 - MIN, T0 + 5 * MIN)];
    const late = [src('BgbServer', T0 + MIN, T0 + 60 * MIN)];
    expect(run(engine, [fwd('abc')], short, T0 + 60 * MIN)).toEqual([]);
    expect(run(engine, [fwd('abc')], late, T0 + 60 * MIN)).toEqual([]);
    expect(run(engine, [fwd('abc')], [src(NOTIF, T0, T0 + 60 * MIN)], T0 + 60 * MIN)).toEqual([]);
  });

  it('without a key, only a follow-up after the first event counts; without requireLog, no coverage needed', () => {
    const engine = new RuleEngine([
      rule({ id: 'seq', sequence: { first: { text: 'Starting sync upload' }, then: { text: 'Upload completed' }, within: '5m' } }),
    ]);
    engine.observe(rec('Upload completed successfully.', { utcMs: T0 - MIN }), 'CMGatewaySyncUploadWorker', T0 - MIN);
    engine.observe(rec('Starting sync upload (delta).', { utcMs: T0 }), 'CMGatewaySyncUploadWorker', T0);
    engine.observe(rec('Starting sync upload (delta).', { utcMs: T0 + 20 * MIN }), 'CMGatewaySyncUploadWorker', T0 + 20 * MIN);
    engine.observe(rec('Upload completed successfully.', { utcMs: T0 + 22 * MIN }), 'CMGatewaySyncUploadWorker', T0 + 22 * MIN);
    const [f] = run(engine, [], [], T0 + 60 * MIN);
    expect(f?.count).toBe(1);
    expect(f?.firstUtc).toBe(new Date(T0).toISOString());
  });

  it('correlates text matchers by a named group', () => {
    const engine = new RuleEngine([
      rule({
        id: 'seq',
        sequence: { first: { text: 'TaskGuid: (?<taskGuid>[\\w-]+)' }, then: { text: 'taskguid=(?<taskGuid>[\\w-]+)' }, within: '10m', key: 'taskGuid' },
      }),
    ]);
    engine.observe(rec('Forwarded BGB remote task. TemplateID: 1 TaskGuid: aa-bb', { utcMs: T0 }), NOTIF, T0);
    engine.observe(rec('Forwarded BGB remote task. TemplateID: 1 TaskGuid: cc-dd', { utcMs: T0 }), NOTIF, T0);
    engine.observe(rec('Receive task from server with taskguid=AA-BB, tasktype=1', { utcMs: T0 + MIN, log: 'CcmNotificationAgent' }), 'CcmNotificationAgent', T0 + MIN);
    const [f] = run(engine, [], [], T0 + 60 * MIN);
    expect(f?.count).toBe(1);
    expect(f?.evidence[0]?.text).toContain('cc-dd');
  });
});

describe('absence', () => {
  const absRule = (whileLog?: string) =>
    rule({
      id: 'abs',
      explanation: 'no poll answer for {gap}',
      absence: { of: { text: 'Notification is: (?:200|204)' }, for: '35m', ...(whileLog ? { whileLog } : {}) },
    });
  const poll = (engine: RuleEngine, at: number) =>
    engine.observe(rec('[GetNotifications] Response from https://x/api/gateway/Notification is: 204 (NoContent)', { utcMs: T0 + at }), NOTIF, T0 + at);
  const beat = (engine: RuleEngine, at: number, log = NOTIF) => engine.observe(rec('Notification worker heartbeat.', { utcMs: T0 + at, log }), log, T0 + at);

  it('fires on a gap longer than `for` while the log kept writing; evidence is the last hit before the gap', () => {
    const engine = new RuleEngine([absRule(NOTIF)]);
    poll(engine, 0);
    poll(engine, 10 * MIN);
    beat(engine, 50 * MIN);
    poll(engine, 60 * MIN);
    const [f] = run(engine, [], [src(NOTIF, T0, T0 + 60 * MIN)], T0 + 60 * MIN);
    expect(f?.count).toBe(1);
    expect(f?.evidence[0]?.utc).toBe(new Date(T0 + 10 * MIN).toISOString());
    expect(f?.explanation).toBe('no poll answer for 50m');
  });

  it('is silent when the log did not write after the gap had lasted `for`', () => {
    const engine = new RuleEngine([absRule(NOTIF)]);
    poll(engine, 0);
    poll(engine, 10 * MIN);
    beat(engine, 40 * MIN);
    beat(engine, 50 * MIN, 'BgbServer');
    poll(engine, 60 * MIN);
    expect(run(engine, [], [src(NOTIF, T0, T0 + 60 * MIN)], T0 + 60 * MIN)).toEqual([]);
  });

  it('is silent on gaps no longer than `for`', () => {
    const engine = new RuleEngine([absRule(NOTIF)]);
    poll(engine, 0);
    beat(engine, 30 * MIN);
    poll(engine, 35 * MIN);
    expect(run(engine, [], [src(NOTIF, T0, T0 + 35 * MIN)], T0 + 35 * MIN)).toEqual([]);
  });

  it('counts the gap from the last hit to the analysis end', () => {
    const engine = new RuleEngine([absRule(NOTIF)]);
    poll(engine, 0);
    beat(engine, 59 * MIN);
    expect(run(engine, [], [src(NOTIF, T0, T0 + 59 * MIN)], T0 + 60 * MIN)).toHaveLength(1);
    expect(run(engine, [], [src(NOTIF, T0, T0 + 59 * MIN)], T0 + 30 * MIN)).toEqual([]);
    expect(run(engine, [], [src(NOTIF, T0, T0 + 59 * MIN)], null)).toEqual([]);
  });

  it('with no whileLog, any log writing counts', () => {
    const engine = new RuleEngine([absRule()]);
    poll(engine, 0);
    beat(engine, 50 * MIN, 'BgbServer');
    expect(run(engine, [], [], T0 + 50 * MIN)).toHaveLength(1);
  });

  it('falls back to the source summaries when no record of the log was observed', () => {
    const engine = new RuleEngine([rule({ id: 'abs', absence: { of: { event: 'upload.batch' }, for: '35m', whileLog: NOTIF } })]);
    const batches = [ev('upload.batch', {}, T0, { log: 'CMGatewaySyncUploadWorker' })];
    expect(run(engine, batches, [src(NOTIF, T0, T0 + 2 * 60 * MIN)], T0 + 2 * 60 * MIN)).toHaveLength(1);
    expect(run(engine, batches, [src(NOTIF, T0, T0 + 30 * MIN)], T0 + 2 * 60 * MIN)).toEqual([]);
  });
});

describe('formatDuration', () => {
  it('reads like a person would write it', () => {
    expect([30 * SEC, 90 * SEC, 47 * MIN, 125 * MIN, 27 * 60 * MIN].map(formatDuration)).toEqual(['30s', '1m 30s', '47m', '2h 5m', '1d 3h']);
  });
});

describe('sameAs (where conditions)', () => {
  // The meaning the catalog documents: numbers as numbers, other values as text ignoring case,
  // null only for null or a missing field.
  const reference = (a: FieldValue | undefined, b: FieldValue): boolean => {
    if (a === undefined || a === null || b === null) return (a ?? null) === b;
    if (typeof a === 'number' && typeof b === 'number') return a === b;
    return String(a).toLowerCase() === String(b).toLowerCase();
  };
  it('agrees with the documented comparison on any values', () => {
    const value = fc.oneof(fc.constant(null), fc.boolean(), fc.integer({ min: -3, max: 500 }), fc.constantFrom('Notification', 'NOTIFICATION', 'notification', '401', 'İ', 'i̇', 'ß', 'SS', ''), fc.string({ maxLength: 4 }));
    fc.assert(fc.property(fc.option(value, { nil: undefined }), value, (a, b) => {
      expect(sameAs(b)(a)).toBe(reference(a, b));
    }), { numRuns: 2000 });
  });
});
