import type { LogRecord, TimelineEvent } from '../../parsers/types.js';
import { detached } from '../../parsers/logs/text.js';
import { createExtractor, type Extractor } from '../../parsers/logs/index.js';
import type { LogicalSource } from '../ingest/discover.js';
import { kindFromComponents, type MachineRole } from '../ingest/kinds.js';
import type { FileReport } from '../ingest/read.js';
import { buildChains, DEFAULT_CHAIN_OPTIONS, nextLogCoverage, type ChainOptions } from './chains.js';
import { buildCycles, CYCLE_LOG_KIND, cycleCopy, DEFAULT_CYCLE_OPTIONS, type CycleOptions } from './cycles.js';
import type { ActionChain, Finding, HealthSummary, SortedEvent, SourceSummary, UploadCycle } from './model.js';
import type { RuleEngine } from './rules/engine.js';
import { EventPacker, unpackEvents, type PackedEvents } from './parallel/pack-events.js';

export interface CoreOptions {
  rules?: RuleEngine | null;
  cycles?: CycleOptions;
  chains?: ChainOptions;
  /** Drop records whose UTC is before/after these (ms). Records without time are kept. */
  sinceMs?: number;
  untilMs?: number;
  /**
   * Lean analysis of big inputs (memory that does not grow with the log): only events this
   * accepts are kept for `snapshot().events`, besides those upload cycles and action chains
   * read, which are always kept (action events without their summary and text, which chains do
   * not read). Findings do not depend on it (the rule engine sees every event
   * as it is extracted). Every event is still counted (`summary.events`) and returned by
   * `feed()`. Default: keep every event.
   */
  keepEvent?: (event: SortedEvent) => boolean;
  /**
   * Keep the events lean analysis keeps for chains (those `keepEvent` refuses) packed
   * (parallel/pack-events.ts) instead of as objects: less than half the memory, mostly outside
   * the heap. Cycles and chains read them as before, but `snapshot().events` leaves them out, and
   * after a parallel scan's merge every kept event. For `scan`, which lists no kept event.
   */
  packKept?: boolean;
  /**
   * The first event's seq (a part of a parallel scan starts at k × PART_BASE, so every part's
   * seqs order after the earlier parts'; see parallel/).
   */
  seqBase?: number;
}

/** What one core gathered, as plain data for another core's `absorb` (parallel scans). */
export interface CoreState {
  sources: {
    id: string;
    summary: SourceSummary;
    lastUtc: number | null;
    biasProblemKeys: string[];
    recordProblemKeys: string[];
    formats: { cmtrace: number; smsexec: number; plain: number };
  }[];
  events: SortedEvent[];
  sorted: boolean;
  seq: number;
  eventCount: number;
  recordCount: number;
}

/** Where a source's reading stands, compared across the cut of a parallel scan. */
export interface SyncPoint {
  /** The extractor's state (null: it cannot tell, never split there). */
  extractor: string | null;
  lastUtc: number | null;
}

/** Whether a record's time is outside `--since`/`--until` (records without time never are). */
export function outsideWindow(utcMs: number | null, w: { sinceMs?: number; untilMs?: number }): boolean {
  return utcMs !== null && ((w.sinceMs !== undefined && utcMs < w.sinceMs) || (w.untilMs !== undefined && utcMs > w.untilMs));
}

/** Event kinds action chains read (src/analysis/chains.ts), kept even in lean analysis. */
const CHAIN_KIND_RE = /^(?:action|bgb|client|script)\./;

/** The result of an analysis at one moment: everything a view or report needs. */
export interface Analysis {
  sources: SourceSummary[];
  events: SortedEvent[];
  cycles: UploadCycle[];
  chains: ActionChain[];
  findings: Finding[];
  summary: HealthSummary;
  /** The analysis end: the latest UTC in any log, or the user's `--until`/now for a live tail. */
  endMs: number | null;
  ruleIds: string[];
}

