/**
 * The events a part kept (the device actions chains are built from), packed to cross threads.
 *
 * Structured clone copies a string each time it meets it: every event's path, log, kind, source
 * id and log kind arrived in the merging thread as a fresh copy (~1.1 KB per event; a 2 GiB
 * post-mortem sends 34,000 events, at the peak of the run). Packed, each distinct string crosses
 * once, in a table, and the values travel in two typed arrays (a memory copy each); the unpacked
 * events share the table's strings.
 *
 * Exact: every value is written with a tag saying what it was (null, string, number, true,
 * false), and an event with anything the layout does not know (an extra property, a field value
 * that is not a FieldValue, a ref with other keys) travels as it is, in `others`.
 */
import type { FieldValue, RecordRef } from '../../../parsers/types.js';
import type { SortedEvent } from '../model.js';

export interface PackedEvents {
  count: number;
  strings: string[];
  /** One tag per value written (Tag). */
  tags: Uint8Array<ArrayBuffer>;
  /** The value: a number, or a string's index in `strings`. */
  values: Float64Array<ArrayBuffer>;
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

/** The properties of a SortedEvent, in the order core.ts builds them (one hidden class). */
const EVENT_KEYS = ['kind', 'log', 'utcMs', 'localText', 'bias', 'severity', 'summary', 'fields', 'refs', 'text', 'sortMs', 'seq', 'sourceId', 'machine', 'logKind'] as const;

/** Values written per event besides its fields (two each) and refs (three each): 13 properties and two counts. */
const FIXED_VALUES = 15;

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

export function packEvents(events: readonly SortedEvent[]): PackedEvents {
  const strings: string[] = [];
  const index = new Map<string, number>();
  // Sized exactly first: the part packs at its own peak, so no growing and no trimming copies.
  const fit = events.map(fits);
  let size = 0;
  events.forEach((e, at) => {
    if (fit[at]) size += FIXED_VALUES + 2 * Object.keys(e.fields).length + 3 * e.refs.length;
  });
  const tags = new Uint8Array(size);
  const values = new Float64Array(size);
  let n = 0;
  const others: PackedEvents['others'] = [];
  const put = (v: FieldValue): void => {
    if (v === null) tags[n] = Tag.Null;
    else if (typeof v === 'string') {
      let i = index.get(v);
      if (i === undefined) {
        i = strings.length;
        strings.push(v);
        index.set(v, i);
      }
      tags[n] = Tag.String;
      values[n] = i;
    } else if (typeof v === 'number') {
      tags[n] = Tag.Number;
      values[n] = v;
    } else tags[n] = v ? Tag.True : Tag.False;
    n++;
  };
  for (let at = 0; at < events.length; at++) {
    const e = events[at]!;
    if (!fit[at]) {
      others.push({ at, event: e });
      continue;
    }
    put(e.kind);
    put(e.log);
    put(e.utcMs);
    put(e.localText);
    put(e.bias);
    put(e.severity);
    put(e.summary);
    const keys = Object.keys(e.fields);
    put(keys.length);
    for (const k of keys) {
      put(k);
      put(e.fields[k]!);
    }
    put(e.refs.length);
    for (const r of e.refs) {
      put(r.path);
      put(r.line);
      put(r.offset);
    }
    put(e.text);
    put(e.sortMs);
    put(e.seq);
    put(e.sourceId);
    put(e.machine);
    put(e.logKind);
  }
  return { count: events.length, strings, tags, values, others };
}

export function unpackEvents(p: PackedEvents): SortedEvent[] {
  const { strings, tags, values } = p;
  let n = 0;
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
  const out: SortedEvent[] = [];
  let other = 0;
  for (let at = 0; at < p.count; at++) {
    const o = p.others[other];
    if (o !== undefined && o.at === at) {
      out.push(o.event);
      other++;
      continue;
    }
    const kind = str();
    const log = str();
    const utcMs = get() as number | null;
    const localText = get() as string | null;
    const bias = get() as number | null;
    const severity = str() as SortedEvent['severity'];
    const summary = str();
    const fields: Record<string, FieldValue> = {};
    for (let k = num(); k > 0; k--) {
      const key = str();
      fields[key] = get();
    }
    const refs: RecordRef[] = [];
    for (let k = num(); k > 0; k--) refs.push({ path: str(), line: num(), offset: num() });
    out.push({
      kind, log, utcMs, localText, bias, severity, summary, fields, refs, text: str(),
      sortMs: num(), seq: num(), sourceId: str(), machine: get() as string | null, logKind: str(),
    });
  }
  if (n !== tags.length) throw new Error(`packed events: ${tags.length - n} values left over`);
  return out;
}
