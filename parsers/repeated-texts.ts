/**
 * What was computed for a text, found again for a text of the same characters. Most lines of a
 * busy log repeat word for word (every long-poll answer is `Response from … is: 204
 * (NoContent)`), so the extractors replay a line's events (logs/memo.ts) and the rule engine its
 * prefilter verdict instead of running their regexes again.
 *
 * Texts are found by length, not by a hash: hashing a fresh string reads every character in C++
 * (~1 ns each), while a text of the same length compares as a memcmp. A few texts per length,
 * most recently found first, cover a line that alternates between a few spellings. Kept: at most
 * WAYS texts of each length up to MAX_TEXT, about half a million characters.
 */
import { detached } from './logs/text.js';

const WAYS = 4;
export const MAX_TEXT = 512;
// A length whose last COLD lines were all new holds lines that do not repeat (a fresh activity ID
// on every request): looking each up and keeping it costs for nothing, so only one in COLD_EVERY
// is, enough to notice when they start to repeat.
const COLD = 8;
const COLD_EVERY = 16;

interface Entry<V> {
  text: string;
  value: V;
}

export class RepeatedTexts<V> {
  private readonly slots: Entry<V>[][] = Array.from({ length: MAX_TEXT + 1 }, () => []);
  /** New texts in a row per length. */
  private readonly misses = new Uint32Array(MAX_TEXT + 1);
  /** Whether keep() takes the text find() just did not find. */
  private admit = false;

  /**
   * The value kept for `text` that `fits` (when one text has values for several contexts), or
   * undefined: then compute it and keep() it.
   */
  find(text: string, fits?: (value: V) => boolean): V | undefined {
    this.admit = false;
    const length = text.length;
    if (length > MAX_TEXT) return undefined;
    const misses = this.misses[length] ?? 0;
    this.misses[length] = misses + 1;
    if (misses >= COLD && (misses - COLD) % COLD_EVERY !== 0) return undefined;
    const slot = this.slots[length]!;
    for (let i = 0; i < slot.length; i++) {
      const e = slot[i]!;
      if (e.text !== text || (fits !== undefined && !fits(e.value))) continue;
      this.misses[length] = 0;
      if (i > 0) {
        slot[i] = slot[0]!;
        slot[0] = e;
      }
      return e.value;
    }
    this.admit = true;
    return undefined;
  }

  /** Whether keep() would take a value now (build it only then). */
  get admits(): boolean {
    return this.admit;
  }

  /** Keeps the value computed for the `text` find() just did not find (ignored otherwise). */
  keep(text: string, value: V): void {
    if (!this.admit) return;
    this.admit = false;
    const slot = this.slots[text.length]!;
    if (slot.length >= WAYS) slot.pop();
    // The key outlives the record: a copy, so that it does not hold a whole record or chunk.
    slot.unshift({ text: detached(text), value });
  }
}
