import type { FileHandle } from 'node:fs/promises';
import type { LogRecord } from '../../parsers/types.js';
import { Framer } from '../../parsers/formats/framer.js';
import { ByteFramer } from '../../parsers/formats/byte-framer.js';
import { sniffEncoding, StreamDecoder } from './decode.js';
import { binaryReason, emptyReport, type FileReport } from './read.js';

/**
 * One physical file being tailed: where we are in it (byte offset), what it is (device, inode and
 * first bytes, to recognise it after a rename or a copy), and its streaming decode + framing
 * state, which survives a rename: the unread end of `X.log` is read from `X.lo_` into the same
 * Framer, so a record cut by the rollover still comes out whole.
 */

/** First bytes kept to recognise a file after a rename or copy (and to see it replaced in place). */
export const HEAD_BYTES = 256;
const FIRST_READ = 64 * 1024;
const READ_CHUNK = 1 << 20;

const FRAMER_UNCLOSED = 'entry never closed: no `]LOG]!><time=…>` header before the end of the file';
const FRAMER_PARTIAL_START = 'entry began before the start of this file (rolled over): message is incomplete';

export interface FileId {
  dev: bigint;
  ino: bigint;
}

export interface TailOptions {
  /** Logical log name stamped on the records. */
  log: string;
  /** Physical path stamped on the records (where the file was when reading began). */
  path: string;
  biasOverride: number | null;
  /** For the problem texts of early-emitted records. */
  partialTimeoutMs: number;
  /** Bytes read (and framed into one batch) at a time; default 1 MiB. */
  readChunk?: number;
}

/** Identity of a finished file, so a rotation product is never read twice. */
export interface SeenFile extends FileId {
  head: Buffer;
}

/** True when the first bytes of one file are a prefix of the other's (the shorter decides). */
export function sameHead(a: Uint8Array, b: Uint8Array): boolean {
  const n = Math.min(a.length, b.length);
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, n), Buffer.from(b.buffer, b.byteOffset, n)) === 0;
}

/** Reads up to `n` bytes at position 0. */
export async function readHead(fh: FileHandle, n: number = HEAD_BYTES): Promise<Buffer> {
  if (n <= 0) return Buffer.alloc(0);
  const b = Buffer.alloc(n);
  const { bytesRead } = await fh.read(b, 0, n, 0);
  return b.subarray(0, bytesRead);
}

/** Enough bytes to decide the encoding: a BOM, a line feed (in any of the encodings), or 512 bytes. */
function sniffReady(buf: Buffer): boolean {
  if (buf.length >= 512) return true;
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) return true;
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return true;
  return buf.length >= 4 && buf.includes(0x0a);
}

export class FileTail {
  readonly opts: TailOptions;
  /** Where the bytes are now (after a rename: the `.lo_`). */
  at: string;
  dev: bigint;
  ino: bigint;
  /** Bytes consumed from the start of the file (BOM included). */
  offset = 0;
  /** The first min(offset, HEAD_BYTES) bytes. */
  head: Buffer = Buffer.alloc(0);
  /** Size and mtime at the last look (a cheap stat that matches both skips the file). */
  lastSize = -1;
  lastMtimeNs = -1n;
  /** Date.now() when bytes were last read. */
  lastGrowth: number;
  readonly report: FileReport;
  private framer: Framer | null = null;
  private decoder: StreamDecoder | null = null;
  /**
   * UTF-8 files are framed on the bytes (as the batch reader does). It is only ever given whole
   * lines: the bytes after the last line feed wait in `lineCarry`, so what is held is visible here.
   */
  private bytes: ByteFramer | null = null;
  private lineCarry: Buffer | null = null;
  /** Bytes held until the encoding can be decided; null once decoding started. */
  private sniffBuf: Buffer | null = Buffer.alloc(0);
  private binary = false;
  private endsWithNewline = true;
  /** Held text was emitted early and no byte came since. */
  private earlyFlushed = false;
  /** Byte offset where text emitted early ended mid-record: the next record there continues it. */
  private continuationAt = -1;
  private continuationMidLine = false;
  /** Records emitted early because no more text came within the timeout (for the report). */
  earlyRecords = 0;

  constructor(opts: TailOptions, id: FileId, now = Date.now()) {
    this.opts = opts;
    this.at = opts.path;
    this.dev = id.dev;
    this.ino = id.ino;
    this.lastGrowth = now;
    this.report = emptyReport(opts.path);
  }

