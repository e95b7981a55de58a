/**
 * Hardening: `scan --redact` in every format. Every GUID (but CMPivot's public ScriptGuid),
 * UPN/e-mail, IPv4 address and bearer/JWT-looking token found in the INPUT files (read UTF-16
 * aware) must be absent from every redacted output, compared without case. And a value gets one
 * placeholder throughout a report (correlation still reads), one placeholder per value.
 *
 * The bundled samples hold GUIDs but no UPN, IP or token, so a fourth input is a copy of
 * unauthorized-action with lines carrying those added (UTF-8 and UTF-16 files, both formats).
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { cli, copySample, decodeLog, logFilesUnder, SAMPLES } from './helpers.js';

const PUBLIC_GUID = '7dc6b6f1-e7f6-43c1-96e0-e1d16bc25c14';
const FORMATS = ['text', 'json', 'ndjson', 'junit', 'sarif', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

const GUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const EMAIL_RE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4_RE = new RegExp(`(?<![\\d.])${OCTET}(?:\\.${OCTET}){3}(?![\\d.])`, 'g');
const JWT_RE = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
/** Case-sensitive: ConfigMgr's own "Validating basic notification details" is no credential. */
const BEARER_RE = /\b(?:Bearer|Basic)\s+([A-Za-z0-9\-._~+/]{12,}=*)/g;
/** Placeholders the redactor writes for GUIDs (by the role it guessed from the context). */
const GUID_PLACEHOLDER_RE = /<(?:tenant|user|app|activity|task|notification|device|guid)-\d+>/g;

/** Values that must not survive redaction, from the input files, by kind. */
function sensitiveValues(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of logFilesUnder(dir)) {
    const text = decodeLog(f);
    for (const m of text.matchAll(GUID_RE)) if (m[0].toLowerCase() !== PUBLIC_GUID) out.set(m[0].toLowerCase(), 'guid');
    for (const m of text.matchAll(EMAIL_RE)) out.set(m[0].toLowerCase(), 'upn');
    // 127.0.0.1 and 0.0.0.0 say nothing about a customer: the redactor keeps them on purpose.
    for (const m of text.matchAll(IPV4_RE)) if (m[0] !== '127.0.0.1' && m[0] !== '0.0.0.0') out.set(m[0], 'ip');
    for (const m of text.matchAll(JWT_RE)) out.set(m[0].toLowerCase(), 'jwt');
    for (const m of text.matchAll(BEARER_RE)) out.set(m[1]!.toLowerCase(), 'token');
  }
  return out;
}

const runs = new Map<string, string>();

/** `scan` over a folder (memoized: the same report is asked for by several tests). */
function run(dir: string, format: Format, redact: boolean): string {
  const key = `${dir}\0${format}\0${redact}`;
  const hit = runs.get(key);
  if (hit !== undefined) return hit;
  const args = ['scan', dir, '--format', format, '--fail-on', 'never'];
  if (redact) args.push('--redact');
  if (format === 'ndjson') args.push('--records');
  const r = cli(args);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout.length).toBeGreaterThan(100);
  runs.set(key, r.stdout);
  return r.stdout;
}

/** A user and IPs and tokens, in the shapes tenant attach logs carry them. */
const JWT = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL29uZXNjY20ifQ.c2lnbmF0dXJlLXBhcnQtaGVyZS0xMjM0NQ';
const INJECTED_SRV = [
  `Failed to get token for user admin.one@contoso.com from 10.20.30.40 Authorization: Bearer ${JWT}`,
  'Proxy 192.168.10.20:8080 refused the request for jdoe@Fabrikam.com; Basic dXNlcjpzdXBlcnNlY3JldA==',
  `Unauthorized to perform client action. TemplateID: RequestMachinePolicy TenantId: 57dfc4e2-c715-42e3-a6fe-df13f33c5787 AADUserID:  0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d UPN: second.admin@contoso.com client 172.16.5.6`,
].map((m, i) => `${m}  $$<SMS_SERVICE_CONNECTOR_CMGatewayNotificationWorker><01-22-2026 10:3${i}:00.000+300><thread=4312 (0x10D8)>`);
const INJECTED_CM = [
  'Send keep-alive message to mp01.contoso.local (10.0.0.15:10123) as user svc-cm@contoso.com',
  `Received token eyJhbGciOiJub25lIn0.${JWT.split('.')[1]!}.AbCdEfGhIjKl for 11.22.33.44`,
].map((m, i) => `<![LOG[${m}]LOG]!><time="10:4${i}:00.000+300" date="01-22-2026" component="BgbAgent" context="" type="1" thread="3008" file="">`);

