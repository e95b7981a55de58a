/** Shared by the hardening tests: sample paths, scans through the real CLI, file decoding. */
import { copyFileSync, cpSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cli, ROOT } from '../e2e/cli.js';

export { cli, ROOT };

export const SAMPLES = path.join(ROOT, 'sample-logs');
/** The good log every bad-input case sits next to: it must still yield `action-unauthorized`. */
export const GOOD_LOG = path.join(SAMPLES, 'unauthorized-action', 'CMGatewayNotificationWorker.log');
export const GOOD_FINDING = 'action-unauthorized';

export interface JsonSource {
  id: string;
  path: string;
  files: string[];
  name: string;
  kind: string;
  format: string;
  encoding: string;
  records: number;
  partialRecords: number;
  biasProblems: { problem: string; count: number; firstLine: number; path: string }[];
  skipped: { path: string; startOffset: number; endOffset: number; reason: string }[];
  errors: string[];
}

export interface JsonReport {
  sources: JsonSource[];
  inputProblems: { path: string; reason: string }[];
  findings: { ruleId: string; severity: string; evidence: { path: string; line: number; text: string }[] }[];
  summary: { records: number };
}

/** Copies the good log into `dir` (as CMGatewayNotificationWorker.log) and returns its path. */
export function placeGood(dir: string): string {
  const p = path.join(dir, 'CMGatewayNotificationWorker.log');
  copyFileSync(GOOD_LOG, p);
  return p;
}

/** Copies a sample scenario folder into `dir/<name>` and returns the copy's path. */
export function copySample(name: string, dir: string): string {
  const dest = path.join(dir, name);
  cpSync(path.join(SAMPLES, name), dest, { recursive: true });
  return dest;
}

/** `scan` in json and in text over the inputs. */
export function scanJsonAndText(inputs: string[], opts: { env?: Record<string, string> } = {}) {
  const j = cli(['scan', ...inputs, '--format', 'json', '--fail-on', 'never'], opts);
  let json: JsonReport;
  try {
    json = JSON.parse(j.stdout) as JsonReport;
  } catch {
    throw new Error(`json report did not parse (exit ${j.code}): ${j.stdout.slice(0, 500)}\n${j.stderr.slice(0, 2000)}`);
  }
  const t = cli(['scan', ...inputs, '--format', 'text'], opts);
  return { json, jsonCode: j.code, jsonStderr: j.stderr, text: t.stdout, textCode: t.code, textStderr: t.stderr };
}

/** The source whose files include `file`. */
export function sourceOf(report: JsonReport, file: string): JsonSource | undefined {
  return report.sources.find((s) => s.files.includes(file));
}

/** Decodes a log file the way ConfigMgr writes them: UTF-16LE/BE (BOM or NUL pattern) or UTF-8. */
export function decodeLog(p: string): string {
  const b = readFileSync(p);
  if (b[0] === 0xff && b[1] === 0xfe) return b.subarray(2).toString('utf16le');
  if (b[0] === 0xfe && b[1] === 0xff) return Buffer.from(b.subarray(2)).swap16().toString('utf16le');
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.subarray(3).toString('utf8');
  let oddNul = 0;
  let evenNul = 0;
  const n = Math.min(b.length & ~1, 1024);
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenNul++;
    if (b[i + 1] === 0) oddNul++;
  }
  if (n >= 4 && oddNul > n / 2 * 0.6 && evenNul < n / 2 * 0.1) return b.toString('utf16le');
  return b.toString('utf8');
}

/** Every `.log`/`.lo_` under a folder. */
export function logFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return logFilesUnder(p);
    return /\.lo[g_]$/i.test(e.name) ? [p] : [];
  });
}

/** A small deterministic PRNG (mulberry32) for reproducible "random" bytes. */
export function seededBytes(seed: number, n: number): Buffer {
  let a = seed >>> 0;
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

/** Whether the test process runs as root (permission tests mean nothing then). */
export const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
