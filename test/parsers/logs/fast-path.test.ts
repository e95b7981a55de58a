/**
 * The extractors' shortcuts change no event. The slow path is the same code with every literal
 * prefilter passing and no usual-spelling reading (guard.ts), no line memo (memo.ts) and no URL cache (memoize in text.ts); both
 * read every sample log and generated lines built from the literals the prefilters and regexes
 * look for, in any case, in records that repeat texts under other severities, biases and times.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as fast from '../../../parsers/logs/index.js';
import type { LogRecord } from '../../../parsers/types.js';
import { rec } from './helpers.js';
import { EXCEPTION_BLOCK_400, EXCEPTION_BLOCK_401, EXCEPTION_BLOCK_SQL, SAMPLES } from './samples.js';

type Extractors = typeof fast;

let slow: Extractors;

beforeAll(async () => {
  vi.resetModules();
  vi.doMock('../../../parsers/logs/guard.js', () => ({ holds: () => true, usual: () => null }));
  vi.doMock('../../../parsers/logs/memo.js', () => ({
    LineMemo: class {
      replay(): boolean {
        return false;
      }
      keep(): void {}
    },
  }));
  vi.doMock('../../../parsers/logs/text.js', async (importOriginal) => ({
    ...(await importOriginal<typeof import('../../../parsers/logs/text.js')>()),
    memoize: <T>(fn: (text: string) => T) => fn,
  }));
  slow = await import('../../../parsers/logs/index.js');
  vi.doUnmock('../../../parsers/logs/guard.js');
  vi.doUnmock('../../../parsers/logs/memo.js');
  vi.doUnmock('../../../parsers/logs/text.js');
});

/** All events of `records` as JSON: byte-identical output is the claim. */
/** Events of `records`, flushed at the end and also before each index in `flushAt` (a live log gone idle). */
function output(x: Extractors, kind: string, records: readonly LogRecord[], flushAt: ReadonlySet<number> = new Set()): string[] {
  const ex = x.createExtractor(kind);
  const out = records.flatMap((r, i) => (flushAt.has(i) ? [...ex.flush(), ...ex.feed(r)] : ex.feed(r)));
  out.push(...ex.flush());
  return out.map((e) => JSON.stringify(e));
}

// ---------------------------------------------------------------------------------------------
// Sample logs

const SAMPLE_DIR = path.join(import.meta.dirname, '../../../sample-logs');

/** Messages of a sample log (CMTrace, `$$<` or plain lines), enough for this comparison. */
function messages(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  if (text.includes('<![LOG[')) return [...text.matchAll(/<!\[LOG\[([\s\S]*?)\]LOG\]!>/g)].map((m) => m[1] ?? '');
  return text
    .split(/\r?\n/)
    .map((line) => {
      const at = line.indexOf('$$<');
      return at < 0 ? line : line.slice(0, at).trimEnd().replace(/~~/g, '\n');
    });
}

const SAMPLE_LOGS = readdirSync(SAMPLE_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(path.join(SAMPLE_DIR, d.name))
      .filter((f) => f.endsWith('.log'))
      .map((f) => path.join(SAMPLE_DIR, d.name, f)),
  );

const SEVERITIES = ['info', 'warning', 'error', 'unknown'] as const;
const BIASES = [480, null, 0, -60] as const;

// ---------------------------------------------------------------------------------------------
// Generated lines

/** Words the prefilters and regexes look for, and what their guards must not mistake. */
const LITERALS = [
  'AADSTS7000222:', 'aadsts50', 'Could not establish trust relationship for the SSL/TLS secure channel',
  'The revocation function was unable to check revocation', '(407) Proxy Authentication Required',
  'The remote name could not be resolved:', "'login.microsoftonline.com'", 'The operation has timed out', 'operation has timed-out',
  'Unable to connect to the remote server', 'The underlying connection was closed', 'Mismatch certificate subject name',
  'ExecuteReader requires an open and available Connection', '0x80131509', '0X8007000e', '0x7FFFFFFF', 'x8',
  'Exception details:', 'Unexpected exception for worker X', '[Critical][W][0][System.Net.WebException][0x80131509]', '[A] [B]',
  '[ Warning ]  [W]', '[Error] [W] [0] [System.Net.WebException] [-2146233079] returned an error: (500)', 'Response in the web exception: {"Message":"x"}', '   at System.Net.X.Y()', '--- End of inner exception stack trace ---',
  '[GetNotifications] Creating web request to: https://h.example/api/gateway/Notification', 'Method: GET', 'Activity ID: {a43dd1b3-a006}.',
  'Timeout: 1.00:02:00', 'Response from https://h/api/gateway/DevicePost is: 204 (NoContent)', 'Response status code: 500', 'Response status code is 401 (Unauthorized)',
  'Failed to upload data to', 'Web exception when getting new notification', 'Received new notification.', 'Validating device action message content',
  'Authorized to perform client action. TemplateID: 1 TenantId: t AADUserID: u', 'not authorised to perform the client action', 'Forwarded BGB remote task. TaskGuid: g TaskParam: p',
  'Error occurred while processing notification with notification Id {g}.', 'Starting sync upload (delta).', 'full sync', 'delta-sync', 'Batching 12 records',
  'Upload failed.', 'Upload completed successfully. 3 records uploaded.', 'Next run time will be at approximately: 02/28/2020 16:35:31',
  '(401) Unauthorized', '(404)', '502 (Bad Gateway)', '503(x)', 'HTTP 502', 'HTTP/1.1 404', 'HTTP/1.1404', 'http/2500', 'status500', 'StatusCode=403',
  'status code: 429', 'error code: 500 internal server error', 'Error 403 forbidden', 'code=503', 'status:500', 'Error:404 (x)', 'StatusCode500',
  'errorcode404', 'error500', 'HTTP404', 'e452', 'c452b', '-452-', '.452', ':452', '#404', '  Exception details: x', ' Unexpected exception for worker W',
  'https://', 'http:', 'returned an error', 'denied', '11411', 'Network connection timeout', 'SSL/TLS failure', 'ERROR: x',
  'Could not obtain application secret for tenant t.', 'Group full sync request failed', 'TaskType: 15', 'PushID: 7', 'pushid=7, taskid=8',
];

