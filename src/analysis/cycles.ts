import type { RecordRef } from '../../parsers/types.js';
import { detached } from '../../parsers/logs/text.js';
import type { SortedEvent, UploadCycle } from './model.js';

export interface CycleOptions {
  /** The documented cadence of the sync upload. */
  intervalMs: number;
  /** How late the promised next run may be before it counts as missed. */
  graceMs: number;
}

export const DEFAULT_CYCLE_OPTIONS: CycleOptions = { intervalMs: 15 * 60_000, graceMs: 15 * 60_000 };

/** Most missed slots reported for one gap: a week-long outage must not make 700 rows. */
const MAX_MISSED_PER_GAP = 96;

interface Draft {
  events: SortedEvent[];
  records: number | null;
  mode: 'full' | 'delta' | null;
  status: number | null;
  succeeded: boolean;
  failure: string | null;
  nextRunUtc: number | null;
  nextRunLocal: string | null;
}

function draft(): Draft {
  return { events: [], records: null, mode: null, status: null, succeeded: false, failure: null, nextRunUtc: null, nextRunLocal: null };
}

const refOf = (e: SortedEvent): RecordRef => e.refs[0] ?? { path: '', line: 0, offset: 0 };

/** The log kind whose events make upload cycles (the only one buildCycles reads). */
export const CYCLE_LOG_KIND = 'CMGatewaySyncUploadWorker';

/** The fields of an upload event that buildCycles reads. */
const CYCLE_FIELDS = ['mode', 'records', 'status', 'nextUtcMs', 'nextLocal'] as const;

/**
 * What buildCycles needs of an upload event, for a lean analysis (scan) to keep: kind, times,
 * refs and the fields above, and the summary and text only of an event a failure's reason may
 * come from (not info, a failed upload, an HTTP status of 400 or more). A multi-site post-mortem
 * has ~6 of these per 15-minute cycle, each holding its line as text and fields cut from it:
 * 1,200 logs with 14,400 cycles kept 60 MB of them in full.
 */
export function cycleCopy(se: SortedEvent): SortedEvent {
  const f = se.fields;
  const fields: SortedEvent['fields'] = {};
  for (const k of CYCLE_FIELDS) {
    const v = f[k];
    // A copy of a string cut from the line, which would keep the whole line.
    if (v !== undefined) fields[k] = typeof v === 'string' ? detached(v) : v;
  }
  const reason = se.severity !== 'info' || se.kind === 'upload.failed' || se.kind === 'gateway.upload-failed' || (typeof f.status === 'number' && f.status >= 400);
  return {
    kind: se.kind, log: se.log, utcMs: se.utcMs, localText: se.localText, bias: se.bias, severity: se.severity,
    summary: reason ? se.summary : '', fields, refs: se.refs, text: reason ? se.text : '',
    sortMs: se.sortMs, seq: se.seq, sourceId: se.sourceId, machine: se.machine, logKind: se.logKind,
  };
}

/**
 * Groups CMGatewaySyncUploadWorker events into sync runs: start → Batching N records → gateway
 * call → result → "Next run time will be at approximately". A run fails when its upload fails;
 * a promised next run that never comes (while the analysis continues past it plus the grace
 * period) becomes one missed cycle per 15-minute slot. Pure: same events in, same cycles out.
 */
