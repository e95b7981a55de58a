import { describe, expect, it } from 'vitest';
import { events, kinds, only } from './helpers.js';

const K = 'CMGatewayNotificationWorker';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const USER = 'a1b2c3d4-0000-4000-8000-123456789abc';
const TASK = 'A43DD1B3-A006-4604-B012-5529380B3B6F';

describe('CMGatewayNotificationWorker', () => {
  it('reads received and validating, with two or three dots', () => {
    expect(kinds(events(K, 'Received new notification. Validating basic notification details...'))).toEqual(['notification.received']);
    expect(kinds(events(K, 'Received new notification. Validating basic notification details..'))).toEqual(['notification.received']);
    expect(kinds(events(K, 'Validating device action message content...'))).toEqual(['notification.validating']);
    expect(kinds(events(K, 'validating device action message content..'))).toEqual(['notification.validating']);
  });

  it('reads an authorized action (extra spaces after AADUserID:)', () => {
    const e = only(
      events(K, `Authorized to perform client action. TemplateID: RequestMachinePolicy TenantId: ${TENANT} AADUserID:      ${USER}`),
      'action.authorized',
    );
    expect(e.fields).toEqual({ templateId: 'RequestMachinePolicy', action: 'Sync Machine Policy', tenantId: TENANT, aadUserId: USER });
    expect(e.severity).toBe('info');
  });

  it('reads an unauthorized action as an error', () => {
    const list = events(K, `Unauthorized to perform client action. TemplateID: RequestMachinePolicy TenantId: ${TENANT} AADUserID:  ${USER}`);
    expect(kinds(list)).toEqual(['action.unauthorized']);
    expect(list[0]!.fields).toEqual({ templateId: 'RequestMachinePolicy', action: 'Sync Machine Policy', tenantId: TENANT, aadUserId: USER });
    expect(list[0]!.severity).toBe('error');
  });

  it('keeps unknown template IDs raw and missing values null', () => {
    const e = only(events(K, 'Authorized to perform client action. TemplateID: RequestUserPolicy TenantId:  AADUserID: '), 'action.authorized');
    expect(e.fields).toEqual({ templateId: 'RequestUserPolicy', action: 'TemplateID RequestUserPolicy', tenantId: null, aadUserId: null });
  });

  it('reads a forwarded BGB task with an empty TaskParam', () => {
    const e = only(events(K, `Forwarded BGB remote task. TemplateID: 1 TaskGuid: ${TASK.toLowerCase()} TaskParam: TargetDeviceIDs: 1`), 'action.forwarded');
    expect(e.fields).toEqual({
      templateId: '1',
      action: 'Sync Machine Policy',
      taskGuid: TASK.toLowerCase(),
      taskParam: '',
      targetDeviceIds: '1',
      scriptGuid: null,
    });
  });

  it('reads a forwarded task with a base64 TaskParam and several devices', () => {
    const xml = "<ScriptContent ScriptGuid='7DC6B6F1-E7F6-43C1-96E0-E1D16BC25C14'><ScriptVersion>1</ScriptVersion></ScriptContent>";
    const b64 = Buffer.from(xml, 'utf16le').toString('base64');
    const e = only(events(K, `Forwarded BGB remote task. TemplateID: 15 TaskGuid: {${TASK}} TaskParam: ${b64} TargetDeviceIDs: 16777220,16777221`), 'action.forwarded');
    expect(e.fields).toEqual({
      templateId: '15',
      action: 'TemplateID 15',
      taskGuid: TASK,
      taskParam: b64,
      targetDeviceIds: '16777220,16777221',
      scriptGuid: '7DC6B6F1-E7F6-43C1-96E0-E1D16BC25C14',
    });
  });

  it('reads a dropped notification (sic "occured") and the certificate mismatch after it', () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const list = events(
      K,
      `Error occured when process notification with notification Id ${id}. Ignore the notification.`,
      'Failed to check and load service signing certificate. System.ArgumentException: Mismatch certificate subject name',
    );
    expect(kinds(list)).toEqual(['notification.dropped', 'service-cert.mismatch']);
    expect(list[0]!.fields).toEqual({ notificationId: id });
    expect(list[0]!.severity).toBe('error');
    expect(only(events(K, 'Error occurred while processing notification.'), 'notification.dropped').fields).toEqual({ notificationId: null });
  });

  it('reads the 401 polling failure sequence', () => {
    const list = events(
      K,
      '[GetNotifications] Response from https://us.gateway.configmgr.manage.microsoft.com/api/gateway/Notification is: 401 (Unauthorized)',
      'Web exception when getting new notification',
      'Response in the web exception: {"Message":"An error has occurred."}',
    );
    expect(kinds(list)).toEqual(['gateway.response', 'gateway.web-exception', 'gateway.web-exception']);
    expect(list[0]!.fields).toMatchObject({ endpoint: 'Notification', status: 401, scenario: 'GetNotifications' });
  });
});

describe('CMGatewayNotificationWorker value reading', () => {
  it('takes identifier values as one word without braces or a trailing period', () => {
    const e = only(
      events(K, `Authorized to perform client action. TemplateID: RequestMachinePolicy TenantId: {${TENANT}} AADUserID:\t  ${USER}. Done`),
      'action.authorized',
    );
    expect(e.fields).toEqual({ templateId: 'RequestMachinePolicy', action: 'Sync Machine Policy', tenantId: TENANT, aadUserId: USER });
  });
});
