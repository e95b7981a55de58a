import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discover } from '../../src/ingest/discover.js';
import { ROOT } from '../e2e/cli.js';
import { tempDir } from '../helpers/tmp.js';

const t = tempDir('attachscope-rotate-');
afterAll(() => t.cleanup());

const node = (script: string, args: string[]) => execFileSync(process.execPath, [path.join(ROOT, 'bench', script), ...args], { encoding: 'utf8' });

describe('bench/rotate.mjs (history files and their zip, for benchmarks)', () => {
  it.each(['cmtrace', 'smsexec'])('cuts a %s log at record starts into history files that read as the log did', async (format) => {
    const src = path.join(t.dir, format);
    node('generate.mjs', ['--quiet', '--format', format, '--size', '600K', '--seed', '2', '--out', src]);
    const log = path.join(src, 'CMGatewayNotificationWorker.log');
    const out = path.join(t.dir, `${format}-rotated`);
    const zip = path.join(t.dir, `${format}.zip`);
    node('rotate.mjs', [log, '--size', '100K', '--out', out, '--zip', zip]);
    const names = readdirSync(out).sort();
    expect(names.length).toBeGreaterThan(4);
    expect(names.at(-1)).toBe('CMGatewayNotificationWorker.log');
    // Oldest first by their stamps, and the bytes end to end are the log's.
    const ordered = [...names.slice(0, -1), names.at(-1)!];
    expect(Buffer.concat(ordered.map((n) => readFileSync(path.join(out, n)))).equals(readFileSync(log))).toBe(true);
    // Every file after the first begins with a record.
    for (const n of ordered.slice(1)) {
      const head = readFileSync(path.join(out, n)).subarray(0, 7).toString();
      if (format === 'cmtrace') expect(head).toBe('<![LOG[');
      else expect(readFileSync(path.join(out, ordered[ordered.indexOf(n) - 1]!)).toString().trimEnd().split('\n').at(-1)).toMatch(/\$\$<.*>\r?$/);
    }
    // One log of history files, on disk and in the zip, in the same order.
    for (const input of [out, zip]) {
      const { sources, problems } = await discover([input]);
      expect(problems).toEqual([]);
      expect(sources).toHaveLength(1);
      expect(sources[0]!.files.map((f) => f.name)).toEqual(ordered);
    }
  });
});
