/**
 * Fuzz properties shared by `test/hardening/fuzz.test.ts` (10,000 runs each, from the sources)
 * and `bench/fuzz.mjs` (200,000+ runs each, from dist/, nightly). Plain JS so both can load it;
 * the library is passed in (`api`), so the same properties run against either build.
 *
 * Every property says: whatever the input, nothing throws, and what comes out is well-formed.
 * Targets: the framer (`parseText`, and `Framer` fed in random chunks), every extractor kind, and
 * the rule engine with the whole built-in catalog (observe arbitrary records, evaluate arbitrary
 * event lists).
 */
import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Pieces that steer the framer and the extractors into their edge cases. */
const FRAGMENTS = [
  '<![LOG[', ']LOG]!>', ']LOG]!><', '<time="', '" date="', '" component="', '" context="', '" type="', '" thread="', '" file="', '">',
  '"', '<', '>', '\n', '\r\n', '\r', '\t', ' ', '$$<', '><', '<thread=', ' (0x', ')>', '~~', '+', '-', '+-', '-0', '99999', '+999999',
  '13-45-2026', '02-30-2026', '00:00:00.000', '24:61:61.9999999', '1-2-2026', '10:00:00.5+480', '9999-99-99', '0x80131509', 'HRESULT',
  '\u0000', '\x1b[2J', '\x1b]0;pwned\x07', '\u009b', '\ud800', '\udc00', '\ufeff', '\u202e', '\u2028', '日本', '\uffff',
  'TaskGuid: ', 'TaskGUID: ', '{', '}', 'Exception details:', '[Critical][', '[Warning][', 'AADSTS700016', '(401) Unauthorized',
  'Activity ID: ', 'Response from ', ' is: ', '204 (NoContent)', 'Batching ', ' records', 'Next run time will be at approximately: ',
  '02/30/2026 25:61:00', 'PushID: ', 'pushid=', 'taskid=', 'TemplateID: ', 'AADUserID: ', 'TenantId: ', '7DC6B6F1-E7F6-43C1-96E0-E1D16BC25C14',
  'f157b931-9c88-45bf-bd1b-d423eb2a3492', '   at X.Y()', 'https://', 'http://x/', 'Timeout: 00:02:00', 'Timeout: 99:99:99', 'NaN', 'Infinity',
  '-1', '1e309', '__proto__', 'constructor', 'hasOwnProperty',
];

/** All `.log`/`.lo_` files under a folder. */
function logFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...logFiles(p));
    else if (/\.lo[g_]$/i.test(name)) out.push(p);
  }
  return out;
}

/** Decodes a sample file (UTF-16 with BOM, or UTF-8). */
function decodeFile(p) {
  const b = readFileSync(p);
  if (b[0] === 0xff && b[1] === 0xfe) return b.subarray(2).toString('utf16le');
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.subarray(3).toString('utf8');
  return b.toString('utf8');
}

/**
 * What the properties draw real text from: raw lines of the bundled sample logs (both line
 * formats), the messages the framer reads from them, the lines of every rule's samples, and the
 * event kinds / field names the rules look for.
 */
