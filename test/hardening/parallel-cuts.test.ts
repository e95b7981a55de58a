/**
 * Hardening: a parallel scan's cuts on odd logs. Logs built from random pieces (CMTrace and
 * `$$<` records, multi-line messages, blank and plain lines, LF or CRLF, many records on one
 * line, records of real tenant-attach messages, broken headers), on disk or zipped, read in 2-4
 * parts in this thread: when the merge accepts every cut, the analysis is the one a single read
 * gives. (A cut whose two sides disagree is refused, and the scan reads those parts as one.)
 */
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeSources, type AnalysisResult } from '../../src/analysis/analyze.js';
import { planParts } from '../../src/analysis/parallel/plan.js';
import { runPart } from '../../src/analysis/parallel/part.js';
import { mergeParts } from '../../src/analysis/parallel/run.js';
import { discover } from '../../src/ingest/discover.js';
import { cm, srv, tempDir } from '../helpers/tmp.js';

const t = tempDir('attachscope-cuts-');
afterAll(() => t.cleanup());

const COMPONENT = 'SMS_SERVICE_CONNECTOR_CMGatewayNotificationWorker';
const time = (i: number) => `10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000+000`;
const piece = fc.oneof(
  fc.constant((i: number) => cm(`Polling for notifications ${i}`, time(i), '01-02-2026', '1', COMPONENT)),
  fc.constant((i: number) => cm(`[GetNotifications] Response from https://us.gateway.configmgr.manage.microsoft.com/api/gateway/Notifications?x=${i} Status code: 401 Unauthorized`, time(i), '01-02-2026', '3', COMPONENT)),
  fc.constant((i: number) => cm(`Exception details:\r\n   at A.B(${i})\r\n   at C.D()`, time(i), '01-02-2026', '3', COMPONENT)),
  fc.constant((i: number) => srv(`Web exception when getting new notification. The operation has timed out ${i}`, `01-02-2026 ${time(i)}`, COMPONENT)),
  fc.constant((i: number) => srv(`first line ${i}~~second line`, `01-02-2026 ${time(i)}`, COMPONENT)),
  fc.constant((i: number) => `plain text line ${i}`),
  fc.constant(() => ''),
  fc.constant((i: number) => cm(`a`, time(i), '01-02-2026', '1', COMPONENT).repeat(1 + (i % 50))),
  fc.constant((i: number) => `<![LOG[never closed ${i}`),
  fc.constant((i: number) => `]LOG]!><time="${time(i)}" date="01-02-2026" component="${COMPONENT}" type="1">`),
);
const log = fc.record({ pieces: fc.array(piece, { minLength: 3, maxLength: 24 }), lf: fc.boolean(), zip: fc.boolean(), parts: fc.integer({ min: 2, max: 4 }) });

const plain = (r: AnalysisResult) => ({ ...r, events: r.events.map(({ seq: _s, ...e }) => e) });

describe('parallel cuts on odd logs', () => {
  it('give the single read’s analysis whenever the merge accepts them', async () => {
    let n = 0;
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(log, async ({ pieces, lf, zip, parts }) => {
        const lines: string[] = [];
        let bytes = 0;
        // Repeated until the log is big enough to be cut inside (512 KiB), each record its own time.
        for (let i = 0; bytes < 700_000; i++) {
          const line = pieces[i % pieces.length]!(i);
          lines.push(line);
          bytes += line.length + 2;
        }
        const text = Buffer.from(lines.join(lf ? '\n' : '\r\n') + '\r\n');
        const dir = path.join(t.dir, `c${n++}`);
        const { mkdirSync } = await import('node:fs');
        mkdirSync(dir);
        const input = zip ? path.join(dir, 'case.zip') : path.join(dir, 'CMGatewayNotificationWorker.log');
        writeFileSync(input, zip ? zipSync({ 'SCP01/CMGatewayNotificationWorker.log': text }) : text);
        const { sources, problems } = await discover([input]);
        const serial = await analyzeSources(sources, problems, { keepEvent: () => false });
        const plan = planParts(sources, { parts, minPartBytes: 1 });
        const results = await Promise.all(plan.map((part, index) => runPart({ sources, part, index, opts: {} })));
        const out = await mergeParts(sources, problems, results, {});
        if (!out.ok) return;
        expect(plain({ ...out.result, inputProblems: problems })).toEqual(plain(serial));
        compared++;
      }),
      process.env.CUT_FUZZ_RUNS ? { numRuns: Number(process.env.CUT_FUZZ_RUNS) } : { numRuns: 30, seed: 7 },
    );
    expect(compared).toBeGreaterThan(20);
  }, 120_000);
});
