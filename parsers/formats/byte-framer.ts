import { isAscii, isUtf8 } from 'node:buffer';
import type { LogRecord, Severity } from '../types.js';
import type { Framer } from './framer.js';
import { severityFromText } from './severity.js';
import { MAX_PLAUSIBLE_BIAS, wallClockMs } from './time.js';

/** A streaming byte → text decoder (src/ingest/decode.ts StreamDecoder). */
export interface ByteDecoder {
  write(chunk: Uint8Array): string;
  end(): string;
}

/** A partial last line larger than this goes to the text path instead of being held as bytes. */
const MAX_CARRY = 1 << 20;

const LT = 0x3c; // <
const GT = 0x3e; // >
const QUOTE = 0x22;
const NL = 0x0a;
const CR = 0x0d;
const OPEN = '<![LOG[';
const CLOSE = ']LOG]!>';
const MARK = '$$<';
const NONE = Number.MAX_SAFE_INTEGER;

/** ASCII whitespace as String.prototype.trim and `\s` see it. */
const isSpace = (b: number): boolean => b === 0x20 || (b >= 0x09 && b <= 0x0d);

type Slicer = (buf: Buffer, start: number, end: number) => string;
// Buffer#latin1Slice/utf8Slice skip toString's argument checks; fall back if a runtime lacks them.
const protoAny = Buffer.prototype as unknown as Record<string, unknown>;
const latin1: Slicer = typeof protoAny.latin1Slice === 'function'
  ? (b, s, e) => (b as unknown as { latin1Slice(s: number, e: number): string }).latin1Slice(s, e)
  : (b, s, e) => b.toString('latin1', s, e);
const utf8: Slicer = typeof protoAny.utf8Slice === 'function'
  ? (b, s, e) => (b as unknown as { utf8Slice(s: number, e: number): string }).utf8Slice(s, e)
  : (b, s, e) => b.toString('utf8', s, e);

function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Byte-level framing for UTF-8 input, in front of a Framer. Lines are found with `indexOf` on
 * the raw bytes; a line in the usual shape (a whole CMTrace entry on one line with the usual
 * header, or a `$$<` server line with the usual stamp) is read at fixed positions and only its
 * message and attribute values are decoded. Everything else — multi-line entries, odd headers,
 * bad times, plain text, invalid UTF-8, huge lines, the start of a file — goes to the Framer's
 * tolerant text path through the decoder, so the records are exactly those the text path gives
 * (a property test compares them), whatever the chunking.
 */
export class ByteFramer {
  private readonly framer: Framer;
  private readonly decoder: ByteDecoder;
  private readonly maxChars: number;
  private readonly log: string;
  private readonly path: string;
  private carry: Buffer | null = null;
  /** Records the text path returned (fast records wait in the Framer until its next push/drain). */
  private out: LogRecord[] = [];
  /** Next marker positions in the current buffer (NONE: none left), found lazily. */
  private nOpen = -1;
  private nClose = -1;
  private nMark = -1;
  private ascii = false;
  /** Recently seen CMTrace header tails, and `$$<` component and thread parts, with what they say. */
  private readonly tails = new ByteCache<HeaderTail>();
  private readonly comps = new ByteCache<string>();
  private readonly threads = new ByteCache<string>();
  /** Last `$$<` stamp date and its start (epoch ms as if UTC, null when impossible). */
  private dayYear = -1;
  private dayMonth = -1;
  private dayDay = -1;
  private dayStart: number | null = null;

  constructor(framer: Framer, decoder: ByteDecoder) {
    this.framer = framer;
    this.decoder = decoder;
    const o = framer.options;
    this.maxChars = o.maxRecordChars ?? 1_000_000;
    this.log = o.log;
    this.path = o.path;
  }

  /** Push raw bytes (UTF-8, BOM already skipped); returns the records completed by them. */
  push(chunk: Uint8Array): LogRecord[] {
    const buf = toBuffer(chunk);
    let pos = 0;
    if (this.carry !== null) {
      const nl = buf.indexOf(NL);
      if (nl < 0) {
        this.carry = Buffer.concat([this.carry, buf]);
        if (this.carry.length > MAX_CARRY) this.flushCarry();
        return this.take();
      }
      const line = Buffer.concat([this.carry, buf.subarray(0, nl + 1)]);
      this.carry = null;
      this.region(line, 0, line.length);
      pos = nl + 1;
    }
    const last = buf.lastIndexOf(NL);
    if (last >= pos) {
      this.region(buf, pos, last + 1);
      pos = last + 1;
    }
    if (pos < buf.length) {
      this.carry = Buffer.from(buf.subarray(pos));
      if (this.carry.length > MAX_CARRY) this.flushCarry();
    }
    return this.take();
  }

