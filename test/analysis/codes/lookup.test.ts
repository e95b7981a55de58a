import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import aadsts from '../../../src/analysis/codes/data/aadsts.json' with { type: 'json' };
import hresult from '../../../src/analysis/codes/data/hresult.json' with { type: 'json' };
import win32 from '../../../src/analysis/codes/data/win32.json' with { type: 'json' };
import http from '../../../src/analysis/codes/data/http.json' with { type: 'json' };
import statusMessages from '../../../src/analysis/codes/data/status-messages.json' with { type: 'json' };
import {
  decodeHresult,
  explainAs,
  explainCode,
  findCodes,
  type CodeExplanation,
  type CodeMention,
} from '../../../src/analysis/codes/lookup.js';

function first(query: string): CodeExplanation {
  const [top] = explainCode(query);
  if (!top) throw new Error(`no explanation for ${query}`);
  return top;
}

function mentions(text: string): Array<Pick<CodeMention, 'kind' | 'code'> & { token: string }> {
  return findCodes(text).map((m) => ({ kind: m.kind, code: m.code, token: text.slice(m.start, m.end) }));
}

describe('explainCode: query forms', () => {
  it('AADSTS with prefix', () => {
    const e = first('AADSTS7000222');
    expect(e).toMatchObject({ kind: 'aadsts', code: 'AADSTS7000222', name: 'InvalidClientSecretExpiredKeysProvided', known: true });
    expect(e.tenantAttach).toMatch(/secret/i);
    expect(e.fix.length).toBeGreaterThan(0);
    expect(e.fix.at(-1)).toContain('https://login.microsoftonline.com/error?code=7000222');
  });

  it('AADSTS with odd spacing, case and punctuation', () => {
    expect(first('aadsts 65001').code).toBe('AADSTS65001');
    expect(first('AADSTS7000215:').code).toBe('AADSTS7000215');
  });

  it('bare AADSTS number when it is a known AADSTS code and nothing else', () => {
    const all = explainCode('7000222');
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ kind: 'aadsts', code: 'AADSTS7000222', known: true });
  });

  it('hex HRESULT with and without 0x', () => {
    const a = first('0x80131509');
    expect(a).toMatchObject({ kind: 'hresult', code: '0x80131509', name: 'COR_E_INVALIDOPERATION', known: true });
    expect(a.meaning).toMatch(/WebException/);
    expect(a.decoded).toMatchObject({ facility: 19, facilityName: 'FACILITY_URT', severity: 'failure', code: 0x1509 });
    expect(first('80131509').code).toBe('0x80131509');
    expect(first('0X80072ee2').code).toBe('0x80072EE2');
    expect(first('80072ee2').name).toContain('ERROR_WINHTTP_TIMEOUT');
  });

  it('signed and unsigned decimal HRESULTs are the same entry as the hex form', () => {
    const hexForm = first('0x80131509');
    const signed = first('-2146233079');
    const unsigned = first('2148734217');
    expect(signed).toEqual(hexForm);
    expect(unsigned).toEqual(hexForm);
    expect(hexForm.decoded).toMatchObject({ signed: -2146233079, unsigned: 2148734217, hex: '0x80131509' });
    expect(first('-2147024891').code).toBe('0x80070005');
    expect(first('2147942405').code).toBe('0x80070005');
  });

  it('Win32/WinHTTP number and symbolic name', () => {
    const n = first('12002');
    expect(n).toMatchObject({ kind: 'win32', code: '12002', name: 'ERROR_WINHTTP_TIMEOUT', known: true });
    expect(n.decoded).toMatchObject({ asHresult: '0x80072EE2' });
    const byName = explainCode('ERROR_WINHTTP_TIMEOUT');
    expect(byName[0]).toMatchObject({ kind: 'win32', code: '12002' });
    // The HRESULT_FROM_WIN32 wrapper is offered as a second reading.
    expect(byName.map((e) => e.code)).toContain('0x80072EE2');
    expect(first('error_winhttp_secure_failure').code).toBe('12175');
    expect(first('WSAETIMEDOUT').code).toBe('10060');
    expect(first('E_FAIL').code).toBe('0x80004005');
  });

  it('.NET exception type names map to their HRESULT', () => {
    expect(first('System.Net.WebException')).toMatchObject({ kind: 'hresult', code: '0x80131509' });
    expect(first('InvalidDataException').code).toBe('0x80131501');
    expect(first('System.Data.SqlClient.SqlException').code).toBe('0x80131904');
  });

  it('HTTP statuses: "HTTP 401", "401", reason phrases', () => {
    const h = first('HTTP 401');
    expect(h).toMatchObject({ kind: 'http', code: '401', name: 'Unauthorized', known: true });
    expect(h.tenantAttach).toMatch(/consent/i);
    expect(first('401')).toEqual(h);
    expect(first('HTTP/1.1 407').code).toBe('407');
    expect(first('(407) Proxy Authentication Required').code).toBe('407');
    expect(first('204').tenantAttach).toMatch(/NoContent|no pending/i);
    expect(first('426').tenantAttach).toMatch(/TLS/);
    for (const c of ['204', '400', '401', '403', '404', '407', '408', '426', '429', '451', '500', '502', '503', '504', '511', '598', '599']) {
      expect(first(c)).toMatchObject({ kind: 'http', code: c, known: true });
    }
  });

  it('status message IDs', () => {
    expect(first('11411')).toMatchObject({ kind: 'status-message', code: '11411', known: true });
    expect(first('11412').fix.join(' ')).toMatch(/EndpointConnectivityCheckWorker/);
    expect(first('40805').meaning).toMatch(/ran script/);
  });

  it('a whole log line falls back to the codes found in it', () => {
    const all = explainCode('AADSTS7000215: Invalid client secret provided. Ensure the secret being sent …');
    expect(all[0]).toMatchObject({ kind: 'aadsts', code: 'AADSTS7000215', known: true });
  });

  it('returns an empty array when the query is not a code', () => {
    expect(explainCode('')).toEqual([]);
    expect(explainCode('   ')).toEqual([]);
    expect(explainCode('hello world')).toEqual([]);
    expect(explainCode('99999999999')).toEqual([]);
  });
});