interface SourceState {
  summary: SourceSummary;
  extractor: Extractor | null;
  /** Records held until the log kind is known from component names. */
  held: LogRecord[] | null;
  lastUtc: number | null;
  biasSeen: Set<number>;
  biasProblems: Map<string, SourceSummary['biasProblems'][number]>;
  recordProblems: Map<string, SourceSummary['recordProblems'][number]>;
  formats: { cmtrace: number; smsexec: number; plain: number };
  encodings: Set<string>;
}

/** Distinct kinds of record problem kept per source (the count of each is exact). */
const MAX_PROBLEM_KINDS = 50;

/** How many records of an unnamed log are looked at to learn its kind from components. */
const KIND_SNIFF_RECORDS = 50;

/**
 * The incremental analysis core shared by `scan`, the live tail and the TUI. Records go in
 * (per source, in file order, in any batch size); events are extracted as they arrive and the
 * rule engine sees each record and event then; on `snapshot()` cycles and chains are derived
 * from the UTC-sorted kept events, and findings from the engine's hits plus the cycle, chain and
 * source states. Feeding records one at a time or all at once gives the same result.
 */
export class AnalysisCore {
  private readonly opts: CoreOptions;
  private readonly sources = new Map<string, SourceState>();
  private readonly events: SortedEvent[] = [];
  /** Events kept for chains only, packed (opts.packKept), in any order. */
  private readonly packed: EventPacker | null;
  private seq = 0;
  private eventCount = 0;
  private recordCount = 0;
  private sorted = true;

  constructor(opts: CoreOptions = {}) {
    this.opts = opts;
    this.seq = opts.seqBase ?? 0;
    this.packed = opts.packKept ? new EventPacker() : null;
  }

  addSource(src: LogicalSource, biasOverride: number | null = null): void {
    if (this.sources.has(src.id)) return;
    const summary: SourceSummary = {
      id: src.id, name: src.name, kind: src.kind, role: src.role, machine: src.machine,
      files: src.files.map((f) => f.path), format: 'unknown', encoding: 'unknown', records: 0,
      firstLocal: null, lastLocal: null, firstUtcMs: null, lastUtcMs: null, biases: [], biasOverride,
      recordsWithoutBias: 0, biasProblems: [], recordProblems: [], partialRecords: 0, skipped: [], errors: [],
    };
    this.sources.set(src.id, {
      summary, extractor: src.kind === 'generic' ? null : createExtractor(src.kind),
      held: src.kind === 'generic' ? [] : null, lastUtc: null, biasSeen: new Set(), biasProblems: new Map(), recordProblems: new Map(),
      formats: { cmtrace: 0, smsexec: 0, plain: 0 }, encodings: new Set(),
    });
  }

  /** Records of one source, in file order. Returns the events they produced. */
  feed(sourceId: string, records: readonly LogRecord[]): SortedEvent[] {
    const st = this.sources.get(sourceId);
    if (!st) throw new Error(`unknown source ${sourceId}`);
    const out: SortedEvent[] = [];
    for (const r of records) {
      if (outsideWindow(r.utcMs, this.opts)) continue;
      this.account(st, r);
      if (st.held) {
        st.held.push(r);
        if (st.held.length >= KIND_SNIFF_RECORDS) this.resolveKind(st, out);
        continue;
      }
      this.extract(st, r, out);
    }
    return out;
  }

  /**
   * Records read only to bring the source's extractor (and its last time) to where reading
   * resumes: a part of a parallel scan reads some records before its cut. Not counted, not
   * matched by rules; their events are dropped.
   */
  warm(sourceId: string, records: readonly LogRecord[]): void {
    const st = this.sources.get(sourceId);
    if (!st || st.held) throw new Error(`cannot warm source ${sourceId}`);
    for (const r of records) {
      // The same records feed() would read (--since/--until skip the others entirely).
      if (outsideWindow(r.utcMs, this.opts)) continue;
      if (r.utcMs !== null) st.lastUtc = r.utcMs;
      st.extractor?.feed(r);
    }
  }