  /** End of input: the unterminated last line, the decoder's tail and whatever the Framer holds. */
  end(): LogRecord[] {
    if (this.carry !== null) this.flushCarry();
    this.text(this.decoder.end());
    for (const r of this.framer.end()) this.out.push(r);
    return this.take();
  }

  /** Everything completed so far, in file order. */
  private take(): LogRecord[] {
    const fast = this.framer.drain();
    let out = this.out;
    if (out.length === 0) return fast;
    for (const r of fast) out.push(r);
    this.out = [];
    return out;
  }

  /** Text for the Framer's own path (it returns fast records accepted before, in order). */
  private text(t: string): void {
    const recs = this.framer.push(t);
    if (this.out.length === 0) this.out = recs;
    else for (const r of recs) this.out.push(r);
  }

  private flushCarry(): void {
    const c = this.carry;
    this.carry = null;
    if (c && c.length) this.text(this.decoder.write(c));
  }

  /** Whole lines `[start, end)` of `buf` (end is just past a newline). */
  private region(buf: Buffer, start: number, end: number): void {
    const view = buf.subarray(start, end);
    const valid = isUtf8(view);
    this.ascii = valid && isAscii(view);
    this.nOpen = this.nClose = this.nMark = -1;
    let pos = start;
    while (pos < end) {
      const nl = buf.indexOf(NL, pos);
      const stop = nl < 0 || nl >= end ? end - 1 : nl;
      const ok = this.framer.idle && stop + 1 - pos <= this.maxChars
        && (valid || isUtf8(buf.subarray(pos, stop)))
        && this.fast(buf, pos, stop);
      if (!ok) this.text(this.decoder.write(buf.subarray(pos, stop + 1)));
      pos = stop + 1;
    }
  }

  private nextOpen(buf: Buffer, from: number): number {
    if (this.nOpen !== NONE && this.nOpen < from) {
      const i = buf.indexOf(OPEN, from, 'latin1');
      this.nOpen = i < 0 ? NONE : i;
    }
    return this.nOpen;
  }

  private nextClose(buf: Buffer, from: number): number {
    if (this.nClose !== NONE && this.nClose < from) {
      const i = buf.indexOf(CLOSE, from, 'latin1');
      this.nClose = i < 0 ? NONE : i;
    }
    return this.nClose;
  }

  private nextMark(buf: Buffer, from: number): number {
    if (this.nMark !== NONE && this.nMark < from) {
      const i = buf.indexOf(MARK, from, 'latin1');
      this.nMark = i < 0 ? NONE : i;
    }
    return this.nMark;
  }

  private slice(buf: Buffer, s: number, e: number): string {
    if (s >= e) return '';
    return this.ascii ? latin1(buf, s, e) : utf8(buf, s, e);
  }

  /** One physical line `[s, nl]` (nl: its newline, or the last byte); true when framed here. */
  private fast(buf: Buffer, s: number, nl: number): boolean {
    const lineEnd = buf[nl] === NL ? nl : nl + 1;
    if (buf[s] === LT && buf[s + 1] === 0x21 && buf[s + 2] === 0x5b && buf[s + 3] === 0x4c && buf[s + 4] === 0x4f && buf[s + 5] === 0x47 && buf[s + 6] === 0x5b) {
      return this.cmtrace(buf, s, lineEnd, nl + 1 - s);
    }
    return this.smsexec(buf, s, lineEnd, nl + 1 - s);
  }

  // Results of readClock, kept in fields so the hot path allocates nothing per line.
  private clockH = 0;
  private clockM = 0;
  private clockS = 0;
  private clockMs = 0;
  private clockEnd = 0;
  private clockBias: number | null = null;

