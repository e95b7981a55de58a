import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
});