  /** The state that decides a source's next events (see SyncPoint). */
  syncPoint(sourceId: string): SyncPoint {
    const st = this.sources.get(sourceId);
    if (!st || st.held) return { extractor: null, lastUtc: null };
    return { extractor: st.extractor ? st.extractor.syncState() : '', lastUtc: st.lastUtc };
  }

  /** Everything gathered so far, as plain data (the engine exports its own state). */
  exportState(): CoreState {
    return {
      sources: [...this.sources.values()].map((st) => {
        if (st.held) throw new Error(`source ${st.summary.id}: kind not settled`);
        return {
          id: st.summary.id, summary: st.summary, lastUtc: st.lastUtc,
          biasProblemKeys: [...st.biasProblems.keys()], recordProblemKeys: [...st.recordProblems.keys()], formats: st.formats,
        };
      }),
      events: this.events, sorted: this.sorted, seq: this.seq, eventCount: this.eventCount, recordCount: this.recordCount,
    };
  }

  /**
   * Adds what another core gathered from a LATER part of the same sources (its records follow
   * this core's in reading order, its seqs are larger): counts add up, firsts stay, lasts move,
   * problems merge by kind. Files' reports go through `fileRead` separately, once per file.
   * The rule engines merge separately (RuleEngine.absorb).
   */
  absorb(state: CoreState): void {
    for (const o of state.sources) {
      const st = this.sources.get(o.id);
      if (!st) throw new Error(`absorb: unknown source ${o.id}`);
      const s = st.summary;
      const b = o.summary;
      // A log named by its components (a generic source) has its kind settled by the part.
      if (st.held) {
        st.held = null;
        s.kind = b.kind;
        s.role = b.role;
      }
      s.records += b.records;
      s.firstLocal ??= b.firstLocal;
      if (b.lastLocal !== null) s.lastLocal = b.lastLocal;
      s.recordsWithoutBias += b.recordsWithoutBias;
      s.partialRecords += b.partialRecords;
      if (b.firstUtcMs !== null && (s.firstUtcMs === null || b.firstUtcMs < s.firstUtcMs)) s.firstUtcMs = b.firstUtcMs;
      if (b.lastUtcMs !== null && (s.lastUtcMs === null || b.lastUtcMs > s.lastUtcMs)) s.lastUtcMs = b.lastUtcMs;
      if (o.lastUtc !== null) st.lastUtc = o.lastUtc;
      for (const bias of b.biases) {
        if (st.biasSeen.has(bias)) continue;
        st.biasSeen.add(bias);
        s.biases.push(bias);
      }
      b.biasProblems.forEach((p, i) => {
        const key = o.biasProblemKeys[i]!;
        const mine = st.biasProblems.get(key);
        if (mine) mine.count += p.count;
        else {
          st.biasProblems.set(key, p);
          s.biasProblems.push(p);
        }
      });
      b.recordProblems.forEach((p, i) => {
        const key = o.recordProblemKeys[i]!;
        const mine = st.recordProblems.get(key);
        if (mine) mine.count += p.count;
        else if (st.recordProblems.size < MAX_PROBLEM_KINDS) {
          st.recordProblems.set(key, p);
          s.recordProblems.push(p);
        }
      });
      for (const k of ['cmtrace', 'smsexec', 'plain'] as const) st.formats[k] += o.formats[k];
    }
    const first = state.events[0];
    const last = this.events[this.events.length - 1];
    if (!state.sorted || (first && last && last.sortMs > first.sortMs)) this.sorted = false;
    for (const e of state.events) this.events.push(e);
    this.seq = Math.max(this.seq, state.seq);
    this.eventCount += state.eventCount;
    this.recordCount += state.recordCount;
  }

  /** Adds what reading one file found (encoding, skipped ranges, errors). */
  fileRead(sourceId: string, report: FileReport): void {
    const st = this.sources.get(sourceId);
    if (!st) return;
    if (report.encoding) {
      let note = report.encoding;
      if (report.fallbackBytes) note += ` (+${report.fallbackBytes} bytes read as Windows-1252)`;
      if (report.invalidUtf16Units) note += ` (${report.invalidUtf16Units} invalid UTF-16 units: lone surrogates replaced by U+FFFD)`;
      st.encodings.add(note);
    } else if (report.bytes === 0 && !report.error) {
      st.encodings.add('empty file (0 bytes)');
    }
    st.summary.skipped.push(...report.skipped);
    if (report.error) st.summary.errors.push(`${report.path}: ${report.error}`);
  }

