import type { FieldValue } from '../../parsers/types.js';
import type { ActionChain, ChainHop, HopName, SortedEvent, SourceSummary } from './model.js';

export interface ChainOptions {
  /** How long a hop may wait for the next one before the action counts as stuck there. */
  windowMs: number;
}

export const DEFAULT_CHAIN_OPTIONS: ChainOptions = { windowMs: 10 * 60_000 };

const HOP_OF: Record<string, HopName> = {
  'action.authorized': 'authorized',
  'action.unauthorized': 'unauthorized',
  'action.forwarded': 'forwarded',
  'bgb.push-start': 'push-start',
  'bgb.push-finish': 'push-finish',
  'bgb.status-report': 'status-report',
  'client.task-received': 'client-received',
  'client.task-response': 'client-response',
  'script.result': 'script-result',
};

const HOP_RANK: Record<HopName, number> = {
  unauthorized: 0, authorized: 1, forwarded: 2, 'push-start': 3, 'push-finish': 4,
  'status-report': 5, 'client-received': 6, 'client-response': 7, 'script-result': 8,
};

/** The log kind where the hop after this one is written, and what that hop is called. */
const NEXT: Partial<Record<HopName, { kind: string; hop: string }>> = {
  authorized: { kind: 'CMGatewayNotificationWorker', hop: 'forward to the management point (Forwarded BGB remote task)' },
  forwarded: { kind: 'BgbServer', hop: 'push from the management point (BgbServer: Starting to send push task)' },
  'push-start': { kind: 'CcmNotificationAgent', hop: 'receipt on the client (CcmNotificationAgent: Receive task from server)' },
  'push-finish': { kind: 'CcmNotificationAgent', hop: 'receipt on the client (CcmNotificationAgent: Receive task from server)' },
  'status-report': { kind: 'CcmNotificationAgent', hop: 'receipt on the client (CcmNotificationAgent: Receive task from server)' },
};

/**
 * ReturnCode in the client's BgbResponseMessage. The documented successful example carries 1;
 * 0 is the usual Win32 success. Anything else is reported as a client-side failure (inferred).
 */
const SUCCESS_RETURN_CODES = new Set([0, 1]);

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * A hop while chains are built, with the few values of its event that decide the chain's state
 * and name. The event's whole fields object is not kept: a long post-mortem lists tens of
 * thousands of chains, and their hops stay in memory until the report is written.
 */
interface Building {
  hop: ChainHop;
  action: string | null;
  returnCode: FieldValue | undefined;
  failedClients: FieldValue | undefined;
  reportedClients: FieldValue | undefined;
}

function hopOf(e: SortedEvent): Building {
  const ref = e.refs[0];
  const f = e.fields;
  return {
    hop: {
      hop: HOP_OF[e.kind]!, event: e.kind, log: e.log, machine: e.machine,
      utcMs: e.utcMs, localText: e.localText, latencyMs: null,
      path: ref?.path ?? '', line: ref?.line ?? 0,
    },
    action: str(f.action),
    returnCode: f.returnCode,
    failedClients: f.failedClients,
    reportedClients: f.reportedClients,
  };
}

/** Why a chain waits, one string per pair of hops (thousands of pending chains share a few). */
const waitingReasons = new Map<string, string>();
function waitingReason(last: HopName): string {
  let reason = waitingReasons.get(last);
  if (reason === undefined) {
    const next = NEXT[last];
    reason = next ? `no ${next.hop} seen after ${last}` : `stopped after ${last}`;
    waitingReasons.set(last, reason);
  }
  return reason;
}

/**
 * Follows each device action by TaskGuid (case-insensitively) from the notification worker on
 * the service connection point, through BgbServer on the management point, to
 * CcmNotificationAgent on the client, in UTC order. BGB finish and status lines carry only the
 * PushID: they join the chain whose push started with that PushID on the same log.
 */
