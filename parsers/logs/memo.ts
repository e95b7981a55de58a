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
import { MAX_TEXT, RepeatedTexts } from '../repeated-texts.js';

interface Template {
  kind: EventKind;
  severity: Severity;
  summary: string;
  fields: Record<string, FieldValue>;
}

interface Entry {
  warning: boolean;
  bias: number | null;
  templates: readonly Template[];
}

const NONE: readonly Template[] = [];

export class LineMemo {
  /** The events read from each text (by failure severity and bias). */
  private readonly texts = new RepeatedTexts<Entry>();

  /** Append the events kept for `text`, made for `record`; false when not found (then keep()). */
  replay(record: LogRecord, text: string, out: TimelineEvent[]): boolean {
    if (text.length > MAX_TEXT) return false;
    const warning = failureSeverity(record) === 'warning';
    const bias = record.bias;
    const e = this.texts.find(text, (v) => v.warning === warning && v.bias === bias);
    if (e === undefined) return false;
    for (const t of e.templates) out.push(makeEvent(record, t.kind, t.severity, t.summary, { ...t.fields }));
    return true;
  }

  /** Keep the events read from the `text` replay() did not find (copies: events are the consumer's to change). */
  keep(record: LogRecord, text: string, events: readonly TimelineEvent[]): void {
    if (!this.texts.admits) return;
    const templates =
      events.length === 0
        ? NONE
        : events.map((e) => ({ kind: e.kind as EventKind, severity: e.severity, summary: e.summary, fields: { ...e.fields } }));
    this.texts.keep(text, { warning: failureSeverity(record) === 'warning', bias: record.bias, templates });
  }
}