  /**
   * Adds events another core kept, packed (a part's `handOverKept`). Without `packKept` they
   * are unpacked into the kept list.
   */
  absorbPacked(p: PackedEvents): void {
    if (this.packed) {
      this.packed.absorb(p);
      return;
    }
    for (const e of unpackEvents(p)) this.events.push(e);
    if (p.count > 0) this.sorted = false;
  }

  /** Every kept event, packed, for another core's `absorbPacked`; this core keeps none after (a part's last step). */
  handOverKept(): PackedEvents {
    const p = this.packed ?? new EventPacker();
    for (const e of this.events) p.push(e);
    this.events.length = 0;
    this.sorted = true;
    return p.finish();
  }

  /** End of a source (or an idle tail): flush held records and open exception blocks. */
  flushSource(sourceId: string): SortedEvent[] {
    const st = this.sources.get(sourceId);
    if (!st) return [];
    const out: SortedEvent[] = [];
    if (st.held) this.resolveKind(st, out);
    if (st.extractor) for (const e of st.extractor.flush()) out.push(this.addEvent(st, e));
    return out;
  }

  /** The latest UTC seen in any source, or null. */
  latestUtc(): number | null {
    let last: number | null = null;
    for (const st of this.sources.values()) if (st.summary.lastUtcMs !== null && (last === null || st.summary.lastUtcMs > last)) last = st.summary.lastUtcMs;
    return last;
  }

  get totalRecords(): number {
    return this.recordCount;
  }

  private resolveKind(st: SourceState, out: SortedEvent[]): void {
    const held = st.held ?? [];
    st.held = null;
    const info = kindFromComponents(held.map((r) => r.component));
    if (info) {
      st.summary.kind = info.kind;
      if (st.summary.role === 'unknown') st.summary.role = info.role as MachineRole;
    }
    st.extractor = createExtractor(st.summary.kind);
    for (const r of held) this.extract(st, r, out);
  }

  private account(st: SourceState, r: LogRecord): void {
    const s = st.summary;
    this.recordCount++;
    s.records++;
    st.formats[r.format]++;
    if (r.partial) s.partialRecords++;
    if (r.localText !== null) {
      s.firstLocal ??= r.localText;
      s.lastLocal = r.localText;
      if (r.bias === null) s.recordsWithoutBias++;
    }
    if (r.utcMs !== null) {
      if (s.firstUtcMs === null || r.utcMs < s.firstUtcMs) s.firstUtcMs = r.utcMs;
      if (s.lastUtcMs === null || r.utcMs > s.lastUtcMs) s.lastUtcMs = r.utcMs;
      st.lastUtc = r.utcMs;
    }
    if (r.bias !== null && !st.biasSeen.has(r.bias)) {
      st.biasSeen.add(r.bias);
      s.biases.push(r.bias);
    }
    if (r.problems) {
      for (const p of r.problems) {
        if (/bias/.test(p)) {
          const key = p.replace(/[+-]?\d+/g, 'N');
          const bp = st.biasProblems.get(key);
          if (bp) bp.count++;
          else {
            const entry = { problem: p, count: 1, firstLine: r.line, path: r.path };
            st.biasProblems.set(key, entry);
            s.biasProblems.push(entry);
          }
          continue;
        }
        // Other problems (unreadable time, unknown type, never closed, truncated...), grouped by
        // their wording without the values, with where the first one is.
        const key = p.replace(/"[^"]*"|`[^`]*`/g, '…').replace(/\d+/g, 'N');
        const rp = st.recordProblems.get(key);
        if (rp) rp.count++;
        else if (st.recordProblems.size < MAX_PROBLEM_KINDS) {
          const entry = { problem: p, count: 1, firstLine: r.line, firstOffset: r.offset, path: r.path };
          st.recordProblems.set(key, entry);
          s.recordProblems.push(entry);
        }
      }
    }
    this.opts.rules?.observe(r, s.kind, r.utcMs ?? st.lastUtc ?? Number.NEGATIVE_INFINITY);
  }

