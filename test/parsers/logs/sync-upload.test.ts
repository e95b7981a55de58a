import { describe, expect, it } from 'vitest';
import { events, kinds, only, rec, run } from './helpers.js';

const K = 'CMGatewaySyncUploadWorker';

describe('CMGatewaySyncUploadWorker', () => {
  it('reads Batching N records', () => {
    const e = only(events(K, 'Batching 42 records'), 'upload.batch');
    expect(e.fields).toEqual({ records: 42 });
    expect(e.severity).toBe('info');
    expect(e.summary).toBe('Batching 42 records');
    expect(only(events(K, 'batching  1 record.'), 'upload.batch').fields.records).toBe(1);
  });

  it('reads the next run time as written and as UTC (local + bias)', () => {
    const [e] = run(K, [rec('Next run time will be at approximately: 02/28/2020 16:35:31', { log: K, bias: 480 })]);
    expect(e?.kind).toBe('upload.next-run');
    expect(e?.fields.nextLocal).toBe('02/28/2020 16:35:31');
    expect(e?.fields.nextUtcMs).toBe(Date.UTC(2020, 1, 29, 0, 35, 31));
  });

  it('east of UTC the bias is negative', () => {
    const [e] = run(K, [rec('Next run time will be at approximately: 07/16/2016 01:38:47', { log: K, bias: -120 })]);
    expect(e?.fields.nextUtcMs).toBe(Date.UTC(2016, 6, 15, 23, 38, 47));
  });

  it('gives nextUtcMs null when the record has no bias', () => {
    const e = only(events(K, 'Next run time will be at approximately: 02/28/2020 16:35:31'), 'upload.next-run');
    expect(e.fields).toEqual({ nextLocal: '02/28/2020 16:35:31', nextUtcMs: null });
  });

  it('tolerates spacing, case and a 12-hour clock', () => {
    const [e] = run(K, [rec('next run time will be at approximately:2/8/2020 4:35:31 PM', { log: K, bias: 0 })]);
    expect(e?.fields.nextLocal).toBe('2/8/2020 4:35:31 PM');
    expect(e?.fields.nextUtcMs).toBe(Date.UTC(2020, 1, 8, 16, 35, 31));
  });

  it('keeps an impossible date as written with no UTC', () => {
    const [e] = run(K, [rec('Next run time will be at approximately: 02/30/2020 16:35:31', { log: K, bias: 0 })]);
    expect(e?.fields).toEqual({ nextLocal: '02/30/2020 16:35:31', nextUtcMs: null });
  });

  it('reads the start of a run with its mode', () => {
    expect(only(events(K, 'Starting sync upload (delta).'), 'upload.start').fields).toEqual({ mode: 'delta' });
    expect(only(events(K, 'Starting sync upload (full).'), 'upload.start').fields).toEqual({ mode: 'full' });
    expect(only(events(K, 'starting sync upload ( Full )...'), 'upload.start').fields).toEqual({ mode: 'full' });
    expect(only(events(K, 'Starting sync upload'), 'upload.start').fields).toEqual({ mode: null });
  });

  it('reads success with its record count', () => {
    const e = only(events(K, 'Upload completed successfully. 12 records uploaded.'), 'upload.succeeded');
    expect(e.fields).toEqual({ records: 12 });
    expect(e.severity).toBe('info');
    expect(only(events(K, 'Upload completed successfuly'), 'upload.succeeded').fields).toEqual({ records: null });
    expect(only(events(K, 'Upload succeeded, 3 records uploaded'), 'upload.succeeded').fields).toEqual({ records: 3 });
    expect(events(K, 'Upload completed with errors')).toEqual([]);
  });

  it('reads failure as an error with its reason', () => {
    const e = only(events(K, 'Upload failed. Will retry at next run.'), 'upload.failed');
    expect(e.fields).toEqual({ reason: 'Will retry at next run' });
    expect(e.severity).toBe('error');
    expect(only(events(K, 'Upload failed.'), 'upload.failed').fields).toEqual({ reason: null });
  });

  it('reads full / delta sync mentions', () => {
    expect(only(events(K, 'Full sync is required for this hierarchy'), 'upload.sync-mode').fields).toEqual({ mode: 'full' });
    expect(only(events(K, 'Performing delta sync...'), 'upload.sync-mode').fields).toEqual({ mode: 'delta' });
    expect(only(events(K, 'Starting a DELTA-SYNC cycle'), 'upload.sync-mode').fields).toEqual({ mode: 'delta' });
  });

  it('does not state the mode twice on a start line', () => {
    expect(kinds(events(K, 'Starting full sync upload'))).toEqual(['upload.start']);
  });

  it('reads gateway calls too (every SCP worker)', () => {
    const list = events(K, '[UploadDelta_HelpdeskUpload] Response from https://us.gateway.configmgr.manage.microsoft.com/api/gateway/DevicePost is: 401 (Unauthorized)');
    expect(kinds(list)).toEqual(['gateway.response']);
  });

  it('ignores unrelated lines', () => {
    expect(events(K, 'Worker started', 'Get records from database')).toEqual([]);
  });
});
