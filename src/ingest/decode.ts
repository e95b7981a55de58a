import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { firstIndex } from '../analysis/bisect.js';

/**
 * Byte → text decoding for log files. ConfigMgr logs are ANSI/UTF-8 or "Unicode" (UTF-16LE);
 * copied logs come with or without BOMs. Decoding is streaming: chunk boundaries may split a
 * multi-byte character or a surrogate pair.
 */

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface Sniffed {
  encoding: Encoding;
  /** Bytes of byte-order mark to skip (0, 2 or 3). */
  bomLength: number;
  /** How it was decided, for the source report. */
  how: 'bom' | 'nul-pattern' | 'default';
}

/** Decides the encoding from the first bytes of a file: BOM, then the NUL pattern of UTF-16. */
export function sniffEncoding(head: Uint8Array): Sniffed {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3, how: 'bom' };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2, how: 'bom' };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2, how: 'bom' };
  const n = Math.min(head.length & ~1, 1024);
  if (n >= 4) {
    let evenNul = 0;
    let oddNul = 0;
    for (let i = 0; i < n; i += 2) {
      if (head[i] === 0) evenNul++;
      if (head[i + 1] === 0) oddNul++;
    }
    const pairs = n / 2;
    // ASCII text in UTF-16 has a NUL in (nearly) every pair, always on the same side.
    if (oddNul > pairs * 0.6 && evenNul < pairs * 0.1) return { encoding: 'utf-16le', bomLength: 0, how: 'nul-pattern' };
    if (evenNul > pairs * 0.6 && oddNul < pairs * 0.1) return { encoding: 'utf-16be', bomLength: 0, how: 'nul-pattern' };
  }
  return { encoding: 'utf-8', bomLength: 0, how: 'default' };
}

// Windows-1252 bytes 0x80–0x9F; the rest of the upper half equals Latin-1.
const CP1252_HIGH = '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

function cp1252Char(b: number): string {
  return b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : String.fromCharCode(b);
}

/**
 * For each byte 0x80–0xFF: how many more bytes its Windows-1252 character takes in UTF-8 than
 * the one byte it came from (1 for U+0080–U+07FF, 2 for `€`, smart quotes and the like).
 */
const CP1252_EXCESS = Array.from({ length: 0x80 }, (_, i) => Buffer.byteLength(cp1252Char(0x80 + i), 'utf8') - 1);

