import type { LineFormat, LogRecord, SkippedRange } from '../types.js';
import { CMTRACE_CLOSE, CMTRACE_OPEN, findHeaderEnd, parseCmtraceHeader } from './cmtrace.js';
import { parseSmsexecLine, SMSEXEC_MARK } from './smsexec.js';
import { parsePlainLine } from './plain.js';

/** The rest of a line still to be read, at byte `offset` of the file, `bytes` long. */
interface Segment {
  line: string;
  offset: number;
  bytes: number;
}

export interface FramerOptions {
  /** Logical log name stamped on every record. */
  log: string;
  /** Physical path stamped on every record. */
  path: string;
  /**
   * Byte length in the file of a piece of decoded text (default: its UTF-8 length). `at` is
   * where the piece starts in all the text pushed to this framer (UTF-16 code units), so a
   * decoder can tell which characters came from which bytes (StreamDecoder's Windows-1252
   * fallback); `floor` is a promise that no later call measures text before it.
   */
  measure?: (text: string, at: number, floor: number) => number;
  /** Byte offset of the first character pushed (after a BOM, or where a tail resumes). */
  startOffset?: number;
  /** Line number of the first character pushed (1 unless resuming). */
  startLine?: number;
  /** A user override for the bias (minutes); replaces whatever the lines say. */
  biasOverride?: number;
  /**
   * Characters of one record kept in memory. Longer records keep their head and tail, and the
   * middle is reported as a skipped range (a 50 MB line must not take 50 MB per copy).
   */
  maxRecordChars?: number;
  /** True when this text continues an earlier read of the same file (no partial-first check). */
  resumed?: boolean;
}

const utf8Measure = (t: string): number => Buffer.byteLength(t, 'utf8');

/** True when cutting `s` at `i` would split a surrogate pair. */
function splitsPair(s: string, i: number): boolean {
  return i > 0 && i < s.length && (s.charCodeAt(i - 1) & 0xfc00) === 0xd800 && (s.charCodeAt(i) & 0xfc00) === 0xdc00;
}

/** Lines held at the start of a file while we learn whether they end a truncated CMTrace entry. */
const MAX_ORPHAN_LINES = 256;

interface OpenEntry {
  line: number;
  offset: number;
  parts: string[];
  chars: number;
  droppedBytes: number;
}

interface Orphan {
  text: string;
  line: number;
  offset: number;
  bytes: number;
}

/**
 * Turns decoded text, pushed in chunks of any size, into LogRecords. The output does not depend
 * on how the input was chunked (a property test proves it). Each physical line is classified:
 *
 * - `<![LOG[ … ]LOG]!><time=… >` CMTrace entries, which may span lines (the header comes last);
 * - `message  $$<Component><time><thread=…>` server lines;
 * - anything else is a plain, message-only record.
 *
 * Text before the first entry that ends in a CMTrace header is the tail of an entry cut by a
 * rollover: it becomes one partial record, never glued to its neighbour.
 */
export class Framer {
  readonly skipped: SkippedRange[] = [];
  private readonly opts: FramerOptions;
  private readonly measure: (text: string, at: number, floor: number) => number;
  private readonly maxChars: number;
  private pendingHead = '';
  private pendingTail = '';
  private pendingDropped = 0;
  private pendingDroppedChars = 0;
  private lineNo: number;
  private offset: number;
  /** Where the pending line starts in all the text pushed (code units; for `measure`). */
  private lineChar = 0;
  /**
   * The line being processed: its text (head and tail of a cut line, without its line end),
   * where it starts in the text pushed, and where its middle was cut (`curHead`: its index in
   * `cur`; `curCutChars`/`curCutBytes`: what was dropped there).
   */
  private cur = '';
  private curChar = 0;
  private curHead = 0;
  private curCutChars = 0;
  private curCutBytes = 0;
  private open: OpenEntry | null = null;
  private orphans: Orphan[] | null;
  private orphanChars = 0;
  private out: LogRecord[] = [];
  private counts: Record<LineFormat, number> = { cmtrace: 0, smsexec: 0, plain: 0 };

  constructor(opts: FramerOptions) {
    this.opts = opts;
    this.measure = opts.measure ?? utf8Measure;
    this.maxChars = opts.maxRecordChars ?? 1_000_000;
    this.lineNo = opts.startLine ?? 1;
    this.offset = opts.startOffset ?? 0;
    this.orphans = opts.resumed ? null : [];
  }

  /** How many records of each shape were emitted so far (the source's detected format). */
  get formatCounts(): Readonly<Record<LineFormat, number>> {
    return this.counts;
  }