export function buildCorpus(api, opts) {
  const rawLines = new Set();
  const messages = new Set();
  for (const file of logFiles(opts.samplesDir)) {
    const text = decodeFile(file);
    for (const l of text.split(/\r?\n/)) if (l.trim() !== '') rawLines.add(l);
    for (const r of api.parseText(text, { log: 'x', path: file })) messages.add(r.message);
  }
  const eventKinds = new Set(['cycle.missed', 'chain.pending', 'chain.failed', 'chain.delivered', 'source.gap', 'exception', 'gateway.response', 'unknown.kind']);
  const fieldNames = new Set(['status', 'taskGuid', 'nextLogCovered', 'reason', 'code', 'hresult', 'action', 'stoppedAt']);
  const fieldValues = new Set([null, true, false, 0, 1, 200, 204, 401, 403, 500, -1, 1.5, '', '401', 'true', 'x']);
  const logNames = new Set(api.LOG_KINDS);
  const walk = (node, key) => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n, key);
      return;
    }
    if (node === null || typeof node !== 'object') {
      if (key === 'event' && typeof node === 'string') eventKinds.add(node.replace(/\*/g, 'x').replace(/\?/g, 'y'));
      if (key === 'log' && typeof node === 'string') logNames.add(node);
      if (key === 'lines' && typeof node === 'string') rawLines.add(node);
      if ((key === 'eq' || key === 'ne' || key === 'in' || key === 'notIn' || key === 'where-value') && node !== undefined) fieldValues.add(node);
      if (typeof node === 'number' && (key === 'gte' || key === 'lte' || key === 'gt' || key === 'lt')) {
        fieldValues.add(node);
        fieldValues.add(node + 1);
        fieldValues.add(node - 1);
      }
      return;
    }
    for (const [k, v] of Object.entries(node)) {
      if (k === 'where' && v && typeof v === 'object') {
        for (const [f, c] of Object.entries(v)) {
          fieldNames.add(f);
          walk(c, 'where-value');
        }
        continue;
      }
      if (k === 'logs' && Array.isArray(v)) for (const l of v) logNames.add(String(l));
      walk(v, k === 'lines' ? 'lines' : k);
    }
  };
  walk(opts.rules, '');
  for (const l of [...rawLines]) {
    // Rule sample lines are whole lines too: their messages go in the message pool.
    for (const r of api.parseText(l, { log: 'x', path: 'x' })) messages.add(r.message);
  }
  return {
    rawLines: [...rawLines],
    messages: [...messages],
    eventKinds: [...eventKinds].sort(),
    fieldNames: [...fieldNames].sort(),
    fieldValues: [...fieldValues],
    logNames: [...logNames].sort(),
  };
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

const fragment = fc.constantFrom(...FRAGMENTS);
/** Short arbitrary text: any UTF-16 code units (lone surrogates included), or steered pieces. */
const shortText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 4, arbitrary: fc.array(fc.oneof(fragment, fc.string({ maxLength: 6 })), { maxLength: 10 }).map((a) => a.join('')) },
);

const mutation = fc.record({
  op: fc.constantFrom('delete', 'insert', 'duplicate', 'truncate', 'replace', 'swapcase', 'splice-fragment'),
  a: fc.nat({ max: 400 }),
  b: fc.nat({ max: 60 }),
  s: shortText,
});

/** Applies a few random edits to a real line. */
function mangle(line, muts) {
  let s = line;
  for (const m of muts) {
    const at = s.length === 0 ? 0 : m.a % (s.length + 1);
    const end = Math.min(s.length, at + m.b);
    switch (m.op) {
      case 'delete': s = s.slice(0, at) + s.slice(end); break;
      case 'insert': s = s.slice(0, at) + m.s + s.slice(at); break;
      case 'duplicate': s = s.slice(0, end) + s.slice(at, end) + s.slice(end); break;
      case 'truncate': s = s.slice(0, at); break;
      case 'replace': s = s.slice(0, at) + m.s + s.slice(end); break;
      case 'swapcase': s = s.slice(0, at) + s.slice(at, end).toUpperCase() + s.slice(end); break;
      case 'splice-fragment': s = s.slice(0, at) + FRAGMENTS[m.b % FRAGMENTS.length] + s.slice(at); break;
    }
  }
  return s;
}

function mangledFrom(pool) {
  return fc.tuple(fc.constantFrom(...pool), fc.array(mutation, { maxLength: 4 })).map(([l, muts]) => mangle(l, muts));
}

const timeMs = fc.oneof(
  fc.constant(null),
  fc.integer({ min: Date.UTC(2019, 0, 1), max: Date.UTC(2030, 0, 1) }),
  fc.constantFrom(0, -1, 8.64e15, -8.64e15, Number.MAX_SAFE_INTEGER),
);

