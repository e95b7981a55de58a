import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRedactor } from '../../src/report/redact.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const USER = 'c856786d-b0b7-452b-8bf7-17ecd7f28b03';

describe('--redact', () => {
  it('replaces ids with stable, typed placeholders', () => {
    const r = createRedactor();
    const a = r(`Authorized to perform client action. TemplateID: RequestMachinePolicy TenantId: ${TENANT} AADUserID:  ${USER}`);
    expect(a).toBe('Authorized to perform client action. TemplateID: RequestMachinePolicy TenantId: <tenant-1> AADUserID:  <user-1>');
    // The same value keeps its placeholder in another line, whatever the case.
    expect(r(`tenant ${TENANT.toUpperCase()}`)).toBe('tenant <tenant-1>');
    expect(r(`Activity ID: 0f0e0d0c-0b0a-0908-0706-050403020100 Timeout: 00:02:00`)).toBe('Activity ID: <activity-1> Timeout: 00:02:00');
  });
  it('keeps the public CMPivot script guid and Microsoft endpoints readable', () => {
    const r = createRedactor();
    expect(r('ScriptGuid: 7DC6B6F1-E7F6-43C1-96E0-E1D16BC25C14')).toContain('7DC6B6F1-E7F6-43C1-96E0-E1D16BC25C14');
    expect(r('Response from https://us.gateway.configmgr.manage.microsoft.com/api/gateway/DevicePost is: 401 (Unauthorized)')).toContain('us.gateway.configmgr.manage.microsoft.com');
  });
  it('replaces UPNs, e-mail addresses, IPs, customer host names and known machine names', () => {
    const r = createRedactor();
    r.addNames(['SCP01', 'CLIENT042']);
    const out = r('jane.admin@contoso.com from 10.1.2.3 and fe80::1:2:3:4 via http://proxy.contoso.local:8080/ on SCP01 (\\\\CLIENT042\\c$) and sccm01.corp.contoso.com');
    for (const leaked of ['jane.admin', 'contoso', '10.1.2.3', 'fe80::1:2:3:4', 'SCP01', 'CLIENT042', 'sccm01']) expect(out).not.toContain(leaked);
    expect(out).toMatch(/<upn-1>.*<ip-1>.*<ip-2>.*<host-1>.*<machine-1>.*<machine-2>.*<host-2>/);
  });
  it('drops secrets and tokens entirely', () => {
    const r = createRedactor();
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    const out = r(`Authorization: Bearer ${jwt} client_secret=abc8Q~verySecretValue1234567890abc password="hunter2" key Xy58Q~a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6`);
    for (const leaked of [jwt, 'verySecretValue', 'hunter2', 'a1b2c3d4e5f6g7h8']) expect(out).not.toContain(leaked);
    expect(out).toMatch(/removed/);
  });
  it('no GUID, UPN or IP from the input survives (property)', () => {
    const guid = fc.uuid();
    const upn = fc.tuple(fc.stringMatching(/^[a-z]{2,8}$/), fc.stringMatching(/^[a-z]{2,8}$/)).map(([u, d]) => `${u}@${d}.com`);
    const ip = fc.tuple(fc.integer({ min: 1, max: 254 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 })).map((p) => p.join('.'));
    fc.assert(fc.property(fc.array(fc.oneof(guid, upn, ip, fc.constantFrom('TenantId:', 'AADUserID:', ' ', 'x')), { maxLength: 12 }), (parts) => {
      const text = parts.join(' ');
      const out = createRedactor()(text);
      for (const p of parts) {
        if (/^[0-9a-f-]{36}$|@|^\d+\.\d+\.\d+\.\d+$/i.test(p)) expect(out.toLowerCase()).not.toContain(p.toLowerCase());
      }
    }), { numRuns: 2000 });
  });
});