  get identity(): SeenFile {
    return { dev: this.dev, ino: this.ino, head: this.head };
  }

  /** True while bytes or text are held back (a partial line, an open entry, an undecided encoding). */
  get holding(): boolean {
    if (this.sniffBuf && this.sniffBuf.length > 0) return true;
    if (this.lineCarry && this.lineCarry.length > 0) return true;
    return this.framer?.holding ?? false;
  }

  /**
   * Reads from `offset` to the end of the file behind `fh` (which may have grown past `sizeHint`,
   * its size when last seen), handing each chunk's records to `onRecords`. Returns the number of
   * bytes read.
   */
  async readFrom(fh: FileHandle, onRecords: (records: LogRecord[]) => void, sizeHint?: number): Promise<number> {
    let total = 0;
    const chunk = this.opts.readChunk ?? READ_CHUNK;
    const first = sizeHint === undefined ? Math.min(FIRST_READ, chunk) : Math.min(chunk, Math.max(4096, sizeHint - this.offset + 1));
    let at = this.offset;
    // A fresh buffer per read: the decoder may keep a view of the last bytes (a cut character).
    const read = (want: number): Promise<{ bytes: Buffer; full: boolean }> => {
      const b = Buffer.allocUnsafe(want);
      const p = fh.read(b, 0, want, at).then(({ bytesRead }) => ({ bytes: b.subarray(0, bytesRead), full: bytesRead === want }));
      at += want;
      p.catch(() => {}); // awaited below; until then a failure must not count as unhandled
      return p;
    };
    let pending: ReturnType<typeof read> | null = read(first);
    try {
      while (pending) {
        const { bytes, full }: { bytes: Buffer; full: boolean } = await pending;
        // The next bytes are read while these are framed (as read.ts does), only after a full
        // read: past the end, the file may grow by the time a read-ahead would land.
        pending = full ? read(chunk) : null;
        if (bytes.length === 0) break;
        total += bytes.length;
        const recs = this.feed(bytes);
        if (recs.length) onRecords(recs);
      }
    } finally {
      // Never leave a read in flight on a handle the caller closes.
      await pending?.catch(() => {});
    }
    return total;
  }

