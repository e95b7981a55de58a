import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LOG_KINDS } from '../../../parsers/logs/index.js';
import type { TimelineEvent } from '../../../parsers/types.js';
import { checkContract, rec, run } from './helpers.js';
import { EXCEPTION_BLOCK_400, EXCEPTION_BLOCK_401, EXCEPTION_BLOCK_SQL, SAMPLES } from './samples.js';

/** What must not depend on how lines were grouped into records (refs and text do). */
function meaning(list: readonly TimelineEvent[]): unknown[] {
  return list.map((e) => ({ kind: e.kind, severity: e.severity, summary: e.summary, fields: e.fields, utcMs: e.utcMs, log: e.log }));
}

const OPTS = { log: 'L', bias: 480, utcMs: Date.UTC(2020, 1, 29, 0, 20, 31), localText: '02-28-2020 16:20:31.000' };

/** One record per line, and the same lines grouped into multi-line records at `breaks`. */
function twoWays(lines: readonly string[], breaks: readonly boolean[]): { single: ReturnType<typeof rec>[]; grouped: ReturnType<typeof rec>[] } {
  const single = lines.map((l, i) => rec(l, { ...OPTS, line: i + 1 }));
  const groups: string[][] = [];
  lines.forEach((l, i) => {
    const last = groups[groups.length - 1];
    if (last === undefined || (breaks[i] ?? true)) groups.push([l]);
    else last.push(l);
  });
  let line = 1;
  const grouped = groups.map((g) => {
    const r = rec(g.join('\n'), { ...OPTS, line });
    line += g.length;
    return r;
  });
  return { single, grouped };
}

const sampleEntry = fc.constantFrom(...SAMPLES.map((s) => s.lines));
const block = fc.constantFrom(EXCEPTION_BLOCK_400, EXCEPTION_BLOCK_401, EXCEPTION_BLOCK_SQL);
const junkLine = fc.string({ maxLength: 60 }).map((s) => s.replace(/[\r\n]/g, ' '));
const stackLine = fc.constantFrom('   at Foo.Bar()', '   --- End of inner exception stack trace ---', '  at System.Net.WebClient.UploadData(Uri address)');
const entry = fc.oneof(
  { weight: 4, arbitrary: sampleEntry },
  { weight: 3, arbitrary: block },
  { weight: 2, arbitrary: junkLine.map((l) => [l]) },
  { weight: 1, arbitrary: stackLine.map((l) => [l]) },
);

describe('grouping independence', () => {
  it('one record per line or multi-line records: the same events, in the same order', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LOG_KINDS),
        fc.array(entry, { maxLength: 25 }),
        fc.array(fc.boolean(), { maxLength: 200 }),
        (kind, entries, breaks) => {
          const lines = entries.flat();
          const { single, grouped } = twoWays(lines, breaks);
          const a = run(kind, single);
          const b = run(kind, grouped);
          expect(meaning(b)).toEqual(meaning(a));
          // Every record of a block is referenced when the block came as separate records.
          for (const e of a) {
            const refLines = e.refs.map((r) => r.line);
            expect([...refLines].sort((x, y) => x - y)).toEqual(refLines);
          }
        },
      ),
      { numRuns: 600 },
    );
  });

  it('an exception block split at any point gives the same exception event', () => {
    fc.assert(
      fc.property(block, fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), fc.constantFrom(...LOG_KINDS), (lines, breaks, kind) => {
        const { single, grouped } = twoWays([...lines, 'Next unrelated line'], breaks);
        const a = run(kind, single);
        const b = run(kind, grouped);
        expect(meaning(b)).toEqual(meaning(a));
        const ex = a.filter((e) => e.kind === 'exception');
        expect(ex).toHaveLength(1);
        expect(ex[0]!.refs).toHaveLength(lines.length);
      }),
      { numRuns: 300 },
    );
  });
});

const FRAGMENTS = [
  'Batching', 'records', 'Next run time will be at approximately:', '02/28/2020 16:35:31', '13/45/2020 99:99:99', 'Starting sync upload (',
  'Upload completed successfully.', 'Upload failed.', '[Scenario]', 'Creating web request to:', 'https://h/api/gateway/DevicePost',
  'Method:', 'Activity ID:', 'Timeout:', '00:02:00', 'Response from', 'is:', '401', '(Unauthorized)', 'Response status code:',
  'Failed to upload data to', "'", 'Web exception when getting new notification', 'Response in the web exception:', 'Exception details:',
  '[Critical][W][0][System.Net.WebException][0x80131509]', '   at X.Y()', 'TemplateID:', 'TaskGuid:', 'TaskParam:', 'TargetDeviceIDs:',
  'AADUserID:', 'TenantId:', 'Authorized to perform client action.', 'Unauthorized to perform client action.', 'Forwarded BGB remote task.',
  'Error occured when process notification with notification Id', 'Starting to send push task (', 'PushID:', 'TaskID:', 'TaskType: 15',
  ') to 2 clients', 'with throttling (strategy: 1 param: 42)', 'Finished sending push task (', 'Generated BGB task status report', ' at ',
  'ReportedClients:', 'FailedClients:', 'Receive task from server with', 'pushid=', 'taskguid=', 'tasktype=15 and taskParam=',
  'Send Task response message', '<BgbResponseMessage TimeStamp="', '2020-01-21T15:43:43Z', '"><PushID>8</PushID>', '<ReturnCode>x</ReturnCode>',
  'Sending script state message (fast):', 'Result are sent for ScriptGuid:', 'MessageKey: GUID:', '{', '}', 'Processed', 'messages with type',
  'Failed to process', 'AADSTS', '7000222:', '(407) Proxy Authentication Required', 'The remote name could not be resolved:', '0x80004005',
  '11411', 'SSL/TLS failure', 'Network connection timeout', 'System.Security.SecurityException:', 'Execution Timeout Expired',
  'Could not obtain application secret for tenant', 'PFNjcmlwdENvbnRlbnQ=', '~~', '\\r\\n', 'Unexpected exception for worker',
];

const messageArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc
    .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 12 }), fc.constantFrom(' ', '\n', '  ', ':', '.')), { maxLength: 30 })
    .map((parts) => parts.join('')),
);

describe('robustness', () => {
  it('never throws on arbitrary messages, and every event follows the contract', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LOG_KINDS), fc.array(messageArb, { minLength: 1, maxLength: 4 }), fc.option(fc.integer({ min: -840, max: 840 })), (kind, messages, bias) => {
        const records = messages.map((m, i) => rec(m, { line: i + 1, bias }));
        const list = run(kind, records);
        for (const e of list) checkContract(e);
      }),
      { numRuns: 3000 },
    );
  });

  it('survives giant and adversarial lines', () => {
    const giants = [
      'Generated BGB task status report ' + 'x '.repeat(200_000),
      'Response from '.repeat(50_000),
      '('.repeat(100_000) + '401',
      'TaskGuid: '.repeat(40_000),
      'Exception details:\n' + '   at X.Y()\n'.repeat(20_000),
      'AADSTS1'.repeat(50_000),
      'https://' + 'a'.repeat(300_000),
      'Forwarded BGB remote task. TaskParam: ' + 'QUFB'.repeat(100_000),
    ];
    for (const kind of LOG_KINDS) {
      for (const g of giants) expect(() => run(kind, [rec(g)])).not.toThrow();
    }
  });
});
