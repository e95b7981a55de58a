/**
 * A hand-built AnalysisResult for the report writers: two sources (one with a bias problem and
 * a skipped range), three findings (error / warning / info) with evidence, a delivered and a
 * pending action chain, ok / failed / missed upload cycles — and log text that tries to take
 * over a terminal (title change, screen clear, OSC 8 hyperlink, bidi override).
 */
import type { AnalysisResult } from '../../src/analysis/analyze.js';
import type { ChainHop, SortedEvent, UploadCycle } from '../../src/analysis/model.js';

/** What a hostile device name, script output or proxy body could put into a log line. */
export const HOSTILE =
  'evil \x1b]0;pwned\x07 \x1b[2J \x1b]8;;http://x\x07click\x1b]8;;\x07 \u202eexe.txt\u202c \x9b31m C1 \u2028 ls|sep `tick` ```fence``` <b>bold</b> &#x202e; [link](http://x) ![img](http://x/i.png)';

/** Every raw character that must never reach a terminal/Markdown report from the log. */
export const FORBIDDEN_RAW = ['\x1b', '\x07', '\u202e', '\u202c', '\x9b', '\u2028'];

const T0 = Date.UTC(2026, 1, 10, 16, 3, 12, 343); // 2026-02-10T16:03:12.343Z = 08:03:12.343 local at +480
const MIN = 60_000;
const SCP_LOG = 'logs/SCP01/CMGatewaySyncUploadWorker.log';
const NOTIFY_LOG = 'logs/SCP01/CMGatewayNotificationWorker.log';
const BGB_LOG = 'logs/MP01/BgbServer.log';
const CLIENT_LOG = 'logs/CLIENT042/CcmNotificationAgent.log';

/** `02-10-2026 08:03:12.343` for a UTC time and a bias. */
function local(utcMs: number, bias: number): string {
  const d = new Date(utcMs - bias * MIN).toISOString();
  return `${d.slice(5, 7)}-${d.slice(8, 10)}-${d.slice(0, 4)} ${d.slice(11, 23)}`;
}

function cycle(n: number, state: UploadCycle['state'], startUtc: number, extra: Partial<UploadCycle> = {}): UploadCycle {
  return {
    id: `logs/SCP01:CMGatewaySyncUploadWorker#${n}${state === 'missed' ? '-missed-1' : ''}`,
    sourceId: 'logs/SCP01:CMGatewaySyncUploadWorker',
    machine: 'SCP01',
    state,
    startUtc,
    endUtc: state === 'missed' ? startUtc : startUtc + 1500,
    records: state === 'missed' ? null : 10 + n,
    mode: state === 'missed' ? null : 'delta',
    status: state === 'missed' ? null : 200,
    nextRunUtc: state === 'missed' ? null : startUtc + 15 * MIN,
    nextRunLocal: state === 'missed' ? null : local(startUtc + 15 * MIN, 480).slice(0, 19),
    reason: null,
    refs: [{ path: SCP_LOG, line: 1 + n * 6, offset: n * 600 }],
    ...extra,
  };
}

function hop(h: ChainHop['hop'], event: string, log: string, machine: string, utcMs: number, bias: number, path: string, line: number, latencyMs: number | null): ChainHop {
  return { hop: h, event, log, machine, utcMs, localText: local(utcMs, bias), latencyMs, path, line };
}

function event(seq: number, kind: string, utcMs: number, summary: string, fields: SortedEvent['fields'] = {}): SortedEvent {
  return {
    kind, log: 'CMGatewaySyncUploadWorker', utcMs, localText: local(utcMs, 480), bias: 480, severity: kind.includes('fail') ? 'error' : 'info',
    summary, fields, refs: [{ path: SCP_LOG, line: seq + 1, offset: seq * 120 }], text: summary,
    sortMs: utcMs, seq, sourceId: 'logs/SCP01:CMGatewaySyncUploadWorker', machine: 'SCP01', logKind: 'CMGatewaySyncUploadWorker',
  };
}

