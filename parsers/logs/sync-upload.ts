/**
 * CMGatewaySyncUploadWorker.log (service connection point): the 15-minute device upload.
 *
 * Documented: `Batching N records`, `Next run time will be at approximately: 02/28/2020 16:35:31`.
 * Not documented (the wording our sample logs use): `Starting sync upload (delta).`,
 * `Upload completed successfully. 12 records uploaded.`, `Upload failed. Will retry at next run.`,
 * and `full sync` / `delta sync` mentions.
 */
import type { TimelineEvent } from '../types.js';
import { makeEvent, type LineInput, type LinePart } from './event.js';
import { holds } from './guard.js';
import { toUtc, US_DATETIME_SRC, usDateTimeMs } from '../formats/time.js';

const BATCH_RE = /\bBatching\s+(\d{1,12})\s+records?\b/i;
const NEXT_RUN_RE = new RegExp(String.raw`Next\s+run\s+time\s+will\s+be\s+(?:at\s+)?approximately\s*:?\s*(${US_DATETIME_SRC})`, 'i');
const START_RE = /\bStarting\s+(?:the\s+)?(?:(full|delta)\s+)?sync(?:hroni[sz]ation)?\s*upload\b(?:\s*\(\s*(full|delta)\s*\))?/i;
const SUCCEEDED_RE = /\bUpload\s+(?:succeeded|(?:completed|finished)\s+successful+y)\b(?:[\s.,:;-]*(\d{1,12})\s+records?\s+(?:were\s+)?uploaded)?/i;
const FAILED_RE = /\bUpload\s+failed\b\s*[.:,;-]*\s*(.*)$/i;
const MODE_RE = /\b(full|delta)[\s-]*sync/i;
/** What START_RE and MODE_RE need; MODE_RE, led by an alternation, scans slowly. */
const SYNC_NEEDS = /sync/i;

function mode(value: string | undefined): 'full' | 'delta' | null {
  if (value === undefined) return null;
  return value.toLowerCase() === 'full' ? 'full' : 'delta';
}

export function createSyncUploadPart(): LinePart {
  return {
    pure: true,
    line(input: LineInput, out: TimelineEvent[]): void {
      const { record, text } = input;

      const sync = holds(SYNC_NEEDS, text);
      const start = sync ? START_RE.exec(text) : null;
      if (start) {
        const m = mode(start[2] ?? start[1]);
        out.push(makeEvent(record, 'upload.start', 'info', m ? `Sync upload started (${m})` : 'Sync upload started', { mode: m }));
      } else if (sync) {
        const stated = MODE_RE.exec(text);
        if (stated) {
          const m = mode(stated[1]);
          out.push(makeEvent(record, 'upload.sync-mode', 'info', `${m === 'full' ? 'Full' : 'Delta'} sync`, { mode: m }));
        }
      }

      const batch = BATCH_RE.exec(text);
      if (batch) {
        const records = Number(batch[1]);
        out.push(makeEvent(record, 'upload.batch', 'info', `Batching ${records} records`, { records }));
      }

      const next = NEXT_RUN_RE.exec(text);
      if (next) {
        const nextLocal = (next[1] ?? '').trim();
        const nextUtcMs = toUtc(usDateTimeMs(next, 2), record.bias);
        out.push(makeEvent(record, 'upload.next-run', 'info', `Next run at approximately ${nextLocal}`, { nextLocal, nextUtcMs }));
      }

      const ok = SUCCEEDED_RE.exec(text);
      if (ok) {
        const records = ok[1] === undefined ? null : Number(ok[1]);
        out.push(
          makeEvent(record, 'upload.succeeded', 'info', records === null ? 'Upload succeeded' : `Upload succeeded (${records} records)`, {
            records,
          }),
        );
      }

      const failed = FAILED_RE.exec(text);
      if (failed) {
        const reason = (failed[1] ?? '').trim().replace(/[.\s]+$/, '') || null;
        out.push(makeEvent(record, 'upload.failed', 'error', reason ? `Upload failed: ${reason}` : 'Upload failed', { reason }));
      }
    },
  };
}
