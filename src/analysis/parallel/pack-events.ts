/**
 * Kept events, packed: the device-action events a lean scan keeps for its chains (and the upload
 * worker's for its cycles), while they are kept and when they cross threads.
 *
 * As objects each took ~650 bytes of heap (the event, its fields and refs, a copy of every field
 * string), and a heap grows to well above what it holds live before it collects. Packed, an
 * event is ~23 values in one byte array outside the heap, ~80 bytes (a tag byte each; a string's
 * index and an integer as a variable-length number, one to eight bytes; any other number as its
 * eight), and the strings that differ on every event (its local time, mostly its TaskGuid); the
 * others are kept once, in a table. A 1 GiB scan keeps 17,000 action events: packed, its peak RSS
 * is 7 MB lower (bench/RESULTS.md, round 7), and a 2 GiB merge no longer unpacks 34,000 of them
 * at its peak. Each value was a tag and a float64 (9 bytes) until round 9: the arrays of a 2 GiB
 * part then took 4.7 MB, and a trimmed copy to post another 3.5 (bench/RESULTS.md, round 9).
 *
 * Structured clone copies a string each time it meets it; packed, each distinct string crosses
 * once and the bytes are handed over, not copied.
 *
 * Exact: every value is written with a tag saying what it was (null, string, integer, other
 * number, true, false), and an event with anything the layout does not know (an extra property,
 * a field value that is not a FieldValue, a ref with other keys) is kept as it is, in `others`.
 */
import type { FieldValue, RecordRef } from '../../../parsers/types.js';
import { detached } from '../../../parsers/logs/text.js';
import type { SortedEvent } from '../model.js';

export interface PackedEvents {
  count: number;
  strings: string[];
  /** The values, one after another: a tag byte (Tag), then what the tag says follows. */
  bytes: Uint8Array<ArrayBuffer>;
  /** Where each event's values start in `bytes` (NOT_PACKED: the event is in `others`). */
  starts: Uint32Array<ArrayBuffer>;
  /** Events that do not fit the layout, with their place among all events. */
  others: { at: number; event: SortedEvent }[];
}

const enum Tag {
  Null = 0,
  /** Then the string's index in the table, as a varint. */
  String = 1,
  /** Then the eight bytes of a float64: a number that is not a small integer (or is -0). */
  Number = 2,
  True = 3,
  False = 4,
  /** Then an integer within ±2^51, zigzag-encoded as a varint. */
  Integer = 5,
}

const NOT_PACKED = 0xffff_ffff;
/** The most bytes one value takes: a tag and a float64, or a tag and an eight-byte varint. */
const MAX_VALUE_BYTES = 10;
/** Integers this small (in magnitude) are written as varints: zigzagged, they stay below 2^52. */
const VARINT_LIMIT = 2 ** 51;

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

/** A float64's eight bytes, through one shared scratch. */
const FLOAT = new Float64Array(1);
const FLOAT_BYTES = new Uint8Array(FLOAT.buffer);

/** Values written one after another into a growing byte array. */
class Writer {
  bytes = new Uint8Array(4096);
  n = 0;

  /** Room for `values` more values. */
  room(values: number): void {
    const need = this.n + values * MAX_VALUE_BYTES;
    if (need <= this.bytes.length) return;
    if (need >= NOT_PACKED) throw new RangeError('packed events: more than 4 GiB of values');
    let size = this.bytes.length * 2;
    while (size < need) size *= 2;
    const b = new Uint8Array(Math.min(size, NOT_PACKED));
    b.set(this.bytes.subarray(0, this.n));
    this.bytes = b;
  }

  tag(t: Tag): void {
    this.bytes[this.n++] = t;
  }

  /** A string by its index in the table. */
  string(index: number): void {
    this.bytes[this.n++] = Tag.String;
    this.varint(index);
  }

  number(v: number): void {
    if (Number.isInteger(v) && Math.abs(v) < VARINT_LIMIT && !Object.is(v, -0)) {
      this.bytes[this.n++] = Tag.Integer;
      this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
      return;
    }
    this.bytes[this.n++] = Tag.Number;
    FLOAT[0] = v;
    this.bytes.set(FLOAT_BYTES, this.n);
    this.n += 8;
  }

