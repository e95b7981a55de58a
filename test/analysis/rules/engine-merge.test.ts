/**
 * Merging engines (parallel scans): an engine that read the first records, absorbing the
 * exported state of one that read the rest, must give the findings of one engine reading all —
 * with exact stores, with every store compacted, and with one part compacted and the other not.
 * The state goes through structuredClone, as through a worker's postMessage.
 */
import fc from 'fast-check';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../parsers/types.js';
import { readSourcesInto } from '../../../src/analysis/analyze.js';
import { AnalysisCore } from '../../../src/analysis/core.js';
import type { Finding, SortedEvent } from '../../../src/analysis/model.js';
import { MAX_STORED_HITS, RuleEngine, type EngineOptions, type EngineState, type RuleContext } from '../../../src/analysis/rules/engine.js';
import { recordKey } from '../../../src/analysis/rules/hits.js';
import { builtinRulesDir, loadRules } from '../../../src/analysis/rules/load.js';
import { discover } from '../../../src/ingest/discover.js';
import { MIN, T0, ev, rec, rule, src } from './helpers.js';

const { rules: catalog } = await loadRules([builtinRulesDir()]);
/** Beside the catalog: a sequence rule, absence rules, a threshold and a match rule with `unless`. */
const extra = [
  rule({ id: 'seq', sequence: { first: { event: 'action.*' }, then: { text: 'taskguid=(?<taskGuid>\\S+)' }, within: '10m', key: 'taskGuid' } }),
  rule({ id: 'seq-any', sequence: { first: { event: 'gateway.*' }, then: { text: 'timed out' }, within: '2m' } }),
  rule({ id: 'abs', absence: { of: { event: 'gateway.*' }, for: '5m', whileLog: 'CMGatewayNotificationWorker' } }),
  rule({ id: 'abs-text', absence: { of: { text: 'poll|Response' }, for: '3m' } }),
  rule({ id: 'abs-all', absence: { of: { event: '*' }, for: '2m' } }),
  rule({ id: 'thr', match: { any: [{ event: '*', where: { status: { gte: 400 } } }, { text: 'timed out|error' }] }, threshold: { count: 2, within: '4m', resetOn: { event: 'cycle.ok' } } }),
  rule({ id: 'many', match: { any: [{ event: '*' }, { text: '\\w' }], unless: [{ event: 'gateway.response', where: { status: 204 } }, { text: 'benign' }] } }),
];
const RULES = [...catalog, ...extra];
const BASE = 1e12;

type Call = { record: LogRecord; kind: string; sortMs: number } | { event: SortedEvent; sourceKind: string | undefined };

/** An engine that records what the core feeds it, and the context it evaluates with. */
class Recording extends RuleEngine {
  readonly calls: Call[] = [];
  ctx: RuleContext | null = null;
  override observe(record: LogRecord, kind: string, sortMs: number): void {
    this.calls.push({ record, kind, sortMs });
    super.observe(record, kind, sortMs);
  }
  override observeEvent(event: SortedEvent, sourceKind?: string): void {
    this.calls.push({ event, sourceKind });
    super.observeEvent(event, sourceKind);
  }
  override evaluate(ctx: RuleContext): Finding[] {
    this.ctx = ctx;
    return super.evaluate(ctx);
  }
}

function feed(engine: RuleEngine, calls: readonly Call[]): void {
  for (const c of calls) {
    if ('record' in c) engine.observe(c.record, c.kind, c.sortMs);
    else engine.observeEvent(c.event, c.sourceKind);
  }
}

/**
 * Split points: only before a record, and only where no later event refers to an earlier
 * record (an extractor emits a multi-line exception's event after the next record: a parallel
 * scan never cuts inside one, absorb assumes no occurrence is in both parts).
 */
function cutsAt(calls: readonly Call[], wanted: number[]): number[] {
  const at = new Map<string, number>();
  const firstRef: number[] = calls.map((c, i) => {
    if ('record' in c) {
      at.set(recordKey(c.record.path, c.record.line), i);
      return i;
    }
    return Math.min(i, ...(c.event.refs ?? []).map((r) => at.get(recordKey(r.path, r.line)) ?? i));
  });
  // The earliest record any call from i on refers to.
  const reach = [...firstRef];
  for (let i = reach.length - 2; i >= 0; i--) reach[i] = Math.min(reach[i]!, reach[i + 1]!);
  const out = new Set<number>();
  for (const w of wanted) {
    let i = Math.max(0, Math.min(calls.length, Math.floor(w)));
    while (i < calls.length && !('record' in calls[i]! && reach[i] === i)) i++;
    out.add(i);
  }
  return [...out];
}