describe('explainCode: unknown codes', () => {
  it('unknown FACILITY_WIN32 HRESULT is decoded and its low word looked up as Win32', () => {
    // 0x80072EE4 = HRESULT_FROM_WIN32(12004), not in hresult.json but 12004 is in win32.json
    const all = explainCode('0x80072EE4');
    expect(all[0]).toMatchObject({ kind: 'hresult', code: '0x80072EE4', known: false, name: 'HRESULT_FROM_WIN32(ERROR_WINHTTP_INTERNAL_ERROR)' });
    expect(all[0]?.meaning).toContain("not in attachscope's offline tables");
    expect(all[0]?.meaning).toMatch(/FACILITY_WIN32/);
    expect(all[0]?.decoded).toMatchObject({ facility: 7, facilityName: 'FACILITY_WIN32', code: 12004, win32: 12004 });
    expect(all[1]).toMatchObject({ kind: 'win32', code: '12004', known: true });
  });

  it('unknown FACILITY_WIN32 HRESULT with an unknown low word', () => {
    const all = explainCode('0x80071234');
    expect(all.map((e) => [e.kind, e.known])).toEqual([
      ['hresult', false],
      ['win32', false],
    ]);
    expect(all[1]?.code).toBe(String(0x1234));
  });

  it('unknown .NET HRESULT names FACILITY_URT', () => {
    const e = first('0x80131999');
    expect(e.known).toBe(false);
    expect(e.decoded).toMatchObject({ facility: 0x13, facilityName: 'FACILITY_URT', codeHex: '0x1999' });
    expect(e.meaning).toMatch(/\.NET/);
  });

  it('FACILITY_HTTP HRESULT points at the HTTP status', () => {
    const all = explainCode('0x801901F4');
    expect(all[0]?.decoded).toMatchObject({ facilityName: 'FACILITY_HTTP', http: 500 });
    expect(all[1]).toMatchObject({ kind: 'http', code: '500' });
  });

  it('unknown AADSTS, Win32, HTTP and status message codes', () => {
    const a = first('AADSTS9999999');
    expect(a).toMatchObject({ kind: 'aadsts', known: false });
    expect(a.meaning).toContain("not in attachscope's offline tables");
    expect(a.fix[0]).toContain('login.microsoftonline.com/error?code=9999999');
    // An unknown number in the WinHTTP range reads as Win32 first, AADSTS second.
    expect(explainCode('12099').map((e) => [e.kind, e.known])).toEqual([
      ['win32', false],
      ['aadsts', false],
    ]);
    expect(first('12099').meaning).toMatch(/WinHTTP/);
    // Outside the network ranges a 5-digit unknown reads as AADSTS first.
    expect(explainCode('54321').map((e) => e.kind)).toEqual(['aadsts', 'win32']);
    expect(first('777')).toMatchObject({ kind: 'win32', known: false });
    expect(first('418')).toMatchObject({ kind: 'http', known: false });
    expect(first('405')).toMatchObject({ kind: 'http', known: false, name: 'Method Not Allowed' });
    expect(explainAs('status-message', '5436')[0]).toMatchObject({ kind: 'status-message', known: false });
  });

  it('decodeHresult splits the fields', () => {
    expect(decodeHresult(0x87d00324)).toMatchObject({ severity: 'failure', facility: 2000, code: 0x324 });
    expect(decodeHresult(0x00000000)).toMatchObject({ severity: 'success', facilityName: 'FACILITY_NULL' });
    expect(decodeHresult(-2146233079)).toMatchObject({ hex: '0x80131509', signed: -2146233079, unsigned: 2148734217 });
  });
});

