import { readdirSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { MessageChannel } from 'node:worker_threads';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzePaths } from '../../../src/analysis/analyze.js';
import type { SortedEvent } from '../../../src/analysis/model.js';
import { EventPacker, packEvents, unpackEvents, type PackedEvents } from '../../../src/analysis/parallel/pack-events.js';

const SAMPLES = path.join(import.meta.dirname, '../../../sample-logs');

/** As the merge gets it: packed in the worker, structured-cloned, unpacked. */
function acrossThreads(events: SortedEvent[]): SortedEvent[] {
  return unpackEvents(deserialize(serialize(packEvents(events))) as PackedEvents);
}

function event(over: Partial<SortedEvent> = {}): SortedEvent {
  return {
    kind: 'action.forwarded', log: 'CMGatewayNotificationWorker', utcMs: 1_770_000_000_000, localText: '02-10-2026 08:00:00.137', bias: 480, severity: 'info',
    summary: 'Forwarded', fields: { taskGuid: 'ABC', pushId: 7, ok: true, missing: null }, refs: [{ path: 'x.log', line: 7, offset: 1063 }], text: 'Forwarded BGB remote task.',
    sortMs: 1_770_000_000_000, seq: 3, sourceId: 'dir|x', machine: null, logKind: 'CMGatewayNotificationWorker',
    ...over,
  };
}

