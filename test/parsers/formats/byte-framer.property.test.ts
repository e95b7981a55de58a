import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Framer, type FramerOptions } from '../../../parsers/formats/framer.js';
import { ByteFramer } from '../../../parsers/formats/byte-framer.js';
import { StreamDecoder } from '../../../src/ingest/decode.js';

/**
 * The byte fast path (ByteFramer) must give exactly the records of the tolerant text path
 * (StreamDecoder + Framer.push), for any input and any chunking: same records (key order too),
 * skipped ranges, format counts and Windows-1252 fallback count.
 */

type Opts = Omit<FramerOptions, 'log' | 'path' | 'measure'>;

function cut(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % (bytes.length + 1))))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let last = 0;
  for (const p of points) {
    out.push(bytes.subarray(last, p));
    last = p;
  }
  out.push(bytes.subarray(last));
  return out;
}

function textPath(chunks: Uint8Array[], opts: Opts) {
  const d = new StreamDecoder('utf-8');
  const f = new Framer({ log: 'L', path: 'p', measure: d.measure, ...opts });
  const records = [];
  for (const c of chunks) records.push(...f.push(d.write(c)));
  records.push(...f.push(d.end()), ...f.end());
  return { records: JSON.stringify(records), skipped: f.skipped, formats: { ...f.formatCounts }, fallback: d.fallbackBytes };
}

/**
 * The byte path, each chunk pushed from one reused buffer that is overwritten right after (as
 * src/ingest/read.ts does): nothing may keep pointing into a pushed chunk.
 */
function bytePath(chunks: Uint8Array[], opts: Opts) {
  const d = new StreamDecoder('utf-8');
  const f = new Framer({ log: 'L', path: 'p', measure: d.measure, ...opts });
  const b = new ByteFramer(f, d);
  const records = [];
  const reused = Buffer.alloc(Math.max(1, ...chunks.map((c) => c.length)));
  for (const c of chunks) {
    reused.set(c);
    records.push(...b.push(reused.subarray(0, c.length)));
    reused.fill(0x7e); // `~`: a byte the fast path looks for
  }
  records.push(...b.end());
  return { records: JSON.stringify(records), skipped: f.skipped, formats: { ...f.formatCounts }, fallback: d.fallbackBytes };
}

const enc = (s: string) => Buffer.from(s, 'utf8');

// Pieces of CMTrace headers, usual and odd.
const time = fc.constantFrom('08:00:00.000', '08:00:00.001', '08:00:01.999', '8:00:00.123', '08:00:00,123', '8:5:3', '08:00:00.1', '08:00:00.12', '08:00:00.1234567', '08:00:00.12345678', '24:00:00.000', '08:00:00,500', '08:00:00.', '08:00:001', '23:59:60.999', ' 08:00:00.000', '08:00:00.000 ');
const bias = fc.constantFrom('+480', '-60', '+000', '+840', '-840', '+841', '+-360', '+99999', '', ' +480', '+48O', '-0', '+0840');
const date = fc.constantFrom('02-10-2026', '2-1-2026', '02/10/2026', '02-30-2026', '02-29-2024', '02-29-2025', '13-01-2026', '02-10-26', '02-10-20266', '02-10-0999', ' 02-10-2026');
const type = fc.constantFrom('0', '1', '2', '3', '', '4', ' 1', '33');
const value = fc.constantFrom('', 'C', 'SMS_SERVICE_CONNECTOR_X', 'a b', 'ünï 日本', 'x>y', '4312', 'a.cpp:12', ' pad ');
const message = fc.oneof(
  fc.constantFrom('Batching 12 records', 'Upload failed. Will retry', 'warn me', '', ' ', 'ERROR: x', '[Critical] y', 'failover ok', 'a~~b~~', '~~', 'tab\there', 'x  ', 'nbsp\u00a0', 'cr\rmid', '$$ not a mark', 'ünïcödé 日本 😀'),
  // Bytes the fast path searches for (`!` of both CMTrace markers, `$` of `$$<`, `~` of `~~`), alone or in near-markers.
  fc.constantFrom('Done!', '!', '!!', '<!x', '<![LOG', ']LOG]!', ']LOG]! >', 'LOG]!>', '$', '$$', '$$$<', 'cost $5', 'a $$<b', '~', 'a~b', '~~~', '~ ~'),
  fc.string({ maxLength: 20 }),
  fc.string({ maxLength: 12, unit: 'grapheme' }),
).map((m) => m.replace(/\]LOG\]!>|<!\[LOG\[|[\r\n]/g, ''));