  /** 7 bits a byte, low first (arithmetic, not bitwise: values go up to 2^52). */
  private varint(v: number): void {
    const b = this.bytes;
    while (v >= 128) {
      b[this.n++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    b[this.n++] = v;
  }
}

/** Reads values written by a Writer, from `n` on. */
class Reader {
  constructor(
    private readonly bytes: Uint8Array,
    private readonly strings: readonly string[],
    public n: number,
  ) {}

  /** The next value, which must be a string: its index in the table. */
  stringIndex(): number {
    const t = this.bytes[this.n++];
    if (t !== Tag.String) throw new Error(`packed events: a string was expected at ${this.n - 1}, not tag ${String(t)}`);
    return this.varint();
  }

  value(): FieldValue {
    const at = this.n;
    const t = this.bytes[this.n++];
    switch (t) {
      case Tag.Null:
        return null;
      case Tag.String:
        return this.strings[this.varint()]!;
      case Tag.Integer: {
        const z = this.varint();
        return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      }
      case Tag.Number:
        for (let i = 0; i < 8; i++) FLOAT_BYTES[i] = this.bytes[this.n + i]!;
        this.n += 8;
        return FLOAT[0]!;
      case Tag.True:
        return true;
      case Tag.False:
        return false;
      default:
        throw new Error(`packed events: unknown tag ${String(t)} at ${at}`);
    }
  }

  /** Copies the next value to `w`, its string index moved by `stringBase`. */
  copyTo(w: Writer, stringBase: number): void {
    const t = this.bytes[this.n]!;
    if (t === Tag.String) {
      this.n++;
      w.string(this.varint() + stringBase);
      return;
    }
    const v = this.value();
    if (typeof v === 'number') w.number(v);
    else w.tag(v === null ? Tag.Null : v ? Tag.True : Tag.False);
  }

  private varint(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = this.bytes[this.n++]!;
      v += (b & 127) * scale;
      if (b < 128) return v;
      scale *= 128;
    }
  }
}

/** Packed events read in place: a finished run (absorbed) or the events being packed. */
interface View {
  count: number;
  strings: readonly string[];
  bytes: Uint8Array;
  /** Bytes used (the array of a run being packed is bigger). */
  size: number;
  starts: Uint32Array;
  others: ReadonlyMap<number, SortedEvent>;
  /** Field-name lists by their string's index, parsed once. */
  names: Map<number, string[]>;
}

function viewOf(p: PackedEvents): View {
  return { count: p.count, strings: p.strings, bytes: p.bytes, size: p.bytes.length, starts: p.starts, others: new Map(p.others.map((o) => [o.at, o.event])), names: new Map() };
}

/**
 * Events being packed, one at a time. The layout of an event: sortMs, seq (first: the order is
 * read without unpacking the rest), kind, log, utcMs, localText, bias, severity, summary, text,
 * sourceId, machine, logKind, its field names (one string: the JSON of the list), the field
 * values, the number of refs, and path, line, offset of each.
 */
class Run {
  private readonly strings: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly w = new Writer();
  private starts = new Uint32Array(64);
  private readonly others = new Map<number, SortedEvent>();
  private readonly names = new Map<number, string[]>();
  count = 0;

