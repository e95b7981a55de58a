import type { Writable } from 'node:stream';
import type { LogRecord } from '../../parsers/types.js';
import type { AnalyzeOptions, AnalysisResult } from '../analysis/analyze.js';
import type { ActionChain, Finding, SortedEvent, UploadCycle } from '../analysis/model.js';
import { Session } from '../analysis/session.js';
import type { LogicalSource } from '../ingest/discover.js';
import { eventLine, recordLine, safeJsonStringify, sourceLine, summaryLine } from '../report/index.js';
import { chainJson, cycleJson, findingJson } from '../report/json.js';
import { packageVersion } from './default-paths.js';
import { UsageError } from './options.js';
import { Output } from './output.js';

/**
 * `scan --follow --format ndjson`: reads the inputs, keeps tailing them and streams NDJSON:
 *
 * - `source` once per logical log, before its first event or record;
 * - `record` per record as read (`--records`);
 * - `event` per event as it is extracted (arrival order, not re-sorted);
 * - `cycle`, `chain`, `finding` whenever one is new or changed since it was last written, with a
 *   stable `key` and `change` (`new`, `changed`, `resolved` — a finding that no longer holds,
 *   such as an absence that ended); checked on every (throttled) update and every second, since
 *   absence rules fire when their window passes even if nothing is written;
 * - `summary` last, on Ctrl+C / SIGTERM, after a final read. Exit code 0.
 */

export interface FollowScanIO {
  out: Writable;
  /** What `out` is, for an error message: "standard output" or the --output file. */
  dest?: string;
  redactor?: ((s: string) => string) | undefined;
  records: boolean;
  /** `--poll [ms]`: true = default interval; a string is the interval in ms. */
  poll?: string | boolean | undefined;
}

/** `--poll` without a value. CMTrace's own update interval is 500 ms. */
export const DEFAULT_POLL_MS = 500;
/** Re-evaluation even when nothing is written (absence rules use "now" as the end). */
const RESNAPSHOT_MS = 1000;

export function pollMsFrom(poll: string | boolean | undefined): number | undefined {
  if (poll === undefined || poll === false) return undefined;
  if (poll === true) return DEFAULT_POLL_MS;
  const ms = Number(poll);
  if (!/^\s*\d+\s*$/.test(poll) || !Number.isFinite(ms) || ms < 10 || ms > 3_600_000) {
    throw new UsageError(`--poll expects an interval in milliseconds (10 to 3600000), got ${JSON.stringify(poll)}`);
  }
  return ms;
}


type Change = 'new' | 'changed' | 'resolved';

function findingKey(f: Finding, seen: Map<string, number>): string {
  const n = (seen.get(f.ruleId) ?? 0) + 1;
  seen.set(f.ruleId, n);
  return n === 1 ? f.ruleId : `${f.ruleId}#${n}`;
}

function findingSig(f: Finding): string {
  return JSON.stringify([f.severity, f.count, f.firstUtc, f.lastUtc, f.title, f.evidence.length]);
}

function chainSig(c: ActionChain): string {
  return JSON.stringify([c.state, c.stoppedAt, c.reason, c.hops.length, c.lastUtc]);
}

function cycleSig(c: UploadCycle): string {
  return JSON.stringify([c.state, c.startUtc, c.endUtc, c.records, c.status, c.reason, c.nextRunUtc]);
}