const SEPARATORS = [' ', '  ', '', ':', '.', ',', '(', ')', '[', ']', '\t', '\u00a0', '\u2028', '-', '/', '=', '#'];

/** A literal with its letters in any case. */
const anyCase = fc
  .tuple(fc.constantFrom(...LITERALS), fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }))
  .map(([lit, flips]) => [...lit].map((ch, i) => (flips[i % flips.length] ? ch.toUpperCase() : ch.toLowerCase())).join(''));

/** Pieces of literals too, so that regexes see near misses. */
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...LITERALS) },
  { weight: 3, arbitrary: anyCase },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...LITERALS), fc.nat(), fc.nat()).map(([l, a, b]) => l.slice(a % l.length, (a % l.length) + 1 + (b % l.length))) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);

const line = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom('', ...SEPARATORS), fc.array(fc.tuple(piece, fc.constantFrom(...SEPARATORS)), { minLength: 1, maxLength: 8 }))
      .map(([lead, parts]) => lead + parts.map(([p, sep]) => p + sep).join('')),
  },
  { weight: 2, arbitrary: fc.constantFrom(...SAMPLES.flatMap((s) => s.lines)) },
  { weight: 1, arbitrary: fc.constantFrom(...EXCEPTION_BLOCK_400, ...EXCEPTION_BLOCK_401, ...EXCEPTION_BLOCK_SQL) },
);

/** Records as picks from a small pool of lines, so texts repeat (sometimes two lines in one record). */
const plan = fc.array(
  fc.record({
    pick: fc.nat(),
    join: fc.boolean(),
    severity: fc.constantFrom(...SEVERITIES),
    bias: fc.constantFrom(...BIASES),
  }),
  { minLength: 1, maxLength: 30 },
);

describe('fast path = slow path', () => {
  it('on every sample log, read as its own kind and as every other', () => {
    expect(SAMPLE_LOGS.length).toBeGreaterThan(10);
    for (const file of SAMPLE_LOGS) {
      // Each sample twice: as info records with a bias, then as warnings without one (the memo
      // must not replay texts across those).
      const list = messages(file);
      const records = [...list, ...list].map((m, i) => {
        const again = i >= list.length;
        return rec(m, { line: i + 1, log: 'L', severity: again ? 'warning' : 'info', bias: again ? null : 480, utcMs: 1_600_000_000_000 + i });
      });
      for (const kind of fast.LOG_KINDS) {
        expect(output(fast, kind, records), `${file} as ${kind}`).toEqual(output(slow, kind, records));
      }
    }
  });

  it('on lines built from the literals, in any case, repeated under other records', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fast.LOG_KINDS), fc.array(line, { minLength: 1, maxLength: 6 }), plan, (kind, pool, steps) => {
        const records = steps.map((s, i) => {
          const text = s.join ? `${pool[s.pick % pool.length]}\n${pool[(s.pick + 1) % pool.length]}` : pool[s.pick % pool.length]!;
          return rec(text, { line: i + 1, severity: s.severity, bias: s.bias, utcMs: 1_600_000_000_000 + i * 1000 });
        });
        expect(output(fast, kind, records)).toEqual(output(slow, kind, records));
      }),
      { numRuns: 1500 },
    );
  });

  it('with flushes between records (the memo is let go at each, and made again)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fast.LOG_KINDS), fc.array(line, { minLength: 1, maxLength: 4 }), plan, fc.array(fc.nat({ max: 30 })), (kind, pool, steps, at) => {
        const records = steps.map((s, i) => rec(pool[s.pick % pool.length]!, { line: i + 1, severity: s.severity, bias: s.bias, utcMs: 1_600_000_000_000 + i * 1000 }));
        const flushAt = new Set(at);
        expect(output(fast, kind, records, flushAt)).toEqual(output(slow, kind, records, flushAt));
      }),
      { numRuns: 300 },
    );
  });
});
