import { Writable } from 'node:stream';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pollMsFrom, runOpen } from '../../src/cli/open.js';
import { SAMPLES } from './helpers.js';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  }) as Writable & { isTTY?: boolean };
  w.isTTY = isTTY;
  return { w, text: () => chunks.join('') };
}

describe('runOpen without a terminal', () => {
  it('does not start the UI: says why on stderr, writes the text report, exits 0', async () => {
    for (const [stdinTTY, stdoutTTY] of [[false, true], [true, false], [false, false]] as const) {
      const out = sink(stdoutTTY);
      const err = sink(false);
      const code = await runOpen([path.join(SAMPLES, 'missing-admin-consent')], { follow: true, rules: [], bias: [] }, { stdin: { isTTY: stdinTTY }, stdout: out.w, stderr: err.w });
      expect(code).toBe(0);
      expect(err.text()).toMatch(/terminal UI needs a terminal/);
      expect(err.text()).toMatch(/attachscope scan/);
      expect(out.text()).toMatch(/CMGatewayNotificationWorker/);
      expect(out.text()).not.toMatch(/\u001b\[/); // no colour, no cursor movement in a pipe
    }
  });
});

describe('--poll', () => {
  it('reads milliseconds; a bare --poll is the default; nonsense is a usage error', () => {
    expect(pollMsFrom(undefined)).toBeUndefined();
    expect(pollMsFrom(false)).toBeUndefined();
    expect(pollMsFrom(true)).toBe(1000);
    expect(pollMsFrom('250')).toBe(250);
    expect(() => pollMsFrom('soon')).toThrow(/--poll/);
  });
});
