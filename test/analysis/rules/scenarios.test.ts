/**
 * The catalog against the scenario folders in sample-logs/: each fires the rules its README
 * expects (and, of warnings and errors, nothing else); the healthy folders fire nothing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzePaths } from '../../../src/analysis/analyze.js';

const ROOT = join(import.meta.dirname, '../../../sample-logs');

/** folder → [expected rule ids, ids that may also fire]. */
const SCENARIOS: Record<string, [string[], string[]]> = {
  'healthy-day': [[], []],
  'multi-site-three-zones': [[], []],
  'proxy-cuts-long-poll': [['proxy-timeout'], []],
  'missing-admin-consent': [['gateway-unauthorized', 'admin-consent-missing'], ['upload-failing']],
  'expired-secret': [['client-secret-expired', 'upload-failing', 'gateway-unauthorized'], []],
  'invalid-secret': [['client-secret-invalid'], ['upload-failing', 'notification-polling-stopped']],
  'broken-onboarding': [['onboarding-bad-request', 'gateway-unauthorized'], ['upload-failing']],
  'unauthorized-action': [['action-unauthorized'], []],
  'cert-subject-mismatch': [['service-cert-subject-mismatch'], []],
  'stale-sql-connection': [['scp-stale-sql-connection'], []],
  'stalled-uploads': [['upload-stalled'], []],
  'action-never-reaches-client': [['action-not-delivered'], []],
  'adminservice-sql-timeout': [['adminservice-sql-timeout'], []],
  'endpoint-checks-failing': [['proxy-auth-required', 'tls-failure', 'network-blocked'], []],
};

describe('scenario folders', () => {
  for (const [folder, [expected, allowed]] of Object.entries(SCENARIOS)) {
    const dir = join(ROOT, folder);
    it.skipIf(!existsSync(dir))(`${folder} fires ${expected.length ? expected.join(', ') : 'nothing'}`, async () => {
      const result = await analyzePaths([dir]);
      expect(result.ruleErrors).toEqual([]);
      const fired = new Set(result.findings.filter((f) => f.severity !== 'info').map((f) => f.ruleId));
      for (const id of expected) expect([...fired], `${folder} should fire ${id}`).toContain(id);
      const extra = [...fired].filter((id) => !expected.includes(id) && !allowed.includes(id));
      expect(extra, `${folder} fires unexpected rules`).toEqual([]);
    });
  }
});