  /** Line number of the next line to be read. */
  get nextLine(): number {
    return this.lineNo;
  }

  /** Push decoded text; returns the records completed by it. */
  push(text: string): LogRecord[] {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      this.appendPending(text.slice(start, nl + 1));
      this.completeLine();
      start = nl + 1;
    }
    if (start < text.length) this.appendPending(text.slice(start));
    return this.take();
  }

  /**
   * Emits what is still held: an unterminated last line, an entry whose header never came
   * (as partial), and held start-of-file lines. Call at end of input, or after a tail timeout.
   */
  end(): LogRecord[] {
    if (this.pendingHead.length > 0 || this.pendingDropped > 0) this.completeLine();
    this.releaseOrphans();
    if (this.open) this.emitOpenAsPartial('entry never closed: no `]LOG]!><time=…>` header before the end of the file');
    return this.take();
  }

  /** True while part of a record is held back waiting for more text. */
  get holding(): boolean {
    return this.pendingHead.length > 0 || this.open !== null || (this.orphans?.length ?? 0) > 0;
  }

  /**
   * @internal For ByteFramer's fast path: nothing is held (no partial line, no open entry, no
   * start-of-file lines), so the next whole physical line may be framed outside the Framer and
   * handed over with `acceptLine`, giving exactly what `push` would have given.
   */
  get idle(): boolean {
    return this.pendingHead.length === 0 && this.pendingTail.length === 0 && this.pendingDropped === 0
      && this.pendingDroppedChars === 0 && this.open === null && this.orphans === null;
  }

  /** @internal Byte offset of the next line to be read. */
  get nextOffset(): number {
    return this.offset;
  }

  /** @internal The options this framer was built with. */
  get options(): Readonly<FramerOptions> {
    return this.opts;
  }

  /**
   * @internal Takes a record that ByteFramer framed from one whole physical line of `bytes` bytes
   * (its offset, line and length already set from `nextOffset`/`nextLine`); only while `idle`.
   * Applies what `push` applies to every record (bias override, UTC, format counts).
   */
  acceptLine(rec: LogRecord, bytes: number): void {
    this.lineNo += 1;
    this.offset += bytes;
    if (this.opts.biasOverride !== undefined) rec.bias = this.opts.biasOverride;
    rec.utcMs = rec.localMs === null ? null : rec.localMs + (rec.bias ?? 0) * 60_000;
    this.counts[rec.format] += 1;
    this.out.push(rec);
  }

  /** @internal Records completed so far (ByteFramer). */
  drain(): LogRecord[] {
    return this.take();
  }

  private take(): LogRecord[] {
    const r = this.out;
    this.out = [];
    return r;
  }

  /**
   * Accumulates the current physical line, keeping head and tail only if it grows huge. The cuts
   * never split a surrogate pair, so the bytes counted as dropped do not depend on the chunking.
   */
  private appendPending(piece: string): void {
    if (this.pendingDropped === 0 && this.pendingHead.length + piece.length <= this.maxChars) {
      this.pendingHead += piece;
      return;
    }
    const tailKeep = Math.min(8192, this.maxChars >> 2);
    let t: string;
    if (this.pendingDropped === 0 && this.pendingDroppedChars === 0) {
      const all = this.pendingHead + piece;
      let k = this.maxChars - tailKeep;
      if (splitsPair(all, k)) k -= 1;
      this.pendingHead = all.slice(0, k);
      t = all.slice(k);
    } else {
      t = this.pendingTail + piece;
    }
    const tAt = this.lineChar + this.pendingHead.length + this.pendingDroppedChars;
    let cutAt = tailKeep === 0 ? 0 : Math.max(0, t.length - tailKeep);
    if (splitsPair(t, cutAt)) cutAt += 1;
    const dropped = t.slice(0, cutAt);
    this.pendingTail = t.slice(cutAt);
    this.pendingDropped += this.measure(dropped, tAt, this.curChar);
    this.pendingDroppedChars += dropped.length;
  }

  private completeLine(): void {
    const head = this.pendingHead;
    const tail = this.pendingTail;
    const dropped = this.pendingDropped;
    const droppedChars = this.pendingDroppedChars;
    this.pendingHead = '';
    this.pendingTail = '';
    this.pendingDropped = 0;
    this.pendingDroppedChars = 0;
    const at = this.lineChar;
    this.curChar = at;
    this.lineChar = at + head.length + droppedChars + tail.length;
    const headBytes = this.measure(head, at, at);
    const bytes = headBytes + (tail ? this.measure(tail, at + head.length + droppedChars, at) : 0) + dropped;
    let line = head + tail;
    if (line.endsWith('\n')) line = line.slice(0, -1);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    this.cur = line;
    this.curHead = head.length;
    this.curCutChars = droppedChars;
    this.curCutBytes = dropped;
    const lineNo = this.lineNo;
    const offset = this.offset;
    if (dropped > 0) {
      const from = offset + headBytes;
      this.skipped.push({ path: this.opts.path, startOffset: from, endOffset: from + dropped, reason: `line ${lineNo} is longer than ${this.maxChars} characters: middle not analyzed` });
    }
    this.lineNo += 1;
    this.offset += bytes;
    this.processLine(line, lineNo, offset, bytes, dropped > 0);
  }

  /**
   * Bytes in the file of `cur[i, j)`; across the cut of a cut line, with the bytes dropped
   * there unless `gap` is false.
   */
  private span(i: number, j: number, gap = true): number {
    if (j <= i) return 0;
    const h = this.curHead;
    const c = this.cur;
    const at = this.curChar;
    if (j <= h) return this.measure(c.slice(i, j), at + i, at);
    const cut = this.curCutChars;
    if (i >= h) return this.measure(c.slice(i, j), at + i + cut, at);
    return this.measure(c.slice(i, h), at + i, at) + (gap ? this.curCutBytes : 0) + this.measure(c.slice(h, j), at + h + cut, at);
  }

  /** Bytes of the first `k` characters of `seg`, a suffix of the line being processed. */
  private pre(seg: string, k: number): number {
    const i = this.cur.length - seg.length;
    return this.span(i, i + k);
  }

  private processLine(line: string, lineNo: number, offset: number, bytes: number, cut: boolean): void {
    if (this.open) {
      const closeAt = line.indexOf(CMTRACE_CLOSE);
      const openAt = line.indexOf(CMTRACE_OPEN);
      if (openAt >= 0 && (closeAt < 0 || openAt < closeAt)) {
        this.emitOpenAsPartial('entry never closed: the next entry began first');
      } else if (closeAt >= 0) {
        const headerEnd = findHeaderEnd(line, closeAt + CMTRACE_CLOSE.length);
        if (headerEnd >= 0) {
          const open = this.open;
          this.open = null;
          this.addPart(open, line.slice(0, closeAt), 0);
          const consumed = this.pre(line, headerEnd);
          const restBlank = line.slice(headerEnd).trim() === '';
          const length = offset - open.offset + (restBlank ? bytes : consumed);
          this.emitCmtrace(open, line.slice(closeAt + CMTRACE_CLOSE.length, headerEnd), lineNo, length, false, cut);
          if (!restBlank) this.processSegment(line.slice(headerEnd), lineNo, offset + consumed, bytes - consumed, cut);
          return;
        }
        this.addPart(this.open, line, 0);
        return;
      } else {
        this.addPart(this.open, line, 0);
        return;
      }
    }
    this.processSegment(line, lineNo, offset, bytes, cut);
  }

  /**
   * A line (or the rest of one) outside any open entry. A loop, not a recursion, over the
   * records a line holds: a line of thousands of records (a log written without line breaks, a
   * damaged zip entry's bytes) overflowed the stack.
   */
  private processSegment(line: string, lineNo: number, offset: number, bytes: number, cut: boolean): void {
    let rest: Segment | null = { line, offset, bytes };
    while (rest) rest = this.segmentStep(rest.line, lineNo, rest.offset, rest.bytes, cut);
  }

  /** One record (or line) at the start of a segment; returns the rest of the line still to read, or null. */
  private segmentStep(line: string, lineNo: number, offset: number, bytes: number, cut: boolean): Segment | null {
    const openAt = line.indexOf(CMTRACE_OPEN);
    const closeAt = line.indexOf(CMTRACE_CLOSE);

    // A header with no opener before it: the end of an entry that began before this file.
    if (closeAt >= 0 && (openAt < 0 || closeAt < openAt)) {
      const headerEnd = findHeaderEnd(line, closeAt + CMTRACE_CLOSE.length);
      if (headerEnd >= 0) {
        const orphans = this.orphans ?? [];
        this.orphans = null;
        const first = orphans[0];
        const entry: OpenEntry = {
          line: first ? first.line : lineNo,
          offset: first ? first.offset : offset,
          parts: orphans.map((o) => o.text), chars: 0, droppedBytes: 0,
        };
        this.addPart(entry, line.slice(0, closeAt), this.cur.length - line.length);
        const consumed = this.pre(line, headerEnd);
        const restBlank = line.slice(headerEnd).trim() === '';
        const length = offset - entry.offset + (restBlank ? bytes : consumed);
        this.emitCmtrace(entry, line.slice(closeAt + CMTRACE_CLOSE.length, headerEnd), lineNo, length, true, cut);
        return restBlank ? null : { line: line.slice(headerEnd), offset: offset + consumed, bytes: bytes - consumed };
      }
    }

    if (openAt >= 0) {
      const before = line.slice(0, openAt);
      let beforeBytes = 0;
      if (before.trim() !== '') {
        beforeBytes = this.pre(line, openAt);
        this.emitLine(before, lineNo, offset, beforeBytes, cut);
      } else if (openAt > 0) {
        beforeBytes = this.pre(line, openAt);
      }
      this.releaseOrphans();
      const entry: OpenEntry = { line: lineNo, offset: offset + beforeBytes, parts: [], chars: 0, droppedBytes: 0 };
      this.open = entry;
      const body = line.slice(openAt + CMTRACE_OPEN.length);
      const prefixBytes = this.pre(line, openAt + CMTRACE_OPEN.length);
      // The whole entry may close on this same line.
      return this.continueOpen(body, lineNo, offset, bytes, prefixBytes, cut);
    }

    this.emitLine(line, lineNo, offset, bytes, cut);
    return null;
  }

  /**
   * Continues an entry just opened on this line with the text after `<![LOG[`; returns the rest
   * of the line after it when it closes there (or another begins), else null.
   */
  private continueOpen(body: string, lineNo: number, lineOffset: number, lineBytes: number, prefixBytes: number, cut: boolean): Segment | null {
    const open = this.open!;
    const closeAt = body.indexOf(CMTRACE_CLOSE);
    const nextOpen = body.indexOf(CMTRACE_OPEN);
    if (closeAt >= 0 && (nextOpen < 0 || closeAt < nextOpen)) {
      const headerEnd = findHeaderEnd(body, closeAt + CMTRACE_CLOSE.length);
      if (headerEnd >= 0) {
        this.open = null;
        this.addPart(open, body.slice(0, closeAt), this.cur.length - body.length);
        const consumed = prefixBytes + this.pre(body, headerEnd);
        const restBlank = body.slice(headerEnd).trim() === '';
        const length = lineOffset - open.offset + (restBlank ? lineBytes : consumed);
        this.emitCmtrace(open, body.slice(closeAt + CMTRACE_CLOSE.length, headerEnd), lineNo, length, false, cut);
        return restBlank ? null : { line: body.slice(headerEnd), offset: lineOffset + consumed, bytes: lineBytes - consumed };
      }
    }
    if (nextOpen >= 0) {
      // Two openers on one line and the first never closed.
      this.addPart(open, body.slice(0, nextOpen), this.cur.length - body.length);
      this.emitOpenAsPartial('entry never closed: the next entry began first');
      const used = prefixBytes + this.pre(body, nextOpen);
      return { line: body.slice(nextOpen), offset: lineOffset + used, bytes: lineBytes - used };
    }
    // Not closed on this line: later lines continue it; its byte span is computed at emit.
    this.addPart(open, body, this.cur.length - body.length);
    return null;
  }

  /** Adds `text`, which is `cur` from index `at` on, to an entry's message (within the cap). */
  private addPart(entry: OpenEntry, text: string, at: number): void {
    if (entry.chars + text.length <= this.maxChars) {
      entry.parts.push(text);
      entry.chars += text.length + 1;
      return;
    }
    let room = Math.max(0, this.maxChars - entry.chars);
    // Never cut between the halves of a surrogate pair (an emoji): keep both or neither.
    const before = text.charCodeAt(room - 1);
    if (room > 0 && room < text.length && before >= 0xd800 && before <= 0xdbff) room--;
    const kept = text.slice(0, room);
    if (kept) entry.parts.push(kept);
    entry.chars = this.maxChars + 1;
    const dropped = text.slice(room);
    // A part dropped whole also loses the newline that joined it to the message.
    entry.droppedBytes += this.span(at + room, at + text.length, false) + (room === 0 && dropped.length > 0 ? 1 : 0);
  }

  /** Plain or server line, or a held start-of-file line. */
  private emitLine(line: string, lineNo: number, offset: number, bytes: number, cut: boolean): void {
    if (this.orphans && !line.includes(SMSEXEC_MARK)) {
      if (line.trim() === '') {
        if (this.orphans.length === 0) return;
      }
      this.orphans.push({ text: line, line: lineNo, offset, bytes });
      this.orphanChars += line.length;
      // Bounded in lines and in size: giant plain lines at the start must not pile up.
      if (this.orphans.length >= MAX_ORPHAN_LINES || this.orphanChars > this.maxChars) this.releaseOrphans();
      return;
    }
    this.releaseOrphans();
    if (line.trim() === '') return;
    const sms = parseSmsexecLine(line);
    if (sms) {
      this.push1({
        log: this.opts.log, path: this.opts.path, offset, length: bytes, line: lineNo, endLine: lineNo,
        localText: sms.localText, localMs: sms.localMs, bias: sms.bias, utcMs: null,
        component: sms.component, thread: sms.thread, severity: sms.severity, severitySource: sms.severitySource,
        message: sms.message, format: 'smsexec',
      }, sms.problems, cut);
      return;
    }
    const plain = parsePlainLine(line);
    this.push1({
      log: this.opts.log, path: this.opts.path, offset, length: bytes, line: lineNo, endLine: lineNo,
      localText: plain.localText, localMs: plain.localMs, bias: plain.bias, utcMs: null,
      component: plain.component, thread: plain.thread, severity: plain.severity, severitySource: plain.severitySource,
      message: plain.message, format: 'plain',
    }, plain.problems, cut);
  }

  /** Held start-of-file lines turned out not to end an entry: they are plain lines after all. */
  private releaseOrphans(): void {
    const orphans = this.orphans;
    this.orphans = null;
    if (!orphans) return;
    for (const o of orphans) this.emitLine(o.text, o.line, o.offset, o.bytes, false);
  }

  private emitCmtrace(entry: OpenEntry, header: string, endLine: number, length: number, partialStart: boolean, cut: boolean): void {
    this.releaseOrphans();
    const message = entry.parts.join('\n');
    const f = parseCmtraceHeader(header, message);
    const problems = f.problems;
    if (partialStart) problems.push('entry began before the start of this file (rolled over): message is incomplete');
    if (entry.droppedBytes > 0) {
      this.skipped.push({ path: this.opts.path, startOffset: entry.offset, endOffset: entry.offset + length, reason: `record at line ${entry.line} is longer than ${this.maxChars} characters: ${entry.droppedBytes} bytes of its message not analyzed` });
      problems.push(`message truncated: ${entry.droppedBytes} bytes not kept`);
    }
    const rec: LogRecord = {
      log: this.opts.log, path: this.opts.path, offset: entry.offset, length, line: entry.line, endLine,
      localText: f.localText, localMs: f.localMs, bias: f.bias, utcMs: null,
      component: f.component, thread: f.thread, severity: f.severity, severitySource: f.severitySource,
      message, format: 'cmtrace',
    };
    if (partialStart) rec.partial = true;
    if (f.context) rec.context = f.context;
    if (f.srcFile) rec.srcFile = f.srcFile;
    this.push1(rec, problems, cut);
  }

  private emitOpenAsPartial(reason: string): void {
    const open = this.open;
    if (!open) return;
    this.open = null;
    this.orphans = null;
    const endLine = Math.max(open.line, this.lineNo - 1);
    const length = this.offset - open.offset;
    const rec: LogRecord = {
      log: this.opts.log, path: this.opts.path, offset: open.offset, length: Math.max(0, length), line: open.line, endLine,
      localText: null, localMs: null, bias: null, utcMs: null, component: '', thread: '',
      severity: 'unknown', severitySource: 'none', message: open.parts.join('\n'), format: 'cmtrace', partial: true,
    };
    this.push1(rec, [reason], false);
  }

  private push1(rec: LogRecord, problems: string[], cut: boolean): void {
    if (cut) problems.push('line too long: its middle was not analyzed');
    if (this.opts.biasOverride !== undefined) rec.bias = this.opts.biasOverride;
    // Without a bias the zone is unknown: order it as if it were UTC (the source says so).
    rec.utcMs = rec.localMs === null ? null : rec.localMs + (rec.bias ?? 0) * 60_000;
    if (problems.length > 0) rec.problems = problems;
    this.counts[rec.format] += 1;
    this.out.push(rec);
  }
}

/** Frames a whole text at once (tests, rule samples, stdin). */
export function frameText(text: string, opts: FramerOptions): LogRecord[] {
  const f = new Framer(opts);
  return [...f.push(text), ...f.end()];
}
