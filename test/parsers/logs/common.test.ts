import { describe, expect, it } from 'vitest';
import { events, kinds, only, rec, run } from './helpers.js';

const G = 'generic';

describe('AADSTS codes', () => {
  it('reads the code, its number and the rest of the line', () => {
    const e = only(
      events(G, "AADSTS7000222: The provided client secret keys for app '0b2f0c5e-1111-2222-3333-444455556666' are expired."),
      'aad.error',
    );
    expect(e.fields).toEqual({
      code: 'AADSTS7000222',
      number: 7000222,
      message: "The provided client secret keys for app '0b2f0c5e-1111-2222-3333-444455556666' are expired.",
    });
    expect(e.severity).toBe('error');
  });

  it('cuts the message at JSON escapes and trace IDs, and reads codes in any log', () => {
    const line =
      '{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.\\r\\nTrace ID: 1234","error_codes":[7000215]}';
    const e = only(events('SmsAdminUI', line), 'aad.error');
    expect(e.fields.code).toBe('AADSTS7000215');
    expect(e.fields.message).toBe(
      'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
    );
    expect(only(events('BgbServer', 'Token failed: AADSTS65001 - The user or administrator has not consented. Trace ID: x'), 'aad.error').fields)
      .toEqual({ code: 'AADSTS65001', number: 65001, message: 'The user or administrator has not consented.' });
  });

  it('reads several codes on one line', () => {
    const list = events(G, 'AADSTS50076: MFA required. AADSTS50079: enrollment required.');
    expect(list.map((e) => e.fields.code)).toEqual(['AADSTS50076', 'AADSTS50079']);
    expect(list[0]!.fields.message).toBe('MFA required.');
  });
});

describe('HTTP statuses in error text', () => {
  it('reads the .NET WebException shape outside an exception block', () => {
    const e = only(events('BgbServer', 'The remote server returned an error: (403) Forbidden.'), 'http.error');
    expect(e.fields).toEqual({ status: 403, reason: 'Forbidden' });
    expect(e.severity).toBe('error');
  });

  it('reads keyword shapes', () => {
    expect(only(events('BgbServer', 'Request failed with status code 502'), 'http.error').fields).toEqual({ status: 502, reason: null });
    expect(only(events('BgbServer', 'HTTP/1.1 503 Service Unavailable'), 'http.error').fields).toEqual({ status: 503, reason: 'Service Unavailable' });
  });

  it('ignores 2xx, numbers without context and times', () => {
    expect(events('BgbServer', 'Status code 200 (OK)', 'Processed (404) items', 'at 16:46:39 (PushID: 9)', 'Batch 500 done')).toEqual([]);
  });

  it('does not repeat a status a specific extractor stated', () => {
    expect(kinds(events('GenericUploadWorker', 'Response status code: 401 (Unauthorized) Activity ID: x'))).toEqual(['gateway.status']);
  });
});

describe('HRESULTs', () => {
  it('reads 0x8… codes outside exception blocks, once per line', () => {
    const list = events('BgbServer', 'Failed to open queue (0x80004005), retry 0x80004005; then 0x8007000e');
    expect(list.map((e) => e.fields.hresult)).toEqual(['0x80004005', '0x8007000E']);
    expect(list[0]!.kind).toBe('hresult');
  });

  it('ignores non-failure or partial hex', () => {
    expect(events('BgbServer', 'flags 0x00000001 0x8000 0x800040051')).toEqual([]);
  });

  it('is a warning when the record is one', () => {
    const [e] = run('BgbServer', [rec('Retrying after 0x80072EE2', { severity: 'warning' })]);
    expect(e?.severity).toBe('warning');
  });
});

describe('.NET network errors', () => {
  const cases: [string, string, string | null][] = [
    ["The remote name could not be resolved: 'us.gateway.configmgr.manage.microsoft.com'", 'dns', 'us.gateway.configmgr.manage.microsoft.com'],
    ['Unable to connect to the remote server', 'connect', null],
    ['The operation has timed out', 'timeout', null],
    ['The underlying connection was closed: An unexpected error occurred on a send.', 'closed', null],
    ['The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel.', 'trust', null],
    ['The revocation function was unable to check revocation because the revocation server was offline.', 'crl', null],
  ];
  for (const [line, type, host] of cases) {
    it(`reads ${type}`, () => {
      const e = only(events(G, line), 'network.error');
      expect(e.fields).toEqual({ type, host });
      expect(e.severity).toBe(type === 'timeout' ? 'warning' : 'error');
    });
  }

  it('reads 407 as proxy-auth without a second http.error', () => {
    const list = events(G, 'The remote server returned an error: (407) Proxy Authentication Required.');
    expect(kinds(list)).toEqual(['network.error']);
    expect(list[0]!.fields).toEqual({ type: 'proxy-auth', host: null });
  });

  it('takes the host from a URL on the line', () => {
    const e = only(events(G, 'Unable to connect to the remote server https://login.microsoftonline.com/x'), 'network.error');
    expect(e.fields.host).toBe('login.microsoftonline.com');
  });
});

