import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { XMLParser } from 'fast-xml-parser';
import { cli, ROOT } from './cli.js';

const SAMPLES = path.join(ROOT, 'sample-logs');
const scenarios = readdirSync(SAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const schema = JSON.parse(readFileSync(path.join(ROOT, 'schema/report.schema.json'), 'utf8'));

const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

/**
 * What a scenario's README promises: "Expected findings: a, b. Also expected: c. Also
 * acceptable: d. Not expected: e." → must = [a, b, c], mustNot = [e].
 */
function promises(dir: string): { must: string[]; mustNot: string[] } {
  const readme = readFileSync(path.join(SAMPLES, dir, 'README.md'), 'utf8');
  const line = (readme.split('\n').find((l) => /^Expected findings:/i.test(l)) ?? '').replace(/\([^)]*\)/g, '');
  const ids = (t: string) => [...t.matchAll(/\b([a-z0-9]+(?:-[a-z0-9]+)+)\b/g)].map((m) => m[1]!);
  const parts = line.split(/(?=Also expected:|Also acceptable:|Not expected:)/i);
  const must: string[] = [];
  const mustNot: string[] = [];
  // Only the first sentence of each part is a list; later sentences are commentary.
  for (const p of parts.map((x) => x.split(/\.\s/)[0]!)) {
    if (/^Not expected:/i.test(p)) mustNot.push(...ids(p));
    else if (!/^Also acceptable:/i.test(p)) must.push(...ids(p));
  }
  return { must, mustNot };
}

