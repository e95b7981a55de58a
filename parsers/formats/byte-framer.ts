import { isAscii, isUtf8 } from 'node:buffer';
import type { LogRecord, Severity } from '../types.js';
import type { Framer } from './framer.js';
import { severityFromText } from './severity.js';
import { MAX_PLAUSIBLE_BIAS, wallClockMs } from './time.js';
import { ByteCache, type Bytes, ClockReader, isSpace, lit, LocalTexts, valueEnd, viewOf } from './byte-scan.js';

/** CMTrace header attributes after the date, in the order the header tail reads them. */
const COMPONENT = '" component="';
const CONTEXT = '" context="';
const THREAD = '" thread="';
const FILE = '" file="';

/** A streaming byte → text decoder (src/ingest/decode.ts StreamDecoder). */
export interface ByteDecoder {
  write(chunk: Uint8Array): string;
  end(): string;
}

/** A partial last line larger than this goes to the text path instead of being held as bytes. */
const MAX_CARRY = 1 << 20;

const LT = 0x3c; // <
const GT = 0x3e; // >
const NL = 0x0a;
const CR = 0x0d;
const BANG = 0x21; // ! (in both CMTrace markers)
const DOLLAR = 0x24;
const TILDE = 0x7e;
// Per line, markers are found through one of their bytes: Buffer#indexOf with a multi-byte
// needle sets up a string search per call, which costs more than scanning a 300-byte line
// for one byte. (The one multi-byte search left, on new header tails, uses a Buffer needle: a
// string needle is re-encoded per call.)
const OPEN = Buffer.from('<![LOG[', 'latin1');
const CLOSE = Buffer.from(']LOG]!>', 'latin1');
const TIME = Buffer.from('<time="', 'latin1');
// The 7-byte markers as two overlapping 4-byte words, to test for them with two loads.
const OPEN_A = viewOf(OPEN).getInt32(0, true);
const OPEN_B = viewOf(OPEN).getInt32(3, true);
const CLOSE_A = viewOf(CLOSE).getInt32(0, true);
const CLOSE_B = viewOf(CLOSE).getInt32(3, true);
const TIME_A = viewOf(TIME).getInt32(0, true);
const TIME_B = viewOf(TIME).getInt32(3, true);
const NONE = Number.MAX_SAFE_INTEGER;

function toBuffer(chunk: Uint8Array): Bytes {
  return (Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)) as Bytes;
}

