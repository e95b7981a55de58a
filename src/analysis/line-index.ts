/**
 * Where the lines of a file start, counted from its line feeds: the way back to a record's bytes
 * when the byte offsets framing reported do not match the file. They drift in a UTF-8 log with
 * Windows-1252 bytes in it: such a byte decodes to one character (`é`) that is measured as the
 * two or three bytes of its UTF-8 form, so each one adds a byte or two to every later offset.
 * Line numbers do not drift. Built once per file, only when a record did not read back.
 */

/** Something bytes can be read from at any position (a file descriptor, or bytes in memory). */
export interface ByteReader {
  readonly size: number;
  /** Up to `len` bytes at `pos` (fewer at the end of the file). */
  read(pos: number, len: number): Uint8Array;
}

/** One start kept every this many lines; the lines between are counted again when asked for. */
const STEP = 1024;
const CHUNK = 1 << 20;
const NL = 0x0a;

export class LineIndex {
  /** Byte offset of lines 1, 1 + STEP, 1 + 2·STEP, … */
  private readonly starts: number[];

  private constructor(starts: number[]) {
    this.starts = starts;
  }

  /** Counts the line feeds of a whole file; `first` is where line 1 starts (after a BOM). */
  static build(r: ByteReader, first: number): LineIndex {
    const starts = [first];
    let line = 1;
    for (let pos = first; pos < r.size; pos += CHUNK) {
      const buf = r.read(pos, CHUNK);
      if (buf.length === 0) break;
      for (let i = buf.indexOf(NL); i >= 0; i = buf.indexOf(NL, i + 1)) {
        line++;
        if ((line - 1) % STEP === 0) starts.push(pos + i + 1);
      }
    }
    return new LineIndex(starts);
  }

  /** Byte offset where 1-based `line` starts, or -1 past the end of the file. */
  lineStart(r: ByteReader, line: number): number {
    const k = Math.floor((line - 1) / STEP);
    if (line < 1 || k >= this.starts.length) return -1;
    let pos = this.starts[k]!;
    let skip = line - 1 - k * STEP;
    while (skip > 0) {
      const buf = r.read(pos, 64 * 1024);
      if (buf.length === 0) return -1;
      let i = -1;
      while (skip > 0 && (i = buf.indexOf(NL, i + 1)) >= 0) skip--;
      if (skip === 0) return pos + i + 1;
      pos += buf.length;
    }
    return pos;
  }
}