  /** Bytes that follow `offset` in the file. Returns the records they complete. */
  feed(bytes: Uint8Array, now = Date.now()): LogRecord[] {
    if (bytes.length === 0) return [];
    if (this.offset < HEAD_BYTES) {
      const take = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, HEAD_BYTES - this.offset));
      this.head = Buffer.concat([this.head, take]);
    }
    this.offset += bytes.length;
    this.lastGrowth = now;
    this.earlyFlushed = false;
    if (this.binary) return [];
    if (this.sniffBuf) {
      this.sniffBuf = Buffer.concat([this.sniffBuf, bytes]);
      if (!sniffReady(this.sniffBuf)) return [];
      return this.startDecoding();
    }
    return this.pushBytes(bytes);
  }

  private pushBytes(bytes: Uint8Array): LogRecord[] {
    if (!this.bytes) return this.push(this.decoder!.write(bytes));
    let buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    if (this.lineCarry) {
      buf = Buffer.concat([this.lineCarry, buf]);
      this.lineCarry = null;
    }
    const last = buf.lastIndexOf(0x0a);
    // A line with no end for over 1 MiB goes in as it is (the Framer keeps its head and tail).
    const cut = last < 0 && buf.length > 1 << 20 ? buf.length : last + 1;
    if (cut < buf.length) this.lineCarry = Buffer.from(buf.subarray(cut));
    this.endsWithNewline = this.lineCarry === null && buf[cut - 1] === 0x0a;
    if (cut === 0) return [];
    return this.count(this.mark(this.bytes.push(buf.subarray(0, cut))));
  }

  /**
   * After `timeoutMs` without growth, emits what is held (an unterminated line, an entry whose
   * header has not come) as partial records. Text that comes later continues in a separate record,
   * also marked partial.
   */
  flushStale(now: number, timeoutMs: number): LogRecord[] {
    if (this.earlyFlushed || now - this.lastGrowth < timeoutMs || !this.holding) return [];
    this.earlyFlushed = true;
    const out = this.sniffBuf ? this.startDecoding() : [];
    if (!this.framer) return out;
    const held: LogRecord[] = [];
    if (this.lineCarry) {
      // The unterminated line through the text path; the decoder ends any cut character.
      const c = this.lineCarry;
      this.lineCarry = null;
      held.push(...this.framer.push(this.decoder!.write(c) + this.decoder!.end()));
    }
    held.push(...this.framer.end());
    const recs = this.mark(held);
    let cut = false;
    let midLine = false;
    for (const r of recs) {
      const i = r.problems?.indexOf(FRAMER_UNCLOSED) ?? -1;
      if (i >= 0) {
        r.problems![i] = `entry not closed after ${timeoutMs} ms without new text: emitted as partial; if its end comes later it is a separate partial record`;
        cut = true;
      }
    }
    const last = recs[recs.length - 1];
    if (last && !this.endsWithNewline) {
      if (!last.partial) {
        last.partial = true;
        (last.problems ??= []).push(`line had no line end after ${timeoutMs} ms without new text: emitted as partial; if more of it comes later it is a separate partial record`);
      }
      cut = true;
      midLine = true;
    }
    if (cut && last) {
      this.continuationAt = last.offset + last.length;
      this.continuationMidLine = midLine;
    }
    this.earlyRecords += recs.length;
    out.push(...this.count(recs));
    return out;
  }

  /** End of this file (rolled over, replaced, or the tail stops): everything held comes out. */
  finish(): LogRecord[] {
    const out: LogRecord[] = [];
    if (this.sniffBuf && this.sniffBuf.length > 0) out.push(...this.startDecoding());
    if (this.bytes) {
      const c = this.lineCarry;
      this.lineCarry = null;
      const recs = c ? this.bytes.push(c) : [];
      recs.push(...this.bytes.end());
      out.push(...this.count(this.mark(recs)));
    } else if (this.framer && this.decoder) {
      out.push(...this.push(this.decoder.end()));
      out.push(...this.count(this.mark(this.framer.end())));
    }
    if (this.framer && this.decoder) {
      this.report.skipped.push(...this.framer.skipped);
      this.framer.skipped.length = 0;
      this.report.formats = { ...this.framer.formatCounts };
      this.report.fallbackBytes = this.decoder.fallbackBytes;
    }
    if (this.binary) {
      const s = this.report.skipped[0];
      if (s) s.endOffset = this.offset;
    }
    this.report.bytes = this.offset;
    return out;
  }

  private startDecoding(): LogRecord[] {
    const buf = this.sniffBuf ?? Buffer.alloc(0);
    this.sniffBuf = null;
    const sniff = sniffEncoding(buf);
    this.report.encoding = sniff.encoding;
    this.report.encodingHow = sniff.how;
    const binary = binaryReason(buf.subarray(0, 4096), sniff.encoding);
    if (binary) {
      this.binary = true;
      this.report.skipped.push({ path: this.opts.path, startOffset: 0, endOffset: this.offset, reason: binary });
      return [];
    }
    this.decoder = new StreamDecoder(sniff.encoding);
    const bom = sniff.how === 'bom' ? sniff.bomLength : 0;
    this.framer = new Framer({
      log: this.opts.log, path: this.opts.path, measure: this.decoder.measure, startOffset: bom,
      ...(this.opts.biasOverride === null ? {} : { biasOverride: this.opts.biasOverride }),
    });
    if (sniff.encoding === 'utf-8') this.bytes = new ByteFramer(this.framer, this.decoder);
    return this.pushBytes(buf.subarray(bom));
  }

  private push(text: string): LogRecord[] {
    if (text.length === 0 || !this.framer) return [];
    this.endsWithNewline = text.endsWith('\n');
    return this.count(this.mark(this.framer.push(text)));
  }

  /** The record that continues text emitted early is partial too, and says why. */
  private mark(recs: LogRecord[]): LogRecord[] {
    if (this.continuationAt < 0 || recs.length === 0) return recs;
    const first = recs[0]!;
    if (first.offset === this.continuationAt) {
      first.partial = true;
      const why = `continues a record emitted early (no new text for ${this.opts.partialTimeoutMs} ms): its start is the previous partial record`
        + (this.continuationMidLine ? '; line numbers from here on are one higher than in the file' : '');
      const problems = (first.problems ?? []).filter((p) => p !== FRAMER_PARTIAL_START);
      problems.push(why);
      first.problems = problems;
    }
    this.continuationAt = -1;
    return recs;
  }

  private count(recs: LogRecord[]): LogRecord[] {
    this.report.records += recs.length;
    return recs;
  }
}