function recordArb(corpus, message) {
  return fc.record({
    log: fc.oneof(fc.constantFrom(...corpus.logNames), fc.string({ maxLength: 12 })),
    line: fc.integer({ min: 1, max: 1_000_000 }),
    utcMs: timeMs,
    bias: fc.option(fc.integer({ min: -1000, max: 1000 })),
    localText: fc.option(fc.string({ maxLength: 24 })),
    component: fc.string({ maxLength: 12 }),
    thread: fc.string({ maxLength: 6 }),
    severity: fc.constantFrom('error', 'warning', 'info', 'unknown'),
    format: fc.constantFrom('cmtrace', 'smsexec', 'plain'),
    partial: fc.boolean(),
    message,
  }).map((r) => {
    const rec = {
      log: r.log, path: `${r.log}.log`, offset: r.line * 10, length: 10, line: r.line, endLine: r.line,
      localText: r.localText, localMs: r.utcMs, bias: r.bias, utcMs: r.utcMs,
      component: r.component, thread: r.thread, severity: r.severity, severitySource: 'none',
      message: r.message, format: r.format,
    };
    if (r.partial) rec.partial = true;
    return rec;
  });
}

/** Messages: arbitrary text, mangled real messages, real ones, and several joined by newlines. */
function messageArb(corpus) {
  const one = fc.oneof(
    { weight: 3, arbitrary: shortText },
    { weight: 4, arbitrary: mangledFrom(corpus.messages) },
    { weight: 2, arbitrary: fc.constantFrom(...corpus.messages) },
  );
  return fc.oneof({ weight: 4, arbitrary: one }, { weight: 1, arbitrary: fc.array(one, { maxLength: 4 }).map((a) => a.join('\n')) });
}

// ---------------------------------------------------------------------------------------------
// Invariants

function fail(what, detail) {
  throw new Error(`${what}: ${JSON.stringify(detail).slice(0, 600)}`);
}

const FORMATS = new Set(['cmtrace', 'smsexec', 'plain']);
const SEVERITIES = new Set(['error', 'warning', 'info', 'unknown']);

function checkRecords(records, text) {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (!Array.isArray(records)) fail('records is not an array', records);
  for (const r of records) {
    if (typeof r.message !== 'string') fail('message is not a string', r);
    if (!FORMATS.has(r.format)) fail('unknown format', r);
    if (!SEVERITIES.has(r.severity)) fail('unknown severity', r);
    if (!Number.isInteger(r.line) || r.line < 1 || !Number.isInteger(r.endLine) || r.endLine < r.line) fail('bad line numbers', r);
    if (!Number.isInteger(r.offset) || r.offset < 0 || !Number.isInteger(r.length) || r.length < 0) fail('bad byte range', r);
    if (r.offset + r.length > bytes) fail(`byte range past the end of the text (${bytes} bytes)`, { offset: r.offset, length: r.length, line: r.line, text });
    if (r.utcMs !== null && !Number.isFinite(r.utcMs)) fail('utcMs not finite', r);
    if (r.localMs !== null && !Number.isFinite(r.localMs)) fail('localMs not finite', r);
    if (r.bias !== null && !Number.isFinite(r.bias)) fail('bias not finite', r);
  }
}

function checkEvents(events) {
  if (!Array.isArray(events)) fail('events is not an array', events);
  for (const e of events) {
    if (typeof e.kind !== 'string' || e.kind === '') fail('event without kind', e);
    if (typeof e.summary !== 'string') fail('event summary not a string', e);
    if (!SEVERITIES.has(e.severity)) fail('event severity', e);
    if (e.utcMs !== null && !Number.isFinite(e.utcMs)) fail('event utcMs not finite', e);
    if (!Array.isArray(e.refs)) fail('event refs not an array', e);
    if (e.fields === null || typeof e.fields !== 'object') fail('event fields not an object', e);
    for (const [k, v] of Object.entries(e.fields)) {
      if (!(v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && !Number.isNaN(v)))) fail(`event field ${k} is not a scalar`, e);
    }
  }
}