describe('findCodes', () => {
  it('.NET WebException text', () => {
    expect(mentions('The remote server returned an error: (401) Unauthorized.')).toEqual([{ kind: 'http', code: '401', token: '401' }]);
    expect(mentions('The remote server returned an error: (407) Proxy Authentication Required.')).toEqual([
      { kind: 'http', code: '407', token: '407' },
    ]);
    expect(mentions('The remote server returned an error: (400) Bad Request.    at Microsoft.ConfigurationManager.ServiceConnector')).toEqual([
      { kind: 'http', code: '400', token: '400' },
    ]);
  });

  it('gateway response lines', () => {
    expect(mentions('[GetNotifications] Response from https://x/api/gateway/Notification is: 204 (NoContent)')).toEqual([
      { kind: 'http', code: '204', token: '204' },
    ]);
    expect(
      mentions('[OnboardScenario] Response from https://us.gateway.configmgr.manage.microsoft.com/api/gateway/AccountOnboardingInfo is: 400 (Bad Request)'),
    ).toEqual([{ kind: 'http', code: '400', token: '400' }]);
    expect(mentions('Response status code: 400 (BadRequest) Activity ID: 7d6f2b1c-0c5e-4a2b-9d3e-1f2a3b4c5d6e')).toEqual([
      { kind: 'http', code: '400', token: '400' },
    ]);
  });

  it('exception header with HRESULT', () => {
    expect(mentions('[Critical][GenericUploadWorker][0][System.Net.WebException][0x80131509]')).toEqual([
      { kind: 'hresult', code: '0x80131509', token: '0x80131509' },
    ]);
    expect(mentions('[Warning][CMGatewayNotificationWorker][0][System.IO.InvalidDataException][0x80131501]')[0]?.code).toBe('0x80131501');
  });

  it('AADSTS codes', () => {
    expect(mentions('AADSTS7000215: Invalid client secret provided.')).toEqual([
      { kind: 'aadsts', code: 'AADSTS7000215', token: 'AADSTS7000215' },
    ]);
    const t = 'error_description":"AADSTS7000222: The provided client secret keys for app are expired. Trace ID: x"';
    expect(mentions(t).map((m) => m.code)).toEqual(['AADSTS7000222']);
  });

  it('status messages in context only', () => {
    expect(mentions('STATMSG: ID=11412 SEV=E LEV=M SOURCE="SMS Server" COMP="SMS_SERVICE_CONNECTOR"').map((m) => m.code)).toEqual(['11412']);
    expect(mentions('SMS_SERVICE_CONNECTOR raised status message 11411').map((m) => [m.kind, m.code])).toEqual([['status-message', '11411']]);
    expect(mentions('Batching 11411 records')).toEqual([]);
    expect(mentions('Create message succeeded for message id 12345')).toEqual([]);
  });

  it('mixed line, in order, with signed decimal HRESULT and WinHTTP names', () => {
    const t = 'HResult -2146233079 then HTTP 503 then ERROR_WINHTTP_TIMEOUT and AADSTS50076';
    expect(mentions(t)).toEqual([
      { kind: 'hresult', code: '0x80131509', token: '-2146233079' },
      { kind: 'http', code: '503', token: '503' },
      { kind: 'win32', code: '12002', token: 'ERROR_WINHTTP_TIMEOUT' },
      { kind: 'aadsts', code: 'AADSTS50076', token: 'AADSTS50076' },
    ]);
  });

  it('stays linear on giant hostile lines (no catastrophic backtracking)', () => {
    const pad = ' '.repeat(200_000);
    for (const kw of ['error', 'HTTP', 'status code', 'status message', 'message id', 'hr', 'WinHttp', '(401)', 'is:']) {
      expect(findCodes(`${kw}${pad}x`)).toEqual([]);
    }
    expect(findCodes('AADSTS'.repeat(50_000))).toEqual([]);
    expect(findCodes('0x8'.repeat(50_000))).toEqual([]);
    expect(explainCode(`error${pad}x`)).toEqual([]);
  });

  it('no false positives on ordinary lines', () => {
    for (const line of [
      'Next run time will be at approximately: 02/28/2020 16:35:31',
      'Batching 401 records',
      'Forwarded BGB remote task. TemplateID: 1 TaskGuid: 8a3dd1b3-a006-4604-b012-5529380b3b6f TaskParam: TargetDeviceIDs: 1',
      'Starting to send push task (PushID: 7 TaskID: 8 TaskGUID: A43DD1B3-A006-4604-B012-5529380B3B6F TaskType: 1 TaskParam: ) to 1 clients  with throttling (strategy: 1 param: 42)',
      '<![LOG[Get one push message from database.]LOG]!><time="16:46:39.123+480" date="09-16-2019" component="SMS_NOTIFICATION_SERVER" context="" type="1" thread="4712" file="">',
    ]) {
      expect(findCodes(line), line).toEqual([]);
    }
  });
});

