import { describe, expect, it } from 'vitest';
import { compareBaseline, renderReport, type ReportFormat } from '../../src/report/index.js';
import { mdCode, mdEscape, mdFence } from '../../src/report/markdown.js';
import { wrap } from '../../src/report/text.js';
import { FORBIDDEN_RAW, makeEmptyResult, makeResult } from './fixture.js';
import { firstUnsafe, OPTS } from './helpers.js';

const ANSI = /\x1b\[[0-9;]*m/;

describe('no raw control characters in any format', () => {
  for (const format of ['text', 'markdown', 'json', 'ndjson', 'junit', 'sarif'] as ReportFormat[]) {
    it(format, () => {
      for (const failOn of ['error', 'info'] as const) {
        const out = renderReport(makeResult(), format, { ...OPTS, failOn });
        expect(firstUnsafe(out), format).toBeNull();
        for (const c of FORBIDDEN_RAW) expect(out.includes(c), `${format} carries U+${c.codePointAt(0)!.toString(16)}`).toBe(false);
      }
    });
  }
});

describe('text report', () => {
  const text = renderReport(makeResult(), 'text', OPTS);

  it('has no ANSI with color=false; colours severity markers with color=true', () => {
    expect(text).not.toMatch(/\x1b/);
    const colored = renderReport(makeResult(), 'text', { ...OPTS, color: true });
    expect(colored).toMatch(ANSI);
    expect(colored).toContain('\x1b[31m[ERROR]\x1b[0m');
    expect(colored).toContain('\x1b[33m[WARN ]\x1b[0m');
    expect(colored).toContain('\x1b[36m[INFO ]\x1b[0m');
    // Log text stays inert even in colour: the only escapes are our own SGR sequences.
    expect(colored.replace(/\x1b\[[0-9;]*m/g, '')).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
  });

  it('tells the story in order: header, sources, problems, health, findings, chains, cycles', () => {
    const order = ['attachscope 1.2.3', 'SOURCES (2)', 'INPUT PROBLEMS (1)', 'HEALTH', 'FINDINGS (3)', 'ACTION CHAINS (2)', 'UPLOAD CYCLES (10)'];
    const at = order.map((h) => text.indexOf(h));
    for (const i of at) expect(i).toBeGreaterThanOrEqual(0);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // Errors first, then warnings, then info.
    expect(text.indexOf('[ERROR]')).toBeLessThan(text.indexOf('[WARN ]'));
    expect(text.indexOf('[WARN ]')).toBeLessThan(text.indexOf('[INFO ]'));
  });

  it('describes each source: role, machine, files, times, bias, problems', () => {
    expect(text).toMatch(/CMGatewaySyncUploadWorker {2}service connection point on SCP01 {2}2 files, 412 records, smsexec, utf-8/);
    expect(text).toContain('02-10-2026 08:03:12.343 → 02-10-2026 10:18:13.843 local  =  2026-02-10T16:03:12.343Z → 2026-02-10T18:18:13.843Z');
    expect(text).toContain('bias +480 (UTC-08:00)');
    expect(text).toContain('-060 (UTC+01:00), +360 (UTC-06:00) (changes within the log); no bias on 2 records: ordered as UTC');
    expect(text).toMatch(/bias problem: malformed time-zone bias \+-360.*3 records, first at logs\/MP01\/BgbServer\.log:42/);
    expect(text).toMatch(/1 skipped range: binary data \(NUL bytes\)/);
  });

  it('shows the health summary', () => {
    expect(text).toMatch(/Last successful upload +2026-02-10T18:18:13\.843Z/);
    expect(text).toMatch(/Next upload due +2026-02-10T18:33:12\.343Z/);
    expect(text).toMatch(/Upload cycles +7 ok, 1 failed, 2 missed, 0 incomplete/);
    expect(text).toMatch(/Device actions +1 delivered, 0 failed, 1 pending/);
    expect(text).toMatch(/Findings +1 error, 1 warning, 1 info/);
  });

  it('shows each finding with ranked causes, numbered fix, docs and evidence', () => {
    expect(text).toContain('[ERROR] The cloud gateway refuses the service connection point (401)  (gateway-unauthorized)  ×12');
    expect(text.indexOf('1. The client secret expired')).toBeLessThan(text.indexOf('2. Admin consent was never granted'));
    expect(text).toContain('tell apart: AADSTS7000222');
    expect(text).toMatch(/ {10}1\. In the console/);
    expect(text).toContain('Docs: https://learn.microsoft.com/mem/configmgr/tenant-attach/troubleshoot');
    expect(text).toContain('logs/SCP01/CMGatewaySyncUploadWorker.log:61  02-10-2026 09:33:12.343  (2026-02-10T17:33:12.343Z)  Response from');
    expect(text).toContain('… and 9 more');
    expect(text).toContain('␛]0;pwned␇ ␛[2J ␛]8;;http://x␇click');
    expect(text).toContain('\\u{202e}exe.txt');
  });

  it('shows the first and last evidence lines of a long list, and cuts long messages', () => {
    const result = makeResult();
    const f = result.findings[2]!;
    const e0 = f.evidence[0]!;
    f.evidence = Array.from({ length: 20 }, (_, i) => ({ ...e0, line: 100 + i, text: i === 0 ? 'x'.repeat(300) : `line ${i}` }));
    f.count = 50;
    const out = renderReport(result, 'text', OPTS);
    expect(out).toMatch(/CMGatewaySyncUploadWorker\.log:102 .*\n {10}… 44 more …\n.*CMGatewaySyncUploadWorker\.log:117 /);
    expect(out).not.toContain('CMGatewaySyncUploadWorker.log:103 ');
    expect(out).toContain('x'.repeat(159) + '…');
    expect(out).not.toContain('x'.repeat(160));
    // Markdown (the ticket) keeps every evidence line.
    const md = renderReport(result, 'markdown', OPTS);
    for (let i = 0; i < 20; i++) expect(md).toContain(`CMGatewaySyncUploadWorker.log:${100 + i} `);
  });

  it('wraps explanations at about 100 columns', () => {
    const section = text.slice(text.indexOf('[ERROR]'), text.indexOf('Likely causes'));
    const lines = section.split('\n').slice(2).filter(Boolean);
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(100 + 40); // a long unbreakable token may overflow
    expect(wrap('aaa bbb ccc ddd', 30, '  ')).toEqual(['  aaa bbb ccc ddd']);
    expect(wrap('one two three four five six seven eight nine ten', 24, '>')).toEqual(['>one two three four five', '>six seven eight nine', '>ten']);
  });

  it('shows action chains hop by hop with latency', () => {
    expect(text).toMatch(/Sync Machine Policy {2}delivered {2}task 8a3d1f6e/);
    expect(text).toMatch(/forwarded +2026-02-10T16:33:12\.543Z +\+200ms {2}SCP01\/CMGatewayNotificationWorker {2}local 02-10-2026 08:33:12\.543 {2}logs\/SCP01\/CMGatewayNotificationWorker\.log:121/);
    expect(text).toMatch(/push-start +2026-02-10T16:33:13\.743Z +\+1\.2s/);
    expect(text).toMatch(/pending at push-start/);
    expect(text).toContain('no push-finish seen after push-start');
    expect(text).toMatch(/\+1m05s/);
  });

  it('collapses runs of ok cycles to one line', () => {
    expect(text).toContain('UPLOAD CYCLES (10)\n  CMGatewaySyncUploadWorker on SCP01  (logs/SCP01/CMGatewaySyncUploadWorker.lo_)\n');
    expect(text).toContain('2026-02-10 16:03:12–17:18:13Z');
    expect(text).toMatch(/6 ok cycles, 11–16 records, delta/);
    expect(text).toMatch(/1 failed cycle, 17 records, delta, HTTP 401: DevicePost answered 401/);
    expect(text).toMatch(/2 missed cycles: the run promised for 02-10-2026 09:48:12 \(local\) did not happen/);
    expect(text).toMatch(/1 ok cycle, 18 records/);
  });

  it('shows the baseline diff when given', () => {
    const result = makeResult();
    const diff = compareBaseline({ version: 1, findings: [{ ruleId: 'upload-stalled', severity: 'error' }, { ruleId: 'gateway-unauthorized', severity: 'error', count: 5 }] }, result);
    const out = renderReport(result, 'text', { ...OPTS, baselineDiff: diff });
    expect(out).toMatch(/BASELINE\n/);
    expect(out).toMatch(/missing +upload-stalled \(error\)/);
    expect(out).toMatch(/unexpected +log-bias-suspicious \(warning\) ×3/);
    expect(out).toMatch(/count +gateway-unauthorized \(error\) 5 → 12/);
    const same = renderReport(result, 'text', { ...OPTS, baselineDiff: compareBaseline({ version: 1, findings: diff.unexpected.concat([{ ruleId: 'gateway-unauthorized', severity: 'error' }]) }, result) });
    expect(same).toContain('matches the baseline');
  });

  it('says so when nothing was read or matched', () => {
    const out = renderReport(makeEmptyResult(), 'text', OPTS);
    expect(out).toContain('none: no rule matched');
    expect(out).toContain('none seen');
    expect(out).toMatch(/✖ logs\/SCP01\/CMGatewaySyncUploadWorker\.lo_: EACCES/);
  });
});

describe('markdown report', () => {
  const md = renderReport(makeResult(), 'markdown', OPTS);

  it('is a post-mortem: title, health, sources table, findings, chains, cycles', () => {
    expect(md.startsWith('# attachscope report\n')).toBe(true);
    for (const h of ['## Health summary', '## Sources', '## Input problems', '## Findings', '### ERROR: The cloud gateway refuses', '### WARNING: BgbServer.log', '### INFO: Uploads recovered', '## Action chains', '## Upload cycles']) {
      expect(md, h).toContain(h);
    }
    expect(md).toContain('| Last successful upload (UTC) | 2026-02-10T18:18:13.843Z |');
    expect(md).toMatch(/\| CMGatewaySyncUploadWorker on SCP01 \| 2026-02-10 16:03:12–17:18:13Z \| 6 ok \| 11–16 \|/);
    expect(md).toContain('**Remediation**\n\n1. In the console');
    expect(md).toContain('- <https://learn.microsoft.com/mem/configmgr/tenant-attach/troubleshoot>');
  });

  it('keeps every table row to its column count (pipes in log text are escaped)', () => {
    const tables = md.split('\n\n').filter((b) => b.startsWith('|'));
    expect(tables.length).toBeGreaterThanOrEqual(4);
    for (const t of tables) {
      const rows = t.trim().split('\n');
      const cols = (row: string) => row.replace(/\\\\/g, '').replace(/\\\|/g, '').split('|').length;
      for (const row of rows) expect(cols(row), row.slice(0, 80)).toBe(cols(rows[0]!));
    }
  });

  it('log text cannot open links, images, HTML or entities', () => {
    const prose = md.replace(/^(`{3,})text\n[\s\S]*?\n\1$/gm, '');
    expect(prose).not.toMatch(/(?<!\\)\[link\]/);
    expect(prose).not.toMatch(/(?<!\\)!\\?\[img/);
    expect(prose).not.toMatch(/(?<!\\)<b>/);
    expect(prose).not.toMatch(/(?<!\\)&#x202e;/);
    expect(prose).toContain('\\<b\\>bold\\</b\\>');
  });

  it('evidence sits in a fence longer than any backtick run inside', () => {
    const m = /\n(`{4,})text\n([\s\S]*?)\n\1\n/.exec(md);
    expect(m).not.toBeNull();
    expect(m![2]).toContain('```fence```');
    expect(m![2]).toContain('␛]0;pwned␇');
    expect(mdFence('a ````` b')).toBe('``````text\na ````` b\n``````');
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`x')).toBe('`` `x ``');
    expect(mdEscape('a|b*c_[d](e)<f>&g#h')).toBe('a\\|b\\*c\\_\\[d\\](e)\\<f\\>\\&g\\#h');
  });

  it('has no raw ESC, BEL or bidi override and no ANSI', () => {
    expect(md).not.toMatch(/[\x1b\x07\u202e]/);
    expect(firstUnsafe(md)).toBeNull();
  });
});
