/**
 * The rule catalog (rules/*.yaml) proves itself: every rule loads, carries samples that fire it
 * (alone and among all rules) and counter-samples that do not, and is named after its id.
 */
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeTexts } from '../../../src/analysis/analyze.js';
import { builtinRulesDir, loadRules } from '../../../src/analysis/rules/load.js';
import { sampleFiles, type Rule, type Sample } from '../../../src/analysis/rules/schema.js';
import { isoUtcMs } from '../../../parsers/formats/time.js';

const loaded = await loadRules([builtinRulesDir()]);
const all = loaded.rules;

/** The catalog ids the project promises (more may exist). */
const REQUIRED_IDS = [
  'gateway-unauthorized', 'onboarding-bad-request', 'admin-consent-missing', 'client-secret-expired',
  'client-secret-invalid', 'aad-app-not-found', 'aad-tenant-not-found', 'aad-resource-principal-missing',
  'aad-app-secret-unavailable', 'proxy-timeout', 'proxy-auth-required', 'network-blocked', 'tls-failure',
  'service-cert-subject-mismatch', 'scp-stale-sql-connection', 'action-unauthorized', 'action-not-delivered',
  'upload-stalled', 'upload-failing', 'adminservice-sql-timeout', 'adminservice-cloud-upn',
  'provider-mfa-forbidden', 'cas-remote-provider', 'aad-discovery-locale-bug', 'log-bias-suspicious',
];

async function fired(rule: Rule, sample: Sample, rules: Rule[]): Promise<string[]> {
  const files = sampleFiles(sample).map((f) => ({
    log: f.log,
    path: f.path ?? `${f.log}.log`,
    text: `${f.lines.join('\r\n')}\r\n`,
  }));
  const endMs = sample.end === undefined ? undefined : (isoUtcMs(sample.end) ?? undefined);
  const result = await analyzeTexts(files, endMs === undefined ? { rules } : { rules, endMs });
  return result.findings.map((f) => f.ruleId);
}

describe('rule catalog', () => {
  it('loads without errors', () => {
    expect(loaded.errors.map((e) => e.message)).toEqual([]);
    expect(all.length).toBeGreaterThanOrEqual(REQUIRED_IDS.length);
  });

  it('has every required rule', () => {
    const ids = new Set(all.map((r) => r.id));
    expect(REQUIRED_IDS.filter((id) => !ids.has(id))).toEqual([]);
  });

  it('has unique ids, each in a file named after it', () => {
    const ids = all.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of all) expect(basename(loaded.files.get(r.id) ?? '').replace(/\.ya?ml$/i, '')).toBe(r.id);
  });

  it('gives every rule a title, an explanation, remediation steps and learn.microsoft.com docs', () => {
    for (const r of all) {
      expect(r.remediation.length, r.id).toBeGreaterThan(0);
      for (const d of r.docs) expect(d, r.id).toMatch(/^https:\/\/learn\.microsoft\.com\//);
    }
  });
});

for (const rule of all) {
  describe(`rule ${rule.id}`, () => {
    it('has at least one sample', () => {
      expect(rule.samples.length).toBeGreaterThan(0);
    });
    rule.samples.forEach((sample, i) => {
      it(`sample ${i + 1} fires it (alone and among all rules)`, async () => {
        expect(await fired(rule, sample, [rule])).toContain(rule.id);
        expect(await fired(rule, sample, all)).toContain(rule.id);
      });
    });
    (rule.counterSamples ?? []).forEach((sample, i) => {
      it(`counter-sample ${i + 1} does not fire it`, async () => {
        expect(await fired(rule, sample, [rule])).not.toContain(rule.id);
        expect(await fired(rule, sample, all)).not.toContain(rule.id);
      });
    });
  });
}
