import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { App } from '../../src/tui/app.js';
import { Session } from '../../src/analysis/session.js';
import { START_BYTES } from '../../src/tui/text-scan.js';
import { tempDir } from '../helpers/tmp.js';
import { KEY, plain, press, selectedRow, settle } from './helpers.js';

/**
 * An input bigger than what the UI reads at once (a 1 MB read, START_BYTES of search): the
 * first frame comes while the files are still read, and search and text filters finish in the
 * background. No timing is asserted, only the order of what the screen shows.
 */

const RECORDS = 30_000;
let t: ReturnType<typeof tempDir>;
let log: string;

beforeAll(() => {
  t = tempDir('attachscope-big-');
  log = path.join(t.dir, 'CMGatewayNotificationWorker.log');
  const lines: string[] = [];
  for (let i = 0; i < RECORDS; i++) {
    const ms = Date.UTC(2026, 0, 14, 9, 0, 0) + i * 250;
    const d = new Date(ms);
    const time = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}:${String(d.getUTCSeconds()).padStart(2, '0')}.${String(d.getUTCMilliseconds()).padStart(3, '0')}+000`;
    const msg = i === RECORDS - 1 ? 'the needle at the very end' : `[GetNotifications] poll ${i}: no notification in this long poll, waiting again for the gateway to answer`;
    lines.push(`<![LOG[${msg}]LOG]!><time="${time}" date="01-14-2026" component="SMS_SERVICE_CONNECTOR_CMGatewayNotificationWorker" context="" type="1" thread="4312" file="">`);
  }
  writeFileSync(log, lines.join('\r\n') + '\r\n');
});
afterAll(() => t.cleanup());
afterEach(() => cleanup());

const session = () => new Session([t.dir], { follow: false, keepRecords: true, throttleMs: 0, rules: [] });

describe('App over an input of several megabytes', () => {
  it('draws rows while the files are still being read', async () => {
    const s = session();
    const r = render(<App session={s} columns={120} rows={30} />);
    await s.start();
    await settle();
    const frames = r.frames.map(plain);
    const firstWithRows = frames.findIndex((f) => /^[> ] [EWI·] .{2}\d\d:\d\d:\d\d\.\d{3} /m.test(f));
    expect(firstWithRows).toBeGreaterThanOrEqual(0);
    expect(frames[firstWithRows]).toMatch(/attachscope reading/);
    // Frames during the read are spaced out; the last one comes once the read is over.
    await vi.waitFor(async () => {
      await settle();
      expect(plain(r.lastFrame())).toMatch(new RegExp(`attachscope read once[\\s\\S]*row ${RECORDS}/${RECORDS}`));
    }, { timeout: 5000, interval: 50 });
  });

  it('a search past what is read at once waits, says so, and lands when the background search gets there', async () => {
    expect(RECORDS * 240).toBeGreaterThan(START_BYTES);
    const s = session();
    await s.start();
    const r = render(<App session={s} columns={120} rows={30} />);
    await settle();
    await press(r.stdin, 'g', '/needle', KEY.enter);
    expect(plain(r.lastFrame())).toMatch(/searching \/needle\/… \d+% of the rows searched/);
    await vi.waitFor(async () => {
      await settle();
      expect(selectedRow(r.lastFrame())).toContain('the needle at the very end');
    }, { timeout: 20_000, interval: 50 });
    expect(plain(r.lastFrame())).toMatch(new RegExp(`row ${RECORDS}/${RECORDS}`));
    expect(plain(r.lastFrame())).toMatch(/^\/needle\/\s*$/m);
    // Now searched through: N finds it again at once.
    await press(r.stdin, 'g', 'N');
    expect(selectedRow(r.lastFrame())).toContain('the needle at the very end');
  });

  it('a text filter shows the rows it has found so far, then all of them', async () => {
    const s = session();
    await s.start();
    const r = render(<App session={s} columns={120} rows={30} />);
    await settle();
    await press(r.stdin, 'f', 'text:needle', KEY.enter);
    await vi.waitFor(async () => {
      await settle();
      expect(plain(r.lastFrame())).toMatch(/row 1\/1 · local time · filter: text:needle/);
    }, { timeout: 20_000, interval: 50 });
    expect(plain(r.lastFrame())).not.toMatch(/filtering/);
    expect(selectedRow(r.lastFrame())).toContain('the needle at the very end');
  });
});