/** Length of the UTF-8 sequence starting at `buf[i]` if it is valid and complete; 0 if invalid; -1 if cut off. */
function utf8SeqLength(buf: Uint8Array, i: number): number {
  const b = buf[i]!;
  let need: number;
  let min: number;
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80; }
  else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800; }
  else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000; }
  else return 0;
  let cp = b & (0x3f >> need);
  for (let k = 1; k <= need; k++) {
    if (i + k >= buf.length) return -1;
    const c = buf[i + k]!;
    if ((c & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (c & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return need + 1;
}

/**
 * Streaming decoder. UTF-8 input with invalid bytes (an ANSI log with `é` written by a
 * Windows-1252 writer) decodes those bytes as Windows-1252 instead of U+FFFD, and counts them.
 */
export class StreamDecoder {
  readonly encoding: Encoding;
  /** Number of bytes decoded with the Windows-1252 fallback. */
  fallbackBytes = 0;
  private readonly utf16: TextDecoder | null;
  private carry: Uint8Array = new Uint8Array(0);
  /** UTF-16 code units of text returned so far (where the next returned text starts). */
  private chars = 0;
  /**
   * Where fallback characters are in the returned text (code-unit index, ascending), from
   * `fbFrom` on, and the total excess (UTF-8 bytes beyond the one source byte) of the fallback
   * characters up to and including each; `fbBefore` is that total for those dropped before
   * `fbFrom`. Entries before the `floor` a measure call gives are dropped.
   */
  private fbAt: number[] = [];
  private fbCum: number[] = [];
  private fbFrom = 0;
  private fbBefore = 0;
  private fbTotal = 0;

  constructor(encoding: Encoding) {
    this.encoding = encoding;
    this.utf16 = encoding === 'utf-8' ? null : new TextDecoder(encoding, { ignoreBOM: true });
  }

  /**
   * Byte length in the file of decoded text (for record offsets). `at` is where `text` starts in
   * all the text this decoder returned (code units): a character that came from the
   * Windows-1252 fallback counts as the one byte it was, not as its UTF-8 length. Without `at`,
   * the text is measured as UTF-8. `floor` promises that no later call measures text before it
   * (what is known about earlier text is let go). The Framer passes both, which holds when every
   * text returned by `write`/`end` is pushed, in order, to the one Framer given this measure.
   */
  measure = (text: string, at?: number, floor?: number): number => {
    if (this.encoding !== 'utf-8') return text.length * 2;
    const n = Buffer.byteLength(text, 'utf8');
    if (at === undefined || this.fbTotal === 0) return n;
    if (floor !== undefined) this.forget(floor);
    return n - (this.excessBefore(at + text.length) - this.excessBefore(at));
  };

  /** Total excess of the fallback characters before code unit `g` (g at or after the floor). */
  private excessBefore(g: number): number {
    const at = this.fbAt;
    const lo = this.fbFrom;
    const hi = at.length;
    if (hi === lo || at[lo]! >= g) return this.fbBefore;
    if (at[hi - 1]! < g) return this.fbCum[hi - 1]!;
    // at[lo] < g <= at[hi - 1]: the first index whose position is >= g.
    return this.fbCum[firstIndex(lo, hi, (i) => at[i]! < g) - 1]!;
  }

  /** Lets go of fallback positions before code unit `floor`. */
  private forget(floor: number): void {
    const at = this.fbAt;
    let i = this.fbFrom;
    if (i >= at.length || at[i]! >= floor) return;
    while (i < at.length && at[i]! < floor) i++;
    this.fbBefore = this.fbCum[i - 1]!;
    this.fbFrom = i;
    if (i === at.length) {
      this.fbAt = [];
      this.fbCum = [];
      this.fbFrom = 0;
    } else if (i > 4096 && i > at.length >> 1) {
      this.fbAt = at.slice(i);
      this.fbCum = this.fbCum.slice(i);
      this.fbFrom = 0;
    }
  }

  /** UTF-16 code units that were lone surrogates (decoded as U+FFFD). */
  invalidUnits = 0;

  write(chunk: Uint8Array): string {
    if (this.utf16) return this.countReplacements(this.utf16.decode(chunk, { stream: true }));
    const out = this.writeUtf8(chunk);
    this.chars += out.length;
    return out;
  }

  private writeUtf8(chunk: Uint8Array): string {
    let buf = chunk;
    if (this.carry.length > 0) {
      buf = new Uint8Array(this.carry.length + chunk.length);
      buf.set(this.carry, 0);
      buf.set(chunk, this.carry.length);
      this.carry = new Uint8Array(0);
    }
    return this.decodeUtf8(buf, false);
  }

  end(): string {
    if (this.utf16) return this.countReplacements(this.utf16.decode());
    const rest = this.carry;
    this.carry = new Uint8Array(0);
    const out = rest.length ? this.decodeUtf8(rest, true) : '';
    this.chars += out.length;
    return out;
  }

  /** UTF-16 input has no other source of U+FFFD than a lone surrogate or a cut-off last unit. */
  private countReplacements(text: string): string {
    let at = text.indexOf('\uFFFD');
    while (at >= 0) {
      this.invalidUnits++;
      at = text.indexOf('\uFFFD', at + 1);
    }
    return text;
  }

  private decodeUtf8(buf: Uint8Array, final: boolean): string {
    // Fast path: the whole chunk is valid UTF-8 except maybe a cut-off last character.
    let end = buf.length;
    let back = 0;
    while (back < 3 && end - back - 1 >= 0 && (buf[end - back - 1]! & 0xc0) === 0x80) back++;
    const lead = end - back - 1;
    if (!final && lead >= 0 && buf[lead]! >= 0xc0) {
      const len = utf8SeqLength(buf, lead);
      if (len === -1) end = lead;
    }
    const body = buf.subarray(0, end);
    // A copy: `buf` may be the caller's chunk, and chunks are reused (src/ingest/read.ts).
    if (end < buf.length) this.carry = new Uint8Array(buf.subarray(end));
    if (isUtf8(body)) {
      return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    }
    let out = '';
    let runStart = 0;
    let i = 0;
    while (i < body.length) {
      const len = utf8SeqLength(body, i);
      if (len > 0) { i += len; continue; }
      if (i > runStart) out += Buffer.from(body.buffer, body.byteOffset + runStart, i - runStart).toString('utf8');
      const b = body[i]!;
      this.fbTotal += CP1252_EXCESS[b - 0x80]!;
      this.fbAt.push(this.chars + out.length);
      this.fbCum.push(this.fbTotal);
      out += cp1252Char(b);
      this.fallbackBytes++;
      i++;
      runStart = i;
    }
    if (i > runStart) out += Buffer.from(body.buffer, body.byteOffset + runStart, i - runStart).toString('utf8');
    return out;
  }
}
