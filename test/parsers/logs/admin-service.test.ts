import { describe, expect, it } from 'vitest';
import { events, kinds, only } from './helpers.js';

const K = 'AdminService';
const TRIO = [
  'System.Data.Entity.Core.EntityCommandExecutionException: An error occurred while executing the command definition. See the inner exception for details.',
  'System.Data.SqlClient.SqlException: Execution Timeout Expired.  The timeout period elapsed prior to completion of the operation or the server is not responding.',
  'System.ComponentModel.Win32Exception: The wait operation timed out',
];

describe('AdminService', () => {
  it('reads the SQL timeout trio as one event (separate lines)', () => {
    const list = events(K, ...TRIO);
    expect(kinds(list)).toEqual(['adminservice.error']);
    expect(list[0]!.fields).toEqual({ type: 'sql-timeout', message: null });
    expect(list[0]!.severity).toBe('error');
  });

  it('reads the trio as one event when printed on one line with inner exceptions and frames', () => {
    const list = events(K, `${TRIO[0]} ---> ${TRIO[1]} ---> ${TRIO[2]}\n   at System.Data.SqlClient.SqlConnection.OnError()\n   --- End of inner exception stack trace ---`);
    expect(kinds(list)).toEqual(['adminservice.error']);
  });

  it('counts two failures separated by other lines, or by a new outer exception', () => {
    expect(kinds(events(K, ...TRIO, 'GET /AdminService/wmi/SMS_Application', ...TRIO))).toEqual(['adminservice.error', 'adminservice.error']);
    expect(kinds(events(K, ...TRIO, ...TRIO))).toEqual(['adminservice.error', 'adminservice.error']);
  });

  it('reads a SecurityException with its message', () => {
    const e = only(
      events(K, 'System.Security.SecurityException: The user name or password is incorrect.    at System.Security.Principal.WindowsIdentity.KerbS4ULogon()'),
      'adminservice.error',
    );
    expect(e.fields).toEqual({ type: 'security-exception', message: 'The user name or password is incorrect.' });
    expect(only(events(K, 'Exception: System.Security.SecurityException'), 'adminservice.error').fields).toEqual({
      type: 'security-exception',
      message: null,
    });
  });

  it('reads provider HTTP errors instead of generic http.error', () => {
    const forbidden = events(K, 'Error 403 forbidden');
    expect(kinds(forbidden)).toEqual(['provider.http-error']);
    expect(forbidden[0]!.fields).toEqual({ status: 403, reason: 'forbidden' });
    expect(only(events(K, 'On-prem error code: 500 internal server error'), 'provider.http-error').fields).toEqual({
      status: 500,
      reason: 'internal server error',
    });
    expect(only(events('SMS_REST_PROVIDER', 'The remote server returned an error: (500) Internal Server Error.'), 'provider.http-error').fields.status).toBe(500);
    expect(kinds(events('SMSProv', 'StatusCode: 403'))).toEqual(['provider.http-error']);
  });

  it('ignores success statuses', () => {
    expect(events(K, 'Request completed with status code 200')).toEqual([]);
  });
});
