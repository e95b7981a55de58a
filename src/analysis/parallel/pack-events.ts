/**
 * Kept events, packed: the device-action events a lean scan keeps for its chains (and the upload
 * worker's for its cycles), while they are kept and when they cross threads.
 *
 * As objects each took ~650 bytes of heap (the event, its fields and refs, a copy of every field
 * string), and a heap grows to well above what it holds live before it collects. Packed, an
 * event is ~23 values in two typed arrays (9 bytes each, outside the heap) and the strings that
 * differ on every event (its local time, mostly its TaskGuid); the others are kept once, in a
 * table. A 1 GiB scan keeps 17,000 action events: packed, its peak RSS is 7 MB lower (bench/
 * RESULTS.md, round 7), and a 2 GiB merge no longer unpacks 34,000 of them at its peak.
 *
 * Structured clone copies a string each time it meets it; packed, each distinct string crosses
 * once and the values are two memory copies.
 *
 * Exact: every value is written with a tag saying what it was (null, string, number, true,
 * false), and an event with anything the layout does not know (an extra property, a field value
 * that is not a FieldValue, a ref with other keys) is kept as it is, in `others`.
 */
import type { FieldValue, RecordRef } from '../../../parsers/types.js';
import { detached } from '../../../parsers/logs/text.js';
import type { SortedEvent } from '../model.js';

export interface PackedEvents {
  count: number;
  strings: string[];
  /** One tag per value written (Tag). */
  tags: Uint8Array<ArrayBuffer>;
  /** The value: a number, or a string's index in `strings`. */
  values: Float64Array<ArrayBuffer>;
  /** Where each event's values start in `values` (NOT_PACKED: the event is in `others`). */
  starts: Uint32Array<ArrayBuffer>;
  /** Events that do not fit the layout, with their place among all events. */
  others: { at: number; event: SortedEvent }[];
}

const enum Tag {
  Null = 0,
  String = 1,
  Number = 2,
  True = 3,
  False = 4,
}

const NOT_PACKED = 0xffff_ffff;

/** The properties of a SortedEvent, in the order core.ts builds them (one hidden class). */
const EVENT_KEYS = ['kind', 'log', 'utcMs', 'localText', 'bias', 'severity', 'summary', 'fields', 'refs', 'text', 'sortMs', 'seq', 'sourceId', 'machine', 'logKind'] as const;