describe('data integrity', () => {
  const entry = z
    .object({
      code: z.string().min(1),
      name: z.string().min(1),
      meaning: z.string().min(10),
      tenantAttach: z.string().min(10).optional(),
      fix: z.array(z.string().min(5)).min(1).optional(),
      source: z.string().min(2),
    })
    .strict();

  const files = { aadsts, hresult, win32, http, 'status-messages': statusMessages } as const;

  for (const [file, rows] of Object.entries(files)) {
    it(`${file}.json: every entry has name, meaning and source; no duplicate codes`, () => {
      for (const row of rows) expect(entry.safeParse(row).success, JSON.stringify(row).slice(0, 120)).toBe(true);
      const codes = rows.map((r) => r.code);
      expect(new Set(codes).size).toBe(codes.length);
    });
  }

  it('code formats per table', () => {
    for (const r of aadsts) expect(r.code).toMatch(/^AADSTS\d+$/);
    for (const r of hresult) expect(r.code).toMatch(/^0x[0-9A-F]{8}$/);
    for (const r of win32) expect(r.code).toMatch(/^(0|[1-9]\d{0,4})$/);
    for (const r of http) expect(r.code).toMatch(/^[1-5]\d\d$/);
    for (const r of statusMessages) expect(r.code).toMatch(/^\d+$/);
  });

  it('table sizes meet the floor', () => {
    expect(aadsts.length).toBeGreaterThanOrEqual(30);
    expect(hresult.length).toBeGreaterThanOrEqual(40);
    expect(win32.length).toBeGreaterThanOrEqual(30);
  });

  it('every AADSTS code of the domain reference table is present', () => {
    const need = [65001, 90094, 90095, 650056, 650057, 700016, 7000215, 7000222, 90002, 500011, 50034, 50076, 50079, 53003, 50105,
      50126, 50053, 50057, 50055, 70001, 7000112, 700027, 90033, 50000, 90006, 50173, 700082, 70008];
    const have = new Set(aadsts.map((r) => r.code));
    for (const n of need) expect(have.has(`AADSTS${n}`), `AADSTS${n}`).toBe(true);
  });

  it('FACILITY_WIN32 HRESULT names agree with the Win32 table', () => {
    const byCode = new Map(win32.map((r) => [Number(r.code), r.name]));
    for (const r of hresult) {
      const v = parseInt(r.code.slice(2), 16);
      const m = /^HRESULT_FROM_WIN32\((\w+)\)$/.exec(r.name);
      if (!m) continue;
      expect((v >>> 16) & 0x7ff, r.code).toBe(7);
      const w = byCode.get(v & 0xffff);
      if (w) expect(w, r.code).toBe(m[1]);
    }
  });

  it('the bare decimal of a known code does not collide across tables in a misleading order', () => {
    for (const r of win32) expect(first(r.code).kind, r.code).toBe('win32');
    for (const r of statusMessages) expect(first(r.code).kind, r.code).toBe('status-message');
    for (const r of http) expect(first(r.code).kind, r.code).toBe('http');
    for (const r of aadsts) expect(explainCode(r.code.slice(6)).some((e) => e.code === r.code), r.code).toBe(true);
    for (const r of hresult) expect(first(r.code).code, r.code).toBe(r.code);
  });

  it('bundled data stays small', () => {
    const size = [aadsts, hresult, win32, http, statusMessages].reduce((n, t) => n + JSON.stringify(t).length, 0);
    expect(size).toBeLessThan(200_000);
  });
});

