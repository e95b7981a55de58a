import { describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { compareBaseline, renderReport, type FailOn } from '../../src/report/index.js';
import { makeEmptyResult, makeResult } from './fixture.js';
import { firstUnsafe, OPTS } from './helpers.js';

interface TestCase {
  '@_classname': string;
  '@_name': string;
  failure?: { '@_message': string; '@_type': string; '#text'?: string };
  'system-out'?: string;
}

function parse(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testcase' || name === 'testsuite' }).parse(xml);
  const suite = doc.testsuites.testsuite[0];
  const cases = suite.testcase as TestCase[];
  return { doc, suite, cases, rules: cases.filter((c) => c['@_classname'] === 'attachscope.rules'), inputs: cases.filter((c) => c['@_classname'] === 'attachscope.inputs') };
}

describe('junit', () => {
  it('one attachscope.rules testcase per rule evaluated', () => {
    const result = makeResult();
    const { rules, suite, cases, doc } = parse(renderReport(result, 'junit', OPTS));
    expect(rules.map((c) => c['@_name'])).toEqual(result.ruleIds);
    expect(suite['@_name']).toBe('attachscope');
    expect(Number(suite['@_tests'])).toBe(cases.length);
    expect(Number(doc.testsuites['@_tests'])).toBe(cases.length);
  });

  const expectations: [FailOn, string[]][] = [
    ['error', ['gateway-unauthorized']],
    ['warning', ['gateway-unauthorized', 'log-bias-suspicious']],
    ['info', ['gateway-unauthorized', 'log-bias-suspicious', 'upload-resolved']],
    ['never', []],
  ];
  for (const [failOn, failing] of expectations) {
    it(`fails only rules with a finding at or above --fail-on ${failOn}`, () => {
      const { rules, suite, cases } = parse(renderReport(makeResult(), 'junit', { ...OPTS, failOn }));
      expect(rules.filter((c) => c.failure).map((c) => c['@_name']).sort()).toEqual([...failing].sort());
      expect(Number(suite['@_failures'])).toBe(cases.filter((c) => c.failure).length);
      for (const c of rules.filter((x) => x.failure)) expect(['error', 'warning', 'info']).toContain(c.failure!['@_type']);
    });
  }

  it('a failure carries the title, the explanation and the evidence', () => {
    const { rules } = parse(renderReport(makeResult(), 'junit', OPTS));
    const f = rules.find((c) => c['@_name'] === 'gateway-unauthorized')!.failure!;
    expect(f['@_message']).toBe('The cloud gateway refuses the service connection point (401)');
    expect(f['@_type']).toBe('error');
    expect(f['#text']).toMatch(/DevicePost answered 401/);
    expect(f['#text']).toMatch(/CMGatewaySyncUploadWorker\.log:61/);
    expect(f['#text']).toMatch(/… and 9 more/);
    // Findings below the threshold are still visible.
    expect(rules.find((c) => c['@_name'] === 'upload-resolved')!['system-out']).toMatch(/Uploads recovered/);
  });

  it('the inputs testcase fails when no log could be read, whatever --fail-on says', () => {
    const ok = parse(renderReport(makeResult(), 'junit', OPTS));
    expect(ok.inputs.find((c) => c['@_name'] === 'logs readable')!.failure).toBeUndefined();
    const bad = parse(renderReport(makeEmptyResult(), 'junit', { ...OPTS, failOn: 'never' }));
    const logs = bad.inputs.find((c) => c['@_name'] === 'logs readable')!;
    expect(logs.failure?.['@_message']).toMatch(/no log/);
    expect(logs.failure?.['#text']).toMatch(/EACCES/);
    const noRules = parse(renderReport({ ...makeResult(), ruleErrors: ['rules/x.yaml: bad regex'] }, 'junit', OPTS));
    expect(noRules.inputs.find((c) => c['@_name'] === 'rule files load')!.failure?.['#text']).toMatch(/bad regex/);
  });

  it('a baseline difference is a failing testcase', () => {
    const result = makeResult();
    const diff = compareBaseline({ version: 1, findings: [{ ruleId: 'upload-stalled', severity: 'error' }] }, result);
    const { cases } = parse(renderReport(result, 'junit', { ...OPTS, baselineDiff: diff }));
    const b = cases.find((c) => c['@_classname'] === 'attachscope.baseline')!;
    expect(b.failure?.['#text']).toMatch(/missing: upload-stalled/);
  });

  it('hostile log text is escaped: well-formed XML, no control characters, no raw bidi', () => {
    const xml = renderReport(makeResult(), 'junit', { ...OPTS, failOn: 'info' });
    expect(firstUnsafe(xml)).toBeNull();
    expect(xml).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(xml).toContain('␛]0;pwned␇');
  });
});