/**
 * The calls in parts, each later part's events with seqs `k × BASE` on (as its core's seq base
 * would make them): the unsplit engine is fed these very calls.
 */
function parts(calls: readonly Call[], cuts: number[]): Call[][] {
  const bounds = [0, ...cuts, calls.length];
  return bounds.slice(1).map((end, k) =>
    calls.slice(bounds[k], end).map((c) => ('event' in c && k > 0 ? { ...c, event: { ...c.event, seq: c.event.seq + k * BASE } } : c)),
  );
}

/**
 * Findings of one engine fed all parts, and of one engine per part merged into the first. The
 * one engine's record orders jump to `k × BASE` at part k too, as the parts' do (`orderBase`):
 * text and event hits at one time sort by record order against event seq, two counters, and
 * the findings are compared for the same numbering.
 */
function both(calls: readonly Call[], cuts: number[], opts: EngineOptions, ctx: RuleContext): { merged: Finding[]; one: Finding[] } {
  const split = parts(calls, cuts);
  const one = new RuleEngine(RULES, opts);
  for (const [k, p] of split.entries()) {
    if (k > 0) (one as unknown as { order: number }).order = k * BASE;
    feed(one, p);
  }
  const merge = (final: boolean): Finding[] => {
    const engines = split.map((p, k) => {
      const e = new RuleEngine(RULES, { ...opts, orderBase: k * BASE });
      feed(e, p);
      return e;
    });
    const [first, ...rest] = engines;
    for (const e of rest) first!.absorb(structuredClone(e.exportState({ final })));
    return first!.evaluate(ctx);
  };
  // A final export (the parallel scan's: nothing is observed after the merge) leaves out the
  // occurrences kept for recognising later duplicates; the findings must not change.
  const merged = merge(false);
  expect(merge(true)).toEqual(merged);
  return { merged, one: one.evaluate(ctx) };
}

const LIMITS: [string, EngineOptions][] = [
  ['default limits', {}],
  ['every store compacted', { exactHits: 1, activityExact: 1 }],
  ['some parts compacted', { exactHits: 40, activityExact: 150 }],
];

