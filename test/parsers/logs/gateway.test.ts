import { describe, expect, it } from 'vitest';
import { events, kinds, only } from './helpers.js';

const K = 'GenericUploadWorker';
const BASE = 'https://us.gateway.configmgr.manage.microsoft.com/api/gateway';
const HOST = 'us.gateway.configmgr.manage.microsoft.com';
const AID = '5b0d4d0c-6f2e-4a53-a6c2-1ea3d5b0e0f1';

describe('gateway calls (every SCP worker)', () => {
  it('reads a request line', () => {
    const e = only(
      events(K, `[OnboardScenario] Creating web request to: ${BASE}/AccountOnboardingInfo Method: POST Activity ID: ${AID} Timeout: 00:02:00`),
      'gateway.request',
    );
    expect(e.fields).toEqual({
      scenario: 'OnboardScenario',
      url: `${BASE}/AccountOnboardingInfo`,
      endpoint: 'AccountOnboardingInfo',
      host: HOST,
      method: 'POST',
      activityId: AID,
      timeoutSec: 120,
    });
    expect(e.severity).toBe('info');
    expect(e.summary).toBe('POST AccountOnboardingInfo (OnboardScenario)');
  });

  it('reads a request without the optional parts', () => {
    const e = only(events(K, `creating web request to:${BASE}/Notification/`), 'gateway.request');
    expect(e.fields).toMatchObject({ scenario: null, endpoint: 'Notification', method: null, activityId: null, timeoutSec: null });
    const d = only(events(K, `[X] Creating web request to: ${BASE}/DevicePost Method: get Timeout: 1.00:00:30`), 'gateway.request');
    expect(d.fields).toMatchObject({ method: 'GET', timeoutSec: 86_430 });
  });

  it('reads a response with a reason', () => {
    const list = events(K, `[UploadDelta_HelpdeskUpload] Response from ${BASE}/DevicePost is: 401 (Unauthorized)`);
    expect(kinds(list)).toEqual(['gateway.response']);
    const e = list[0]!;
    expect(e.fields).toEqual({
      scenario: 'UploadDelta_HelpdeskUpload',
      url: `${BASE}/DevicePost`,
      endpoint: 'DevicePost',
      host: HOST,
      status: 401,
      reason: 'Unauthorized',
    });
    expect(e.severity).toBe('error');
    expect(e.summary).toBe('DevicePost answered 401 (Unauthorized)');
  });

  it('reads a response without a reason, and 2xx as info', () => {
    const e = only(events(K, `[GetNotifications] Response from ${BASE}/Notification is: 599`), 'gateway.response');
    expect(e.fields).toMatchObject({ status: 599, reason: null, endpoint: 'Notification' });
    expect(e.severity).toBe('error');
    const ok = only(events(K, `[GetNotifications] Response from ${BASE}/Notification is: 204 (NoContent)`), 'gateway.response');
    expect(ok.fields).toMatchObject({ status: 204, reason: 'NoContent' });
    expect(ok.severity).toBe('info');
  });

  it('reads the documented 400 (Bad Request) with a space in the reason', () => {
    const e = only(events(K, `[OnboardScenario] Response from ${BASE}/AccountOnboardingInfo is: 400 (Bad Request)`), 'gateway.response');
    expect(e.fields).toMatchObject({ status: 400, reason: 'Bad Request', endpoint: 'AccountOnboardingInfo' });
  });

  it('reads Response status code lines', () => {
    const list = events(K, `Response status code: 400 (BadRequest) Activity ID: ${AID}`);
    expect(kinds(list)).toEqual(['gateway.status']);
    expect(list[0]!.fields).toEqual({ status: 400, reason: 'BadRequest', activityId: AID });
    expect(list[0]!.severity).toBe('error');
    expect(only(events(K, 'response status code:200'), 'gateway.status').fields).toEqual({ status: 200, reason: null, activityId: null });
  });

  it('reads Failed to upload data to', () => {
    const e = only(events(K, `[WebException]: Failed to upload data to '${BASE}/DevicePost'`), 'gateway.upload-failed');
    expect(e.fields).toEqual({ url: `${BASE}/DevicePost`, endpoint: 'DevicePost', host: HOST });
    expect(e.severity).toBe('error');
  });

  it('reads the notification web exception lines', () => {
    expect(only(events(K, 'Web exception when getting new notification'), 'gateway.web-exception').fields).toEqual({ detail: null });
    expect(
      only(events(K, 'Response in the web exception: {"Message":"An error has occurred."}'), 'gateway.web-exception').fields,
    ).toEqual({ detail: '{"Message":"An error has occurred."}' });
  });

  it('emits no generic http.error for a status a gateway line states', () => {
    const list = events(K, `[GetNotifications] Response from ${BASE}/Notification is: 500 (InternalServerError)`, `Response status code: 503 (ServiceUnavailable)`);
    expect(kinds(list)).toEqual(['gateway.response', 'gateway.status']);
  });

  it('runs for unknown logs (generic) too', () => {
    expect(kinds(events('SomethingElse', `[X] Response from ${BASE}/DevicePost is: 200 (OK)`))).toEqual(['gateway.response']);
  });
});
