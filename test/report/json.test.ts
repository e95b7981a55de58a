import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Ajv } from 'ajv';
import type { LogRecord } from '../../parsers/types.js';
import { compareBaseline, ndjsonLines, recordLine, renderReport, type ReportFormat } from '../../src/report/index.js';
import { HOSTILE, makeEmptyResult, makeResult } from './fixture.js';
import { firstUnsafe, OPTS } from './helpers.js';

const schema = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../schema/report.schema.json'), 'utf8'));

/** Default (strict) Ajv; any strict-mode warning is a test failure. */
function ajv(): Ajv {
  const fail = (...args: unknown[]) => {
    throw new Error(`ajv: ${args.map(String).join(' ')}`);
  };
  const a = new Ajv({ allErrors: true, logger: { log: () => {}, warn: fail, error: fail } });
  a.addSchema(schema, 'report');
  return a;
}

const validator = ajv();
const validateReport = validator.getSchema('report')!;
const validateLine = validator.getSchema('report#/definitions/ndjsonLine')!;

afterEach(() => {
  vi.useRealTimers();
});

describe('json report', () => {
  it('validates against schema/report.schema.json', () => {
    for (const result of [makeResult(), makeEmptyResult()]) {
      const doc = JSON.parse(renderReport(result, 'json', OPTS));
      expect(validateReport(doc), JSON.stringify(validateReport.errors, null, 1)).toBe(true);
    }
  });

  it('validates with a baseline diff, and the schema rejects unknown fields', () => {
    const result = makeResult();
    const diff = compareBaseline({ version: 1, findings: [{ ruleId: 'upload-stalled', severity: 'error', count: 2 }, { ruleId: 'log-bias-suspicious', severity: 'warning', count: 1 }] }, result);
    const doc = JSON.parse(renderReport(result, 'json', { ...OPTS, baselineDiff: diff }));
    expect(doc.baseline.ok).toBe(false);
    expect(validateReport(doc), JSON.stringify(validateReport.errors, null, 1)).toBe(true);
    doc.findings[0].extra = 1;
    expect(validateReport(doc)).toBe(false);
  });

  it('has the documented shape', () => {
    const doc = JSON.parse(renderReport(makeResult(), 'json', OPTS));
    expect(doc.tool).toEqual({ name: 'attachscope', version: '1.2.3' });
    expect(doc.generatedAt).toBeUndefined();
    const [scp, bgb] = doc.sources;
    expect(scp).toMatchObject({ path: 'logs/SCP01/CMGatewaySyncUploadWorker.lo_', machine: 'SCP01', bias: 480, firstUtc: '2026-02-10T16:03:12.343Z', firstLocal: '02-10-2026 08:03:12.343' });
    expect(bgb.biases).toEqual([-60, 360]);
    expect(bgb.biasProblems[0]).toMatchObject({ count: 3, firstLine: 42 });
    expect(bgb.skipped[0]).toMatchObject({ startOffset: 1024, endOffset: 4096 });
    expect(doc.summary).toMatchObject({ lastSuccessfulUploadUtc: '2026-02-10T18:18:13.843Z', cycles: { ok: 7, failed: 1, missed: 2, incomplete: 0 } });
    expect(doc.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['log-bias-suspicious', 'upload-resolved', 'gateway-unauthorized']);
    expect(doc.chains[0].hops[1]).toMatchObject({ hop: 'forwarded', latencyMs: 200, machine: 'SCP01', line: 121 });
    expect(doc.uploadCycles[6]).toMatchObject({ state: 'failed', status: 401, path: 'logs/SCP01/CMGatewaySyncUploadWorker.log', line: 43 });
    expect(doc.rules.evaluated).toContain('proxy-timeout');
  });

  it('is deterministic: no wall-clock time anywhere', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const a = renderReport(makeResult(), 'json', OPTS);
    vi.setSystemTime(new Date('1999-12-31T23:59:59Z'));
    const b = renderReport(makeResult(), 'json', OPTS);
    expect(a).toBe(b);
    expect(a).not.toMatch(/2030-01-01|1999-12-31/);
    for (const f of ['text', 'ndjson', 'junit', 'sarif', 'markdown'] as ReportFormat[]) {
      vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
      const x = renderReport(makeResult(), f, OPTS);
      vi.setSystemTime(new Date('1999-12-31T23:59:59Z'));
      expect(renderReport(makeResult(), f, OPTS), f).toBe(x);
    }
  });

  it('escapes control, C1, bidi and line-separator characters but keeps the value', () => {
    const out = renderReport(makeResult(), 'json', OPTS);
    expect(firstUnsafe(out.replace(/\n/g, ''))).toBeNull();
    expect(out).toContain('\\u001b]0;pwned\\u0007');
    expect(out).toContain('\\u202e');
    expect(out).toContain('\\u2028');
    expect(out).toContain('\\u009b');
    const doc = JSON.parse(out);
    expect(doc.findings[2].evidence[1].text).toBe(HOSTILE);
  });

  it('applies the redactor to every string from a log or a path', () => {
    const redactor = (s: string) => s.replace(/SCP01|MP01|CLIENT042/g, '<machine>').replace(/pwned/g, '<x>');
    for (const f of ['json', 'ndjson', 'text', 'markdown', 'junit', 'sarif'] as ReportFormat[]) {
      const out = renderReport(makeResult(), f, { ...OPTS, redactor });
      expect(out, f).not.toMatch(/SCP01|MP01|CLIENT042|pwned/);
    }
    const line = recordLine(record(), { redactor });
    expect(line).not.toMatch(/SCP01|pwned/);
  });
});