export function buildChains(events: Iterable<SortedEvent>): ActionChain[] {
  const chains = new Map<string, { action: string | null; hops: Building[] }>();
  const byPush = new Map<string, string>();
  const pendingAuth = new Map<string, SortedEvent[]>();
  const get = (guid: string) => {
    let c = chains.get(guid);
    if (!c) { c = { action: null, hops: [] }; chains.set(guid, c); }
    return c;
  };

  for (const e of events) {
    const hop = HOP_OF[e.kind];
    if (!hop) continue;
    const f = e.fields;
    const guid = str(f.taskGuid)?.toLowerCase() ?? null;
    if (hop === 'authorized') {
      const q = pendingAuth.get(e.sourceId) ?? [];
      q.push(e);
      pendingAuth.set(e.sourceId, q);
      continue;
    }
    if (hop === 'unauthorized') {
      const ref = e.refs[0];
      const c = get(`unauthorized:${ref?.path ?? ''}:${ref?.line ?? 0}`);
      c.action = str(f.action);
      c.hops.push(hopOf(e));
      continue;
    }
    if (hop === 'push-finish' || hop === 'status-report') {
      const key = `${e.sourceId}|${String(f.pushId)}`;
      const g = guid ?? byPush.get(key);
      if (g) get(g).hops.push(hopOf(e));
      continue;
    }
    if (!guid) continue;
    const c = get(guid);
    if (hop === 'forwarded') {
      const auth = pendingAuth.get(e.sourceId)?.shift();
      if (auth) c.hops.push(hopOf(auth));
    }
    if (hop === 'push-start' && f.pushId !== null && f.pushId !== undefined) byPush.set(`${e.sourceId}|${String(f.pushId)}`, guid);
    c.action ??= str(f.action);
    c.hops.push(hopOf(e));
  }

  const out: ActionChain[] = [];
  for (const [taskGuid, c] of chains) {
    const building = c.hops.sort((a, b) => (a.hop.utcMs ?? 0) - (b.hop.utcMs ?? 0) || HOP_RANK[a.hop.hop] - HOP_RANK[b.hop.hop]);
    const hops = building.map((b) => b.hop);
    let prev: number | null = null;
    for (const h of hops) {
      if (h.utcMs !== null) {
        h.latencyMs = prev === null ? null : h.utcMs - prev;
        prev = h.utcMs;
      }
    }
    const has = (n: HopName) => building.find((b) => b.hop.hop === n);
    const last = [...hops].sort((a, b) => HOP_RANK[a.hop] - HOP_RANK[b.hop]).at(-1)!;
    let state: ActionChain['state'];
    let stoppedAt: HopName | null = null;
    let reason: string | null = null;
    const response = has('client-response');
    const received = has('client-received');
    const report = has('status-report');
    if (has('unauthorized')) {
      state = 'failed'; stoppedAt = 'unauthorized';
      reason = 'the service connection point refused the action: the admin is not authorized to perform client actions';
    } else if (response && typeof response.returnCode === 'number' && !SUCCESS_RETURN_CODES.has(response.returnCode)) {
      state = 'failed'; stoppedAt = 'client-response';
      reason = `the client answered ReturnCode ${response.returnCode}`;
    } else if (received || response) {
      state = 'delivered';
      if (!response) reason = 'reached the client; no task response seen';
    } else if (report && typeof report.failedClients === 'number' && report.failedClients > 0) {
      state = 'failed'; stoppedAt = 'status-report';
      reason = `the management point reported ${report.failedClients} failed client(s) and ${String(report.reportedClients ?? 0)} reported`;
    } else {
      state = 'pending'; stoppedAt = last.hop;
      reason = waitingReason(last.hop);
    }
    const times = hops.map((h) => h.utcMs).filter((t): t is number => t !== null);
    out.push({
      taskGuid, action: c.action ?? building.map((b) => b.action).find(Boolean) ?? 'unknown action',
      state, stoppedAt, reason, hops,
      firstUtc: times.length ? Math.min(...times) : null, lastUtc: times.length ? Math.max(...times) : null,
    });
  }
  out.sort((a, b) => (a.firstUtc ?? 0) - (b.firstUtc ?? 0));
  return out;
}

/**
 * Whether a log of the kind that writes the next hop covers the waiting window after the
 * chain stopped — only then is "not delivered" evidence rather than a gap in what was copied.
 */
export function nextLogCoverage(chain: ActionChain, sources: readonly SourceSummary[], endMs: number | null, opts: ChainOptions = DEFAULT_CHAIN_OPTIONS): { nextKind: string | null; covered: boolean; windowPassed: boolean } {
  if (chain.state !== 'pending' && chain.stoppedAt !== 'status-report') return { nextKind: null, covered: false, windowPassed: false };
  const next = chain.stoppedAt ? NEXT[chain.stoppedAt] : undefined;
  const at = chain.lastUtc;
  if (!next || at === null) return { nextKind: next?.kind ?? null, covered: false, windowPassed: false };
  const windowEnd = at + opts.windowMs;
  const windowPassed = endMs !== null && endMs >= windowEnd;
  const covered = sources.some((s) => s.kind === next.kind && s.firstUtcMs !== null && s.lastUtcMs !== null && s.firstUtcMs <= at && s.lastUtcMs >= windowEnd);
  return { nextKind: next.kind, covered, windowPassed };
}
