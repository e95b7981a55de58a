/**
 * Replaying a line's events for a line of the same text. Most lines of a busy log repeat word for
 * word (every long-poll answer is `Response from … is: 204 (NoContent)`): reading one costs a few
 * dozen regex scans, finding it again one comparison with the texts of its length kept before.
 *
 * Only for extractors whose parts are all pure (LinePart.pure): their events for a line outside
 * an exception block depend on the text alone, and on the record only through makeEvent (time,
 * bias, log, refs, text), failureSeverity and its bias. So a text is kept with the failure
 * severity and bias it was read for, and a replayed event is made again by makeEvent for its own
 * record, with its own copy of the fields.
 */
import type { FieldValue, LogRecord, Severity, TimelineEvent } from '../types.js';
import { failureSeverity, makeEvent } from './event.js';
import type { EventKind } from './kinds.js';
import { detached } from './text.js';

interface Template {
  kind: EventKind;
  severity: Severity;
  summary: string;
  fields: Record<string, FieldValue>;
}

interface Entry {
  text: string;
  warning: boolean;
  bias: number | null;
  templates: readonly Template[];
}

// Texts are found by length, not by a hash: hashing a fresh string reads every character in C++
// (~1 ns each), while a text of the same length compares as a memcmp. A few texts per length,
// most recently found first, cover a line that alternates between a few spellings. Kept: at
// most WAYS texts of each length up to MAX_TEXT, about half a million characters.
const WAYS = 4;
const MAX_TEXT = 512;
// A length whose last COLD lines were all new holds lines that do not repeat (a fresh activity ID
// on every request): looking each up and keeping it costs for nothing, so only one in COLD_EVERY
// is, enough to notice when they start to repeat.
const COLD = 8;
const COLD_EVERY = 16;

const NONE: readonly Template[] = [];

export class LineMemo {
  /** Texts by length. */
  private readonly slots: Entry[][] = Array.from({ length: MAX_TEXT + 1 }, () => []);
  /** New lines in a row per length. */
  private readonly misses = new Uint32Array(MAX_TEXT + 1);
  /** Whether keep() takes the line that replay() just did not find. */
  private admit = false;

  /** Append the events kept for `text`, made for `record`; false when not found (then keep()). */
  replay(record: LogRecord, text: string, out: TimelineEvent[]): boolean {
    this.admit = false;
    const length = text.length;
    if (length > MAX_TEXT) return false;
    const misses = this.misses[length] ?? 0;
    this.misses[length] = misses + 1;
    if (misses >= COLD && (misses - COLD) % COLD_EVERY !== 0) return false;
    const warning = failureSeverity(record) === 'warning';
    const slot = this.slots[length]!;
    for (let i = 0; i < slot.length; i++) {
      const e = slot[i]!;
      if (e.warning !== warning || e.bias !== record.bias || e.text !== text) continue;
      this.misses[length] = 0;
      if (i > 0) {
        slot[i] = slot[0]!;
        slot[0] = e;
      }
      for (const t of e.templates) out.push(makeEvent(record, t.kind, t.severity, t.summary, { ...t.fields }));
      return true;
    }
    this.admit = true;
    return false;
  }

  /** Keep the events read from the `text` replay() did not find (copies: events are the consumer's to change). */
  keep(record: LogRecord, text: string, events: readonly TimelineEvent[]): void {
    if (!this.admit) return;
    const slot = this.slots[text.length]!;
    if (slot.length >= WAYS) slot.pop();
    const templates =
      events.length === 0
        ? NONE
        : events.map((e) => ({ kind: e.kind as EventKind, severity: e.severity, summary: e.summary, fields: { ...e.fields } }));
    // The key outlives the record: a copy, so that it does not hold a whole record or chunk.
    slot.unshift({ text: detached(text), warning: failureSeverity(record) === 'warning', bias: record.bias, templates });
  }
}