  push(e: SortedEvent): void {
    if (this.count === this.starts.length) {
      const s = new Uint32Array(this.starts.length * 2);
      s.set(this.starts);
      this.starts = s;
    }
    if (!fits(e)) {
      this.others.set(this.count, e);
      this.starts[this.count++] = NOT_PACKED;
      return;
    }
    const keys = Object.keys(e.fields);
    this.w.room(14 + keys.length + 1 + 3 * e.refs.length);
    this.starts[this.count++] = this.w.n;
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

  /** The run read in place (its bytes are not written again once another run follows it). */
  view(): View {
    return { count: this.count, strings: this.strings, bytes: this.w.bytes, size: this.w.n, starts: this.starts, others: this.others, names: this.names };
  }

  /** The run as PackedEvents: views of its arrays, not copies (posted with their buffers transferred). */
  packed(): PackedEvents {
    return {
      count: this.count, strings: this.strings, bytes: this.w.bytes.subarray(0, this.w.n), starts: this.starts.subarray(0, this.count),
      others: [...this.others].map(([at, event]) => ({ at, event })),
    };
  }

  private put(v: FieldValue): void {
    const w = this.w;
    if (v === null) w.tag(Tag.Null);
    else if (typeof v === 'string') {
      let i = this.index.get(v);
      if (i === undefined) {
        // A copy: a string cut from a record would keep the record's whole text alive.
        const own = detached(v);
        i = this.strings.length;
        this.strings.push(own);
        this.index.set(own, i);
      }
      w.string(i);
    } else if (typeof v === 'number') w.number(v);
    else w.tag(v ? Tag.True : Tag.False);
  }

  /** A text that differs on nearly every event: in the table, but not looked up there. */
  private putOnce(v: string | null): void {
    if (v === null) return this.put(v);
    this.w.string(this.strings.length);
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

  /**
   * Every event, handed over: this packer is empty after. Without runs absorbed, the arrays are
   * this packer's own (views of them, not copies: a 2 GiB part's were 3.5 MB), so posting them
   * with their buffers transferred copies nothing.
   */
  finish(): PackedEvents {
    const out = this.absorbed.length === 0 ? this.run.packed() : joined(this.views());
    this.run = new Run();
    this.absorbed.length = 0;
    this.absorbedCount = 0;
    return out;
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
      const r = new Reader(v.bytes, v.strings, 0);
      for (let k = 0; k < v.count; k++, i++) {
        const s = v.starts[k]!;
        const o = s === NOT_PACKED ? v.others.get(k)! : null;
        if (o) {
          sortMs[i] = o.sortMs;
          seq[i] = o.seq;
        } else {
          r.n = s;
          sortMs[i] = r.value() as number;
          seq[i] = r.value() as number;
        }
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
  return start === NOT_PACKED ? v.others.get(at)! : unpackAt(v, start);
}

/** Runs as one: string indices and byte positions renumbered. */
function joined(views: readonly View[]): PackedEvents {
  let count = 0;
  for (const v of views) count += v.count;
  const w = new Writer();
  const out: PackedEvents = { count, strings: [], bytes: w.bytes, starts: new Uint32Array(count), others: [] };
  let at = 0;
  for (const v of views) {
    const stringBase = out.strings.length;
    for (const s of v.strings) out.strings.push(s);
    const r = new Reader(v.bytes, v.strings, 0);
    // Packed events lie one after another in the order they came: an event's values end where
    // the next packed one's begin.
    let end = v.size;
    const ends = new Array<number>(v.count);
    for (let k = v.count - 1; k >= 0; k--) {
      const s = v.starts[k]!;
      if (s === NOT_PACKED) continue;
      ends[k] = end;
      end = s;
    }
    for (let k = 0; k < v.count; k++) {
      const s = v.starts[k]!;
      if (s === NOT_PACKED) {
        out.starts[at + k] = NOT_PACKED;
        out.others.push({ at: at + k, event: v.others.get(k)! });
        continue;
      }
      out.starts[at + k] = w.n;
      r.n = s;
      while (r.n < ends[k]!) {
        w.room(1);
        r.copyTo(w, stringBase);
      }
    }
    at += v.count;
  }
  out.bytes = w.bytes.subarray(0, w.n);
  return out;
}

function unpackAt(v: View, start: number): SortedEvent {
  const r = new Reader(v.bytes, v.strings, start);
  const num = (): number => r.value() as number;
  const str = (): string => r.value() as string;
  const sortMs = num();
  const seq = num();
  const kind = str();
  const log = str();
  const utcMs = r.value() as number | null;
  const localText = r.value() as string | null;
  const bias = r.value() as number | null;
  const severity = str() as SortedEvent['severity'];
  const summary = str();
  const text = str();
  const sourceId = str();
  const machine = r.value() as string | null;
  const logKind = str();
  const namesAt = r.stringIndex();
  let keys = v.names.get(namesAt);
  if (keys === undefined) v.names.set(namesAt, (keys = JSON.parse(v.strings[namesAt]!) as string[]));
  const fields: Record<string, FieldValue> = {};
  for (const k of keys) fields[k] = r.value();
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
