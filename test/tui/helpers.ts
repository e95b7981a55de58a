import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { Session } from '../../src/analysis/session.js';
import { RecordStore } from '../../src/analysis/record-store.js';
import type { LogicalSource } from '../../src/ingest/discover.js';
import { emptyReport, readFileRecords } from '../../src/ingest/read.js';
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

/**
 * A record store over in-memory logs (path → text), each file its own source, added in the
 * order given: rows read back from these bytes like rows of a zip entry.
 */
export async function storeOf(files: Record<string, string>): Promise<RecordStore> {
  const store = new RecordStore();
  for (const [p, text] of Object.entries(files)) await addLog(store, p, text);
  return store;
}

/** Adds one in-memory log to a store as a source of its own. */
export async function addLog(store: RecordStore, p: string, text: string): Promise<void> {
  const data = Buffer.from(text, 'utf8');
  const name = path.basename(p);
  const src: LogicalSource = { id: p.toLowerCase(), name: name.replace(/\.log$/i, ''), kind: 'generic', role: 'unknown', machine: null, files: [{ path: p, name, dir: path.dirname(p), root: path.dirname(p), size: data.length, mtimeMs: 0, data }] };
  store.addSource(src, null);
  for await (const batch of readFileRecords(src.files[0]!, { log: src.name }, emptyReport(p))) store.add(src.id, batch);
  store.ensureSorted();
}

/** A CMTrace line at second `sec` of 09:00 UTC on 01-14-2026 (type 3 error, 2 warning, 1 info). */
export const cmAt = (sec: number, msg: string, type: 1 | 2 | 3 = 1): string =>
  `<![LOG[${msg}]LOG]!><time="09:${String(Math.floor(sec / 60)).padStart(2, '0')}:${String(sec % 60).padStart(2, '0')}.000+000" date="01-14-2026" component="C" context="" type="${type}" thread="1" file="">`;
