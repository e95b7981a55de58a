import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { compareNames, discover, groupRotations, machineOf } from '../../src/ingest/discover.js';
import { kindFromComponents, kindFromName, logicalName } from '../../src/ingest/kinds.js';
import { readZip } from '../../src/ingest/zip.js';
import { cm, tempDir } from '../helpers/tmp.js';

let t: ReturnType<typeof tempDir>;
beforeEach(() => { t = tempDir(); });
afterEach(() => t.cleanup());

describe('log names and kinds', () => {
  it('strips rotation suffixes', () => {
    expect(logicalName('BGBServer-20230124-092553.log')).toBe('BGBServer');
    expect(logicalName('CMGatewayNotificationWorker.lo_')).toBe('CMGatewayNotificationWorker');
  });
  it('matches names case-insensitively and knows the role', () => {
    expect(kindFromName('BGBServer')).toEqual({ kind: 'BgbServer', role: 'management point' });
    expect(kindFromName('ccmnotificationagent').kind).toBe('CcmNotificationAgent');
    expect(kindFromName('SomethingElse')).toEqual({ kind: 'generic', role: 'unknown' });
  });
  it('falls back to component names', () => {
    expect(kindFromComponents(['SMS_SERVICE_CONNECTOR_CMGatewayNotificationWorker', 'x'])?.kind).toBe('CMGatewayNotificationWorker');
    expect(kindFromComponents(['SMS_NOTIFICATION_SERVER'])?.kind).toBe('BgbServer');
    expect(kindFromComponents(['foo'])).toBeNull();
  });
});

describe('discovery', () => {
  it('groups X-stamp.log, X.lo_ and X.log oldest first, per folder, case-insensitively', async () => {
    for (const n of ['BgbServer.log', 'BGBServer.lo_', 'BgbServer-20240102-030405.log', 'BgbServer-20230102-030405.log', 'other.txt']) writeFileSync(path.join(t.dir, n), cm('x'));
    mkdirSync(path.join(t.dir, 'MP02'));
    writeFileSync(path.join(t.dir, 'MP02', 'BgbServer.log'), cm('y'));
    const { sources, problems } = await discover([t.dir]);
    expect(problems).toEqual([]);
    expect(sources).toHaveLength(2);
    const main = sources.find((s) => s.machine === null)!;
    expect(main.files.map((f) => f.name)).toEqual(['BgbServer-20230102-030405.log', 'BgbServer-20240102-030405.log', 'BGBServer.lo_', 'BgbServer.log']);
    expect(main).toMatchObject({ name: 'BgbServer', kind: 'BgbServer', role: 'management point' });
    expect(sources.find((s) => s.machine === 'MP02')).toBeTruthy();
  });
  it('reports missing paths, unmatched globs, and symlink loops without throwing', async () => {
    mkdirSync(path.join(t.dir, 'a'));
    writeFileSync(path.join(t.dir, 'a', 'X.log'), cm('x'));
    symlinkSync(t.dir, path.join(t.dir, 'a', 'loop'));
    const { sources, problems } = await discover([t.dir, path.join(t.dir, 'nope.log'), path.join(t.dir, '*.nomatch')]);
    expect(sources).toHaveLength(1);
    expect(problems.map((p) => p.reason)).toEqual(expect.arrayContaining(['no such file or folder', 'no file matches this pattern', expect.stringMatching(/loop/)]));
  });
  it('expands globs with fast-glob', async () => {
    writeFileSync(path.join(t.dir, 'A.log'), cm('a'));
    writeFileSync(path.join(t.dir, 'B.log'), cm('b'));
    const { sources } = await discover([path.join(t.dir, 'A*.log')]);
    expect(sources.map((s) => s.name)).toEqual(['A']);
  });
  it('reads zip bundles, keeping folder structure as machines', async () => {
    const zip = zipSync({ 'SCP01/Logs/CMGatewaySyncUploadWorker.log': strToU8(cm('Batching 1 records')), 'readme.txt': strToU8('x') });
    writeFileSync(path.join(t.dir, 'bundle.zip'), zip);
    const { sources } = await discover([path.join(t.dir, 'bundle.zip')]);
    expect(sources).toHaveLength(1);
    expect(sources[0]).toMatchObject({ kind: 'CMGatewaySyncUploadWorker', machine: 'SCP01' });
    expect(sources[0]!.files[0]!.path).toMatch(/bundle\.zip!SCP01\/Logs\/CMGatewaySyncUploadWorker\.log$/);
  });
  it('names machines from zips found in a folder as from folders; a zip given itself names none', async () => {
    const log = (m: string) => strToU8(cm(m));
    mkdirSync(path.join(t.dir, 'case', 'site2'), { recursive: true });
    writeFileSync(path.join(t.dir, 'case', 'SCP01.zip'), zipSync({ 'CMGatewaySyncUploadWorker.log': log('Batching 1 records') }));
    writeFileSync(path.join(t.dir, 'case', 'MP01.zip'), zipSync({ 'Logs/BgbServer.log': log('bgb') }));
    writeFileSync(path.join(t.dir, 'case', 'site2', 'logs.zip'), zipSync({ 'BgbServer.log': log('bgb') }));
    writeFileSync(path.join(t.dir, 'case', 'bundle.zip'), zipSync({ 'CLIENT7/CcmNotificationAgent.log': log('agent') }));
    const { sources } = await discover([path.join(t.dir, 'case')]);
    expect(sources.map((s) => [s.name, s.machine]).sort()).toEqual([
      ['BgbServer', 'MP01'], ['BgbServer', 'site2'], ['CMGatewaySyncUploadWorker', 'SCP01'], ['CcmNotificationAgent', 'CLIENT7'],
    ]);
    const alone = await discover([path.join(t.dir, 'case', 'SCP01.zip')]);
    expect(alone.sources.map((s) => s.machine)).toEqual([null]);
  });
  it('skips path-traversal entries, caps zip bombs, reports corrupt zips', () => {
    const trav = readZip(zipSync({ '../evil.log': strToU8('x'), 'ok.log': strToU8('y') }));
    expect(trav.entries.map((e) => e.name)).toEqual(['ok.log']);
    expect(trav.problems[0]!.reason).toMatch(/unsafe path/);
    const bomb = readZip(zipSync({ 'big.log': new Uint8Array(5_000_000) }, { level: 9 }), { maxEntryBytes: 1_000_000, maxTotalBytes: 2_000_000, maxRatio: 1000 });
    expect(bomb.entries).toEqual([]);
    expect(bomb.problems[0]!.reason).toMatch(/zip bomb/);
    const corrupt = readZip(Uint8Array.from([0x50, 0x4b, 3, 4, 1, 2, 3]));
    expect(corrupt.entries).toEqual([]);
    expect(corrupt.problems.length).toBeGreaterThan(0);
  });
  it('names machines from folders but not from generic log folder names', () => {
    const f = (dir: string) => ({ path: `${dir}/x.log`, name: 'x.log', dir, root: '/in', size: 0, mtimeMs: 0 });
    expect(machineOf(f('/in/CLIENT042/Windows/CCM/Logs'))).toBe('CLIENT042');
    expect(machineOf(f('/in/Logs'))).toBeNull();
    expect(groupRotations([f('/in/A'), f('/in/a')]).length).toBe(1);
  });
});

describe('compareNames', () => {
  it('orders names ignoring case first, then by code point, like a folder listing', () => {
    expect(['b.log', 'B.log', 'a-2.log', 'A.log', 'a.log', 'a_1.log'].sort(compareNames)).toEqual(['a-2.log', 'A.log', 'a.log', 'a_1.log', 'B.log', 'b.log']);
  });
});