describe('scan over every bundled scenario (real CLI, child process)', () => {
  it('there are at least 12 scenarios, each with an expected.json baseline', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(12);
    for (const s of scenarios) expect(existsSync(path.join(SAMPLES, s, 'expected.json')), s).toBe(true);
  });

  for (const s of scenarios) {
    it(`${s}: baseline matches, json validates against the schema, exit codes follow --fail-on`, () => {
      const dir = path.join(SAMPLES, s);
      const r = cli(['scan', dir, '--format', 'json', '--fail-on', 'never', '--baseline', path.join(dir, 'expected.json')]);
      expect(r.stderr).not.toMatch(/rule error/);
      expect(r.code, r.stdout.slice(0, 2000) + r.stderr).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(validate(report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      expect(report.baseline?.ok ?? true).toBe(true);
      const ids = new Set<string>(report.findings.map((f: { ruleId: string }) => f.ruleId));
      const { must, mustNot } = promises(s);
      for (const id of must) expect(ids.has(id), `${s} must raise ${id}; got ${[...ids].join(', ')}`).toBe(true);
      for (const id of mustNot) expect(ids.has(id), `${s} must not raise ${id}`).toBe(false);
      const hasError = report.findings.some((f: { severity: string }) => f.severity === 'error');
      expect(cli(['scan', dir, '--format', 'json', '--output', '/dev/null']).code).toBe(hasError ? 1 : 0);
    });
  }

  it('healthy sets raise no finding of severity warning or above', () => {
    for (const s of ['healthy-day', 'multi-site-three-zones']) {
      const r = cli(['scan', path.join(SAMPLES, s), '--format', 'json', '--fail-on', 'warning']);
      const report = JSON.parse(r.stdout);
      expect(report.findings.filter((f: { severity: string }) => f.severity !== 'info').map((f: { ruleId: string }) => f.ruleId), s).toEqual([]);
      expect(r.code).toBe(0);
    }
  });

  it('a baseline mismatch fails with a diff', () => {
    const dir = path.join(SAMPLES, 'missing-admin-consent');
    const wrong = path.join(SAMPLES, 'healthy-day', 'expected.json');
    const r = cli(['scan', dir, '--baseline', wrong, '--fail-on', 'never']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/unexpected/i);
    expect(r.stdout).toMatch(/gateway-unauthorized/);
  });

  it('junit and sarif parse; ndjson lines are typed; markdown is a report', () => {
    const dir = path.join(SAMPLES, 'broken-onboarding');
    const junit = cli(['scan', dir, '--format', 'junit', '--fail-on', 'never']);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(junit.stdout);
    const cases = [xml.testsuites.testsuite].flat().flatMap((s: { testcase: unknown }) => [s.testcase].flat());
    expect(cases.length).toBeGreaterThan(20);
    const sarif = JSON.parse(cli(['scan', dir, '--format', 'sarif', '--fail-on', 'never']).stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.region.startLine).toBeGreaterThan(0);
    const nd = cli(['scan', dir, '--format', 'ndjson', '--records', '--fail-on', 'never']).stdout.trim().split('\n').map((l) => JSON.parse(l));
    const types = new Set(nd.map((o) => o.type));
    for (const t of ['source', 'record', 'event', 'finding', 'summary']) expect(types.has(t), t).toBe(true);
    const rec = nd.find((o) => o.type === 'record');
    expect(rec).toMatchObject({ path: expect.any(String), line: expect.any(Number), severity: expect.any(String), format: expect.any(String) });
    const md = cli(['scan', dir, '--format', 'markdown', '--fail-on', 'never']).stdout;
    expect(md).toMatch(/^# /m);
    expect(md).toMatch(/onboarding-bad-request/);
  });

  it('text report tells the story: sources, health, findings with remediation and evidence', () => {
    const r = cli(['scan', path.join(SAMPLES, 'multi-site-three-zones')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/CcmNotificationAgent/);
    expect(r.stdout).toMatch(/utf-16le/i);
    expect(r.stdout).toMatch(/delivered/);
    const bad = cli(['scan', path.join(SAMPLES, 'expired-secret')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/client-secret-expired/);
    expect(bad.stdout).toMatch(/Renew Secret Key|secret/i);
  });

  it('usage errors and unreadable inputs exit 2', () => {
    expect(cli(['scan', '--format', 'nope', 'sample-logs/healthy-day']).code).toBe(2);
    expect(cli(['scan', '--since', 'yesterday', 'sample-logs/healthy-day']).code).toBe(2);
    expect(cli(['scan', '/no/such/folder']).code).toBe(2);
    expect(cli(['scan', '--bias', 'x.log', 'sample-logs/healthy-day']).code).toBe(2);
  });

  it('reads stdin with -', () => {
    const text = readFileSync(path.join(SAMPLES, 'unauthorized-action', 'CMGatewayNotificationWorker.log'));
    const r = cli(['scan', '-', '--format', 'json', '--fail-on', 'never'], { input: text });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.sources[0].kind).toBe('CMGatewayNotificationWorker');
    expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('action-unauthorized');
  });

  it('explain and rules', () => {
    const e = cli(['explain', 'AADSTS7000222']);
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(/expired/i);
    expect(cli(['explain', '-2146233079']).stdout).toMatch(/0x80131509/i);
    expect(cli(['explain', 'proxy-timeout']).stdout).toMatch(/3 minutes|three minutes/i);
    expect(cli(['explain', '0x8badf00d']).code).toBe(1);
    const rules = JSON.parse(cli(['rules', '--format', 'json']).stdout);
    expect(rules.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining(['gateway-unauthorized', 'proxy-timeout', 'upload-stalled', 'log-bias-suspicious']));
  });
});

describe('--records: every record, merged across machines in UTC order', () => {
  it('multi-site sample: records from three zones and a UTF-16 file come out in UTC order', () => {
    const r = cli(['scan', path.join(SAMPLES, 'multi-site-three-zones'), '--format', 'ndjson', '--records', '--fail-on', 'never']);
    expect(r.code).toBe(0);
    const recs = r.stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((o) => o.type === 'record');
    const json = JSON.parse(cli(['scan', path.join(SAMPLES, 'multi-site-three-zones'), '--format', 'json', '--fail-on', 'never']).stdout);
    expect(recs.length).toBe(json.sources.reduce((n: number, s: { records: number }) => n + s.records, 0));
    const times = recs.map((o) => o.utc).filter((u): u is string => u !== null);
    expect(times).toEqual([...times].sort());
    expect(new Set(recs.map((o) => o.log)).size).toBeGreaterThanOrEqual(4);
  });
});

describe('--redact', () => {
  it('hides the machine names that the folder layout gives, in paths and text', () => {
    for (const format of ['text', 'json', 'markdown']) {
      const out = cli(['scan', path.join(SAMPLES, 'multi-site-three-zones'), '--redact', '--format', format, '--fail-on', 'never']).stdout;
      for (const name of ['SCP01', 'MP01', 'CLIENT042']) expect(out, `${format} leaks ${name}`).not.toMatch(new RegExp(name, 'i'));
      expect(out).toMatch(/machine-\d+/); // markdown escapes the angle brackets
    }
  });
});
