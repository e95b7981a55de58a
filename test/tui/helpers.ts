import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { Session } from '../../src/analysis/session.js';
import type { Rule } from '../../src/analysis/rules/schema.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SAMPLES = path.join(ROOT, 'sample-logs');

/** React 19's scheduler flushes on a later macrotask: await after render and after each write. */
export const tick = () => new Promise<void>((r) => setTimeout(r, 0));

export async function settle(n = 3): Promise<void> {
  for (let i = 0; i < n; i++) await tick();
}

/** Writes each key and lets Ink and React process it. */
export async function press(stdin: { write(s: string): void }, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    stdin.write(k);
    await settle();
  }
}

export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  pageDown: '\u001B[6~',
  tab: '\t',
  shiftTab: '\u001B[Z',
  enter: '\r',
  escape: '\u001B',
} as const;

/** The frame as plain text. */
export function plain(frame: string | undefined): string {
  return stripVTControlCharacters(frame ?? '');
}

/** The selected timeline row (the line starting with `> ` followed by a severity letter). */
export function selectedRow(frame: string | undefined): string | undefined {
  return plain(frame).split('\n').find((l) => /^> [EWI·] /.test(l));
}

/**
 * Rules for the tests, so they do not depend on the built-in catalog (other tests cover that):
 * one text rule on the 401s and one on the AADSTS consent error.
 */
export const TEST_RULES: Rule[] = [
  {
    id: 'test-gateway-401',
    title: 'TEST gateway answered 401',
    severity: 'error',
    explanation: '{count} calls answered 401 between {first} and {last}.',
    remediation: ['Grant admin consent to the app', 'Check the app secret'],
    docs: ['https://learn.microsoft.com/mem/configmgr/tenant-attach/'],
    match: { any: [{ text: '\\(401\\) Unauthorized' }] },
    samples: [{ log: 'CMGatewayNotificationWorker', lines: ['x'] }],
  },
  {
    id: 'test-consent',
    title: 'TEST consent missing',
    severity: 'warning',
    explanation: 'AADSTS65001 seen {count} time(s).',
    remediation: ['Grant admin consent'],
    docs: [],
    match: { any: [{ text: 'AADSTS65001' }] },
    samples: [{ log: 'SmsAdminUI', lines: ['x'] }],
  },
];

export async function loadedSession(scenario: string, rules: Rule[] = TEST_RULES): Promise<Session> {
  // A path relative to the repo: what the panes show (and wrap) must not depend on where the
  // repo was cloned (CI clones into a folder of its own choosing).
  const s = new Session([path.relative(process.cwd(), path.join(SAMPLES, scenario)) || '.'], { follow: false, keepRecords: true, throttleMs: 0, rules });
  await s.start();
  return s;
}