  private extract(st: SourceState, r: LogRecord, out: SortedEvent[]): void {
    if (!st.extractor) return;
    for (const e of st.extractor.feed(r)) out.push(this.addEvent(st, e));
  }

  private addEvent(st: SourceState, e: TimelineEvent): SortedEvent {
    const sortMs = e.utcMs ?? st.lastUtc ?? Number.NEGATIVE_INFINITY;
    // Built field by field, in TimelineEvent order: `{ ...e, sortMs, … }` made V8 (Node 20) give
    // every event its own hidden class, ~20x slower and ~500 bytes more per kept event.
    const se: SortedEvent = {
      kind: e.kind, log: e.log, utcMs: e.utcMs, localText: e.localText, bias: e.bias, severity: e.severity,
      summary: e.summary, fields: e.fields, refs: e.refs, text: e.text,
      sortMs, seq: this.seq++, sourceId: st.summary.id, machine: st.summary.machine, logKind: st.summary.kind,
    };
    this.eventCount++;
    this.opts.rules?.observeEvent(se, st.summary.kind);
    const keep = this.opts.keepEvent;
    if (keep && !keep(se)) {
      // Upload cycles are derived from their log's events at snapshot: kept, as much as they read.
      if (se.logKind === CYCLE_LOG_KIND) {
        this.push(cycleCopy(se));
        return se;
      }
      if (!CHAIN_KIND_RE.test(se.kind)) return se;
      // Action chains read an event's kind, fields, refs and times, never its text: in lean
      // analysis keep a copy without it (a big post-mortem has thousands of actions), and with
      // fields of their own (a field cut from the message would keep the whole message alive).
      // Packed, the packer copies each distinct string once.
      const packed = this.packed;
      const fields: TimelineEvent['fields'] = packed ? se.fields : {};
      if (!packed) {
        for (const k of Object.keys(se.fields)) {
          const v = se.fields[k]!;
          fields[k] = typeof v === 'string' ? detached(v) : v;
        }
      }
      const slim: SortedEvent = {
        kind: se.kind, log: se.log, utcMs: se.utcMs, localText: se.localText, bias: se.bias, severity: se.severity,
        summary: '', fields, refs: se.refs, text: '',
        sortMs: se.sortMs, seq: se.seq, sourceId: se.sourceId, machine: se.machine, logKind: se.logKind,
      };
      if (packed) packed.push(slim);
      else this.push(slim);
      return se;
    }
    this.push(se);
    return se;
  }

  private push(se: SortedEvent): void {
    const prev = this.events[this.events.length - 1];
    if (prev && (prev.sortMs > se.sortMs)) this.sorted = false;
    // Kept events repeat the texts of the previous event of their kind (a poll's summary, its
    // line, its URL) millions of times: share those strings instead of keeping a copy each.
    const last = this.lastOfKind.get(se.kind);
    if (last !== undefined) {
      if (se.summary === last.summary) se.summary = last.summary;
      if (se.text === last.text) se.text = last.text;
      const f = se.fields;
      const lf = last.fields;
      for (const k in f) {
        const v = f[k];
        if (typeof v === 'string' && v === lf[k]) f[k] = lf[k]!;
      }
    }
    this.lastOfKind.set(se.kind, se);
    this.events.push(se);
  }

  /** The last kept event of each kind, whose strings the next one of the kind may share. */
  private readonly lastOfKind = new Map<string, SortedEvent>();

  /** Source summaries as of now. */
  sourceSummaries(): SourceSummary[] {
    return [...this.sources.values()].map((st) => {
      const f = st.formats;
      const formats = (Object.keys(f) as (keyof typeof f)[]).filter((k) => f[k] > 0);
      return {
        ...st.summary,
        format: formats.length === 0 ? 'none' : formats.sort((a, b) => f[b] - f[a]).join('+'),
        encoding: st.encodings.size ? [...st.encodings].join(', ') : st.summary.encoding,
      };
    });
  }

