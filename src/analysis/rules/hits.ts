/**
 * A rule hit (one occurrence a matcher found: a record or an event) and the small helpers the
 * engine and its compact stores share.
 */
import type { FieldValue } from '../../../parsers/types.js';
import { lowerBound } from '../bisect.js';
import type { SortedEvent } from '../model.js';

export interface Hit {
  ms: number;
  utcMs: number | null;
  order: number;
  log: string;
  path: string;
  line: number;
  local: string | null;
  text: string;
  fields: Record<string, FieldValue>;
  /** Identity of the occurrence: record keys (`path\0line`), or `#seq` for synthetic events. */
  keys: string[];
}

const SYNTHETIC_KIND_RE = /^(?:cycle|chain|source)\./;

export function recordKey(path: string, line: number): string {
  return `${path}\u0000${line}`;
}

export function firstLineOf(text: string): string {
  const n = text.indexOf('\n');
  const r = text.indexOf('\r');
  const i = n < 0 ? r : r < 0 ? n : Math.min(n, r);
  return i < 0 ? text : text.slice(0, i);
}

/**
 * The hit of an event. Its `fields` object is the event's own: whoever merges fields into a
 * stored hit copies first (`mergeFields`).
 */
export function eventHit(e: SortedEvent): Hit {
  const refs = Array.isArray(e.refs) ? e.refs : [];
  const synthetic = SYNTHETIC_KIND_RE.test(String(e.kind)) || refs.length === 0;
  const ref = refs[0];
  return {
    ms: e.sortMs,
    utcMs: e.utcMs,
    order: e.seq,
    log: e.log,
    path: ref?.path ?? '',
    line: ref?.line ?? 0,
    local: e.localText,
    text: firstLineOf(typeof e.text === 'string' && e.text !== '' ? e.text : String(e.summary ?? '')),
    fields: e.fields ?? {},
    keys: synthetic ? [`#${e.seq}`] : refs.length === 1 ? [recordKey(ref!.path, ref!.line)] : refs.map((r) => recordKey(r.path, r.line)),
  };
}

/** Fills the fields `into` lacks from `from` (copying `into.fields` before the first change). */
export function mergeFields(into: Hit, from: Record<string, FieldValue>): void {
  let copied = false;
  for (const f of Object.keys(from)) {
    const cur = Object.prototype.hasOwnProperty.call(into.fields, f) ? into.fields[f] : undefined;
    if (cur !== undefined && cur !== null) continue;
    const v = from[f];
    if (v === undefined || v === cur) continue;
    if (!copied) {
      into.fields = { ...into.fields };
      copied = true;
    }
    into.fields[f] = v;
  }
}

export function compareHits(a: Hit, b: Hit): number {
  if (a.ms < b.ms) return -1;
  if (a.ms > b.ms) return 1;
  return a.order - b.order;
}

/**
 * Which of the time-sorted `times` belong to a burst: `count` or more within `within` ms of each
 * other (inclusive), never across a reset (sorted `resetTimes`). Returns a flag per time.
 */
export function burstFlags(times: ArrayLike<number>, count: number, within: number, resetTimes: readonly number[]): Uint8Array {
  const n = times.length;
  const segment = (ms: number): number => lowerBound(resetTimes, ms);
  const mark = new Int32Array(n + 1);
  let j = 0;
  for (let i = 0; i < n; i++) {
    const hi = times[i]!;
    const seg = segment(hi);
    if (j < i) j = i;
    while (j + 1 < n && times[j + 1]! - hi <= within && segment(times[j + 1]!) === seg) j++;
    if (j - i + 1 >= count) {
      mark[i]!++;
      mark[j + 1]!--;
    }
  }
  const flags = new Uint8Array(n);
  let run = 0;
  for (let i = 0; i < n; i++) {
    run += mark[i]!;
    if (run > 0) flags[i] = 1;
  }
  return flags;
}