describe('packed events (a part\'s kept events crossing threads)', () => {
  it('come back equal, in order, for every sample\'s events', async () => {
    let total = 0;
    for (const name of readdirSync(SAMPLES).filter((n) => !n.includes('.'))) {
      const { events } = await analyzePaths([path.join(SAMPLES, name)]);
      total += events.length;
      const packed = packEvents(events);
      expect(packed.others, name).toEqual([]);
      expect(acrossThreads(events), name).toEqual(events);
    }
    expect(total).toBeGreaterThan(1000);
  });

  it('share one copy of each string', () => {
    const [a, b] = acrossThreads([event(), event({ seq: 4 })]);
    expect(a!.refs[0]!.path).toBe(b!.refs[0]!.path);
    const packed = packEvents([event(), event({ seq: 4 })]);
    expect(packed.strings.filter((s) => s === 'x.log')).toHaveLength(1);
  });

  it('carry events the layout does not know as they are, in their place', () => {
    const extra = { ...event({ seq: 5 }), note: 'extra' } as SortedEvent;
    const nested = event({ seq: 6, fields: { deep: { a: 1 } as unknown as string } });
    const proto = event({ seq: 7, fields: JSON.parse('{"__proto__": "x", "a": 1}') as SortedEvent['fields'] });
    const { seq: _seq, ...rest } = event();
    const reordered = { seq: 8, ...rest } as SortedEvent; // the same keys in another order
    const oddRef = event({ seq: 9, refs: [{ path: 'x.log', line: 1, offset: 0, more: 1 } as unknown as SortedEvent['refs'][number]] });
    const list = [event({ seq: 1 }), extra, event({ seq: 2 }), nested, proto, reordered, oddRef, event({ seq: 3 })];
    const packed = packEvents(list);
    expect(packed.others.map((o) => o.at)).toEqual([1, 3, 4, 5, 6]);
    const back = acrossThreads(list);
    expect(back).toEqual(list);
    expect(Object.hasOwn(back[4]!.fields, '__proto__')).toBe(true);
  });

  it('keep every field value exactly (property)', () => {
    // Integers within ±2^51 are written as varints, other numbers as float64: both sides of the line.
    const edges = fc.constantFrom(2 ** 51 - 1, -(2 ** 51 - 1), 2 ** 51, -(2 ** 51), 127, 128, -64, -65, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 60, Infinity, -Infinity, 1_770_000_000_123);
    const value = fc.oneof(fc.constant(null), fc.string(), fc.double(), fc.integer(), fc.maxSafeInteger(), edges, fc.boolean(), fc.constant(-0), fc.constant(Number.NaN));
    const arb = fc.array(
      fc.record({
        kind: fc.string(), utcMs: fc.option(fc.oneof(fc.double(), fc.maxSafeInteger()), { nil: null }), localText: fc.option(fc.string(), { nil: null }), bias: fc.option(fc.integer(), { nil: null }),
        fields: fc.dictionary(fc.string().filter((k) => k !== '__proto__'), value), refs: fc.array(fc.record({ path: fc.string(), line: fc.nat(), offset: fc.nat() }), { maxLength: 3 }),
        machine: fc.option(fc.string(), { nil: null }),
      }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(arb, (parts) => {
        const events = parts.map((p, i) => event({ ...p, seq: i }));
        const back = acrossThreads(events);
        expect(back).toEqual(events);
        back.forEach((e, i) => {
          for (const [k, v] of Object.entries(events[i]!.fields)) expect(Object.is(e.fields[k], v)).toBe(true);
          expect(Object.keys(e.fields)).toEqual(Object.keys(events[i]!.fields));
        });
      }),
      { numRuns: 200 },
    );
  });

  it('are kept one at a time, joined from other threads, and read back in timeline order', async () => {
    const events: SortedEvent[] = [];
    for (const name of readdirSync(SAMPLES).filter((n) => !n.includes('.'))) events.push(...(await analyzePaths([path.join(SAMPLES, name)])).events);
    // Shuffled deterministically, with an event the layout does not know among them.
    const mixed = events.map((e, i) => ({ e, k: (i * 7919) % events.length })).sort((a, b) => a.k - b.k).map((x) => x.e);
    mixed.splice(5, 0, { ...event({ seq: -1, sortMs: Number.NEGATIVE_INFINITY }), note: 'extra' } as SortedEvent);
    // Pushed, then a run packed elsewhere (absorbed as it came), then pushed again.
    const third = Math.floor(mixed.length / 3);
    const packer = new EventPacker();
    for (const e of mixed.slice(0, third)) packer.push(e);
    const other = new EventPacker();
    for (const e of mixed.slice(third, 2 * third)) other.push(e);
    packer.absorb(deserialize(serialize(other.finish())) as PackedEvents);
    for (const e of mixed.slice(2 * third)) packer.push(e);
    expect(packer.count).toBe(mixed.length);
    expect(packer.event(5)).toBe(mixed[5]);
    for (const at of [0, third - 1, third, 2 * third - 1, 2 * third, mixed.length - 1]) expect(packer.event(at), String(at)).toEqual(mixed[at]);
    const inOrder = [...mixed].sort((a, b) => a.sortMs - b.sortMs || a.seq - b.seq);
    expect([...packer.sorted()]).toEqual(inOrder);
    expect(unpackEvents(deserialize(serialize(packer.finish())) as PackedEvents)).toEqual(mixed);
    // Handed over: the packer starts again, empty.
    expect(packer.count).toBe(0);
    packer.push(event({ seq: 1 }));
    expect([...packer.sorted()]).toEqual([event({ seq: 1 })]);
  });

  it('hand their own bytes over, a few per value, and cross threads without a copy', async () => {
    const packer = new EventPacker();
    for (let i = 0; i < 2000; i++) packer.push(event({ seq: i, sortMs: 1_770_000_000_000 + i * 37, utcMs: 1_770_000_000_000 + i * 37, localText: `02-10-2026 08:00:${i}`, fields: { taskGuid: `guid-${i}`, pushId: i, ok: true, missing: null }, refs: [{ path: 'x.log', line: 7 + i, offset: 1063 + 300 * i }] }));
    const packed = packer.finish();
    // ~22 values an event: a tag byte each, small integers and string indices in one to three
    // more, times and offsets in up to six; as float64 values (9 bytes each) it was ~200.
    expect(packed.bytes.length / packed.count).toBeLessThan(70);
    // Views of the packer's arrays: posted with their buffers transferred, nothing is copied.
    const { port1, port2 } = new MessageChannel();
    const got = new Promise<PackedEvents>((resolve) => port2.once('message', resolve));
    port1.postMessage(packed, [packed.bytes.buffer, packed.starts.buffer]);
    expect(packed.bytes.length).toBe(0); // detached: it went, it was not copied
    const back = unpackEvents(await got);
    port1.close();
    expect(back).toHaveLength(2000);
    expect(back[1999]).toEqual(event({ seq: 1999, sortMs: 1_770_000_000_000 + 1999 * 37, utcMs: 1_770_000_000_000 + 1999 * 37, localText: '02-10-2026 08:00:1999', fields: { taskGuid: 'guid-1999', pushId: 1999, ok: true, missing: null }, refs: [{ path: 'x.log', line: 2006, offset: 1063 + 300 * 1999 }] }));
  });
});