export function makeResult(): AnalysisResult {
  const cycles: UploadCycle[] = [];
  for (let i = 0; i < 6; i++) cycles.push(cycle(i + 1, 'ok', T0 + i * 15 * MIN));
  cycles.push(cycle(7, 'failed', T0 + 6 * 15 * MIN, { status: 401, reason: `DevicePost answered 401 (Unauthorized) ${HOSTILE}` }));
  cycles.push(cycle(7, 'missed', T0 + 7 * 15 * MIN, { reason: 'the run promised for 02-10-2026 09:48:12 (local) did not happen' }));
  cycles.push({ ...cycle(7, 'missed', T0 + 8 * 15 * MIN, { reason: 'no sync run in this 15-minute slot' }), id: 'logs/SCP01:CMGatewaySyncUploadWorker#7-missed-2' });
  cycles.push(cycle(8, 'ok', T0 + 9 * 15 * MIN));

  const a = T0 + 30 * MIN;
  const delivered = [
    hop('authorized', 'action.authorized', 'CMGatewayNotificationWorker', 'SCP01', a, 480, NOTIFY_LOG, 120, null),
    hop('forwarded', 'action.forwarded', 'CMGatewayNotificationWorker', 'SCP01', a + 200, 480, NOTIFY_LOG, 121, 200),
    hop('push-start', 'bgb.push-start', 'BgbServer', 'MP01', a + 1400, -60, BGB_LOG, 88, 1200),
    hop('push-finish', 'bgb.push-finish', 'BgbServer', 'MP01', a + 1650, -60, BGB_LOG, 90, 250),
    hop('client-received', 'client.task-received', 'CcmNotificationAgent', 'CLIENT042', a + 2900, -120, CLIENT_LOG, 14, 1250),
  ];
  const b = T0 + 75 * MIN;
  const pending = [
    hop('authorized', 'action.authorized', 'CMGatewayNotificationWorker', 'SCP01', b, 480, NOTIFY_LOG, 300, null),
    hop('forwarded', 'action.forwarded', 'CMGatewayNotificationWorker', 'SCP01', b + 300, 480, NOTIFY_LOG, 301, 300),
    hop('push-start', 'bgb.push-start', 'BgbServer', 'MP01', b + 65_000, -60, BGB_LOG, 140, 64_700),
  ];

  const events: SortedEvent[] = [
    event(0, 'upload.start', T0, 'Starting sync upload (delta)', { mode: 'delta' }),
    event(1, 'upload.batch', T0 + 300, 'Batching 11 records', { records: 11 }),
    event(2, 'gateway.response', T0 + 900, 'DevicePost answered 200 (OK)', { status: 200, endpoint: 'DevicePost' }),
    event(3, 'upload.failed', T0 + 90 * MIN, `DevicePost answered 401 ${HOSTILE}`, { status: 401, body: HOSTILE, ok: false, missing: null }),
  ];

  const lastUtc = T0 + 9 * 15 * MIN + 1500;
  return {
    sources: [
      {
        id: 'logs/SCP01:CMGatewaySyncUploadWorker', name: 'CMGatewaySyncUploadWorker', kind: 'CMGatewaySyncUploadWorker',
        role: 'service connection point', machine: 'SCP01',
        files: ['logs/SCP01/CMGatewaySyncUploadWorker.lo_', SCP_LOG], format: 'smsexec', encoding: 'utf-8', records: 412,
        firstLocal: local(T0, 480), lastLocal: local(lastUtc, 480), firstUtcMs: T0, lastUtcMs: lastUtc,
        biases: [480], biasOverride: null, recordsWithoutBias: 0, biasProblems: [], recordProblems: [], partialRecords: 0, skipped: [], errors: [],
      },
      {
        id: 'logs/MP01:BgbServer', name: 'BgbServer', kind: 'BgbServer', role: 'management point', machine: 'MP01',
        files: [BGB_LOG], format: 'cmtrace', encoding: 'utf-8 (+12 bytes read as Windows-1252)', records: 230,
        firstLocal: local(T0 + MIN, -60), lastLocal: local(b + 65_000, -60), firstUtcMs: T0 + MIN, lastUtcMs: b + 65_000,
        biases: [-60, 360], biasOverride: null, recordsWithoutBias: 2,
        biasProblems: [{ problem: 'malformed time-zone bias +-360 (WMI sign convention); read as +360', count: 3, firstLine: 42, path: BGB_LOG }],
        recordProblems: [{ problem: 'unreadable time "10-99-2026 25:00"', count: 2, firstLine: 7, firstOffset: 812, path: BGB_LOG }],
        partialRecords: 1,
        skipped: [{ path: BGB_LOG, startOffset: 1024, endOffset: 4096, reason: `binary data (NUL bytes) ${HOSTILE}` }],
        errors: [],
      },
    ],
    events,
    cycles,
    chains: [
      {
        taskGuid: '8a3d1f6e-5b0c-4e8f-9d2a-7c6b5a4e3f21', action: 'Sync Machine Policy', state: 'delivered', stoppedAt: null, reason: null,
        hops: delivered, firstUtc: a, lastUtc: a + 2900,
      },
      {
        taskGuid: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', action: `Run Script ${HOSTILE}`, state: 'pending', stoppedAt: 'push-start',
        reason: 'no push-finish seen after push-start', hops: pending, firstUtc: b, lastUtc: b + 65_000,
      },
    ],
    findings: [
      {
        ruleId: 'log-bias-suspicious', severity: 'warning', title: 'BgbServer.log writes a malformed time-zone bias',
        explanation: 'BgbServer writes +-360 on 3 records. Its times were read as +360; check the order against the other logs.',
        remediation: ['Compare the event order with a log from the same machine.', 'Pass --bias BgbServer*=MINUTES if the bias is wrong.'],
        docs: [], causes: [{ rank: 1, cause: 'A community log writer used the WMI sign convention', tellApart: 'Only this log shows +-N biases.' }],
        count: 3, firstUtc: new Date(T0 + MIN).toISOString(), lastUtc: new Date(T0 + 20 * MIN).toISOString(),
        evidence: [{ log: 'BgbServer', path: BGB_LOG, line: 42, utc: new Date(T0 + MIN).toISOString(), local: local(T0 + MIN, -60), text: 'BGB server online client count: 1832' }],
      },
      {
        ruleId: 'upload-resolved', severity: 'info', title: 'Uploads recovered after failing',
        explanation: 'Uploads succeed again after the last failure.', remediation: [], docs: [], causes: [],
        count: 1, firstUtc: new Date(T0 + 9 * 15 * MIN).toISOString(), lastUtc: new Date(T0 + 9 * 15 * MIN).toISOString(),
        evidence: [{ log: 'CMGatewaySyncUploadWorker', path: '', line: 0, utc: new Date(T0 + 9 * 15 * MIN).toISOString(), local: null, text: 'upload cycle ok (19 records)' }],
      },
      {
        ruleId: 'gateway-unauthorized', severity: 'error', title: 'The cloud gateway refuses the service connection point (401)',
        explanation:
          'DevicePost answered 401 (Unauthorized) 12 times between 2026-02-10T17:33:12.343Z and 2026-02-10T18:03:12.343Z. The gateway did not accept the token of the Azure AD app this site uses, so no device data reaches the admin center and no device action can be authorized.\n' +
          `The last answer body was: ${HOSTILE}`,
        remediation: [
          'In the console, open Cloud Services > Co-management / Tenant attach and check the Azure AD app.',
          'Renew the app secret (Azure Services > Renew Secret Key) if it expired.',
        ],
        docs: ['https://learn.microsoft.com/mem/configmgr/tenant-attach/troubleshoot', 'not a | url'],
        causes: [
          { rank: 2, cause: 'Admin consent was never granted to the imported app', tellApart: 'AADSTS65001 in SmsAdminUI.log' },
          { rank: 1, cause: 'The client secret expired', tellApart: 'AADSTS7000222 in SMS_AZUREAD_DISCOVERY_AGENT.log' },
        ],
        count: 12, firstUtc: new Date(T0 + 90 * MIN).toISOString(), lastUtc: new Date(T0 + 120 * MIN).toISOString(),
        evidence: [
          { log: 'CMGatewaySyncUploadWorker', path: SCP_LOG, line: 61, utc: new Date(T0 + 90 * MIN).toISOString(), local: local(T0 + 90 * MIN, 480), text: 'Response from https://us.gateway.configmgr.manage.microsoft.com/api/gateway/DevicePost is: 401 (Unauthorized)' },
          { log: 'CMGatewaySyncUploadWorker', path: SCP_LOG, line: 62, utc: new Date(T0 + 90 * MIN + 10).toISOString(), local: local(T0 + 90 * MIN + 10, 480), text: HOSTILE },
          { log: 'CMGatewayNotificationWorker', path: 'C:\\Program Files\\Microsoft Configuration Manager\\Logs\\CMGatewayNotificationWorker.log', line: 7, utc: new Date(T0 + 120 * MIN).toISOString(), local: local(T0 + 120 * MIN, 480), text: 'Response from …/Notification is: 401 (Unauthorized)' },
        ],
      },
    ],
    summary: {
      lastSuccessfulUploadUtc: T0 + 9 * 15 * MIN + 1500,
      nextUploadDueUtc: T0 + 10 * 15 * MIN,
      cycles: { ok: 7, failed: 1, missed: 2, incomplete: 0 },
      actions: { delivered: 1, failed: 0, pending: 1 },
      findings: { error: 1, warning: 1, info: 1 },
      records: 642,
      events: 4,
      firstUtcMs: T0,
      lastUtcMs: lastUtc,
    },
    endMs: lastUtc,
    ruleIds: ['gateway-unauthorized', 'upload-failing', 'log-bias-suspicious', 'upload-resolved', 'proxy-timeout'],
    inputProblems: [{ path: `logs/odd\x1b[31mname.log`, reason: 'EACCES: permission denied' }],
    ruleErrors: [],
  };
}

/** A result in which nothing could be read. */
export function makeEmptyResult(): AnalysisResult {
  const r = makeResult();
  return {
    ...r,
    sources: [{ ...r.sources[0]!, records: 0, errors: [`${r.sources[0]!.files[0]}: EACCES`, `${r.sources[0]!.files[1]}: EACCES`] }],
    events: [], cycles: [], chains: [], findings: [],
    summary: { ...r.summary, cycles: { ok: 0, failed: 0, missed: 0, incomplete: 0 }, actions: { delivered: 0, failed: 0, pending: 0 }, findings: { error: 0, warning: 0, info: 0 }, records: 0, events: 0, firstUtcMs: null, lastUtcMs: null, lastSuccessfulUploadUtc: null, nextUploadDueUtc: null },
    endMs: null,
  };
}