function isFieldValue(v: unknown): v is FieldValue {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** Whether the event has exactly the layout's properties, with values `put` can write. */
function fits(e: SortedEvent): boolean {
  const keys = Object.keys(e);
  if (keys.length !== EVENT_KEYS.length) return false;
  for (let i = 0; i < keys.length; i++) if (keys[i] !== EVENT_KEYS[i]) return false;
  for (const k of EVENT_KEYS) if (k !== 'fields' && k !== 'refs' && !isFieldValue(e[k])) return false;
  if (e.fields === null || typeof e.fields !== 'object' || Object.getPrototypeOf(e.fields) !== Object.prototype) return false;
  // An own `__proto__` key (possible in parsed data) would set the prototype when written back.
  if (Object.hasOwn(e.fields, '__proto__')) return false;
  for (const v of Object.values(e.fields)) if (!isFieldValue(v)) return false;
  if (!Array.isArray(e.refs)) return false;
  for (const r of e.refs) {
    const rk = Object.keys(r);
    if (rk.length !== 3 || rk[0] !== 'path' || rk[1] !== 'line' || rk[2] !== 'offset') return false;
    if (typeof r.path !== 'string' || typeof r.line !== 'number' || typeof r.offset !== 'number') return false;
  }
  return true;
}

/** Packed events read in place: a finished run (absorbed) or the events being packed. */
interface View {
  count: number;
  strings: readonly string[];
  tags: Uint8Array;
  values: Float64Array;
  /** Values used (the arrays of a run being packed are bigger). */
  size: number;
  starts: Uint32Array;
  others: ReadonlyMap<number, SortedEvent>;
  /** Field-name lists by their string's index, parsed once. */
  names: Map<number, string[]>;
}

function viewOf(p: PackedEvents): View {
  return { ...p, size: p.tags.length, others: new Map(p.others.map((o) => [o.at, o.event])), names: new Map() };
}

/**
 * Events being packed, one at a time. The layout of an event: sortMs, seq (first: the order is
 * read without unpacking), kind, log, utcMs, localText, bias, severity, summary, text, sourceId,
 * machine, logKind, its field names (one string: the JSON of the list), the field values, the
 * number of refs, and path, line, offset of each.
 */
class Run {
  private readonly strings: string[] = [];
  private readonly index = new Map<string, number>();
  private tags = new Uint8Array(1024);
  private values = new Float64Array(1024);
  private starts = new Uint32Array(64);
  private readonly others = new Map<number, SortedEvent>();
  private readonly names = new Map<number, string[]>();
  private n = 0;
  count = 0;

  push(e: SortedEvent): void {
    if (this.count === this.starts.length) this.starts = grown(this.starts, this.count + 1);
    if (!fits(e)) {
      this.others.set(this.count, e);
      this.starts[this.count++] = NOT_PACKED;
      return;
    }
    const keys = Object.keys(e.fields);
    this.room(14 + keys.length + 1 + 3 * e.refs.length);
    this.starts[this.count++] = this.n;
    this.put(e.sortMs);
    this.put(e.seq);
    this.put(e.kind);
    this.put(e.log);
    this.put(e.utcMs);
    this.putOnce(e.localText);
    this.put(e.bias);
    this.put(e.severity);
    this.put(e.summary);
    this.put(e.text);
    this.put(e.sourceId);
    this.put(e.machine);
    this.put(e.logKind);
    this.put(JSON.stringify(keys));
    for (const k of keys) this.put(e.fields[k]!);
    this.put(e.refs.length);
    for (const r of e.refs) {
      this.put(r.path);
      this.put(r.line);
      this.put(r.offset);
    }
  }

  /** The run read in place (its arrays are not written again once another run follows it). */
  view(): View {
    return { count: this.count, strings: this.strings, tags: this.tags, values: this.values, size: this.n, starts: this.starts, others: this.others, names: this.names };
  }

  /** Trimmed copies, to post to another thread. */
  trimmed(): PackedEvents {
    return {
      count: this.count, strings: this.strings.slice(), tags: this.tags.slice(0, this.n), values: this.values.slice(0, this.n),
      starts: this.starts.slice(0, this.count), others: [...this.others].map(([at, event]) => ({ at, event })),
    };
  }

  private room(values: number): void {
    if (this.n + values <= this.tags.length) return;
    this.tags = grown(this.tags, this.n + values);
    this.values = grown(this.values, this.n + values);
  }

  private put(v: FieldValue): void {
    const n = this.n++;
    if (v === null) this.tags[n] = Tag.Null;
    else if (typeof v === 'string') {
      let i = this.index.get(v);
      if (i === undefined) {
        // A copy: a string cut from a record would keep the record's whole text alive.
        const own = detached(v);
        i = this.strings.length;
        this.strings.push(own);
        this.index.set(own, i);
      }
      this.tags[n] = Tag.String;
      this.values[n] = i;
    } else if (typeof v === 'number') {
      this.tags[n] = Tag.Number;
      this.values[n] = v;
    } else this.tags[n] = v ? Tag.True : Tag.False;
  }

  /** A text that differs on nearly every event: in the table, but not looked up there. */
  private putOnce(v: string | null): void {
    if (v === null) return this.put(v);
    const n = this.n++;
    this.tags[n] = Tag.String;
    this.values[n] = this.strings.length;
    this.strings.push(detached(v));
  }
}

/**
 * Events packed one at a time (Run), and runs of them packed elsewhere (`absorb`, kept as they
 * came: a merge holds each part's arrays once, not a copy too).
 */
export class EventPacker {
  private run = new Run();
  /** Runs absorbed, in order; the events pushed since come after them. */
  private readonly absorbed: View[] = [];
  private absorbedCount = 0;

  get count(): number {
    return this.absorbedCount + this.run.count;
  }

  push(e: SortedEvent): void {
    this.run.push(e);
  }

  /** Appends another packer's events (`finish()` of it, possibly from another thread), without copying them. */
  absorb(p: PackedEvents): void {
    if (this.run.count > 0) {
      // The events pushed so far stay before the run: they become a run of their own.
      this.absorbed.push(this.run.view());
      this.absorbedCount += this.run.count;
      this.run = new Run();
    }
    this.absorbed.push(viewOf(p));
    this.absorbedCount += p.count;
  }

  /** Every event, as one trimmed copy (to post to another thread). */
  finish(): PackedEvents {
    return this.absorbed.length === 0 ? this.run.trimmed() : joined(this.views());
  }

  /** Event `at`, unpacked: a new object each time (strings shared with the table). */
  event(at: number): SortedEvent {
    for (const v of this.views()) {
      if (at < v.count) return eventOf(v, at);
      at -= v.count;
    }
    throw new RangeError(`packed events: no event ${at}`);
  }

  /** The events in timeline order (sortMs, then seq), unpacked one at a time. */
  *sorted(): Generator<SortedEvent> {
    const views = this.views();
    const total = this.count;
    const sortMs = new Float64Array(total);
    const seq = new Float64Array(total);
    const viewAt = new Uint16Array(total);
    const localAt = new Uint32Array(total);
    let i = 0;
    views.forEach((v, vi) => {
      for (let k = 0; k < v.count; k++, i++) {
        const s = v.starts[k]!;
        const o = s === NOT_PACKED ? v.others.get(k)! : null;
        sortMs[i] = o ? o.sortMs : v.values[s]!;
        seq[i] = o ? o.seq : v.values[s + 1]!;
        viewAt[i] = vi;
        localAt[i] = k;
      }
    });
    const order = new Uint32Array(total);
    for (let k = 0; k < total; k++) order[k] = k;
    order.sort((a, b) => sortMs[a]! - sortMs[b]! || seq[a]! - seq[b]!);
    for (const k of order) yield eventOf(views[viewAt[k]!]!, localAt[k]!);
  }

  /** The runs, then the events pushed since, as views. */
  private views(): View[] {
    return [...this.absorbed, this.run.view()];
  }
}

function eventOf(v: View, at: number): SortedEvent {
  const start = v.starts[at]!;
  return start === NOT_PACKED ? v.others.get(at)! : unpackAt(v.strings, v.tags, v.values, start, v.names);
}

/** Runs as one trimmed copy: string indices and value positions renumbered. */
function joined(views: readonly View[]): PackedEvents {
  let size = 0;
  let count = 0;
  for (const v of views) {
    size += v.size;
    count += v.count;
  }
  const out: PackedEvents = { count, strings: [], tags: new Uint8Array(size), values: new Float64Array(size), starts: new Uint32Array(count), others: [] };
  let n = 0;
  let at = 0;
  for (const v of views) {
    const stringBase = out.strings.length;
    const valueBase = n;
    for (const s of v.strings) out.strings.push(s);
    for (let i = 0; i < v.size; i++) {
      const t = v.tags[i]!;
      out.tags[n] = t;
      out.values[n++] = t === Tag.String ? v.values[i]! + stringBase : v.values[i]!;
    }
    for (let k = 0; k < v.count; k++) out.starts[at + k] = v.starts[k] === NOT_PACKED ? NOT_PACKED : v.starts[k]! + valueBase;
    for (const [k, event] of v.others) out.others.push({ at: at + k, event });
    at += v.count;
  }
  return out;
}

function grown<T extends Uint8Array<ArrayBuffer> | Float64Array<ArrayBuffer> | Uint32Array<ArrayBuffer>>(a: T, need: number): T {
  let size = a.length * 2;
  while (size < need) size *= 2;
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

function unpackAt(strings: readonly string[], tags: Uint8Array, values: Float64Array, start: number, names: Map<number, string[]>): SortedEvent {
  let n = start;
  const get = (): FieldValue => {
    const t = tags[n];
    const v = values[n]!;
    n++;
    switch (t) {
      case Tag.Null:
        return null;
      case Tag.String:
        return strings[v]!;
      case Tag.Number:
        return v;
      case Tag.True:
        return true;
      case Tag.False:
        return false;
      default:
        throw new Error(`packed events: unknown tag ${String(t)} at ${n - 1}`);
    }
  };
  const num = (): number => get() as number;
  const str = (): string => get() as string;
  const sortMs = num();
  const seq = num();
  const kind = str();
  const log = str();
  const utcMs = get() as number | null;
  const localText = get() as string | null;
  const bias = get() as number | null;
  const severity = str() as SortedEvent['severity'];
  const summary = str();
  const text = str();
  const sourceId = str();
  const machine = get() as string | null;
  const logKind = str();
  const namesAt = values[n]!;
  let keys = names.get(namesAt);
  if (keys === undefined) names.set(namesAt, (keys = JSON.parse(str()) as string[]));
  else n++;
  const fields: Record<string, FieldValue> = {};
  for (const k of keys) fields[k] = get();
  const refs: RecordRef[] = [];
  for (let k = num(); k > 0; k--) refs.push({ path: str(), line: num(), offset: num() });
  return { kind, log, utcMs, localText, bias, severity, summary, fields, refs, text, sortMs, seq, sourceId, machine, logKind };
}

/** All the events, packed (as one part posts them). */
export function packEvents(events: readonly SortedEvent[]): PackedEvents {
  const p = new EventPacker();
  for (const e of events) p.push(e);
  return p.finish();
}

/** The events of `packEvents`, in their order. */
export function unpackEvents(p: PackedEvents): SortedEvent[] {
  const v = viewOf(p);
  const out: SortedEvent[] = [];
  for (let at = 0; at < p.count; at++) out.push(eventOf(v, at));
  return out;
}
