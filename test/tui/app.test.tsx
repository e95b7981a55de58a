import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import path from 'node:path';
import { App } from '../../src/tui/app.js';
import { KEY_TABLE } from '../../src/tui/keys.js';
import { Session } from '../../src/analysis/session.js';
import { KEY, SAMPLES, TEST_RULES, loadedSession, plain, press, selectedRow, settle } from './helpers.js';

afterEach(() => cleanup());

describe('App over sample-logs/missing-admin-consent (100×24)', () => {
  it('shows the header, rows, the selection and the findings', async () => {
    // Given a loaded session
    const session = await loadedSession('missing-admin-consent');
    // When the UI opens
    const r = render(<App session={session} columns={100} rows={24} />);
    await settle();
    // Then
    const f = plain(r.lastFrame());
    expect(f).toContain('attachscope');
    expect(f).toMatch(/3 logs: GwNotify SyncUpload SmsAdminUI/);
    expect(f).toMatch(/uploads last ok \d\d:\d\d:\d\dZ/);
    expect(f).toMatch(/findings 1 error 1 warning 0 info/);
    expect(f).toMatch(/Timeline\s+row 585\/585/);
    // follow: the last record is selected, with the > marker
    expect(selectedRow(r.lastFrame())).toMatch(/^> I ◆ 12:31:50\.928 GwNotify\s+\[gw\.response\]/);
    expect(f).toContain('TEST gateway answered 401');
    expect(f).toContain('TEST consent missing');
    expect(f).toMatch(/activity 09:41:02Z .* 12:31:50Z/);
  });

  it('keeps the frame below the terminal height at 80×24 and 200×60', async () => {
    const session = await loadedSession('missing-admin-consent');
    for (const [columns, rows] of [[80, 24], [200, 60], [100, 30], [40, 10]] as const) {
      const r = render(<App session={session} columns={columns} rows={rows} />);
      await settle();
      const lines = plain(r.lastFrame()).split('\n');
      expect(lines.length, `${columns}×${rows}`).toBeLessThanOrEqual(rows - 1);
      for (const l of lines) expect(l.length, `${columns}×${rows}: ${l}`).toBeLessThan(columns);
      r.unmount();
    }
  });

  it('/ searches with a regex and n finds the next match', async () => {
    const session = await loadedSession('missing-admin-consent');
    const r = render(<App session={session} columns={100} rows={24} />);
    await settle();
    await press(r.stdin, '/');
    expect(plain(r.lastFrame())).toMatch(/^\/█/m);
    await press(r.stdin, 'AADSTS\\d+');
    expect(plain(r.lastFrame())).toContain('/AADSTS\\d+█');
    await press(r.stdin, KEY.enter);
    expect(selectedRow(r.lastFrame())).toMatch(/^> E ◆ 09:41:41\.870 SmsAdminUI .*Failed to get an access token/);
    expect(plain(r.lastFrame())).toMatch(/row 2\/585/);
    // An invalid regex is searched literally, and said so.
    await press(r.stdin, '/', '(401', KEY.enter);
    expect(plain(r.lastFrame())).toMatch(/invalid regex/);
    expect(selectedRow(r.lastFrame())).toContain('(401)');
  });

  it('e jumps to the next error, E back; g/G top and follow', async () => {
    const session = await loadedSession('missing-admin-consent');
    const r = render(<App session={session} columns={100} rows={24} />);
    await settle();
    await press(r.stdin, 'g');
    expect(selectedRow(r.lastFrame())).toMatch(/^> I\s+09:41:02\.114 SmsAdminUI/);
    await press(r.stdin, 'e');
    expect(selectedRow(r.lastFrame())).toMatch(/^> E ◆ 09:41:41\.870 SmsAdminUI/);
    await press(r.stdin, 'e');
    expect(selectedRow(r.lastFrame())).toMatch(/^> E\s+09:45:03\.498 GwNotify .*\(401\) Unauthorized/);
    await press(r.stdin, 'E');
    expect(selectedRow(r.lastFrame())).toMatch(/^> E ◆ 09:41:41\.870/);
    await press(r.stdin, 'jjj'); // one event, three moves
    expect(plain(r.lastFrame())).toMatch(/row 5\/585/);
    await press(r.stdin, 'G');
    expect(plain(r.lastFrame())).toMatch(/row 585\/585 · local time · at end ↓/);
  });

  it('Tab to findings, Enter opens the evidence (the next one on repeat), detail explains the finding', async () => {
    const session = await loadedSession('missing-admin-consent');
    const r = render(<App session={session} columns={100} rows={24} />);
    await settle();
    await press(r.stdin, KEY.tab);
    expect(plain(r.lastFrame())).toMatch(/▶\s+Findings/);
    expect(plain(r.lastFrame())).toMatch(/Detail\s+finding 1\/2/);
    expect(plain(r.lastFrame())).toContain('calls answered 401 between');
    await press(r.stdin, KEY.enter);
    expect(plain(r.lastFrame())).toMatch(/evidence 1\/\d+: CMGatewayNotificationWorker:8/);
    expect(selectedRow(r.lastFrame())).toMatch(/09:45:03\.498 GwNotify .*\(401\) Unauthorized/);
    await press(r.stdin, KEY.enter);
    expect(plain(r.lastFrame())).toMatch(/evidence 2\/\d+/);
    expect(selectedRow(r.lastFrame())).toMatch(/09:46:06\.184 SyncUpload|09:47:04\.257 GwNotify/);
  });

  it('the detail pane shows the whole record, its bias and UTC, and explains its codes', async () => {
    const session = await loadedSession('missing-admin-consent');
    const r = render(<App session={session} columns={200} rows={70} />);
    await settle();
    await press(r.stdin, '/AADSTS65001', KEY.enter);
    const f = plain(r.lastFrame());
    expect(f).toMatch(/file\s+.*SmsAdminUI\.log:2–6/);
    expect(f).toMatch(/local\s+01-14-2026 09:41:41\.870\s+bias \+000 \(UTC\+00:00\)/);
    expect(f).toMatch(/UTC\s+2026-01-14T09:41:41\.870Z/);
    expect(f).toContain('Trace ID: 99cd78d7'); // the multi-line message in full
    expect(f).toMatch(/Events[\s\S]*aad\.error/);
    expect(f).toMatch(/Codes[\s\S]*AADSTS65001/);
  });

  it('t shows UTC times; f filters; F clears', async () => {
    const session = await loadedSession('missing-admin-consent');
    const r = render(<App session={session} columns={100} rows={24} />);
    await settle();
    await press(r.stdin, 't');
    expect(selectedRow(r.lastFrame())).toMatch(/12:31:50\.928Z GwNotify/);
    await press(r.stdin, 'f', 'sev:error log:smsadmin', KEY.enter);
    const f = plain(r.lastFrame());
    expect(f).toMatch(/row 1\/1 · UTC · filter: sev:error log:smsadmin/);
    expect(selectedRow(r.lastFrame())).toMatch(/^> E ◆ 09:41:41\.870Z SmsAdminUI/);
    await press(r.stdin, 'F');
    expect(plain(r.lastFrame())).toMatch(/row \d+\/585/);
  });

  it('? shows help generated from the key table; ? closes it', async () => {
    const session = await loadedSession('missing-admin-consent');
    const r = render(<App session={session} columns={120} rows={60} />);
    await settle();
    await press(r.stdin, '?');
    const f = plain(r.lastFrame());
    for (const b of KEY_TABLE) expect(f).toContain(b.description);
    expect(f).toMatch(/PgDn Space Ctrl\+F\s+page down/);
    await press(r.stdin, '?');
    expect(plain(r.lastFrame())).not.toContain(KEY_TABLE[0]!.description);
  });

  it('q quits', async () => {
    const session = await loadedSession('missing-admin-consent');
    const onQuit = vi.fn();
    const r = render(<App session={session} columns={100} rows={24} onQuit={onQuit} />);
    await settle();
    await press(r.stdin, 'q');
    expect(onQuit).toHaveBeenCalledOnce();
  });
});