  /**
   * Reads `H:M:S[.f…][±BBB]` (1–2 digit parts, 1–7 fraction digits, a plausible bias) at `p`, as
   * both line formats write it. Returns the position after it, or -1 when the shape differs (the
   * tolerant text path then takes the line).
   */
  private readClock(buf: Buffer, p: number): number {
    let v = 0;
    let n = 0;
    for (let part = 0; part < 3; part++) {
      v = 0;
      n = 0;
      while (n < 3 && (buf[p]! >= 48 && buf[p]! <= 57)) { v = v * 10 + buf[p]! - 48; p++; n++; }
      if (n === 0 || n > 2) return -1;
      if (part === 0) this.clockH = v; else if (part === 1) this.clockM = v; else this.clockS = v;
      if (part < 2) {
        if (buf[p] !== 0x3a) return -1;
        p++;
      }
    }
    let ms = 0;
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
    this.clockMs = ms;
    this.clockEnd = p;
    this.clockBias = null;
    if (buf[p] === 0x2b || buf[p] === 0x2d) {
      const neg = buf[p] === 0x2d;
      p++;
      v = 0;
      n = 0;
      while (n < 5 && (buf[p]! >= 48 && buf[p]! <= 57)) { v = v * 10 + buf[p]! - 48; p++; n++; }
      if (n === 0 || n > 4 || v > MAX_PLAUSIBLE_BIAS) return -1;
      this.clockBias = neg ? -v : v;
    }
    return p;
  }

  /** `<![LOG[message]LOG]!><time="…" date="…" component="…" context="…" type="N" thread="…" file="…">` on one line. */
  private cmtrace(buf: Buffer, s: number, lineEnd: number, bytes: number): boolean {
    if (this.nextOpen(buf, s + 1) < lineEnd) return false;
    const close = this.nextClose(buf, s + 7);
    if (close >= lineEnd) return false;
    let p = close + 7;
    // <time="
    if (buf[p] !== LT || buf[p + 1] !== 0x74 || buf[p + 2] !== 0x69 || buf[p + 3] !== 0x6d || buf[p + 4] !== 0x65 || buf[p + 5] !== 0x3d || buf[p + 6] !== QUOTE) return false;
    p += 7;
    const timeStart = p;
    p = this.readClock(buf, p);
    if (p < 0) return false;
    const { clockH: h, clockM: mi, clockS: sec, clockMs: ms, clockEnd: timeEnd, clockBias: bias } = this;
    if (buf[p] !== QUOTE) return false;
    // The rest of the header (date, component, context, type, thread, file) is usually the same
    // bytes as on a recent line: compare, and parse only when it differs.
    const t = this.tails.find(buf, p, lineEnd) ?? this.tail(buf, p, lineEnd);
    if (t === null) return false;
    // wallClockMs for a valid day: the text path reports impossible times.
    if (h > 23 || mi > 59 || sec > 60) return false;
    const localMs = t.dayMs + h * 3_600_000 + mi * 60_000 + (sec > 59 ? 59 : sec) * 1000 + ms;

    const f = this.framer;
    const rec: LogRecord = {
      log: this.log, path: this.path, offset: f.nextOffset, length: bytes, line: f.nextLine, endLine: f.nextLine,
      localText: `${t.date} ${this.slice(buf, timeStart, timeEnd)}`, localMs, bias, utcMs: null,
      component: t.component, thread: t.thread,
      severity: t.severity, severitySource: 'type', message: this.slice(buf, s + 7, close), format: 'cmtrace',
    };
    if (t.context !== '') rec.context = t.context;
    if (t.file !== '') rec.srcFile = t.file;
    f.acceptLine(rec, bytes);
    return true;
  }

  /** Parses `" date="…" component="…" context="…" type="N" thread="…" file="…">` and blanks, from the `"` ending the time. */
  private tail(buf: Buffer, q: number, lineEnd: number): HeaderTail | null {
    let p = q;
    if (!lit(buf, p, '" date="')) return null;
    p += 8;
    const dateStart = p;
    let v = 0;
    let n = 0;
    let month = 0;
    let day = 0;
    for (let part = 0; part < 2; part++) {
      v = 0;
      n = 0;
      while (n < 3 && (buf[p]! >= 48 && buf[p]! <= 57)) { v = v * 10 + buf[p]! - 48; p++; n++; }
      if (n === 0 || n > 2 || (buf[p] !== 0x2d && buf[p] !== 0x2f)) return null;
      p++;
      if (part === 0) month = v; else day = v;
    }
    v = 0;
    n = 0;
    while (n < 5 && (buf[p]! >= 48 && buf[p]! <= 57)) { v = v * 10 + buf[p]! - 48; p++; n++; }
    if (n !== 4) return null;
    const year = v;
    const dateEnd = p;
    if (!lit(buf, p, '" component="')) return null;
    p += 13;
    const compStart = p;
    p = quoteEnd(buf, p, lineEnd);
    if (p < 0) return null;
    const compEnd = p;
    if (!lit(buf, p, '" context="')) return null;
    p += 11;
    const ctxStart = p;
    p = quoteEnd(buf, p, lineEnd);
    if (p < 0) return null;
    const ctxEnd = p;
    if (!lit(buf, p, '" type="')) return null;
    p += 8;
    const ty = buf[p]!;
    let severity: Severity;
    if (ty === 0x33) severity = 'error';
    else if (ty === 0x32) severity = 'warning';
    else if (ty === 0x31 || ty === 0x30) severity = 'info';
    else return null;
    p++;
    if (!lit(buf, p, '" thread="')) return null;
    p += 10;
    const thrStart = p;
    p = quoteEnd(buf, p, lineEnd);
    if (p < 0) return null;
    const thrEnd = p;
    if (!lit(buf, p, '" file="')) return null;
    p += 8;
    const fileStart = p;
    p = quoteEnd(buf, p, lineEnd);
    if (p < 0) return null;
    const fileEnd = p;
    if (buf[p + 1] !== GT) return null;
    for (p += 2; p < lineEnd; p++) if (!isSpace(buf[p]!)) return null;
    const dayMs = wallClockMs(year, month, day, 0, 0, 0, 0);
    if (dayMs === null) return null;
    const t: HeaderTail = {
      dayMs, date: latin1(buf, dateStart, dateEnd),
      component: this.slice(buf, compStart, compEnd), context: this.slice(buf, ctxStart, ctxEnd),
      thread: this.slice(buf, thrStart, thrEnd), file: this.slice(buf, fileStart, fileEnd), severity,
    };
    this.tails.add(buf, q, lineEnd, t);
    return t;
  }