export function buildCycles(events: Iterable<SortedEvent>, endMs: number | null, opts: CycleOptions = DEFAULT_CYCLE_OPTIONS): UploadCycle[] {
  const bySource = new Map<string, SortedEvent[]>();
  for (const e of events) {
    if (e.logKind !== CYCLE_LOG_KIND) continue;
    const list = bySource.get(e.sourceId);
    if (list) list.push(e);
    else bySource.set(e.sourceId, [e]);
  }
  const out: UploadCycle[] = [];
  for (const [sourceId, evs] of bySource) {
    const machine = evs[0]?.machine ?? null;
    const closed: Draft[] = [];
    // `box.cur` is the run being read; a box keeps TypeScript's narrowing honest across helpers.
    const box: { cur: Draft | null } = { cur: null };
    const close = () => {
      if (box.cur && box.cur.events.length) closed.push(box.cur);
      box.cur = null;
    };
    const open = (): Draft => (box.cur ??= draft());
    for (const e of evs) {
      const f = e.fields;
      switch (e.kind) {
        case 'upload.start': {
          close();
          const d = open();
          d.events.push(e);
          if (f.mode === 'full' || f.mode === 'delta') d.mode = f.mode;
          break;
        }
        case 'upload.batch': {
          const c = box.cur;
          if (c && (c.records !== null || c.nextRunUtc !== null)) close();
          const d = open();
          d.events.push(e);
          d.records = typeof f.records === 'number' ? f.records : null;
          break;
        }
        case 'upload.sync-mode': {
          const d = open();
          d.events.push(e);
          if (f.mode === 'full' || f.mode === 'delta') d.mode = f.mode;
          break;
        }
        case 'upload.succeeded': {
          const d = open();
          d.events.push(e);
          d.succeeded = true;
          break;
        }
        case 'upload.failed':
        case 'gateway.upload-failed': {
          const d = open();
          d.events.push(e);
          d.failure ??= e.summary || e.text;
          break;
        }
        case 'gateway.response':
        case 'gateway.status': {
          const d = box.cur;
          if (!d) break;
          d.events.push(e);
          if (typeof f.status === 'number') {
            d.status = f.status;
            if (f.status >= 400) d.failure ??= e.summary || `gateway answered ${f.status}`;
          }
          break;
        }
        case 'gateway.request':
          box.cur?.events.push(e);
          break;
        case 'upload.next-run': {
          const d = open();
          d.events.push(e);
          d.nextRunUtc = typeof f.nextUtcMs === 'number' ? f.nextUtcMs : null;
          d.nextRunLocal = typeof f.nextLocal === 'string' ? f.nextLocal : null;
          close();
          break;
        }
        default: {
          const d = box.cur;
          if (d && e.severity === 'error' && (e.kind === 'exception' || e.kind === 'aad.error' || e.kind === 'network.error' || e.kind === 'http.error')) {
            d.events.push(e);
            d.failure ??= e.summary || e.text;
          }
        }
      }
    }
    close();

    closed.forEach((d, i) => {
      const first = d.events[0]!;
      const last = d.events[d.events.length - 1]!;
      const ok = !d.failure && (d.succeeded || (d.status !== null && d.status < 300) || (d.records !== null && d.nextRunUtc !== null));
      const cycle: UploadCycle = {
        id: `${sourceId}#${i + 1}`, sourceId, machine,
        state: d.failure ? 'failed' : ok ? 'ok' : 'incomplete',
        startUtc: first.utcMs ?? first.sortMs, endUtc: last.utcMs ?? last.sortMs,
        records: d.records, mode: d.mode, status: d.status,
        nextRunUtc: d.nextRunUtc, nextRunLocal: d.nextRunLocal, reason: d.failure,
        refs: d.events.map(refOf),
      };
      out.push(cycle);
      if (d.nextRunUtc === null) return;
      const nextStart = closed[i + 1]?.events[0];
      const limit = nextStart ? (nextStart.utcMs ?? nextStart.sortMs) : endMs;
      if (limit === null || limit === undefined) return;
      let due = d.nextRunUtc;
      let n = 0;
      while (due + opts.graceMs < limit && n < MAX_MISSED_PER_GAP) {
        n++;
        out.push({
          id: `${sourceId}#${i + 1}-missed-${n}`, sourceId, machine, state: 'missed',
          startUtc: due, endUtc: due, records: null, mode: null, status: null, nextRunUtc: null, nextRunLocal: null,
          reason: n === 1 && d.nextRunLocal
            ? `the run promised for ${d.nextRunLocal} (local) did not happen`
            : 'no sync run in this 15-minute slot',
          refs: [refOf(last)],
        });
        due += opts.intervalMs;
      }
    });
  }
  out.sort((a, b) => (a.startUtc ?? 0) - (b.startUtc ?? 0));
  return out;
}