describe('App over sample-logs/action-never-reaches-client', () => {
  it('c shows the action chain with hop latencies; Enter on a hop jumps to it', async () => {
    const session = await loadedSession('action-never-reaches-client', []);
    const r = render(<App session={session} columns={120} rows={30} />);
    await settle();
    await press(r.stdin, '/08aec40f', KEY.enter);
    await press(r.stdin, 'c');
    const f = plain(r.lastFrame());
    expect(f).toMatch(/Action chain\s+Sync Machine Policy\s+failed\s+task 08aec40f-d677-4cf8-b347-a55f0f3b3916/);
    expect(f).toMatch(/^> authorized\s/m);
    expect(f).toMatch(/\+\d+(\.\d)?(ms|s)\s/); // a latency
    await press(r.stdin, 'j', KEY.enter);
    expect(plain(r.lastFrame())).toMatch(/hop 2\/\d+: /);
    expect(plain(r.lastFrame())).toMatch(/▶\s+Timeline/);
  });
});

describe('App while the files are still being read', () => {
  it('appears at once, then fills in as the Session notifies', async () => {
    const session = new Session([path.join(SAMPLES, 'healthy-day')], { follow: false, keepRecords: true, throttleMs: 20, rules: TEST_RULES });
    const r = render(<App session={session} columns={100} rows={24} />);
    await settle();
    expect(plain(r.lastFrame())).toMatch(/attachscope (opening…|.*reading)/);
    await session.start();
    await vi.waitFor(async () => {
      await settle();
      expect(plain(r.lastFrame())).toMatch(/attachscope read once · 4 logs/);
    });
    expect(selectedRow(r.lastFrame())).toBeDefined();
  });
});
