import { describe, expect, it } from 'vitest';
import { events, kinds, only } from './helpers.js';

const K = 'EndpointConnectivityCheckWorker';
const URL = 'https://us.gateway.configmgr.manage.microsoft.com/api/gateway/Notification';

describe('EndpointConnectivityCheckWorker', () => {
  const failures: [string, number | null, string | null][] = [
    [`Endpoint ${URL} check failed with status code 407`, 407, 'Proxy authentication required'],
    [`Failed to connect to ${URL}: 502 (Bad Gateway)`, 502, 'Bad Gateway'],
    [`Checking ${URL} ... 426`, 426, 'Upgrade required'],
    [`Checking ${URL} returned 451`, 451, 'Unavailable for legal reasons'],
    [`Connectivity check to ${URL} failed: 511`, 511, 'Network authentication required'],
    [`${URL} - status 598`, 598, 'Network read timeout'],
    [`${URL} : 599 Network connection timeout`, 599, 'Network connection timeout'],
    [`${URL} : 408`, 408, 'Request timeout'],
    [`Check for ${URL} failed. SSL/TLS failure`, null, 'SSL/TLS failure'],
  ];
  for (const [line, status, reason] of failures) {
    it(`reads a failed check: ${line}`, () => {
      const list = events(K, line);
      const e = only(list, 'connectivity.check');
      expect(e.fields).toEqual({ url: URL, ok: false, status, reason });
      expect(e.severity).toBe('error');
      expect(list.filter((x) => x.kind === 'http.error')).toEqual([]);
    });
  }

  it('a timeout without a status is a warning, and needs no URL', () => {
    const e = only(events(K, 'Network connection timeout'), 'connectivity.check');
    expect(e.fields).toEqual({ url: null, ok: false, status: null, reason: 'Network connection timeout' });
    expect(e.severity).toBe('warning');
  });

  it('reads successful checks', () => {
    expect(only(events(K, `Connectivity check to ${URL} succeeded`), 'connectivity.check').fields).toEqual({ url: URL, ok: true, status: null, reason: null });
    const e = only(events(K, `${URL} returned 200`), 'connectivity.check');
    expect(e.fields).toEqual({ url: URL, ok: true, status: 200, reason: null });
    expect(e.severity).toBe('info');
  });

  it('reads a failure word with a URL as a failed check', () => {
    expect(only(events(K, `Unable to reach http://crl3.digicert.com`), 'connectivity.check').fields).toEqual({
      url: 'http://crl3.digicert.com',
      ok: false,
      status: null,
      reason: null,
    });
  });

  it('does not read gateway requests (Timeout: 00:02:00) or neutral lines as checks', () => {
    expect(kinds(events(K, `[EndpointCheck] Creating web request to: ${URL} Method: GET Timeout: 00:02:00`))).toEqual(['gateway.request']);
    expect(events(K, `Checking endpoint ${URL}`)).toEqual([]);
  });

  it('reads a gateway response in this log as a check too', () => {
    const list = events(K, `[EndpointCheck] Response from ${URL} is: 407 (Proxy Authentication Required)`);
    expect(kinds(list)).toEqual(['connectivity.check', 'gateway.response']);
  });

  it('reads the summary status messages by ID or text', () => {
    const ids = events(K, 'Status message 11410', 'Raised status message 11411', 'MessageID=11412');
    expect(ids.map((e) => [e.fields.statusId, e.fields.level, e.severity])).toEqual([
      [11410, 'ok', 'info'],
      [11411, 'warning', 'warning'],
      [11412, 'error', 'error'],
    ]);
    const texts = events(K, 'All checks are successful', 'One or more non-critical failures occurred', 'One or more critical failures occurred');
    expect(texts.map((e) => e.fields.statusId)).toEqual([11410, 11411, 11412]);
    expect(events(K, 'Value 114100 and 1.11410')).toEqual([]);
  });
});