function checkFindings(findings, ruleIds) {
  if (!Array.isArray(findings)) fail('findings is not an array', findings);
  for (const f of findings) {
    if (!ruleIds.has(f.ruleId)) fail('finding for an unknown rule', f);
    if (!Number.isInteger(f.count) || f.count < 1) fail('finding count', f);
    if (typeof f.title !== 'string' || typeof f.explanation !== 'string') fail('finding text', f);
    if (!Array.isArray(f.evidence) || f.evidence.length > 20) fail('finding evidence', f);
    JSON.stringify(f);
  }
}

const isHigh = (c) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c) => c >= 0xdc00 && c <= 0xdfff;

/** Frames `text` pushed in pieces cut at `cuts` (sorted). */
function frameChunks(api, opts, text, cuts) {
  const f = new api.Framer(opts);
  const records = [];
  let last = 0;
  for (const c of cuts) {
    records.push(...f.push(text.slice(last, c)));
    last = c;
  }
  records.push(...f.push(text.slice(last)), ...f.end());
  return { records, skipped: f.skipped };
}

// ---------------------------------------------------------------------------------------------
// Properties

/**
 * The properties, each `{ name, property }`. `api` = { parseText, Framer, createExtractor,
 * LOG_KINDS, RuleEngine }; `rules` = the loaded built-in catalog.
 */
