import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { analyzePaths, analyzeTexts } from '../../src/analysis/analyze.js';
import { AnalysisCore } from '../../src/analysis/core.js';
import type { SortedEvent } from '../../src/analysis/model.js';
import { parseText } from '../../parsers/formats/index.js';
import { kindFromName } from '../../src/ingest/kinds.js';
import type { LogicalSource } from '../../src/ingest/discover.js';

/** A server-format line at a local time with a bias. */
const srv = (msg: string, local: string, bias: string, comp = 'SMS_SERVICE_CONNECTOR_X') => `${msg}  $$<${comp}><${local}${bias}><thread=1 (0x1)>`;
const cmt = (msg: string, time: string, date: string, comp = 'C') => `<![LOG[${msg}]LOG]!><time="${time}" date="${date}" component="${comp}" context="" type="1" thread="7" file="">`;
const GUID = 'a43dd1b3-a006-4604-b012-5529380b3b6f';

/** One Sync Machine Policy across three machines in three zones. */
function crossMachine() {
  return [
    { log: 'CMGatewayNotificationWorker', path: 'SCP01/CMGatewayNotificationWorker.log', text: [
      srv('Received new notification. Validating basic notification details...', '03-14-2026 02:00:04.000', '+480'),
      srv('Authorized to perform client action. TemplateID: RequestMachinePolicy TenantId: 11111111-2222-3333-4444-555555555555 AADUserID: 66666666-7777-8888-9999-000000000000', '03-14-2026 02:00:05.000', '+480'),
      srv(`Forwarded BGB remote task. TemplateID: 1 TaskGuid: ${GUID} TaskParam: TargetDeviceIDs: 1`, '03-14-2026 02:00:05.100', '+480'),
    ].join('\r\n') },
    { log: 'BgbServer', path: 'MP01/BgbServer.log', text: [
      cmt(`Starting to send push task (PushID: 7 TaskID: 8 TaskGUID: ${GUID.toUpperCase()} TaskType: 1 TaskParam: ) to 1 clients  with throttling (strategy: 1 param: 42)`, '11:00:07.000-060', '03-14-2026', 'BgbServer'),
      cmt('Finished sending push task (PushID: 7 TaskID: 8) to 1 clients', '11:00:07.500-060', '03-14-2026', 'BgbServer'),
    ].join('\r\n') },
    { log: 'CcmNotificationAgent', path: 'CLIENT042/CcmNotificationAgent.log', text: [
      cmt(`Receive task from server with pushid=7, taskid=8, taskguid=${GUID.toUpperCase()}, tasktype=1 and taskParam=`, '12:00:09.000-120', '03-14-2026', 'BgbAgent'),
      cmt('Send Task response message <BgbResponseMessage TimeStamp="2026-03-14T10:00:10Z"><PushID>7</PushID><TaskID>8</TaskID><ReturnCode>1</ReturnCode></BgbResponseMessage> successfully.', '12:00:10.000-120', '03-14-2026', 'BgbAgent'),
    ].join('\r\n') },
  ];
}

describe('action chains', () => {
  it('follows one action across three machines and three zones to delivered, with positive latencies', async () => {
    const a = await analyzeTexts(crossMachine(), { rules: [] });
    expect(a.chains).toHaveLength(1);
    const c = a.chains[0]!;
    expect(c).toMatchObject({ taskGuid: GUID, action: 'Sync Machine Policy', state: 'delivered' });
    expect(c.hops.map((h) => h.hop)).toEqual(['authorized', 'forwarded', 'push-start', 'push-finish', 'client-received', 'client-response']);
    expect(new Date(c.hops[1]!.utcMs!).toISOString()).toBe('2026-03-14T10:00:05.100Z');
    for (const h of c.hops.slice(1)) expect(h.latencyMs!).toBeGreaterThan(0);
  });
  it('orders hops by UTC even when local clocks disagree (SCP east of the client)', async () => {
    // SCP in UTC+10 (-600) writes 20:00:05 local; client in UTC-5 (+300) writes 05:00:09 local.
    const files = [
      { log: 'CMGatewayNotificationWorker', text: srv(`Forwarded BGB remote task. TemplateID: 1 TaskGuid: ${GUID} TaskParam: TargetDeviceIDs: 1`, '03-14-2026 20:00:05.000', '-600') },
      { log: 'CcmNotificationAgent', text: cmt(`Receive task from server with pushid=7, taskid=8, taskguid=${GUID}, tasktype=1 and taskParam=`, '05:00:09.000+300', '03-14-2026') },
    ];
    const a = await analyzeTexts(files, { rules: [] });
    const c = a.chains[0]!;
    expect(c.hops.map((h) => h.hop)).toEqual(['forwarded', 'client-received']);
    expect(c.hops[1]!.latencyMs).toBe(4000);
  });
  it('an action that stops at the management point is pending there, naming the hop', async () => {
    const files = crossMachine();
    files[2]!.text = cmt('Client is alive', '12:30:00.000-120', '03-14-2026', 'BgbAgent');
    const a = await analyzeTexts(files, { rules: [] });
    expect(a.chains[0]).toMatchObject({ state: 'pending', stoppedAt: 'push-finish' });
    expect(a.chains[0]!.reason).toMatch(/client/);
  });
  it('an unauthorized action fails at authorization', async () => {
    const a = await analyzeTexts([{ log: 'CMGatewayNotificationWorker', text: srv('Unauthorized to perform client action. TemplateID: RequestMachinePolicy TenantId: 11111111-2222-3333-4444-555555555555 AADUserID:  66666666-7777-8888-9999-000000000000', '03-14-2026 02:00:05.000', '+480') }], { rules: [] });
    expect(a.chains[0]).toMatchObject({ state: 'failed', stoppedAt: 'unauthorized', action: 'Sync Machine Policy' });
  });
});