let t: ReturnType<typeof tempDir>;
let seeded: string;
const DIRS: Record<string, string> = {
  'multi-site-three-zones': path.join(SAMPLES, 'multi-site-three-zones'),
  'missing-admin-consent': path.join(SAMPLES, 'missing-admin-consent'),
  'unauthorized-action': path.join(SAMPLES, 'unauthorized-action'),
};

beforeAll(() => {
  t = tempDir('attachscope-redact-');
  seeded = copySample('unauthorized-action', t.dir);
  appendFileSync(path.join(seeded, 'CMGatewayNotificationWorker.log'), INJECTED_SRV.join('\r\n') + '\r\n');
  appendFileSync(path.join(seeded, 'CcmNotificationAgent.log'), INJECTED_CM.join('\r\n') + '\r\n');
  // A UTF-16LE (with BOM) CMTrace log: the values must be found (and redacted) there too.
  const u16 = path.join(seeded, 'ClientUtf16', 'CcmNotificationAgent.log');
  mkdirSync(path.dirname(u16), { recursive: true });
  writeFileSync(u16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(INJECTED_CM.join('\r\n').replace(/mp01/g, 'mp02').replace(/svc-cm@/g, 'u16-user@') + '\r\n', 'utf16le')]));
  DIRS.seeded = seeded;
});
afterAll(() => t.cleanup());

describe('--redact leaves no identifier from the input in any format', () => {
  for (const name of [...Object.keys(DIRS), 'seeded']) {
    it(`${name}: no GUID, UPN, IPv4 or token from the input appears in text, json, ndjson --records, junit, sarif or markdown`, () => {
      const dir = DIRS[name]!;
      const values = sensitiveValues(dir);
      expect(values.size).toBeGreaterThan(5);
      if (name === 'seeded') {
        const kinds = new Set(values.values());
        for (const k of ['guid', 'upn', 'ip', 'jwt', 'token']) expect(kinds.has(k), `seeded input holds a ${k}`).toBe(true);
        expect(values.has('u16-user@contoso.com'), 'the UTF-16 file was read').toBe(true);
      }
      for (const format of FORMATS) {
        const out = run(dir, format, true).toLowerCase();
        const leaks = [...values].filter(([v]) => out.includes(v));
        expect(leaks, `${name} --format ${format} leaks`).toEqual([]);
      }
      // Without --redact the values are there (the comparison above is not vacuous).
      const plain = run(dir, 'ndjson', false).toLowerCase();
      expect([...values.keys()].filter((v) => plain.includes(v)).length).toBeGreaterThan(values.size / 2);
    }, 120_000);
  }
});

/** Pairs every string of the plain report with the same string of the redacted one. */
function pairStrings(a: unknown, b: unknown, out: [string, string][], where = '$'): void {
  if (typeof a === 'string') {
    expect(typeof b, where).toBe('string');
    out.push([a, b as string]);
  } else if (Array.isArray(a)) {
    expect(Array.isArray(b) && b.length === a.length, `${where}: same array length`).toBe(true);
    a.forEach((x, i) => pairStrings(x, (b as unknown[])[i], out, `${where}[${i}]`));
  } else if (a && typeof a === 'object') {
    expect(b && typeof b === 'object', where).toBeTruthy();
    for (const [k, v] of Object.entries(a)) pairStrings(v, (b as Record<string, unknown>)[k], out, `${where}.${k}`);
  }
}

