/**
 * Where a parallel scan may cut a log (analysis/parallel/plan.ts): at a record start near a
 * target offset, by the framer's own reading. Both sides of a cut inside a zip entry find it by
 * this rule on the same bytes (zip-cut.ts): the part before it stops there, the part after it
 * begins there, and the merge checks that they met.
 */
import { Framer } from '../../parsers/formats/framer.js';
import { ByteFramer } from '../../parsers/formats/byte-framer.js';
import { StreamDecoder } from './decode.js';

/** Bytes read before a cut to bring the extractor to its state there. */
export const WARM_BYTES = 1 << 20;
/** Bytes framed around a cut's target to find a record start there. */
export const PROBE_BYTES = 1 << 18;
/** Where the probe begins: a line start at or after this far before the target. */
export const PROBE_BEFORE = PROBE_BYTES / 4;

/**
 * The first record start at or after `target` in `bytes` (a line start at file offset `from`,
 * PROBE_BYTES long or to the file's end) whose predecessor is a complete CMTrace or `$$<` record
 * ending right where it begins, or null.
 */
export function recordStartIn(bytes: Uint8Array, from: number, target: number, path: string): number | null {
  const decoder = new StreamDecoder('utf-8');
  const framer = new Framer({ log: 'probe', path, measure: decoder.measure, startOffset: from, startLine: 1, resumed: true });
  const records = new ByteFramer(framer, decoder).push(bytes);
  for (let k = 2; k < records.length; k++) {
    const prev = records[k - 1]!;
    const r = records[k]!;
    if (r.offset < target) continue;
    if (prev.partial || prev.format === 'plain' || prev.format !== r.format) continue;
    if (prev.offset + prev.length !== r.offset) continue;
    return r.offset;
  }
  return null;
}

/** The offset just after the first newline at or after `at` in `bytes` (held from file offset `base`), below `limit`; 0 stays 0. */
export function lineStartIn(bytes: Uint8Array, base: number, at: number, limit: number): number | null {
  if (at === 0) return 0;
  const i = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).indexOf(10, Math.max(0, at - 1 - base));
  return i >= 0 && base + i + 1 < limit ? base + i + 1 : null;
}

/** Bytes of a file that cutIn needs around `target`: [from, to). */
export function cutWindow(target: number, size: number): { from: number; to: number } {
  return { from: Math.max(0, target - WARM_BYTES - PROBE_BYTES), to: Math.min(size, target + PROBE_BYTES + PROBE_BEFORE) };
}

/**
 * The cut near `target` in a file of `size` bytes, from its bytes in cutWindow (held from
 * offset `base`): the record start (recordStartIn, probing from a line start PROBE_BEFORE before
 * the target) and the line start a part beginning there warms up from. Null when there is none.
 */
export function cutIn(bytes: Uint8Array, base: number, target: number, size: number, path: string): { start: number; warmFrom: number | null } | null {
  const from = lineStartIn(bytes, base, Math.max(0, Math.floor(target - PROBE_BEFORE)), size);
  if (from === null || from <= 0) return null;
  const start = recordStartIn(bytes.subarray(from - base, from - base + PROBE_BYTES), from, target, path);
  if (start === null) return null;
  return { start, warmFrom: lineStartIn(bytes, base, Math.max(0, start - WARM_BYTES), start) };
}