const uploadCycle = (local: string, next: string, bias = '+480', ok = true) => [
  srv('Starting sync upload (delta).', `03-14-2026 ${local}.000`, bias),
  srv('Batching 12 records', `03-14-2026 ${local}.100`, bias),
  ok ? srv('Upload completed successfully. 12 records uploaded.', `03-14-2026 ${local}.900`, bias)
    : srv("[WebException]: Failed to upload data to 'https://us.gateway.configmgr.manage.microsoft.com/api/gateway/DevicePost'", `03-14-2026 ${local}.900`, bias),
  srv(`Next run time will be at approximately: 03/14/2026 ${next}`, `03-14-2026 ${local}.950`, bias),
];

describe('upload cycles', () => {
  it('groups runs, marks failed ones and computes the promised next run in UTC', async () => {
    const text = [...uploadCycle('02:00:00', '02:15:00'), ...uploadCycle('02:15:00', '02:30:00', '+480', false)].join('\r\n');
    const a = await analyzeTexts([{ log: 'CMGatewaySyncUploadWorker', text }], { rules: [] });
    expect(a.cycles.map((c) => [c.state, c.records])).toEqual([['ok', 12], ['failed', 12]]);
    expect(new Date(a.cycles[0]!.nextRunUtc!).toISOString()).toBe('2026-03-14T10:15:00.000Z');
    expect(a.summary.cycles).toMatchObject({ ok: 1, failed: 1, missed: 0 });
    expect(new Date(a.summary.lastSuccessfulUploadUtc!).toISOString()).toBe('2026-03-14T10:00:00.950Z');
  });
  it('a promised run that never comes while another log continues is missed', async () => {
    const files = [
      { log: 'CMGatewaySyncUploadWorker', text: uploadCycle('02:00:00', '02:15:00').join('\r\n') },
      { log: 'CMGatewayNotificationWorker', text: srv('[GetNotifications] Response from https://us.gateway.configmgr.manage.microsoft.com/api/gateway/Notification is: 204 (NoContent)', '03-14-2026 03:10:00.000', '+480') },
    ];
    const a = await analyzeTexts(files, { rules: [] });
    const missed = a.cycles.filter((c) => c.state === 'missed');
    expect(missed.length).toBe(3); // due 02:15, 02:30, 02:45 local; 03:00 is still within grace at 03:10
    expect(missed[0]!.reason).toMatch(/03\/14\/2026 02:15:00/);
  });
  it('the last promise is not missed when nothing later was logged', async () => {
    const a = await analyzeTexts([{ log: 'CMGatewaySyncUploadWorker', text: uploadCycle('02:00:00', '02:15:00').join('\r\n') }], { rules: [] });
    expect(a.cycles.filter((c) => c.state === 'missed')).toEqual([]);
  });
});

describe('the same core serves batch and live', () => {
  it('feeding records one by one or in any batches gives the same events, cycles and chains', () => {
    const files = [
      ...crossMachine(),
      { log: 'CMGatewaySyncUploadWorker', path: 'SCP01/CMGatewaySyncUploadWorker.log', text: [...uploadCycle('01:00:00', '01:15:00'), ...uploadCycle('01:15:00', '01:30:00', '+480', false), srv('Exception details:', '03-14-2026 01:15:01.000', '+480'), srv('[Critical][CMGatewaySyncUploadWorker][0][System.Net.WebException][0x80131509]', '03-14-2026 01:15:01.000', '+480'), srv('The remote server returned an error: (401) Unauthorized.    at X.Y()', '03-14-2026 01:15:01.000', '+480')].join('\r\n') },
    ];
    const parsed = files.map((f) => ({ f, recs: parseText(f.text, { log: f.log, path: f.path ?? f.log }) }));
    const run = (splits: number[][]) => {
      const core = new AnalysisCore();
      parsed.forEach(({ f, recs }, i) => {
        const info = kindFromName(f.log);
        const src: LogicalSource = { id: f.log, name: f.log, kind: info.kind, role: info.role, machine: null, files: [] };
        core.addSource(src);
        const cuts = [...new Set(splits[i] ?? [])].map((x) => x % (recs.length + 1)).sort((a, b) => a - b);
        let last = 0;
        for (const c of cuts) { core.feed(src.id, recs.slice(last, c)); last = c; }
        core.feed(src.id, recs.slice(last));
        core.flushSource(src.id);
      });
      const s = core.snapshot();
      return { events: s.events.map(({ seq: _s, ...e }) => e).sort((a, b) => a.sortMs - b.sortMs || a.kind.localeCompare(b.kind)), cycles: s.cycles, chains: s.chains };
    };
    const whole = run([]);
    expect(whole.chains[0]!.state).toBe('delivered');
    expect(whole.events.some((e) => e.kind === 'exception')).toBe(true);
    const oneByOne = run(parsed.map(({ recs }) => recs.map((_, i) => i)));
    expect(oneByOne).toEqual(whole);
    fc.assert(fc.property(fc.array(fc.array(fc.nat(), { maxLength: 8 }), { minLength: 4, maxLength: 4 }), (splits) => {
      expect(run(splits)).toEqual(whole);
    }), { numRuns: 200 });
  });
});

