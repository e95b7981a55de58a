/**
 * Small byte-level helpers for ByteFramer's fast path: they read a Buffer (through a DataView
 * over the same memory where several bytes are compared at once) without creating strings.
 */

/** Buffer#toString's undocumented but long-standing per-encoding halves, without its argument checks. */
export type Bytes = Buffer & {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
};

/** Whether `d` (a byte minus `'0'`; NaN past the end) is a digit. */
const isDigit = (d: number): boolean => d >= 0 && d <= 9;

/** ASCII whitespace as String.prototype.trim and `\s` see it. */
export const isSpace = (b: number): boolean => b === 0x20 || (b >= 0x09 && b <= 0x0d);

/** Whether the ASCII literal `text` is at `p`. */
export function lit(buf: Buffer, p: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (buf[p + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Index of the `"` closing a value that starts at p (before lineEnd), or -1. */
export function quoteEnd(buf: Buffer, p: number, lineEnd: number): number {
  const i = buf.indexOf(0x22, p);
  return i < 0 || i >= lineEnd ? -1 : i;
}

/** Where the value of the attribute introduced by `key` at p (`" thread="`) closes, or -1. */
export function valueEnd(buf: Buffer, p: number, key: string, lineEnd: number): number {
  return lit(buf, p, key) ? quoteEnd(buf, p + key.length, lineEnd) : -1;
}

/** A DataView over exactly the bytes of `buf`. */
export function viewOf(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

/**
 * Whether `view` holds the `len` bytes of `key` at `s` (the caller keeps `s + len` in range).
 * Four bytes per load, two loads per step: DataView reads compile to single loads, so this
 * beats both a byte loop and Buffer#compare (whose argument checks and native call cost more
 * than comparing a 100-byte header tail: 39 vs 66 ns here).
 */
export function sameBytes(view: DataView, s: number, key: DataView, len: number): boolean {
  let j = 0;
  for (; j + 8 <= len; j += 8) {
    if (view.getInt32(s + j, true) !== key.getInt32(j, true) || view.getInt32(s + j + 4, true) !== key.getInt32(j + 4, true)) return false;
  }
  for (; j + 4 <= len; j += 4) if (view.getInt32(s + j, true) !== key.getInt32(j, true)) return false;
  for (; j < len; j++) if (view.getUint8(s + j) !== key.getUint8(j)) return false;
  return true;
}

const CACHE_SLOTS = 4;
const MAX_KEY = 512;

/**
 * The last few byte strings seen (header tails, components, thread parts) with what they parse
 * to: log lines repeat them, and comparing bytes is cheaper than parsing and decoding again.
 */
export class ByteCache<T> {
  private readonly keys: DataView[] = [];
  private readonly values: T[] = [];
  private next = 0;
  /** The slot of the last hit, tried first: keys of the same length (type="1" vs type="3") would
   * otherwise be compared most of the way in vain. */
  private last = 0;
  /** The value of the last successful `match`. */
  hit: T | undefined = undefined;

  /** The value cached for exactly the bytes `[s, e)` of `view`. */
  find(view: DataView, s: number, e: number): T | undefined {
    const len = e - s;
    const keys = this.keys;
    const n = keys.length;
    for (let j = 0; j < n; j++) {
      const k = (this.last + j) % n;
      const key = keys[k]!;
      if (key.byteLength === len && sameBytes(view, s, key, len)) {
        this.last = k;
        return this.values[k];
      }
    }
    return undefined;
  }

  /** A cached key that `view` holds at `s` (not past `e`): the index just past it (value in `hit`), or -1. */
  match(view: DataView, s: number, e: number): number {
    const keys = this.keys;
    const n = keys.length;
    for (let j = 0; j < n; j++) {
      const k = (this.last + j) % n;
      const key = keys[k]!;
      const len = key.byteLength;
      if (s + len <= e && sameBytes(view, s, key, len)) {
        this.last = k;
        this.hit = this.values[k];
        return s + len;
      }
    }
    this.hit = undefined;
    return -1;
  }

  add(buf: Buffer, s: number, e: number, value: T): void {
    if (e - s > MAX_KEY) return;
    // A copy: the caller's buffer is reused for the next read.
    const key = viewOf(new Uint8Array(buf.subarray(s, e)));
    let k = this.keys.length;
    if (k < CACHE_SLOTS) {
      this.keys.push(key);
      this.values.push(value);
    } else {
      // Round robin, but never over the slot last hit (usually the line's most frequent shape).
      if (this.next === this.last) this.next = (this.next + 1) % CACHE_SLOTS;
      k = this.next;
      this.keys[k] = key;
      this.values[k] = value;
      this.next = (k + 1) % CACHE_SLOTS;
    }
    this.last = k;
  }
}

/**
 * Reads `H:M:S[.f…][±BBB]` (1–2 digit parts, 1–7 fraction digits, a bias of 1–4 digits up to
 * `maxBias`) as both line formats write it. The parts land in fields so the hot path allocates
 * nothing per line.
 */
export class ClockReader {
  h = 0;
  m = 0;
  s = 0;
  ms = 0;
  /** Where the fraction starts (its `.` or `,`; `end` when there is none). */
  fraction = 0;
  /** Just past the fraction (where the bias starts). */
  end = 0;
  bias: number | null = null;

  constructor(private readonly maxBias: number) {}

  /** Reads at `p`: the position after the clock, or -1 when the shape differs. */
  read(buf: Buffer, p: number): number {
    // The usual `HH:MM:SS.fff` at fixed positions; anything else takes the general loop.
    const h1 = buf[p]! - 48;
    const h2 = buf[p + 1]! - 48;
    const m1 = buf[p + 3]! - 48;
    const m2 = buf[p + 4]! - 48;
    const s1 = buf[p + 6]! - 48;
    const s2 = buf[p + 7]! - 48;
    const f1 = buf[p + 9]! - 48;
    const f2 = buf[p + 10]! - 48;
    const f3 = buf[p + 11]! - 48;
    if (buf[p + 2] === 0x3a && buf[p + 5] === 0x3a && buf[p + 8] === 0x2e && isDigit(h1) && isDigit(h2) && isDigit(m1) && isDigit(m2)
      && isDigit(s1) && isDigit(s2) && isDigit(f1) && isDigit(f2) && isDigit(f3) && !isDigit(buf[p + 12]! - 48)) {
      this.h = h1 * 10 + h2;
      this.m = m1 * 10 + m2;
      this.s = s1 * 10 + s2;
      this.ms = f1 * 100 + f2 * 10 + f3;
      this.fraction = p + 8;
      this.end = p + 12;
      return this.readBias(buf, p + 12);
    }
    return this.readGeneral(buf, p);
  }

  /** 1–2 digit parts, 1–7 fraction digits after `.` or `,` (the first three count). */
  private readGeneral(buf: Buffer, p: number): number {
    let v = 0;
    let n = 0;
    for (let part = 0; part < 3; part++) {
      v = 0;
      n = 0;
      while (n < 3 && (buf[p]! >= 48 && buf[p]! <= 57)) { v = v * 10 + buf[p]! - 48; p++; n++; }
      if (n === 0 || n > 2) return -1;
      if (part === 0) this.h = v; else if (part === 1) this.m = v; else this.s = v;
      if (part < 2) {
        if (buf[p] !== 0x3a) return -1;
        p++;
      }
    }
    let ms = 0;
    this.fraction = p;
    if (buf[p] === 0x2e || buf[p] === 0x2c) {
      p++;
      n = 0;
      while (n < 8 && (buf[p]! >= 48 && buf[p]! <= 57)) {
        if (n < 3) ms = ms * 10 + buf[p]! - 48;
        p++;
        n++;
      }
      if (n === 0 || n > 7) return -1;
      if (n === 1) ms *= 100;
      else if (n === 2) ms *= 10;
    }
    this.ms = ms;
    this.end = p;
    return this.readBias(buf, p);
  }

  /** An optional `±B…` at `p`: the position after it, or -1 when malformed or implausible. */
  private readBias(buf: Buffer, p: number): number {
    this.bias = null;
    if (buf[p] === 0x2b || buf[p] === 0x2d) {
      const neg = buf[p] === 0x2d;
      p++;
      let v = 0;
      let n = 0;
      while (n < 5 && (buf[p]! >= 48 && buf[p]! <= 57)) { v = v * 10 + buf[p]! - 48; p++; n++; }
      if (n === 0 || n > 4 || v > this.maxBias) return -1;
      this.bias = neg ? -v : v;
    }
    return p;
  }

  /** Milliseconds since the start of the day, or -1 for an impossible time (the text path reports it). */
  dayMs(): number {
    if (this.h > 23 || this.m > 59 || this.s > 60) return -1;
    return this.h * 3_600_000 + this.m * 60_000 + (this.s > 59 ? 59 : this.s) * 1000 + this.ms;
  }
}

/** `.000` … `.999`: the usual fractions, shared by every local time that ends in one. */
const FRACTIONS = Array.from({ length: 1000 }, (_, i) => `.${String(i).padStart(3, '0')}`);
const MAX_PREFIX = 64;

/**
 * Local times as written (`02-10-2026 08:00:00.329`), built as a rope of two shared strings:
 * the text up to the seconds (the same on every line within a second) and the fraction. That
 * is one small allocation and no native call per line, and 32 retained bytes per record instead
 * of a fresh 40-byte string.
 */
export class LocalTexts {
  private readonly key = new Uint8Array(MAX_PREFIX);
  private readonly keyView = viewOf(this.key);
  private keyLen = -1;
  private head = '';
  private prefix = '';
  private readonly scratch = Buffer.alloc(MAX_PREFIX) as Bytes;

  /**
   * `head` (ASCII) followed by the ASCII bytes `[s, e)` of `buf`, whose `[frac, e)` is the
   * fraction with value `ms`; `view` views `buf`. `head` and `[s, frac)` are at most 64 bytes
   * together: a date and a blank (≤ 11) and `H:M:S` (≤ 8), or a whole server date and time (≤ 19).
   */
  text(head: string, buf: Bytes, view: DataView, s: number, frac: number, e: number, ms: number): string {
    const n = frac - s;
    if (head !== this.head || n !== this.keyLen || !sameBytes(view, s, this.keyView, n)) {
      const sc = this.scratch;
      for (let i = 0; i < head.length; i++) sc[i] = head.charCodeAt(i);
      for (let i = 0; i < n; i++) sc[head.length + i] = this.key[i] = buf[s + i]!;
      // One flat string: `head + slice` would keep a rope of two.
      this.prefix = sc.latin1Slice(0, head.length + n);
      this.head = head;
      this.keyLen = n;
    }
    if (e - frac === 4 && buf[frac] === 0x2e) return this.prefix + FRACTIONS[ms]!;
    return e === frac ? this.prefix : this.prefix + buf.latin1Slice(frac, e);
  }
}