  /** `message  $$<Component><MM-dd-yyyy HH:mm:ss.fff+BBB><thread=N (0xHEX)>`. */
  private smsexec(buf: Buffer, s: number, lineEnd: number, bytes: number): boolean {
    if (this.nextOpen(buf, s) < lineEnd || this.nextClose(buf, s) < lineEnd) return false;
    let at = this.nextMark(buf, s);
    if (at >= lineEnd) return false;
    // The last `$$<` of the line.
    for (;;) {
      const next = this.nextMark(buf, at + 1);
      if (next >= lineEnd) break;
      at = next;
    }
    // The line as the text path sees it ends before one trailing CR.
    const end = lineEnd > s && buf[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
    // `$$<Component><`
    let p = at + 3;
    let stampStart = this.comps.match(buf, at, end);
    let component = stampStart < 0 ? undefined : this.comps.hit;
    if (component === undefined) {
      while (p < end && buf[p] !== GT) p++;
      if (p >= end || buf[p + 1] !== LT) return false;
      const raw = this.slice(buf, at + 3, p);
      component = hasOuterSpace(raw) ? raw.trim() : raw;
      this.comps.add(buf, at, p + 2, component);
      stampStart = p + 2;
    }
    p = stampStart;
    let v = 0;
    let n = 0;
    let mo = 0;
    let d = 0;
    for (let part = 0; part < 2; part++) {
      v = 0;
      n = 0;
      while (n < 3 && (buf[p]! >= 48 && buf[p]! <= 57)) { v = v * 10 + buf[p]! - 48; p++; n++; }
      if (n === 0 || n > 2 || buf[p] !== 0x2d) return false;
      p++;
      if (part === 0) mo = v; else d = v;
    }
    v = 0;
    n = 0;
    while (n < 5 && (buf[p]! >= 48 && buf[p]! <= 57)) { v = v * 10 + buf[p]! - 48; p++; n++; }
    if (n !== 4 || buf[p] !== 0x20) return false;
    const year = v;
    p = this.readClock(buf, p + 1);
    if (p < 0) return false;
    const { clockH: h, clockM: mi, clockS: sec, clockMs: ms, clockEnd: localEnd, clockBias: bias } = this;
    if (buf[p] !== GT) return false;
    // The day's start is cached: the same date comes back line after line.
    if (year !== this.dayYear || mo !== this.dayMonth || d !== this.dayDay) {
      this.dayYear = year;
      this.dayMonth = mo;
      this.dayDay = d;
      this.dayStart = wallClockMs(year, mo, d, 0, 0, 0, 0);
    }
    if (this.dayStart === null || h > 23 || mi > 59 || sec > 60) return false;
    const localMs = this.dayStart + h * 3_600_000 + mi * 60_000 + (sec > 59 ? 59 : sec) * 1000 + ms;
    p++;
    let thread = '';
    // `<thread=N (0xHEX)>` and blanks, usually as on a recent line.
    const tailStart = p;
    const known = p < end ? this.threads.find(buf, tailStart, end) : undefined;
    if (known !== undefined) {
      thread = known;
      p = end;
    } else if (p < end && buf[p] === LT) {
      // <thread=N> or <thread=N (0xHEX)>
      if (!lit(buf, p, '<thread=')) return false;
      p += 8;
      const thrStart = p;
      while (p < end && (buf[p]! >= 48 && buf[p]! <= 57)) p++;
      if (p === thrStart) return false;
      const thrEnd = p;
      if (buf[p] !== GT) {
        while (p < end && isSpace(buf[p]!)) p++;
        if (buf[p] !== 0x28 || buf[p + 1] !== 0x30 || buf[p + 2] !== 0x78) return false;
        p += 3;
        const hexStart = p;
        while (p < end && ((buf[p]! >= 48 && buf[p]! <= 57) || ((buf[p]! | 0x20) >= 0x61 && (buf[p]! | 0x20) <= 0x66))) p++;
        if (p === hexStart || buf[p] !== 0x29) return false;
        p++;
        if (buf[p] !== GT) return false;
      }
      p++;
      thread = latin1(buf, thrStart, thrEnd);
      for (; p < end; p++) if (!isSpace(buf[p]!)) return false;
      this.threads.add(buf, tailStart, end, thread);
    }
    for (; p < end; p++) if (!isSpace(buf[p]!)) return false;

    // Message: the text before `$$<` without trailing whitespace; `~~` are newlines.
    let me = at;
    while (me > s && isSpace(buf[me - 1]!)) me--;
    if (me > s && buf[me - 1]! >= 0x80) return false; // may end in a non-ASCII space: text path
    let message = this.slice(buf, s, me);
    if (message.includes('~~')) message = message.replace(/~~/g, '\n').replace(/\n+$/, '');
    const { severity, source } = severityFromText(message);
    const f = this.framer;
    const rec: LogRecord = {
      log: this.log, path: this.path, offset: f.nextOffset, length: bytes, line: f.nextLine, endLine: f.nextLine,
      localText: latin1(buf, stampStart, localEnd), localMs, bias, utcMs: null,
      component, thread, severity, severitySource: source,
      message, format: 'smsexec',
    };
    f.acceptLine(rec, bytes);
    return true;
  }
}

/** Index of the `"` closing a value that starts at p (before lineEnd), or -1. */
function quoteEnd(buf: Buffer, p: number, lineEnd: number): number {
  const i = buf.indexOf(QUOTE, p);
  return i < 0 || i >= lineEnd ? -1 : i;
}

function hasOuterSpace(s: string): boolean {
  if (s.length === 0) return false;
  return s.trim().length !== s.length;
}

/** Whether the ASCII literal `text` is at `p`. */
function lit(buf: Buffer, p: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (buf[p + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** What a CMTrace header says after its time. */
interface HeaderTail {
  /** The date at 00:00 as epoch ms (wall clock as if UTC). */
  dayMs: number;
  date: string;
  component: string;
  context: string;
  thread: string;
  file: string;
  severity: Severity;
}

const CACHE_SLOTS = 4;

/**
 * The last few byte strings seen (header tails, components, thread parts) with what they parse
 * to: log lines repeat them, and comparing bytes is cheaper than parsing and decoding again.
 */
class ByteCache<T> {
  private readonly keys: Buffer[] = [];
  private readonly values: T[] = [];
  private next = 0;
  /** The value of the last successful `match`. */
  hit: T | undefined = undefined;

  /** The value cached for exactly the bytes `[s, e)`. */
  find(buf: Buffer, s: number, e: number): T | undefined {
    const len = e - s;
    const keys = this.keys;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      if (key.length === len && buf.compare(key, 0, len, s, e) === 0) return this.values[k];
    }
    return undefined;
  }

  /** A cached key that `buf` holds at `s` (not past `e`): the index just past it (value in `hit`), or -1. */
  match(buf: Buffer, s: number, e: number): number {
    const keys = this.keys;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      const len = key.length;
      if (s + len <= e && buf.compare(key, 0, len, s, s + len) === 0) {
        this.hit = this.values[k];
        return s + len;
      }
    }
    this.hit = undefined;
    return -1;
  }

  add(buf: Buffer, s: number, e: number, value: T): void {
    if (e - s > 512) return;
    const key = Buffer.from(buf.subarray(s, e));
    if (this.keys.length < CACHE_SLOTS) {
      this.keys.push(key);
      this.values.push(value);
      return;
    }
    this.keys[this.next] = key;
    this.values[this.next] = value;
    this.next = (this.next + 1) % CACHE_SLOTS;
  }
}