  /** Derives cycles, chains and findings from everything fed so far. */
  snapshot(endOverride?: number | null): Analysis {
    if (!this.sorted) {
      this.events.sort((a, b) => a.sortMs - b.sortMs || a.seq - b.seq);
      this.sorted = true;
    }
    const sources = this.sourceSummaries();
    let endMs: number | null = endOverride ?? null;
    if (endMs === null) for (const s of sources) if (s.lastUtcMs !== null && (endMs === null || s.lastUtcMs > endMs)) endMs = s.lastUtcMs;
    const events = this.events;
    const packed = this.packed;
    const cycleOpts = this.opts.cycles ?? DEFAULT_CYCLE_OPTIONS;
    let cycles: UploadCycle[];
    let chains: ActionChain[];
    if (packed && packed.count > 0) {
      // The packed events join the kept ones in timeline order, unpacked one at a time, once: the
      // chains read them as they come, the upload worker's are set aside for the cycles.
      const uploads: SortedEvent[] = [];
      chains = buildChains(setAside(inTimelineOrder(events, packed.sorted()), (e) => e.logKind === CYCLE_LOG_KIND, uploads));
      cycles = buildCycles(uploads, endMs, cycleOpts);
    } else {
      // A list is read twice: two plain loops cost a third of one through a generator (the TUI
      // keeps millions of events and takes a snapshot as it indexes).
      cycles = buildCycles(events, endMs, cycleOpts);
      chains = buildChains(events);
    }
    // The engine saw every extracted event as it came; it gets the synthetic ones here.
    const synthetic = syntheticEvents(cycles, chains, sources, endMs, this.opts.chains ?? DEFAULT_CHAIN_OPTIONS, this.seq);
    const findings = this.opts.rules ? this.opts.rules.evaluate({ events: synthetic, sources, endMs }) : [];
    return { sources, events, cycles, chains, findings, summary: summarize(cycles, chains, findings, sources, this.recordCount, this.eventCount), endMs, ruleIds: this.opts.rules?.ruleIds ?? [] };
  }
}

/** `events`, with those `aside` accepts also pushed to `into` as they pass. */
function* setAside(events: Iterable<SortedEvent>, aside: (e: SortedEvent) => boolean, into: SortedEvent[]): Generator<SortedEvent> {
  for (const e of events) {
    if (aside(e)) into.push(e);
    yield e;
  }
}

/** Two lists of events, each in timeline order (sortMs, then seq), as one. */
function* inTimelineOrder(a: readonly SortedEvent[], b: Iterator<SortedEvent>): Generator<SortedEvent> {
  let i = 0;
  for (let next = b.next(); !next.done; next = b.next()) {
    const e = next.value;
    while (i < a.length && (a[i]!.sortMs < e.sortMs || (a[i]!.sortMs === e.sortMs && a[i]!.seq < e.seq))) yield a[i++]!;
    yield e;
  }
  while (i < a.length) yield a[i++]!;
}

/**
 * Cycle, chain and source states as events, so rules can match them like any other event. Made
 * one at a time as the engine reads them: kept in a list, a 2 GiB log's 18,000 chain events took
 * ~18 MB at the scan's peak, for rules that match a few of them.
 */