describe('properties', () => {
  it('explainCode never throws and returns well-formed readings', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.integer({ min: -0x80000000, max: 0xffffffff }).map(String),
          fc.integer({ min: 0, max: 0xffffffff }).map((n) => '0x' + n.toString(16)),
          fc.integer({ min: 0, max: 99_999_999 }).map((n) => 'AADSTS' + n),
        ),
        (q) => {
          const out = explainCode(q);
          expect(Array.isArray(out)).toBe(true);
          for (const e of out) {
            expect(typeof e.code).toBe('string');
            expect(e.meaning.length).toBeGreaterThan(0);
            expect(Array.isArray(e.fix)).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('findCodes never throws and returns in-range, ordered offsets', () => {
    const logish = fc
      .array(
        fc.oneof(
          fc.string(),
          fc.constantFrom('AADSTS', '0x8013150', 'is: 401 (', '(407) Proxy', 'status code: ', 'HTTP ', '11411', 'SMS_SERVICE_CONNECTOR', '-2146', ' ', '\n', '0x'),
          fc.integer({ min: 0, max: 0xffffffff }).map((n) => n.toString(16)),
        ),
        { maxLength: 30 },
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), logish), (text) => {
        const found = findCodes(text);
        let prev = -1;
        for (const m of found) {
          expect(m.start).toBeGreaterThanOrEqual(0);
          expect(m.end).toBeGreaterThan(m.start);
          expect(m.end).toBeLessThanOrEqual(text.length);
          expect(m.start).toBeGreaterThanOrEqual(prev);
          prev = m.start;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
