import { describe, expect, it } from 'vitest';
import { events, kinds, only } from './helpers.js';

const K = 'SMS_AZUREAD_DISCOVERY_AGENT';

describe('SMS_AZUREAD_DISCOVERY_AGENT', () => {
  it('reads a missing application secret with the tenant', () => {
    const e = only(
      events(K, 'Could not obtain application secret for tenant contoso.onmicrosoft.com. If this is after a site expansion, please run "Renew Secret Key" from admin console.'),
      'aad.secret-unavailable',
    );
    expect(e.fields).toEqual({ tenant: 'contoso.onmicrosoft.com' });
    expect(e.severity).toBe('error');
    const guid = only(events(K, 'could not obtain application secret for tenant 72f988bf-86f1-41af-91ab-2d7cd011db47'), 'aad.secret-unavailable');
    expect(guid.fields.tenant).toBe('72f988bf-86f1-41af-91ab-2d7cd011db47');
  });

  it('reads the nvarchar→datetime locale bug and the group sync failure', () => {
    const list = events(
      K,
      'ERROR: Encountered SqlException The conversion of a nvarchar data type to a datetime data type resulted in an out-of-range value.',
      'ERROR: Group full sync request failed. Exception: System.NullReferenceException: Object reference not set to an instance of an object.',
    );
    expect(kinds(list)).toEqual(['aad-discovery.error', 'aad-discovery.error']);
    expect(list.map((e) => e.fields.type)).toEqual(['sql-datetime', 'group-sync']);
  });

  it('reads other ERROR: lines as type other, but not those with an AADSTS code', () => {
    const e = only(events(K, 'ERROR: Delta discovery failed for tenant 72f988bf-86f1-41af-91ab-2d7cd011db47. Will retry in 60 minutes.'), 'aad-discovery.error');
    expect(e.fields).toEqual({ type: 'other', message: 'Delta discovery failed for tenant 72f988bf-86f1-41af-91ab-2d7cd011db47. Will retry in 60 minutes.' });
    expect(kinds(events(K, 'ERROR: Failed to acquire token. AADSTS7000215: Invalid client secret provided.'))).toEqual(['aad.error']);
    expect(kinds(events(K, 'Delta discovery completed. 3 users, 0 groups changed.'))).toEqual([]);
  });

  it('reads AADSTS codes (common) in this log too', () => {
    expect(kinds(events(K, 'Failed to acquire token: AADSTS7000222: The provided client secret keys are expired.'))).toEqual(['aad.error']);
  });
});
