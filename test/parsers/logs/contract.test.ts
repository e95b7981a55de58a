import { describe, expect, it } from 'vitest';
import { EVENT_KINDS } from '../../../parsers/logs/kinds.js';
import { LOG_KINDS, canonicalKind, createExtractor } from '../../../parsers/logs/index.js';
import type { TimelineEvent } from '../../../parsers/types.js';
import { checkContract, documentedFields, recs, run } from './helpers.js';
import { SAMPLES } from './samples.js';

function sampleEvents(): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  for (const sample of SAMPLES) out.push(...run(sample.kind, recs(sample.lines, { log: sample.kind })));
  return out;
}

describe('event contract (kinds.ts)', () => {
  it('reads every documented field list', () => {
    for (const kind of Object.keys(EVENT_KINDS)) expect(() => documentedFields(kind)).not.toThrow();
  });

  it('every sample event has a catalogued kind and exactly its documented fields', () => {
    const list = sampleEvents();
    expect(list.length).toBeGreaterThan(40);
    for (const e of list) expect(() => checkContract(e), `${e.kind} ${JSON.stringify(e.fields)}`).not.toThrow();
  });

  it('the samples produce every kind in the catalogue', () => {
    const seen = new Set(sampleEvents().map((e) => e.kind));
    const missing = Object.keys(EVENT_KINDS).filter((k) => !seen.has(k));
    expect(missing).toEqual([]);
  });

  it('copies time, bias and log from the record and points back at it', () => {
    const x = createExtractor('CMGatewaySyncUploadWorker');
    const [e] = x.feed({
      log: 'CMGatewaySyncUploadWorker', path: 'C:/Logs/CMGatewaySyncUploadWorker.log', offset: 1234, length: 90, line: 17, endLine: 17,
      localText: '02-28-2020 16:20:31.000', localMs: Date.UTC(2020, 1, 28, 16, 20, 31), bias: 480, utcMs: Date.UTC(2020, 1, 29, 0, 20, 31),
      component: 'SMS_SERVICE_CONNECTOR_CMGatewaySyncUploadWorker', thread: '1', severity: 'info', severitySource: 'type',
      message: 'Batching 3 records\nsecond line', format: 'cmtrace',
    });
    expect(e).toEqual({
      kind: 'upload.batch', log: 'CMGatewaySyncUploadWorker', utcMs: Date.UTC(2020, 1, 29, 0, 20, 31), localText: '02-28-2020 16:20:31.000', bias: 480,
      severity: 'info', summary: 'Batching 3 records', fields: { records: 3 },
      refs: [{ path: 'C:/Logs/CMGatewaySyncUploadWorker.log', line: 17, offset: 1234 }], text: 'Batching 3 records',
    });
  });
});

describe('createExtractor', () => {
  it('knows every canonical kind, case-insensitively, and falls back to generic', () => {
    expect(LOG_KINDS).toEqual([
      'CMGatewaySyncUploadWorker', 'CMGatewayNotificationWorker', 'GenericUploadWorker', 'EndpointConnectivityCheckWorker',
      'BgbServer', 'CcmNotificationAgent', 'AdminService', 'SMS_REST_PROVIDER', 'SMSProv', 'SmsAdminUI',
      'SMS_AZUREAD_DISCOVERY_AGENT', 'Scripts', 'MP_RelayMsgMgr', 'SMS_MESSAGE_PROCESSING_ENGINE', 'generic',
    ]);
    expect(canonicalKind('BGBServer')).toBe('BgbServer');
    expect(canonicalKind('CCMNotificationAgent.log')).toBe('CcmNotificationAgent');
    expect(canonicalKind('smsprov')).toBe('SMSProv');
    expect(canonicalKind('CloudMgr')).toBe('generic');
  });

  it('runs a log kind only its own specific extractor', () => {
    const batch = 'Batching 3 records';
    expect(run('CMGatewaySyncUploadWorker', recs([batch])).map((e) => e.kind)).toEqual(['upload.batch']);
    expect(run('GenericUploadWorker', recs([batch]))).toEqual([]);
    expect(run('generic', recs([batch]))).toEqual([]);
    const push = 'Finished sending push task (PushID: 9 TaskID: 12) to 2 clients';
    expect(run('CcmNotificationAgent', recs([push]))).toEqual([]);
  });

  it('is pure: two extractors fed the same records give equal events', () => {
    const records = SAMPLES.flatMap((s) => recs(s.lines, { log: s.kind }));
    for (const kind of LOG_KINDS) expect(run(kind, records)).toEqual(run(kind, records));
  });
});