/**
 * value → placeholder across every string pair: within one string, the non-public GUIDs of the
 * plain text and the GUID placeholders of the redacted text come in the same order.
 */
function guidMapping(pairs: [string, string][]): { byValue: Map<string, Set<string>>; byPlaceholder: Map<string, Set<string>>; compared: number } {
  const byValue = new Map<string, Set<string>>();
  const byPlaceholder = new Map<string, Set<string>>();
  let compared = 0;
  for (const [plain, red] of pairs) {
    const guids = [...plain.matchAll(GUID_RE)].map((m) => m[0].toLowerCase()).filter((g) => g !== PUBLIC_GUID);
    if (guids.length === 0) continue;
    const holders = [...red.matchAll(GUID_PLACEHOLDER_RE)].map((m) => m[0]);
    if (holders.length !== guids.length) continue; // e.g. a GUID inside a removed secret
    compared++;
    guids.forEach((g, i) => {
      const p = holders[i]!;
      if (!byValue.has(g)) byValue.set(g, new Set());
      byValue.get(g)!.add(p);
      if (!byPlaceholder.has(p)) byPlaceholder.set(p, new Set());
      byPlaceholder.get(p)!.add(g);
    });
  }
  return { byValue, byPlaceholder, compared };
}

describe('--redact placeholders are consistent within one report', () => {
  for (const name of ['multi-site-three-zones', 'missing-admin-consent', 'unauthorized-action', 'seeded']) {
    it(`${name}: json and ndjson --records: one placeholder per value and one value per placeholder`, () => {
      const dir = name === 'seeded' ? seeded : DIRS[name]!;
      for (const format of ['json', 'ndjson'] as const) {
        const parse = (s: string): unknown => (format === 'json' ? JSON.parse(s) : s.trim().split('\n').map((l) => JSON.parse(l)));
        const plain = parse(run(dir, format, false));
        const red = parse(run(dir, format, true));
        const pairs: [string, string][] = [];
        pairStrings(plain, red, pairs);
        const { byValue, byPlaceholder, compared } = guidMapping(pairs);
        expect(compared, `${name} ${format}: strings with GUIDs compared`).toBeGreaterThan(format === 'json' ? 0 : 20);
        for (const [v, ps] of byValue) expect([...ps], `${name} ${format}: placeholders of ${v}`).toHaveLength(1);
        for (const [p, vs] of byPlaceholder) expect([...vs], `${name} ${format}: values behind ${p}`).toHaveLength(1);
      }
    }, 120_000);
  }

  // BUG (src/report/redact.ts, SECRETS[0] = /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi): case-
  // insensitive and any word, so ConfigMgr's ordinary "Received new notification. Validating basic
  // notification details..." (every action in CMGatewayNotificationWorker.log) is redacted to
  // "Validating basic [token removed] details...". Expected: only credentials, e.g. case-sensitive
  // `Bearer`/`Basic` after `Authorization:` or followed by a token-shaped value (≥ 16 chars of
  // base64/JWT alphabet with a digit, `.`, `+`, `/` or `=`).
  it('--redact keeps ordinary words after "basic" (bug: "basic notification" becomes a removed token)', () => {
    const out = run(DIRS['unauthorized-action']!, 'ndjson', true);
    expect(out).toContain('Validating basic notification details');
    expect(out).not.toMatch(/basic \[token removed\] details/);
  });

  it('unauthorized-action: the tenant id becomes one <tenant-N> placeholder everywhere, in every format', () => {
    for (const format of FORMATS) {
      const out = run(DIRS['unauthorized-action']!, format, true);
      const after = [...out.matchAll(/TenantId:\s*([^\s"\\<]*<[^>]+>|\S+)/g)].map((m) => m[1]!);
      expect(after.length, `${format}: TenantId occurrences`).toBeGreaterThan(0);
      expect(new Set(after).size, `${format}: ${[...new Set(after)].join(', ')}`).toBe(1);
      expect(after[0]).toMatch(/^(?:&lt;|<)tenant-\d+(?:&gt;|>)$/);
    }
  }, 120_000);
});
