import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const MODULE = pathToFileURL(path.join(import.meta.dirname, '../../dist/src/analysis/young-generation.js')).href;

/**
 * In a fresh process (V8 flags are process-wide): starts a worker, plainly or through
 * steadyWorker, then makes the main thread allocate objects that survive for a while, as the
 * merge of a parallel scan does, and prints the main thread's young generation (MB).
 */
function youngAfterBurst(steady: boolean, release = false): number {
  const script = `
    import { Worker } from 'node:worker_threads';
    import { once } from 'node:events';
    import v8 from 'node:v8';
    const { steadyWorker, releaseYoungGenerations } = await import(${JSON.stringify(MODULE)});
    const start = () => new Worker('setInterval(() => {}, 1000)', { eval: true });
    const worker = ${steady} ? steadyWorker(start) : start();
    await once(worker, 'online');
    if (${release}) releaseYoungGenerations();
    const kept = [];
    for (let i = 0; i < 3_000_000; i++) {
      kept.push({ i, text: 'x' + i });
      if (kept.length > 200_000) kept.splice(0, 100_000);
    }
    const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').physical_space_size;
    console.log(Math.round(young / 1048576));
    await worker.terminate();
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return Number(r.stdout.trim());
}

describe('steady young generations (scan workers)', () => {
  it('keep the main thread\'s young generation from growing once a worker runs', () => {
    const plain = youngAfterBurst(false);
    const steady = youngAfterBurst(true);
    // V8 grows it to 32 MB here (less on a machine with little memory); held, it stays at the
    // 1 MB semi-spaces it starts with.
    expect(steady).toBeLessThanOrEqual(4);
    expect(plain).toBeGreaterThanOrEqual(2 * steady);
    // Released (scan's --records pass), it grows again.
    expect(youngAfterBurst(true, true)).toBeGreaterThanOrEqual(2 * steady);
  });
});
