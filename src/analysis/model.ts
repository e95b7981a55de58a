/**
 * What the analysis produces from records and events: upload cycles, action chains, findings,
 * and the per-source summary. Plain data, JSON-ready.
 */
import type { RecordRef, Severity, SkippedRange, TimelineEvent } from '../../parsers/types.js';
import type { MachineRole } from '../ingest/kinds.js';

/** A timeline event with the key it is ordered by. */
export interface SortedEvent extends TimelineEvent {
  /** UTC ms, or for an event without time the last UTC seen before it in its file. */
  sortMs: number;
  /** Tie-breaker: global arrival order. */
  seq: number;
  /** Logical source id (dir + log name). */
  sourceId: string;
  /** Machine name when the folder layout tells, else null. */
  machine: string | null;
  /** Canonical kind of the log the event came from (`BgbServer`, ...). */
  logKind: string;
}

export type CycleState = 'ok' | 'failed' | 'incomplete' | 'missed';

/** One sync run of CMGatewaySyncUploadWorker (every 15 minutes). */
export interface UploadCycle {
  id: string;
  sourceId: string;
  machine: string | null;
  state: CycleState;
  /** First event of the run (for a missed cycle: when it was due). */
  startUtc: number | null;
  endUtc: number | null;
  /** `Batching N records`. */
  records: number | null;
  mode: 'full' | 'delta' | null;
  /** HTTP status of the upload call when logged. */
  status: number | null;
  /** `Next run time will be at approximately:` as UTC, and as written. */
  nextRunUtc: number | null;
  nextRunLocal: string | null;
  /** Why it failed or was missed. */
  reason: string | null;
  refs: RecordRef[];
}

export type HopName =
  | 'authorized' | 'forwarded' | 'push-start' | 'push-finish' | 'status-report'
  | 'client-received' | 'client-response' | 'script-result' | 'unauthorized';

export interface ChainHop {
  hop: HopName;
  /** Event kind behind the hop (`action.forwarded`, ...). */
  event: string;
  log: string;
  machine: string | null;
  utcMs: number | null;
  localText: string | null;
  /** ms since the previous hop with a time; null for the first. */
  latencyMs: number | null;
  path: string;
  line: number;
}

export type ChainState = 'delivered' | 'failed' | 'pending';

/** One device action followed by TaskGuid across SCP → MP → client. */
export interface ActionChain {
  /** Lower-case TaskGuid; for an unauthorized action (no guid) `unauthorized:<path>:<line>`. */
  taskGuid: string;
  /** `Sync Machine Policy`, `CMPivot`, `Run Script`, or the raw TemplateID/TaskType. */
  action: string;
  state: ChainState;
  /** For failed/pending: the last hop reached (`push-finish`), and in words why it stopped. */
  stoppedAt: HopName | null;
  reason: string | null;
  hops: ChainHop[];
  firstUtc: number | null;
  lastUtc: number | null;
}

export interface Evidence {
  log: string;
  path: string;
  line: number;
  utc: string | null;
  local: string | null;
  text: string;
}

export interface RankedCause {
  rank: number;
  cause: string;
  /** What in the logs or the tenant tells this cause apart from the others. */
  tellApart: string;
}

export type FindingSeverity = Exclude<Severity, 'unknown'>;

export interface Finding {
  ruleId: string;
  severity: FindingSeverity;
  title: string;
  /** What was seen and why it matters (placeholders filled in). */
  explanation: string;
  remediation: string[];
  docs: string[];
  causes: RankedCause[];
  count: number;
  firstUtc: string | null;
  lastUtc: string | null;
  /** Capped list; `count` is the total. */
  evidence: Evidence[];
}

/** The per-logical-log report: what was read and how. */
export interface SourceSummary {
  id: string;
  name: string;
  kind: string;
  role: MachineRole;
  machine: string | null;
  files: string[];
  format: string;
  encoding: string;
  records: number;
  firstLocal: string | null;
  lastLocal: string | null;
  firstUtcMs: number | null;
  lastUtcMs: number | null;
  /** Distinct biases seen (minutes), in order of appearance. */
  biases: number[];
  biasOverride: number | null;
  /** Records with a time but no bias: ordered as if UTC. */
  recordsWithoutBias: number;
  /** Bias problems (malformed, implausible) with a count. */
  biasProblems: { problem: string; count: number; firstLine: number; path: string }[];
  /** Other parse problems (unreadable time, unknown type, never closed, ...), grouped by wording. */
  recordProblems: { problem: string; count: number; firstLine: number; firstOffset: number; path: string }[];
  partialRecords: number;
  skipped: SkippedRange[];
  errors: string[];
}

export interface HealthSummary {
  lastSuccessfulUploadUtc: number | null;
  nextUploadDueUtc: number | null;
  cycles: { ok: number; failed: number; missed: number; incomplete: number };
  actions: { delivered: number; failed: number; pending: number };
  findings: { error: number; warning: number; info: number };
  records: number;
  events: number;
  firstUtcMs: number | null;
  lastUtcMs: number | null;
}
