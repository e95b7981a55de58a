import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { cm, tempDir } from '../helpers/tmp.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MODULE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/src/ingest/temp-folder.js');

/** Runs `body` in a fresh Node with `scratchFolder` imported; returns the folder it made and how it ended. */
function run(body: string): { dir: string; status: number | null; signal: string | null; stdout: string } {
  const code = `import { scratchFolder } from ${JSON.stringify(MODULE)};\nconst dir = scratchFolder();\nconsole.log(dir);\n${body}`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 20_000 });
  return { dir: r.stdout.split('\n')[0]!, status: r.status, signal: r.signal, stdout: r.stdout };
}

describe('temporary folders (zips expanded aside, listing spills)', () => {
  it('is removed when the process exits', () => {
    const r = run('');
    expect(r.dir).toMatch(/attachscope-scratch-/);
    expect(r.status).toBe(0);
    expect(existsSync(r.dir)).toBe(false);
  });

  it('is removed on a kill, and the process still ends by the signal', () => {
    const r = run(`process.kill(process.pid, 'SIGTERM'); setTimeout(() => {}, 5000);`);
    expect(r.signal).toBe('SIGTERM');
    expect(existsSync(r.dir)).toBe(false);
  });

  it('leaves ending to a handler of its own (the UI restores the terminal first)', () => {
    const r = run(`process.on('SIGTERM', () => { console.log('own handler'); setTimeout(() => process.exit(3), 50); });\nprocess.kill(process.pid, 'SIGTERM'); setTimeout(() => {}, 5000);`);
    expect(r.stdout).toContain('own handler');
    expect(r.status).toBe(3);
    expect(existsSync(r.dir)).toBe(false);
  });

  it('without a usable temp folder, a zip inside the zip is reported and a big entry read without its copy', () => {
    const t = tempDir();
    try {
      const entry = Buffer.from(Array.from({ length: 500 }, (_x, i) => cm(`Batching ${i} records`)).join('\r\n') + '\r\n');
      writeFileSync(path.join(t.dir, 'case.zip'), zipSync({ 'SCP01.zip': zipSync({ 'BgbServer.log': entry }), 'MP01/BgbServer.log': entry }));
      const dist = (m: string) => JSON.stringify(path.resolve(path.dirname(MODULE), m));
      const code = `import { discover } from ${dist('discover.js')};
import { emptyReport, readFileRecords } from ${dist('read.js')};
const { sources, problems } = await discover([${JSON.stringify(path.join(t.dir, 'case.zip'))}]);
const file = sources[0].files[0];
const report = emptyReport(file.path);
let records = 0;
for await (const batch of readFileRecords(file, { log: 'BgbServer', keepZipAside: 0 }, report)) records += batch.length;
console.log(JSON.stringify({ problems, records, error: report.error ?? null }));`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, TMPDIR: path.join(t.dir, 'missing') } });
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout) as { problems: { path: string; reason: string }[]; records: number; error: string | null };
      expect(out.problems).toEqual([{ path: expect.stringMatching(/case\.zip!SCP01\.zip$/), reason: expect.stringMatching(/a zip inside the zip that cannot be read: no temporary folder/) }]);
      expect(out).toMatchObject({ records: 500, error: null });
    } finally {
      t.cleanup();
    }
  });
});