function* syntheticEvents(cycles: UploadCycle[], chains: ActionChain[], sources: SourceSummary[], endMs: number | null, chainOpts: ChainOptions, seqBase: number): Generator<SortedEvent> {
  let seq = seqBase;
  const base = (kind: string, utcMs: number | null, log: string, logKind: string, sourceId: string, machine: string | null) => ({
    kind, log, logKind, sourceId, machine, utcMs, sortMs: utcMs ?? Number.NEGATIVE_INFINITY, seq: seq++,
    localText: null, bias: null,
  });
  for (const c of cycles) {
    const ref = c.refs[0] ?? { path: '', line: 0, offset: 0 };
    const when = c.state === 'missed' ? c.startUtc : c.endUtc;
    yield {
      ...base(`cycle.${c.state}`, when, 'CMGatewaySyncUploadWorker', 'CMGatewaySyncUploadWorker', c.sourceId, c.machine),
      severity: c.state === 'failed' || c.state === 'missed' ? 'error' : 'info',
      summary: c.state === 'missed' ? `upload cycle missed: ${c.reason ?? ''}` : `upload cycle ${c.state}${c.records !== null ? ` (${c.records} records)` : ''}${c.reason ? `: ${c.reason}` : ''}`,
      fields: { records: c.records, status: c.status, reason: c.reason, expectedUtcMs: c.state === 'missed' ? c.startUtc : null, nextRunLocal: c.nextRunLocal },
      refs: [ref], text: c.reason ?? `upload cycle ${c.state}`,
    };
  }
  for (const ch of chains) {
    const last = ch.hops[ch.hops.length - 1];
    const cov = nextLogCoverage(ch, sources, endMs, chainOpts);
    yield {
      ...base(`chain.${ch.state}`, ch.lastUtc, last?.log ?? '', '', '', last?.machine ?? null),
      severity: ch.state === 'delivered' ? 'info' : 'error',
      summary: `${ch.action} ${ch.state}${ch.stoppedAt ? ` at ${ch.stoppedAt}` : ''}${ch.reason ? `: ${ch.reason}` : ''}`,
      fields: { taskGuid: ch.taskGuid, action: ch.action, stoppedAt: ch.stoppedAt, reason: ch.reason, nextLogCovered: cov.covered && cov.windowPassed, nextKind: cov.nextKind },
      refs: last ? [{ path: last.path, line: last.line, offset: 0 }] : [], text: ch.reason ?? `${ch.action} ${ch.state}`,
    };
  }
  for (const s of sources) {
    for (const p of s.biasProblems) {
      yield {
        ...base('source.bias-problem', s.firstUtcMs, s.name, s.kind, s.id, s.machine),
        severity: 'warning', summary: `${s.name}: ${p.problem} (${p.count} records)`,
        fields: { problem: p.problem, count: p.count }, refs: [{ path: p.path, line: p.firstLine, offset: 0 }], text: p.problem,
      };
    }
  }
}

function summarize(cycles: UploadCycle[], chains: ActionChain[], findings: Finding[], sources: SourceSummary[], records: number, events: number): HealthSummary {
  const count = <T,>(xs: T[], p: (x: T) => boolean) => xs.filter(p).length;
  let lastOk: UploadCycle | null = null;
  for (const c of cycles) if (c.state === 'ok' && (!lastOk || (c.endUtc ?? 0) >= (lastOk.endUtc ?? 0))) lastOk = c;
  const withNext = cycles.filter((c) => c.nextRunUtc !== null);
  const firsts = sources.map((s) => s.firstUtcMs).filter((x): x is number => x !== null);
  const lasts = sources.map((s) => s.lastUtcMs).filter((x): x is number => x !== null);
  return {
    lastSuccessfulUploadUtc: lastOk?.endUtc ?? null,
    nextUploadDueUtc: withNext.length ? withNext[withNext.length - 1]!.nextRunUtc : null,
    cycles: { ok: count(cycles, (c) => c.state === 'ok'), failed: count(cycles, (c) => c.state === 'failed'), missed: count(cycles, (c) => c.state === 'missed'), incomplete: count(cycles, (c) => c.state === 'incomplete') },
    actions: { delivered: count(chains, (c) => c.state === 'delivered'), failed: count(chains, (c) => c.state === 'failed'), pending: count(chains, (c) => c.state === 'pending') },
    findings: { error: count(findings, (f) => f.severity === 'error'), warning: count(findings, (f) => f.severity === 'warning'), info: count(findings, (f) => f.severity === 'info') },
    records, events,
    firstUtcMs: firsts.length ? Math.min(...firsts) : null,
    lastUtcMs: lasts.length ? Math.max(...lasts) : null,
  };
}