/**
 * Byte-level framing for UTF-8 input, in front of a Framer. Lines are found with `indexOf` on
 * the raw bytes; a line in the usual shape (a whole CMTrace entry on one line with the usual
 * header, or a `$$<` server line with the usual stamp) is read at fixed positions and only its
 * message and attribute values are decoded. Everything else — multi-line entries, odd headers,
 * bad times, plain text, invalid UTF-8, huge lines, the start of a file — goes to the Framer's
 * tolerant text path through the decoder, so the records are exactly those the text path gives
 * (a property test compares them), whatever the chunking. Pushed chunks are not kept: the
 * caller may reuse their memory.
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
  /** The current buffer as a DataView (for multi-byte compares), and the buffer it views. */
  private view = viewOf(Buffer.alloc(0));
  private viewed: Uint8Array | null = null;
  /** Next positions of `!`, `~` and `$$<` in the current buffer, searched only when passed. */
  private readonly nBang = new NextByte(BANG);
  private readonly nTilde = new NextByte(TILDE);
  private nMark = -1;
  private ascii = false;
  private readonly clock = new ClockReader(MAX_PLAUSIBLE_BIAS);
  /** Recently seen CMTrace header tails, and `$$<` component-and-date and thread parts, with what they say. */
  private readonly tails = new ByteCache<HeaderTail>();
  private readonly heads = new ByteCache<StampHead>();
  private readonly threads = new ByteCache<string>();
  private readonly localTexts = new LocalTexts();

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
      const line = Buffer.concat([this.carry, buf.subarray(0, nl + 1)]) as Bytes;
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
    const out = this.out;
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
  private region(buf: Bytes, start: number, end: number): void {
    const lines = buf.subarray(start, end);
    // ASCII (the usual case) is valid UTF-8 and decodes byte for byte.
    this.ascii = isAscii(lines);
    const valid = this.ascii || isUtf8(lines);
    if (this.viewed !== buf) {
      this.view = viewOf(buf);
      this.viewed = buf;
    }
    this.nBang.reset();
    this.nTilde.reset();
    this.nMark = -1;
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

  /** The next `$$<`, found through its first `$` (rare in messages). */
  private nextMark(buf: Bytes, from: number): number {
    if (this.nMark !== NONE && this.nMark < from) {
      let i = from;
      for (;;) {
        i = buf.indexOf(DOLLAR, i);
        if (i < 0) i = NONE;
        else if (buf[i + 1] !== DOLLAR || buf[i + 2] !== LT) { i++; continue; }
        break;
      }
      this.nMark = i;
    }
    return this.nMark;
  }

  /** Whether the 7-byte marker whose words are `a` and `b` is at `p`, within `[from, to)`. */
  private markerAt(p: number, a: number, b: number, from: number, to: number): boolean {
    return p >= from && p + 7 <= to && this.view.getInt32(p, true) === a && this.view.getInt32(p + 3, true) === b;
  }

  private slice(buf: Bytes, s: number, e: number): string {
    if (s >= e) return '';
    return this.ascii ? buf.latin1Slice(s, e) : buf.utf8Slice(s, e);
  }

  /** One physical line `[s, nl]` (nl: its newline, or the last byte); true when framed here. */
  private fast(buf: Bytes, s: number, nl: number): boolean {
    const lineEnd = buf[nl] === NL ? nl : nl + 1;
    if (lineEnd - s >= 7 && this.view.getInt32(s, true) === OPEN_A && this.view.getInt32(s + 3, true) === OPEN_B) {
      return this.cmtrace(buf, s, lineEnd, nl + 1 - s);
    }
    return this.smsexec(buf, s, lineEnd, nl + 1 - s);
  }

  /** `<![LOG[message]LOG]!><time="…" date="…" component="…" context="…" type="N" thread="…" file="…">` on one line. */
  private cmtrace(buf: Bytes, s: number, lineEnd: number, bytes: number): boolean {
    const v = this.view;
    // The first `!` after the opener's is the closer's (`]LOG]!>`) unless the message has one:
    // usually one byte search finds the closer and shows there is no other opener before it.
    // (No opener can overlap the closer, nor start in the time or in a header tail accepted below.)
    let close = -1;
    for (let from = s + 2; close < 0;) {
      const i = this.nBang.from(buf, from);
      if (i >= lineEnd) return false;
      if (this.markerAt(i - 5, CLOSE_A, CLOSE_B, s + 7, lineEnd)) close = i - 5;
      else if (this.markerAt(i - 1, OPEN_A, OPEN_B, s, lineEnd)) return false;
      from = i + 1;
    }
    let p = close + 7;
    if (p + 7 > lineEnd || v.getInt32(p, true) !== TIME_A || v.getInt32(p + 3, true) !== TIME_B) return false;
    p += 7;
    const timeStart = p;
    const c = this.clock;
    p = c.read(buf, p);
    if (p < 0 || buf[p] !== 0x22) return false;
    // The rest of the header (date, component, context, type, thread, file) is usually the same
    // bytes as on a recent line: compare, and parse only when it differs.
    const t = this.tails.find(v, p, lineEnd) ?? this.tail(buf, p, lineEnd);
    if (t === null) return false;
    const ms = c.dayMs();
    if (ms < 0) return false;
    const f = this.framer;
    const localText = this.localTexts.text(t.dateHead, buf, v, timeStart, c.fraction, c.end, c.ms);
    const rec = cmtraceRecord(this.log, this.path, f.nextOffset, bytes, f.nextLine, localText,
      t.dayMs + ms, c.bias, t, this.slice(buf, s + 7, close));
    f.acceptLine(rec, bytes);
    return true;
  }

  /** Parses `" date="…" component="…" context="…" type="N" thread="…" file="…">` and blanks, from the `"` ending the time. */
  private tail(buf: Bytes, q: number, lineEnd: number): HeaderTail | null {
    const open = buf.indexOf(OPEN, q);
    if (open >= 0 && open < lineEnd) return null;
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
    const compStart = p + COMPONENT.length;
    const compEnd = valueEnd(buf, p, COMPONENT, lineEnd);
    if (compEnd < 0) return null;
    const ctxStart = compEnd + CONTEXT.length;
    const ctxEnd = valueEnd(buf, compEnd, CONTEXT, lineEnd);
    if (ctxEnd < 0) return null;
    p = ctxEnd;
    if (!lit(buf, p, '" type="')) return null;
    p += 8;
    const ty = buf[p]!;
    let severity: Severity;
    if (ty === 0x33) severity = 'error';
    else if (ty === 0x32) severity = 'warning';
    else if (ty === 0x31 || ty === 0x30) severity = 'info';
    else return null;
    p++;
    const thrStart = p + THREAD.length;
    const thrEnd = valueEnd(buf, p, THREAD, lineEnd);
    if (thrEnd < 0) return null;
    const fileStart = thrEnd + FILE.length;
    const fileEnd = valueEnd(buf, thrEnd, FILE, lineEnd);
    if (fileEnd < 0) return null;
    p = fileEnd;
    if (buf[p + 1] !== GT) return null;
    for (p += 2; p < lineEnd; p++) if (!isSpace(buf[p]!)) return null;
    const dayMs = wallClockMs(year, month, day, 0, 0, 0, 0);
    if (dayMs === null) return null;
    const t: HeaderTail = {
      dayMs, dateHead: `${buf.latin1Slice(dateStart, dateEnd)} `,
      component: this.slice(buf, compStart, compEnd), context: this.slice(buf, ctxStart, ctxEnd),
      thread: this.slice(buf, thrStart, thrEnd), file: this.slice(buf, fileStart, fileEnd), severity,
    };
    this.tails.add(buf, q, lineEnd, t);
    return t;
  }

  /** `message  $$<Component><MM-dd-yyyy HH:mm:ss.fff+BBB><thread=N (0xHEX)>`. */
  private smsexec(buf: Bytes, s: number, lineEnd: number, bytes: number): boolean {
    // No CMTrace marker on the line: both have a `!`, which server lines seldom hold.
    for (let i = this.nBang.from(buf, s); i < lineEnd; i = this.nBang.from(buf, i + 1)) {
      if (this.markerAt(i - 1, OPEN_A, OPEN_B, s, lineEnd) || this.markerAt(i - 5, CLOSE_A, CLOSE_B, s, lineEnd)) return false;
    }
    let at = this.nextMark(buf, s);
    if (at >= lineEnd) return false;
    // The last `$$<` of the line.
    for (;;) {
      // `$$<` cannot start at at + 1 or at + 2.
      const next = this.nextMark(buf, at + 3);
      if (next >= lineEnd) break;
      at = next;
    }
    // The line as the text path sees it ends before one trailing CR.
    const end = lineEnd > s && buf[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
    // `$$<Component><MM-dd-yyyy ` is usually as on a recent line: compared, not parsed again.
    const head = this.heads.match(this.view, at, end) >= 0 ? this.heads.hit! : this.stampHead(buf, at, end);
    if (head === null) return false;
    const c = this.clock;
    let p = c.read(buf, at + head.length);
    if (p < 0 || buf[p] !== GT) return false;
    const ms = c.dayMs();
    if (ms < 0) return false;
    p++;
    let thread = '';
    // `<thread=N (0xHEX)>` and blanks, usually as on a recent line.
    const tailStart = p;
    const known = p < end ? this.threads.find(this.view, tailStart, end) : undefined;
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
      thread = buf.latin1Slice(thrStart, thrEnd);
      for (; p < end; p++) if (!isSpace(buf[p]!)) return false;
      this.threads.add(buf, tailStart, end, thread);
    }
    for (; p < end; p++) if (!isSpace(buf[p]!)) return false;

    // Message: the text before `$$<` without trailing whitespace; `~~` are newlines.
    let me = at;
    while (me > s && isSpace(buf[me - 1]!)) me--;
    if (me > s && buf[me - 1]! >= 0x80) return false; // may end in a non-ASCII space: text path
    let message = this.slice(buf, s, me);
    // `~~` (newlines) is rare: looking for `~` once per buffer beats a string search per line.
    if (this.nTilde.from(buf, s) < me && message.includes('~~')) message = message.replace(/~~/g, '\n').replace(/\n+$/, '');
    const sev = severityFromText(message);
    const f = this.framer;
    const rec: LogRecord = {
      log: this.log, path: this.path, offset: f.nextOffset, length: bytes, line: f.nextLine, endLine: f.nextLine,
      localText: this.localTexts.text('', buf, this.view, at + head.stampOffset, c.fraction, c.end, c.ms),
      localMs: head.dayStart + ms, bias: c.bias, utcMs: null,
      component: head.component, thread, severity: sev.severity, severitySource: sev.source,
      message, format: 'smsexec',
    };
    f.acceptLine(rec, bytes);
    return true;
  }

  /** Parses `$$<Component><MM-dd-yyyy ` (1–2 digit month and day, a possible date) at `at`, and caches it. */
  private stampHead(buf: Bytes, at: number, end: number): StampHead | null {
    let p = at + 3;
    while (p < end && buf[p] !== GT) p++;
    if (p >= end || buf[p + 1] !== LT) return null;
    const raw = this.slice(buf, at + 3, p);
    const component = hasOuterSpace(raw) ? raw.trim() : raw;
    p += 2;
    const stampOffset = p - at;
    let v = 0;
    let n = 0;
    let mo = 0;
    let d = 0;
    for (let part = 0; part < 2; part++) {
      v = 0;
      n = 0;
      while (n < 3 && (buf[p]! >= 48 && buf[p]! <= 57)) { v = v * 10 + buf[p]! - 48; p++; n++; }
      if (n === 0 || n > 2 || buf[p] !== 0x2d) return null;
      p++;
      if (part === 0) mo = v; else d = v;
    }
    v = 0;
    n = 0;
    while (n < 5 && (buf[p]! >= 48 && buf[p]! <= 57)) { v = v * 10 + buf[p]! - 48; p++; n++; }
    if (n !== 4 || buf[p] !== 0x20) return null;
    p++;
    const dayStart = wallClockMs(v, mo, d, 0, 0, 0, 0);
    if (dayStart === null) return null;
    const head: StampHead = { component, stampOffset, length: p - at, dayStart };
    this.heads.add(buf, at, p, head);
    return head;
  }
}