const header = fc.oneof(
  { weight: 6, arbitrary: fc.record({ time, bias, date, type, component: value, context: value, thread: value, file: value })
    .map((h) => `<time="${h.time}${h.bias}" date="${h.date}" component="${h.component}" context="${h.context}" type="${h.type}" thread="${h.thread}" file="${h.file}">`) },
  { weight: 1, arbitrary: fc.constantFrom(
    '<date="02-10-2026" time="08:00:00.000+480" component="C" context="" type="1" thread="1" file="">',
    '<TIME="08:00:00.000+480" DATE="02-10-2026" component="C" type="2">',
    '<time="08:00:00.000+480"  date="02-10-2026" component="C" context="" type="1" thread="1" file="">',
    '<time="08:00:00.000+480" date="02-10-2026" component="C" context="" type="1" thread="1" file="" >',
    '<time="08:00:00.000+480" date="02-10-2026" component="C" context="" type="1" thread="1" file="" extra="x">',
    '<time="08:00:00.000+480" date="02-10-2026">',
    '<time="08:00:00.000+480" date="02-10-2026" component="C" context="" type="1" thread="1" file="',
    '<>',
    'no header',
  ) },
);
const after = fc.constantFrom('', '', '', ' ', '\t', 'junk', '\u00a0', '<![LOG[next]LOG]!><time="1:2:3" date="1-2-2026">', 'tail $$<X><02-10-2026 08:00:00.000+480><thread=1 (0x1)>');
const cmtraceLine = fc.tuple(message, header, after).map(([m, h, a]) => `<![LOG[${m}]LOG]!>${h}${a}`);

const stamp = fc.constantFrom('02-10-2026 08:00:00.000+480', '02-10-2026 08:00:00.999+480', '02-10-2026 08:00:00,500+480', '02-10-2026 08:00:00.5+480', '02-11-2026 00:00:00.000+480', '12-31-2025 23:59:59.999-060', '2-1-2026 8:0:0+480', '02-10-2026  08:00:00.000+480', '02/10/2026 08:00:00.000+480', 'Thu Mar 18 15:07:47.421 1999 PST', '02-10-2026 08:00:00.000', '02-10-2026 08:00:00.000+9999', '02-10-2026 25:00:00.000+480', '02-10-2026 08:00:00.1234567-060', '02-10-2026 08:00:00.12345678+480', ' 02-10-2026 08:00:00.000+480', '02-10-2026 08:00:00.000 +480', '02-10-2026 08:00:00.000+-360');
const threadTail = fc.constantFrom('<thread=5216 (0x1460)>', '<thread=5216>', '<thread=5216  (0x1460)>', '<thread=abc>', '', '<thread=1 (0X1)>', '<thread=1 (0x)>', '<thread=1 (0xg)>', '<thread=1(0xAb)>', '<thread=>');
const smsexecLine = fc.tuple(message, fc.constantFrom('  ', ' ', '', '\t'), value, stamp, threadTail, fc.constantFrom('', ' ', '  ', 'x', '\t'))
  .map(([m, gap, comp, st, th, tail]) => `${m}${gap}$$<${comp}><${st}>${th}${tail}`);

const otherLine = fc.oneof(
  fc.constantFrom('', '   ', '<![LOG[start of a multi-line entry', 'a middle line', ']LOG]!><time="08:00:00.000+480" date="02-10-2026" component="C" context="" type="3" thread="1" file="">', 'end]LOG]!><time="08:00:00.000+480" date="02-10-2026" component="C" context="" type="1" thread="1" file="">', '<![LOG[', ']LOG]!>', '$$<', 'plain text\tSMS_COMPONENT', 'ERROR: plain'),
  fc.string({ maxLength: 30 }),
);

const line = fc.oneof({ weight: 4, arbitrary: cmtraceLine }, { weight: 4, arbitrary: smsexecLine }, { weight: 2, arbitrary: otherLine });
const eol = fc.constantFrom('\r\n', '\r\n', '\n', '\r', '');
/** Raw bytes that are not valid UTF-8 alone, and non-ASCII. */
const rawBytes = fc.constantFrom([0xe9], [0xc3], [0xff], [0xe6, 0x97], [0xf0, 0x9f, 0x98], [0xc2, 0xa0], [0xef, 0xbb, 0xbf]);

const doc = fc.array(fc.tuple(line, eol, fc.option(rawBytes, { freq: 8 })), { maxLength: 14 }).map((parts) => {
  const bufs: Buffer[] = [];
  for (const [l, e, raw] of parts) {
    const text = enc(l);
    if (raw) {
      const at = Math.floor(text.length / 2);
      bufs.push(text.subarray(0, at), Buffer.from(raw), text.subarray(at));
    } else bufs.push(text);
    bufs.push(enc(e));
  }
  return new Uint8Array(Buffer.concat(bufs));
});

const options = fc.record({
  maxRecordChars: fc.constantFrom(undefined, 40, 120, 1000),
  resumed: fc.boolean(),
  biasOverride: fc.constantFrom(undefined, 60),
  startLine: fc.constantFrom(undefined, 7),
  startOffset: fc.constantFrom(undefined, 3),
}).map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Opts);