describe('named failures', () => {
  it('reads the certificate subject mismatch', () => {
    const e = only(
      events(G, 'Failed to check and load service signing certificate. System.ArgumentException: Mismatch certificate subject name'),
      'service-cert.mismatch',
    );
    expect(e.fields).toEqual({});
    expect(e.severity).toBe('error');
  });

  it('reads the stale SQL connection', () => {
    expect(
      kinds(events(G, "ExecuteReader requires an open and available Connection. The connection's current state is closed.")),
    ).toEqual(['sql.connection-closed']);
  });
});

const BLOCK = [
  'Exception details:',
  '[Critical][GenericUploadWorker][0][System.Net.WebException][0x80131509]',
  'The remote server returned an error: (400) Bad Request.',
  '   at System.Net.HttpWebRequest.EndGetResponse(IAsyncResult asyncResult)',
  '   at Microsoft.ConfigurationManager.ServiceConnector.ExtensionMethods.<GetResponseAsync>d__13.MoveNext()',
];

describe('exception blocks', () => {
  it('groups a multi-line record into one event', () => {
    const list = run('GenericUploadWorker', [rec(BLOCK.join('\n'), { log: 'GenericUploadWorker', line: 5 })]);
    expect(kinds(list)).toEqual(['exception']);
    const e = list[0]!;
    expect(e.fields).toEqual({
      severityTag: 'Critical',
      worker: 'GenericUploadWorker',
      exceptionType: 'System.Net.WebException',
      hresult: '0x80131509',
      httpStatus: 400,
      message: 'The remote server returned an error: (400) Bad Request.',
      stackLines: 2,
      response: null,
    });
    expect(e.severity).toBe('error');
    expect(e.refs).toEqual([{ path: 'test.log', line: 5, offset: 400 }]);
    expect(e.text).toBe('Exception details:');
  });

  it('groups consecutive records the same way, with every record in refs', () => {
    const records = BLOCK.map((m, i) => rec(m, { log: 'GenericUploadWorker', line: 10 + i }));
    const x = run('GenericUploadWorker', records);
    expect(kinds(x)).toEqual(['exception']);
    expect(x[0]!.fields.httpStatus).toBe(400);
    expect(x[0]!.refs.map((r) => r.line)).toEqual([10, 11, 12, 13, 14]);
  });

  it('holds the block until a non-continuation record, then emits it first', () => {
    const list = events('GenericUploadWorker', ...BLOCK, 'Batching 3 records', 'Next line');
    expect(kinds(list)).toEqual(['exception']);
    const withGateway = events('GenericUploadWorker', ...BLOCK, 'Response status code: 400 (BadRequest) Activity ID: x');
    expect(kinds(withGateway)).toEqual(['exception', 'gateway.status']);
  });

  it('reads the inline stack shape and the web-exception response', () => {
    const list = events(
      'CMGatewayNotificationWorker',
      'Exception details:',
      '[Warning][CMGatewayNotificationWorker][0][System.Net.WebException][0x80131509]',
      'The remote server returned an error: (401) Unauthorized.    at Microsoft.ConfigurationManager.ServiceConnector.ExtensionMethods.<GetResponseAsync>d__13.MoveNext()',
      'Response in the web exception: {"Message":"An error has occurred."}',
    );
    // The response body inside the block is the block's field, not a second gateway.web-exception.
    expect(kinds(list)).toEqual(['exception']);
    const e = only(list, 'exception');
    expect(e.fields).toMatchObject({ severityTag: 'Warning', httpStatus: 401, stackLines: 1, response: '{"Message":"An error has occurred."}' });
    expect(e.fields.message).toBe('The remote server returned an error: (401) Unauthorized.');
    expect(e.severity).toBe('warning');
  });

  it('keeps the named facts inside a block (SQL closed, certificate, DNS) but not http/hresult', () => {
    const list = events(
      'CMGatewayNotificationWorker',
      '[Critical][CMGatewayNotificationWorker][0][System.InvalidOperationException][0x80131509]',
      "ExecuteReader requires an open and available Connection. The connection's current state is closed.",
      '   at System.Data.SqlClient.SqlConnection.GetOpenConnection(String method)',
    );
    expect(kinds(list)).toEqual(['sql.connection-closed', 'exception']);
    expect(only(list, 'exception').fields).toMatchObject({ exceptionType: 'System.InvalidOperationException', hresult: '0x80131509', httpStatus: null });
  });

  it('takes the header line and the type from the message when there is no tag', () => {
    const list = events(
      'GenericUploadWorker',
      'Unexpected exception for worker GenericUploadWorker',
      'Exception details:',
      'System.IO.InvalidDataException (0x80131501): Bad data',
      'Done',
    );
    const e = only(list, 'exception');
    expect(e.fields).toMatchObject({ worker: 'GenericUploadWorker', exceptionType: 'System.IO.InvalidDataException', hresult: '0x80131501', message: 'System.IO.InvalidDataException (0x80131501): Bad data' });
  });

  it('splits back-to-back blocks', () => {
    const list = events('GenericUploadWorker', ...BLOCK, ...BLOCK);
    expect(kinds(list)).toEqual(['exception', 'exception']);
  });

  it('emits an open block on flush()', () => {
    const list = events('GenericUploadWorker', 'Exception details:');
    expect(kinds(list)).toEqual(['exception']);
    expect(list[0]!.fields).toMatchObject({ message: '', exceptionType: null, stackLines: 0 });
  });

  it('ignores stray stack lines', () => {
    expect(events(G, '   at Foo.Bar()')).toEqual([]);
  });
});