export async function runFollowScan(inputs: string[], aopts: AnalyzeOptions, io: FollowScanIO): Promise<number> {
  const pollMs = pollMsFrom(io.poll);
  const r = io.redactor ?? ((s: string) => s);
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  // Output that cannot be written ends the session: a closed pipe quietly, anything else (a
  // full disk) as an error from finish() below.
  const output = new Output(io.out, io.dest, () => stop());
  const write = (lines: string[]) => {
    if (lines.length > 0) output.send(lines.join('\n') + '\n');
  };

  const writtenSources = new Set<string>();
  const findings = new Map<string, string>();
  const chains = new Map<string, string>();
  const cycles = new Map<string, string>();
  let problemsShown = 0;

  const session = new Session(inputs, {
    ...aopts,
    follow: true,
    ...(pollMs !== undefined ? { pollMs } : {}),
    keepRecords: false,
    throttleMs: 250,
    onRecords: (batch: readonly LogRecord[], src: LogicalSource) => {
      aopts.onRecords?.(batch, src);
      if (!io.records) return;
      ensureSource(src.id);
      write(batch.map((rec) => recordLine(rec, { redactor: io.redactor })));
    },
  });

  /** Writes `source` lines for logs not written yet (before their first event or record). */
  const writeSources = (result: AnalysisResult | null) => {
    if (!result) return;
    const lines: string[] = [];
    for (const s of result.sources) {
      if (writtenSources.has(s.id)) continue;
      writtenSources.add(s.id);
      lines.push(sourceLine(s, r));
    }
    write(lines);
  };
  const ensureSource = (id: string) => {
    if (!writtenSources.has(id)) writeSources(session.analysis());
  };

  session.onEvents((events: SortedEvent[]) => {
    for (const e of events) ensureSource(e.sourceId);
    write(events.map((e) => eventLine(e, r)));
  });

  /** Cycles, chains and findings that are new or changed since last written. */
  const update = () => {
    const result = session.analysis();
    if (!result) return;
    writeSources(result);
    const lines: string[] = [];
    const diff = <T>(items: T[], map: Map<string, string>, keyOf: (x: T) => string, sig: (x: T) => string, line: (x: T, key: string, change: Change) => string, gone: (key: string) => string) => {
      const now = new Set<string>();
      for (const x of items) {
        const key = keyOf(x);
        now.add(key);
        const s = sig(x);
        const before = map.get(key);
        if (before === s) continue;
        map.set(key, s);
        lines.push(line(x, key, before === undefined ? 'new' : 'changed'));
      }
      for (const key of [...map.keys()]) {
        if (now.has(key)) continue;
        map.delete(key);
        lines.push(gone(key));
      }
    };
    diff(result.cycles, cycles, (c) => c.id, cycleSig,
      (c, key, change) => safeJsonStringify({ type: 'cycle', key: r(key), change, ...cycleJson(c, r) }),
      (key) => safeJsonStringify({ type: 'cycle', key: r(key), change: 'resolved' }));
    diff(result.chains, chains, (c) => c.taskGuid, chainSig,
      (c, key, change) => safeJsonStringify({ type: 'chain', key: r(key), change, ...chainJson(c, r) }),
      (key) => safeJsonStringify({ type: 'chain', key: r(key), change: 'resolved' }));
    const fseen = new Map<string, number>();
    const keyed = result.findings.map((f) => ({ f, key: findingKey(f, fseen) }));
    diff(keyed, findings, (x) => x.key, (x) => findingSig(x.f),
      (x, key, change) => safeJsonStringify({ type: 'finding', key, change, state: 'open', ...findingJson(x.f, r) }),
      (key) => safeJsonStringify({ type: 'finding', key, change: 'resolved', state: 'resolved', ruleId: key.replace(/#\d+$/, '') }));
    write(lines);
    for (; problemsShown < result.inputProblems.length; problemsShown++) {
      const p = result.inputProblems[problemsShown]!;
      process.stderr.write(`attachscope: ${r(p.path)}: ${r(p.reason)}\n`);
    }
  };
  const unsubscribe = session.subscribe(update);

  const onSignal = () => stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let timer: NodeJS.Timeout | null = null;
  try {
    await session.start();
    if (session.error) {
      process.stderr.write(`attachscope: ${session.error.message}\n`);
      await session.stop();
      return 2;
    }
    for (const e of session.ruleErrors) process.stderr.write(`attachscope: rule error: ${e}\n`);
    update();
    const n = session.analysis()?.sources.length ?? 0;
    process.stderr.write(`attachscope: following ${n} log${n === 1 ? '' : 's'}; Ctrl+C stops and writes a summary\n`);
    timer = setInterval(() => {
      // The analysis end is "now" while following: a new snapshot can open (or close) an
      // absence finding without any new record. Session caches by version, so bump it.
      session.refresh();
      update();
    }, RESNAPSHOT_MS);
    await stopped;
  } finally {
    if (timer) clearInterval(timer);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }

  // Final read, held records out, then the last state and the summary.
  await session.stop();
  session.refresh();
  update();
  unsubscribe();
  const result = session.analysis();
  if (result) write([summaryLine(result, { color: false, failOn: 'error', toolVersion: packageVersion(), redactor: io.redactor })]);
  await output.finish(io.out !== process.stdout && io.out !== process.stderr);
  return 0;
}