export function fuzzProperties(api, corpus, rules) {
  const ruleIds = new Set(rules.map((r) => r.id));
  const props = [];
  const opts = { log: 'Fuzz', path: 'fuzz.log' };

  props.push({
    name: 'parseText: arbitrary strings',
    property: fc.property(
      fc.array(shortText, { maxLength: 6 }).map((a) => a.join('')),
      (text) => {
        checkRecords(api.parseText(text, opts), text);
      },
    ),
  });

  const lineJoin = fc.constantFrom('\n', '\r\n', '', '\r');
  const mangledLine = fc.oneof({ weight: 5, arbitrary: mangledFrom(corpus.rawLines) }, { weight: 1, arbitrary: shortText });
  props.push({
    name: 'parseText + Framer: mangled CMTrace / $$< lines, any chunking',
    property: fc.property(
      fc.array(mangledLine, { minLength: 1, maxLength: 10 }),
      lineJoin,
      fc.array(fc.nat({ max: 4000 }), { maxLength: 5 }),
      fc.option(fc.integer({ min: -2000, max: 2000 })),
      (lines, join, rawCuts, bias) => {
        const text = lines.join(join);
        const o = bias === null ? opts : { ...opts, biasOverride: bias };
        const whole = api.parseText(text, o);
        checkRecords(whole, text);
        // The same text with a tiny record cap (the long-line head/tail path), in one push and
        // pushed in pieces: the records must not depend on the chunking. Cuts never split a
        // surrogate pair (the stream decoder never does).
        const capText = text;
        const cuts = rawCuts
          .map((c) => c % (capText.length + 1))
          .map((c) => (c > 0 && c < capText.length && isHigh(capText.charCodeAt(c - 1)) && isLow(capText.charCodeAt(c)) ? c - 1 : c))
          .sort((a, b) => a - b);
        const one = frameChunks(api, { ...o, maxRecordChars: 64 }, capText, []);
        const pieces = frameChunks(api, { ...o, maxRecordChars: 64 }, capText, cuts);
        checkRecords(one.records, capText);
        checkRecords(pieces.records, capText);
        const capBytes = Buffer.byteLength(capText, 'utf8');
        for (const s of pieces.skipped) {
          if (!(s.startOffset >= 0 && s.endOffset >= s.startOffset && s.endOffset <= capBytes)) fail('skipped range out of bounds', { s, capText });
        }
        if (JSON.stringify(one) !== JSON.stringify(pieces)) fail('records depend on the chunking', { capText, cuts, one, pieces });
      },
    ),
  });

  if (api.ByteFramer && api.StreamDecoder) {
    // The UTF-8 read path (src/ingest/read.ts): ByteFramer over raw bytes must give exactly what
    // the Framer gives over the decoded text — records, skipped ranges, format counts, fallback
    // bytes — for any bytes (invalid UTF-8 included) and any chunking.
    const badBytes = fc.constantFrom([0xff], [0xfe], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf0, 0x9f], [0x80], [0xc0, 0xaf], [0x00], [0x0d], [0x0a]);
    const piece = fc.oneof(
      { weight: 6, arbitrary: mangledLine.map((l) => Buffer.from(l, 'utf8')) },
      { weight: 1, arbitrary: badBytes.map((b) => Buffer.from(b)) },
      { weight: 1, arbitrary: lineJoin.map((j) => Buffer.from(j, 'utf8')) },
    );
    const frameBoth = (bytes, cuts, o) => {
      const d1 = new api.StreamDecoder('utf-8');
      const f1 = new api.Framer({ ...o, measure: d1.measure });
      const ref = [...f1.push(d1.write(bytes)), ...f1.push(d1.end()), ...f1.end()];
      const d2 = new api.StreamDecoder('utf-8');
      const f2 = new api.Framer({ ...o, measure: d2.measure });
      const bf = new api.ByteFramer(f2, d2);
      const got = [];
      let last = 0;
      for (const c of cuts) {
        got.push(...bf.push(bytes.subarray(last, c)));
        last = c;
      }
      got.push(...bf.push(bytes.subarray(last)), ...bf.end());
      return {
        ref: { records: ref, skipped: f1.skipped, counts: f1.formatCounts, fallback: d1.fallbackBytes },
        got: { records: got, skipped: f2.skipped, counts: f2.formatCounts, fallback: d2.fallbackBytes },
      };
    };
    props.push({
      name: 'ByteFramer (UTF-8 read path) = Framer over the decoded text, any bytes, any chunking',
      property: fc.property(
        fc.array(piece, { minLength: 1, maxLength: 14 }),
        fc.array(fc.nat({ max: 6000 }), { maxLength: 5 }),
        fc.constantFrom(undefined, 64, 300),
        fc.option(fc.integer({ min: -2000, max: 2000 })),
        (pieces, rawCuts, maxRecordChars, bias) => {
          const bytes = Buffer.concat(pieces);
          const cuts = rawCuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b);
          const o = { ...opts };
          if (maxRecordChars !== undefined) o.maxRecordChars = maxRecordChars;
          if (bias !== null) o.biasOverride = bias;
          const { ref, got } = frameBoth(bytes, cuts, o);
          if (JSON.stringify(got) !== JSON.stringify(ref)) {
            fail('ByteFramer differs from the text path', { bytes: bytes.toString('latin1'), cuts, maxRecordChars, bias, ref, got });
          }
        },
      ),
    });
  }

  for (const kind of api.LOG_KINDS) {
    props.push({
      name: `extractor ${kind}: arbitrary and mangled messages`,
      property: fc.property(fc.array(recordArb(corpus, messageArb(corpus)), { minLength: 1, maxLength: 8 }), (records) => {
        const ex = api.createExtractor(kind);
        for (const r of records) checkEvents(ex.feed(r));
        checkEvents(ex.flush());
      }),
    });
  }

  const observeArb = fc.array(
    fc.tuple(recordArb(corpus, messageArb(corpus)), fc.oneof(fc.constantFrom(...api.LOG_KINDS), fc.string({ maxLength: 8 })), fc.oneof(timeMs.map((t) => t ?? Number.NEGATIVE_INFINITY), fc.constant(Number.NaN))),
    { minLength: 1, maxLength: 10 },
  );
  const sourcesArb = fc.array(
    fc.record({
      name: fc.constantFrom(...corpus.logNames),
      first: timeMs,
      span: fc.option(fc.nat({ max: 86_400_000 })),
    }).map((s, i) => ({
      id: `src${s.name}`, name: s.name, kind: s.name, role: 'unknown', machine: null, files: [], format: 'plain', encoding: 'utf-8',
      records: 1, firstLocal: null, lastLocal: null, firstUtcMs: s.first, lastUtcMs: s.first === null || s.span === null ? null : s.first + s.span,
      biases: [], biasOverride: null, recordsWithoutBias: 0, biasProblems: [], partialRecords: 0, skipped: [], errors: [],
    })),
    { maxLength: 4 },
  );
  const endArb = fc.oneof(fc.constant(null), timeMs, fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY));

  // Building an engine compiles the whole catalog (milliseconds), too slow to do 10,000 times.
  // So one engine serves up to ENGINE_REUSE cases in a row: observe() state then accumulates
  // across those cases (a longer random stream, which evaluate() must survive too). A failure is
  // re-run on a fresh engine, and the error says whether it reproduces alone.
  const ENGINE_REUSE = 64;
  let shared = null;
  let uses = 0;
  const engineForCase = () => {
    if (shared === null || uses >= ENGINE_REUSE) {
      shared = new api.RuleEngine(rules);
      uses = 0;
    }
    uses++;
    return shared;
  };
  const withFreshRetry = (run) => {
    try {
      run(engineForCase());
    } catch (e) {
      shared = null;
      let alone = 'does not reproduce on a fresh engine (depends on earlier cases observed by the shared engine)';
      try {
        run(new api.RuleEngine(rules));
      } catch {
        alone = 'reproduces on a fresh engine';
      }
      throw new Error(`${e instanceof Error ? e.message : String(e)} [${alone}]`, { cause: e });
    }
  };
  /** An engine that never observes anything: evaluate() is pure over its input then. */
  let blank = null;

  props.push({
    name: 'rule engine (built-in catalog): observe arbitrary records, then evaluate',
    property: fc.property(observeArb, sourcesArb, endArb, (obs, sources, endMs) => {
      withFreshRetry((engine) => {
        for (const [r, kind, sortMs] of obs) engine.observe(r, kind, sortMs);
        checkFindings(engine.evaluate({ events: [], sources, endMs }), ruleIds);
      });
    }),
  });

  const fieldsArb = fc.dictionary(
    fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...corpus.fieldNames) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }),
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...corpus.fieldValues) },
      { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
      { weight: 1, arbitrary: fc.double() },
      { weight: 1, arbitrary: fc.boolean() },
    ),
    { maxKeys: 5 },
  );
  const eventArb = fc.record({
    kind: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...corpus.eventKinds) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) }),
    log: fc.constantFrom(...corpus.logNames),
    utcMs: timeMs,
    fields: fieldsArb,
    refs: fc.array(fc.record({ path: fc.constantFrom('a.log', 'b.log'), line: fc.integer({ min: 1, max: 50 }), offset: fc.nat() }), { maxLength: 2 }),
    text: fc.oneof(shortText, fc.constantFrom(...corpus.messages)),
    severity: fc.constantFrom('error', 'warning', 'info', 'unknown'),
  });
  props.push({
    name: 'rule engine (built-in catalog): evaluate arbitrary event lists',
    property: fc.property(fc.array(eventArb, { maxLength: 24 }), fc.option(observeArb, { freq: 4 }), sourcesArb, endArb, (evs, obs, sources, endMs) => {
      let seq = 0;
      const events = evs
        .map((e) => ({
          ...e, localText: null, bias: null, summary: e.kind, sortMs: e.utcMs ?? Number.NEGATIVE_INFINITY, seq: seq++,
          sourceId: `src${e.log}`, machine: null, logKind: e.log,
        }))
        .sort((a, b) => a.sortMs - b.sortMs || a.seq - b.seq);
      if (obs === null) {
        // Pure: the same input twice gives the same findings.
        blank ??= new api.RuleEngine(rules);
        const a = blank.evaluate({ events, sources, endMs });
        checkFindings(a, ruleIds);
        if (JSON.stringify(blank.evaluate({ events, sources, endMs })) !== JSON.stringify(a)) fail('evaluate() is not pure', { events, sources, endMs });
        return;
      }
      withFreshRetry((engine) => {
        for (const [r, kind, sortMs] of obs) engine.observe(r, kind, sortMs);
        checkFindings(engine.evaluate({ events, sources, endMs }), ruleIds);
      });
    }),
  });

  return props;
}