describe('rule engine: absorbing another part', () => {
  const samples = join(import.meta.dirname, '../../../sample-logs');
  const scenarios = readdirSync(samples).filter((d) => statSync(join(samples, d)).isDirectory());

  it.each(scenarios)('sample %s: the same findings split anywhere, into two parts or three', async (name) => {
    const { sources } = await discover([join(samples, name)]);
    const recording = new Recording(RULES);
    const core = new AnalysisCore({ rules: recording });
    await readSourcesInto(core, sources, [], { onBatch: (s, batch) => core.feed(s.id, batch) });
    const analysis = core.snapshot(null);
    const ctx = recording.ctx!;
    const { calls } = recording;
    expect(calls.length).toBeGreaterThan(10);
    expect(analysis.findings.length).toBeGreaterThan(0);
    const n = calls.length;
    const cutList = [...cutsAt(calls, [0, 1, n * 0.1, n * 0.37, n / 2, n * 0.81, n - 1, n]).map((c) => [c]), cutsAt(calls, [n / 3, (2 * n) / 3])];
    // Cuts inside the input, not only at its ends.
    expect(new Set(cutList.flat().filter((c) => c > 0 && c < n)).size).toBeGreaterThanOrEqual(4);
    for (const [label, opts] of LIMITS) {
      for (const cuts of cutList) {
        const { merged, one } = both(calls, cuts, opts, ctx);
        expect(merged, `${label}, cut at ${cuts.join(', ')} of ${n}`).toEqual(one);
      }
    }
  });

  // Random streams, as in engine-compact.test.ts: records of a few logs, some with an event.
  const MESSAGES = [
    'poll', 'The operation has timed out', '[GetNotifications] Response from https://x/api/gateway/Notification is: 401 (Unauthorized)',
    'AADSTS7000222: The provided client secret keys are expired', 'nothing to see', '(407) Proxy Authentication Required', 'poll timed out',
    'benign error', 'taskguid=abc', 'taskguid=def',
  ];
  const LOGS = ['CMGatewayNotificationWorker', 'AdminService', 'BgbServer'];
  const KINDS = ['gateway.response', 'gateway.status', 'aad.error', 'network.error', 'exception', 'cycle.ok', 'cycle.failed', 'action.forwarded'];
  const stepArb = fc.record({
    message: fc.constantFrom(...MESSAGES),
    minute: fc.integer({ min: 0, max: 120 }),
    event: fc.option(
      fc.record({ kind: fc.constantFrom(...KINDS), status: fc.constantFrom(200, 204, 401, 407, 500), taskGuid: fc.constantFrom('abc', 'def'), noRefs: fc.boolean() }),
      { nil: undefined },
    ),
  });
  const streamArb = fc.array(fc.record({ log: fc.constantFrom(...LOGS), steps: fc.array(stepArb, { maxLength: 40 }) }), { maxLength: 4 });

  function callsOf(stream: { log: string; steps: { message: string; minute: number; event?: { kind: string; status: number; taskGuid: string; noRefs: boolean } }[] }[]): Call[] {
    const calls: Call[] = [];
    let line = 0;
    for (const [si, { log, steps }] of stream.entries()) {
      for (const s of steps) {
        const utcMs = T0 + s.minute * MIN;
        const path = `${si}/${log}.log`;
        calls.push({ record: rec(s.message, { log, path, line: ++line, utcMs }), kind: log, sortMs: utcMs });
        if (s.event) {
          const e = ev(s.event.kind, { status: s.event.status, taskGuid: s.event.taskGuid }, utcMs, { log, path, line, text: s.message, ...(s.event.noRefs ? { refs: [] } : {}) });
          calls.push({ event: e, sourceKind: log });
        }
      }
    }
    return calls;
  }
  const ctx: RuleContext = { events: [ev('cycle.ok', {}, T0 + 60 * MIN, { refs: [] })], sources: LOGS.map((l) => src(l, T0, T0 + 130 * MIN)), endMs: T0 + 130 * MIN };

  it('random streams split at random points: the same findings, exact and compacted', () => {
    fc.assert(
      fc.property(streamArb, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 8 }), (stream, at, limit) => {
        const calls = callsOf(stream);
        const cuts = cutsAt(calls, at.map((x) => x * calls.length)).sort((a, b) => a - b);
        for (const opts of [{}, { exactHits: limit, activityExact: limit }]) {
          const { merged, one } = both(calls, cuts, opts, ctx);
          expect(merged).toEqual(one);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the exported state is plain data that survives structuredClone', () => {
    const calls = callsOf([
      { log: 'CMGatewayNotificationWorker', steps: Array.from({ length: 30 }, (_, i) => ({ message: MESSAGES[i % MESSAGES.length]!, minute: (i * 7) % 50, event: { kind: KINDS[i % KINDS.length]!, status: 401, taskGuid: 'abc', noRefs: false } })) },
    ]);
    for (const opts of [{}, { exactHits: 1, activityExact: 1 }]) {
      const engine = new RuleEngine(RULES, opts);
      feed(engine, calls);
      const state = engine.exportState();
      const kinds = new Set(state.rules.flatMap((r) => r.stores.map((s) => s.compact?.kind ?? 'exact')));
      expect([...kinds].sort()).toEqual(opts.exactHits ? ['exact', 'gaps', 'summary', 'timed'] : ['exact']);
      // Nothing but plain objects, arrays, maps, sets, typed arrays and primitives.
      const plain = new Set<unknown>([Object.prototype, Array.prototype, Map.prototype, Set.prototype, Float64Array.prototype, null]);
      const walk = (x: unknown): void => {
        if (typeof x === 'function') throw new Error('a function in the state');
        if (x === null || typeof x !== 'object') return;
        expect(plain.has(Object.getPrototypeOf(x))).toBe(true);
        if (x instanceof Map) for (const [k, v] of x) (walk(k), walk(v));
        else if (x instanceof Set) for (const v of x) walk(v);
        else if (!ArrayBuffer.isView(x)) for (const v of Object.values(x)) walk(v);
      };
      walk(state);
      const copy: EngineState = structuredClone(state);
      expect(copy).toEqual(state);
      // Absorbed by an engine that read nothing, the copy gives the findings of the engine itself.
      const empty = new RuleEngine(RULES, opts);
      empty.absorb(copy);
      expect(empty.evaluate(ctx)).toEqual(engine.evaluate(ctx));
    }
  });

  it('concatenates exact hits, and compacts them as soon as both parts together pass the limit', () => {
    const r = rule({ id: 'r', match: { any: [{ text: 'boom' }] } });
    const partWith = (n: number, k: number, exactHits: number): RuleEngine => {
      const e = new RuleEngine([r], { exactHits, orderBase: k * BASE });
      for (let i = 0; i < n; i++) e.observe(rec('boom', { path: `p${k}`, line: i + 1, utcMs: T0 + (k * 10 + i) * MIN }), 'AdminService', T0 + (k * 10 + i) * MIN);
      return e;
    };
    const storeOf = (e: RuleEngine) => e.exportState().rules[0]!.stores[0]!;
    const a = partWith(2, 0, 4);
    a.absorb(structuredClone(partWith(2, 1, 4).exportState()));
    expect(storeOf(a).compact).toBeNull();
    expect(storeOf(a).texts.map((h) => h.order)).toEqual([0, 1, BASE, BASE + 1]);
    const b = partWith(2, 0, 3);
    b.absorb(structuredClone(partWith(2, 1, 3).exportState()));
    expect(storeOf(b).compact?.kind).toBe('summary');
    expect(storeOf(b).texts).toEqual([]);
    const [f] = b.evaluate({ events: [], sources: [], endMs: null });
    expect(f?.count).toBe(4);
    expect(storeOf(b).pending.length + (storeOf(b).compact as { data: { count: number } }).data.count).toBe(4);
  });

  it('a sequence rule keeps MAX_STORED_HITS and counts the rest as overflow', () => {
    const r = rule({ id: 's', sequence: { first: { text: 'start' }, then: { text: 'end' }, within: '1m' } });
    const a = new RuleEngine([r]);
    const b = new RuleEngine([r], { orderBase: BASE });
    const fill = (e: RuleEngine, n: number, path: string): void => {
      for (let i = 0; i < n; i++) e.observe(rec('start', { path, line: i + 1, utcMs: T0 }), 'AdminService', T0);
    };
    fill(a, MAX_STORED_HITS - 5, 'a');
    fill(b, 8, 'b');
    a.absorb(structuredClone(b.exportState()));
    const st = a.exportState().rules[0]!.stores.find((s) => s.role === 'first')!;
    expect(st.texts.length).toBe(MAX_STORED_HITS);
    expect(st.overflow).toBe(3);
  });

  it('an event\'s unless after its record\'s text hit removes it, wherever the hits went compact', () => {
    const r = rule({ id: 'u', match: { any: [{ text: 'boom' }], unless: [{ event: 'ok' }] } });
    const opts = { exactHits: 2 };
    const one = new RuleEngine([r], opts);
    const a = new RuleEngine([r], opts);
    const b = new RuleEngine([r], { ...opts, orderBase: BASE });
    for (let i = 1; i <= 6; i++) {
      const record = rec('boom', { path: 'p', line: i, utcMs: T0 + i * MIN });
      const e = ev('ok', {}, T0 + i * MIN, { path: 'p', line: i });
      for (const engine of i <= 3 ? [one, a] : [one, b]) {
        engine.observe(record, 'AdminService', T0 + i * MIN);
        if (i % 2 === 0) engine.observeEvent(e);
      }
    }
    a.absorb(structuredClone(b.exportState()));
    const ctx = { events: [], sources: [], endMs: null };
    expect(one.evaluate(ctx)[0]?.count).toBe(3);
    expect(a.evaluate(ctx)).toEqual(one.evaluate(ctx));
  });

  it('refuses the state of an engine built from other rules', () => {
    const state = new RuleEngine(RULES.slice(1)).exportState();
    expect(() => new RuleEngine(RULES).absorb(state)).toThrow(/absorb/);
  });
});
