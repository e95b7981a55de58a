import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyReport, readFileRecords } from '../../src/ingest/read.js';
import type { LogRecord } from '../../parsers/types.js';
import { cm, srv, tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function read(file: string, range?: { start: number; end: number; line: number }): Promise<LogRecord[]> {
  const { size } = await import('node:fs').then((fs) => fs.statSync(file));
  const out: LogRecord[] = [];
  const report = emptyReport(file);
  for await (const b of readFileRecords({ path: file, name: path.basename(file), dir: tmp.dir, root: tmp.dir, size, mtimeMs: 0 }, { log: 'X', chunkSize: 4096, range }, report)) out.push(...b);
  expect(report.error).toBeUndefined();
  return out;
}

describe('reading a byte range of a file (a part of a parallel scan)', () => {
  it.each([
    ['CMTrace with a BOM and multi-line messages', '\uFEFF', (i: number) => cm(i % 7 === 0 ? `entry ${i}\r\nsecond line ${i} é` : `entry ${i} — ü`)],
    ['`$$<`', '', (i: number) => srv(`entry ${i} ü`)],
  ])('gives the records a whole read gives for that range, with their lines and offsets: %s', async (_name, bom, line) => {
    const file = path.join(tmp.dir, `r${bom.length}.log`);
    writeFileSync(file, bom + Array.from({ length: 3000 }, (_, i) => line(i)).join('\r\n') + '\r\n');
    const all = await read(file);
    for (const k of [1, 500, 1234, 2999]) {
      const start = all[k]!.offset;
      const end = all[Math.min(all.length - 1, k + 700)]!.offset;
      const part = await read(file, { start, end, line: all[k]!.line });
      const want = all.filter((r) => r.offset >= start && r.offset < end);
      expect(part.map((r) => [r.offset, r.line, r.length, r.message, r.utcMs])).toEqual(want.map((r) => [r.offset, r.line, r.length, r.message, r.utcMs]));
    }
  });
});