describe('lean analysis with the kept events packed (scan)', () => {
  it('derives the same cycles, chains, findings and summary from every sample set as keeping them as objects', async () => {
    const samples = path.join(import.meta.dirname, '../../sample-logs');
    let chains = 0;
    // Keeping no event (scan), or the problems in full (then chains read kept and packed events, merged in time order).
    for (const keepEvent of [() => false, (e: SortedEvent) => e.severity !== 'info']) {
      for (const name of readdirSync(samples).filter((n) => !n.includes('.'))) {
        const input = [path.join(samples, name)];
        const objects = await analyzePaths(input, { keepEvent });
        const packed = await analyzePaths(input, { keepEvent, packKept: true });
        const { events: objectEvents, ...objectRest } = objects;
        const { events: packedEvents, ...packedRest } = packed;
        expect(packedRest, name).toEqual(objectRest);
        // Packed, the events kept only for chains are not listed (scan lists no kept event).
        expect(packedEvents, name).toEqual(objectEvents.filter((e) => keepEvent(e) || e.logKind === 'CMGatewaySyncUploadWorker' || !/^(?:action|bgb|client|script)\./.test(e.kind)));
        chains += packed.chains.length;
      }
    }
    expect(chains).toBeGreaterThan(5);
  });
});

describe('lean analysis keeps upload events slim (scan)', () => {
  it('derives the same cycles from every sample set as keeping every event, holding no routine line', async () => {
    const samples = path.join(import.meta.dirname, '../../sample-logs');
    let failed = 0;
    for (const name of readdirSync(samples).filter((n) => !n.includes('.'))) {
      const input = [path.join(samples, name)];
      const full = await analyzePaths(input, { keepEvent: () => true });
      const lean = await analyzePaths(input, { keepEvent: () => false });
      expect(lean.cycles, name).toEqual(full.cycles);
      failed += lean.cycles.filter((c) => c.state === 'failed').length;
      const uploads = lean.events.filter((e) => e.logKind === 'CMGatewaySyncUploadWorker');
      expect(uploads.length, name).toBe(full.events.filter((e) => e.logKind === 'CMGatewaySyncUploadWorker').length);
      for (const e of uploads) {
        if (e.severity === 'info' && typeof e.fields.status !== 'number') expect(e.text + e.summary, `${name} ${e.kind}`).toBe('');
        expect(Object.keys(e.fields).every((k) => ['mode', 'records', 'status', 'nextUtcMs', 'nextLocal'].includes(k)), `${name} ${e.kind}`).toBe(true);
      }
    }
    // Failed cycles, whose reasons come from the summaries and texts kept.
    expect(failed).toBeGreaterThan(0);
  });
});

describe('the end of a log', () => {
  it('reports an exception entry the log ends inside (the extractor is flushed without hooks too)', async () => {
    const comp = 'SMS_SERVICE_CONNECTOR_CMGatewayNotificationWorker';
    const text = [
      srv('Web exception when getting new notification', '02-03-2026 08:28:29.458', '-330', comp),
      srv('Exception details:', '02-03-2026 08:28:29.461', '-330', comp),
      srv('[Warning][CMGatewayNotificationWorker][0][System.Net.WebException][0x80131509]', '02-03-2026 08:28:29.463', '-330', comp),
      srv('The remote server returned an error: (401) Unauthorized.    at X.MoveNext()', '02-03-2026 08:28:29.465', '-330', comp),
    ].join('\r\n');
    const r = await analyzeTexts([{ log: 'CMGatewayNotificationWorker', text }]);
    const ex = r.events.filter((e) => e.kind === 'exception');
    expect(ex).toHaveLength(1);
    expect(ex[0]!.refs.map((x) => x.line)).toEqual([2, 3, 4]);
  });
});