describe('byte fast path', () => {
  it('gives exactly the records of the text path, for any input and chunking', () => {
    fc.assert(
      fc.property(doc, fc.array(fc.nat(), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 8 }), options, (bytes, cutsA, cutsB, opts) => {
        const expected = textPath(cut(bytes, cutsA), opts);
        expect(bytePath(cut(bytes, cutsB), opts)).toEqual(expected);
        expect(bytePath([bytes], opts)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees on repetitive logs (header caches hit, miss and evict), for any chunking', () => {
    // Six component/thread/type combinations (more than the caches keep), two dates, times within
    // and across seconds: the shapes of a real log, where the fast path compares instead of parsing.
    const repetitive = fc.array(fc.tuple(
      fc.boolean(),
      fc.integer({ min: 0, max: 5 }),
      fc.constantFrom('08:00:00.000', '08:00:00.001', '08:00:01.000', '08:00:01.5', '08:00:01,250', '23:59:59.999'),
      fc.constantFrom('02-10-2026', '02-11-2026'),
      message,
    ), { minLength: 1, maxLength: 60 }).map((lines) => new Uint8Array(Buffer.concat(lines.map(([cmtrace, k, t, d, m]) => {
      const component = ['C', 'SMS_SERVICE_CONNECTOR_X', 'BgbServer'][k % 3]!;
      const thread = [4312, 3104][k % 2]!;
      if (cmtrace) return enc(`<![LOG[${m}]LOG]!><time="${t}+480" date="${d}" component="${component}" context="" type="${1 + (k % 3)}" thread="${thread}" file="">\r\n`);
      return enc(`${m}  $$<${component}><${d} ${t}+480><thread=${thread} (0x${thread.toString(16).toUpperCase()})>\r\n`);
    }))));
    fc.assert(
      fc.property(repetitive, fc.array(fc.nat(), { maxLength: 6 }), (bytes, cuts) => {
        expect(bytePath(cut(bytes, cuts), {})).toEqual(textPath([bytes], {}));
      }),
      { numRuns: 1000 },
    );
  });

  it('a huge line with astral characters is cut the same way whatever the chunking (no split surrogate pair)', () => {
    const line = `<![LOG[${'x'.repeat(20)}${'😀'.repeat(30)}]LOG]!><time="08:00:00.000+480" date="02-10-2026" component="C" context="" type="1" thread="1" file="">\n`;
    const bytes = enc(line);
    const whole = textPath([bytes], { maxRecordChars: 40 });
    for (let i = 0; i <= bytes.length; i++) {
      expect(textPath([bytes.subarray(0, i), bytes.subarray(i)], { maxRecordChars: 40 }), `cut at ${i}`).toEqual(whole);
    }
    const skipped = whole.skipped[0]!;
    // The dropped middle is whole characters: its byte count is a multiple of 4 past the ASCII part.
    expect(skipped.endOffset - skipped.startOffset).toBeGreaterThan(0);
  });

  it('takes the fast path for the usual lines (and agrees on them)', () => {
    const lines = [
      '<![LOG[Batching 12 records]LOG]!><time="08:00:00.000+480" date="02-10-2026" component="C" context="" type="1" thread="7" file="">',
      '<![LOG[ünï]LOG]!><time="08:00:01.5-060" date="2-1-2026" component="C" context="ctx" type="3" thread="7" file="a.cpp:1">',
      'Upload failed~~second  $$<SMS_SERVICE_CONNECTOR_X><02-10-2026 08:00:02.000+480><thread=5216 (0x1460)>',
      'ok  $$<X><02-10-2026 08:00:03.000+000><thread=1>',
    ];
    const bytes = enc(lines.join('\r\n') + '\r\n');
    const d = new StreamDecoder('utf-8');
    const f = new Framer({ log: 'L', path: 'p', measure: d.measure, resumed: true });
    let textLines = 0;
    const write = d.write.bind(d);
    d.write = (c: Uint8Array) => {
      textLines++;
      return write(c);
    };
    const b = new ByteFramer(f, d);
    const recs = [...b.push(bytes), ...b.end()];
    expect(textLines).toBe(0);
    expect(JSON.stringify(recs)).toBe(textPath([bytes], { resumed: true }).records);
    expect(recs.map((r) => r.format)).toEqual(['cmtrace', 'cmtrace', 'smsexec', 'smsexec']);
  });

  it('agrees on every sample log, in odd chunk sizes', () => {
    const root = path.resolve(__dirname, '../../../sample-logs');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = path.join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.lo[g_]$/i.test(name)) files.push(p);
      }
    };
    walk(root);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const bytes = readFileSync(file);
      if (bytes[0] === 0xff || bytes[0] === 0xfe) continue; // UTF-16 stays on the text path
      const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
      const chunks = (size: number) => Array.from({ length: Math.ceil(body.length / size) }, (_, i) => body.subarray(i * size, (i + 1) * size));
      const expected = textPath([body], {});
      for (const size of [1, 7, 333, 4096, 1 << 20]) expect(bytePath(chunks(size), {}), `${file} in ${size}-byte chunks`).toEqual(expected);
    }
  });
});
