import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { openOutputFile, Output } from '../../src/cli/output.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('Output', () => {
  it('gives the event loop a turn while a sink takes every write at once (Ctrl+C stays handled)', async () => {
    const sink = new Writable({ highWaterMark: 1 << 30, write: (_chunk, _enc, done) => done() });
    const out = new Output(sink);
    let turned = false;
    setImmediate(() => {
      turned = true;
    });
    const started = Date.now();
    // Without a turn, this loop would run until its 10 s bound: the immediate never runs.
    while (!turned && Date.now() - started < 10_000) await out.write('x'.repeat(4096));
    expect(turned).toBe(true);
  });

  it('writes --output files synchronously, in order, and closes them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'attachscope-out-'));
    dirs.push(dir);
    const file = path.join(dir, 'report.ndjson');
    const out = new Output(openOutputFile(file), file);
    const lines = Array.from({ length: 2000 }, (_v, i) => `{"n":${i},"text":"é ${'y'.repeat(i % 300)}"}\n`);
    for (const l of lines) await out.write(l);
    // Written when write() returns, before the stream is finished: nothing waits in a buffer.
    expect(readFileSync(file, 'utf8')).toBe(lines.join(''));
    await out.finish(true);
    expect(readFileSync(file, 'utf8')).toBe(lines.join(''));
  });
});