/** The next position of a byte in the current buffer (NONE: none left), searched only when passed. */
class NextByte {
  private at = -1;

  constructor(private readonly byte: number) {}

  reset(): void {
    this.at = -1;
  }

  from(buf: Buffer, from: number): number {
    if (this.at !== NONE && this.at < from) {
      const i = buf.indexOf(this.byte, from);
      this.at = i < 0 ? NONE : i;
    }
    return this.at;
  }
}

/**
 * A CMTrace record with the keys in the text path's order. `context` and `srcFile` exist only
 * when non-empty; each combination is its own literal so no record grows a property after
 * creation (which costs a hidden-class transition and an out-of-object property store).
 */
function cmtraceRecord(log: string, path: string, offset: number, length: number, line: number, localText: string,
  localMs: number, bias: number | null, t: HeaderTail, message: string): LogRecord {
  const { component, thread, severity, context, file } = t;
  if (context === '') {
    if (file === '') {
      return { log, path, offset, length, line, endLine: line, localText, localMs, bias, utcMs: null,
        component, thread, severity, severitySource: 'type', message, format: 'cmtrace' };
    }
    return { log, path, offset, length, line, endLine: line, localText, localMs, bias, utcMs: null,
      component, thread, severity, severitySource: 'type', message, format: 'cmtrace', srcFile: file };
  }
  if (file === '') {
    return { log, path, offset, length, line, endLine: line, localText, localMs, bias, utcMs: null,
      component, thread, severity, severitySource: 'type', message, format: 'cmtrace', context };
  }
  return { log, path, offset, length, line, endLine: line, localText, localMs, bias, utcMs: null,
    component, thread, severity, severitySource: 'type', message, format: 'cmtrace', context, srcFile: file };
}

function hasOuterSpace(s: string): boolean {
  if (s.length === 0) return false;
  return s.trim().length !== s.length;
}

/** What `$$<Component><MM-dd-yyyy ` says. */
interface StampHead {
  component: string;
  /** Where the stamp (after `><`) starts, from the `$$<`. */
  stampOffset: number;
  /** Bytes from `$$<` to past the blank after the date. */
  length: number;
  /** The date at 00:00 as epoch ms (wall clock as if UTC). */
  dayStart: number;
}

/** What a CMTrace header says after its time. */
interface HeaderTail {
  /** The date at 00:00 as epoch ms (wall clock as if UTC). */
  dayMs: number;
  /** The date as written and a blank: how the local text starts. */
  dateHead: string;
  component: string;
  context: string;
  thread: string;
  file: string;
  severity: Severity;
}