function record(): LogRecord {
  return {
    log: 'CMGatewaySyncUploadWorker', path: 'logs/SCP01/CMGatewaySyncUploadWorker.log', offset: 0, length: 120, line: 3, endLine: 3,
    localText: '02-10-2026 08:03:12.769', localMs: Date.UTC(2026, 1, 10, 8, 3, 12, 769), bias: 480, utcMs: Date.UTC(2026, 1, 10, 16, 3, 12, 769),
    component: 'SMS_SERVICE_CONNECTOR_CMGatewaySyncUploadWorker', thread: '5216 (0x1460)', severity: 'info', severitySource: 'none',
    message: `Batching 26 records on SCP01 ${HOSTILE}`, format: 'smsexec',
  };
}

describe('ndjson', () => {
  it('every line parses, has a type, and validates against #/definitions/ndjsonLine', () => {
    const out = renderReport(makeResult(), 'ndjson', { ...OPTS, baselineDiff: compareBaseline({ version: 1, findings: [] }, makeResult()) });
    expect(out.endsWith('\n')).toBe(true);
    const lines = out.slice(0, -1).split('\n');
    const objs = lines.map((l) => JSON.parse(l) as { type: string });
    for (const o of objs) expect(validateLine(o), JSON.stringify([o.type, validateLine.errors?.slice(0, 3)])).toBe(true);
    const types = objs.map((o) => o.type);
    expect(new Set(types)).toEqual(new Set(['source', 'event', 'cycle', 'chain', 'finding', 'summary']));
    expect(types[0]).toBe('source');
    expect(types.at(-1)).toBe('summary');
    expect(types.filter((t) => t === 'summary')).toHaveLength(1);
    expect(types.filter((t) => t === 'event')).toHaveLength(4);
    expect(firstUnsafe(out.replace(/\n/g, ''))).toBeNull();
  });

  it('streams the same lines as the rendered report', () => {
    const lines = [...ndjsonLines(makeResult(), OPTS)];
    expect(lines.join('\n') + '\n').toBe(renderReport(makeResult(), 'ndjson', OPTS));
    const ev = JSON.parse(lines.find((l) => l.includes('"upload.failed"'))!);
    expect(ev).toMatchObject({ type: 'event', kind: 'upload.failed', log: 'CMGatewaySyncUploadWorker', utc: '2026-02-10T17:33:12.343Z', bias: 480, severity: 'error', path: 'logs/SCP01/CMGatewaySyncUploadWorker.log', line: 4 });
    expect(ev.fields).toEqual({ status: 401, body: HOSTILE, ok: false, missing: null });
  });

  it('recordLine writes a typed record line', () => {
    const line = recordLine(record(), {});
    expect(line).not.toContain('\n');
    const o = JSON.parse(line);
    expect(validateLine(o), JSON.stringify(validateLine.errors)).toBe(true);
    expect(o).toMatchObject({
      type: 'record', path: 'logs/SCP01/CMGatewaySyncUploadWorker.log', line: 3, local: '02-10-2026 08:03:12.769', bias: 480,
      utc: '2026-02-10T16:03:12.769Z', severity: 'info', component: 'SMS_SERVICE_CONNECTOR_CMGatewaySyncUploadWorker', thread: '5216 (0x1460)', format: 'smsexec',
    });
    expect(o.message).toBe(`Batching 26 records on SCP01 ${HOSTILE}`);
    expect(firstUnsafe(line)).toBeNull();
  });
});
