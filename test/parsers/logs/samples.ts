/**
 * Documented (and sample-log) lines per log kind, used by the contract, shape and property tests.
 * Each entry is one log entry; a multi-line entry (an exception block) is several lines.
 */
const BASE = 'https://us.gateway.configmgr.manage.microsoft.com/api/gateway';
const G = 'A43DD1B3-A006-4604-B012-5529380B3B6F';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const USER = 'a1b2c3d4-0000-4000-8000-123456789abc';
const CMPIVOT_PARAM = Buffer.from(
  "<ScriptContent ScriptGuid='7DC6B6F1-E7F6-43C1-96E0-E1D16BC25C14'><ScriptVersion>1</ScriptVersion><ScriptType>0</ScriptType><ScriptHash ScriptHashAlg='SHA256'>6F2C</ScriptHash></ScriptContent>",
  'utf16le',
).toString('base64');

export interface Sample {
  kind: string;
  /** Lines of one entry. */
  lines: string[];
}

const s = (kind: string, ...lines: string[]): Sample => ({ kind, lines });

export const EXCEPTION_BLOCK_401 = [
  'Exception details:',
  '[Warning][CMGatewayNotificationWorker][0][System.Net.WebException][0x80131509]',
  'The remote server returned an error: (401) Unauthorized.',
  '   at System.Net.HttpWebRequest.EndGetResponse(IAsyncResult asyncResult)',
  '   at Microsoft.ConfigurationManager.ServiceConnector.ExtensionMethods.<GetResponseAsync>d__13.MoveNext()',
  'Response in the web exception: {"Message":"An error has occurred."}',
];

export const EXCEPTION_BLOCK_400 = [
  'Unexpected exception for worker GenericUploadWorker',
  'Exception details:',
  '[Critical][GenericUploadWorker][0][System.Net.WebException][0x80131509]',
  'The remote server returned an error: (400) Bad Request.    at Microsoft.ConfigurationManager.ServiceConnector.ExtensionMethods.<GetResponseAsync>d__13.MoveNext()',
];

export const EXCEPTION_BLOCK_SQL = [
  '[Critical][CMGatewayNotificationWorker][0][System.InvalidOperationException][0x80131509]',
  "ExecuteReader requires an open and available Connection. The connection's current state is closed.",
  '   at System.Data.SqlClient.SqlConnection.GetOpenConnection(String method)',
];

export const SAMPLES: Sample[] = [
  s('CMGatewaySyncUploadWorker', 'Starting sync upload (delta).'),
  s('CMGatewaySyncUploadWorker', 'Starting sync upload (full).'),
  s('CMGatewaySyncUploadWorker', 'Batching 12 records'),
  s('CMGatewaySyncUploadWorker', 'Full sync is required for this hierarchy'),
  s('CMGatewaySyncUploadWorker', 'Upload completed successfully. 12 records uploaded.'),
  s('CMGatewaySyncUploadWorker', 'Upload failed. Will retry at next run.'),
  s('CMGatewaySyncUploadWorker', 'Next run time will be at approximately: 02/28/2020 16:35:31'),
  s('CMGatewaySyncUploadWorker', `[UploadDelta_HelpdeskUpload] Creating web request to: ${BASE}/DevicePost Method: POST Activity ID: ${G} Timeout: 00:02:00`),
  s('GenericUploadWorker', `[OnboardScenario] Creating web request to: ${BASE}/AccountOnboardingInfo Method: POST Activity ID: ${G} Timeout: 00:02:00`),
  s('GenericUploadWorker', `[OnboardScenario] Response from ${BASE}/AccountOnboardingInfo is: 400 (Bad Request)`),
  s('GenericUploadWorker', `Response status code: 400 (BadRequest) Activity ID: ${G}`),
  s('GenericUploadWorker', ...EXCEPTION_BLOCK_400),
  s('GenericUploadWorker', `[UploadDelta_HelpdeskUpload] Response from ${BASE}/DevicePost is: 401 (Unauthorized)`),
  s('GenericUploadWorker', `[WebException]: Failed to upload data to '${BASE}/DevicePost'`),
  s('CMGatewayNotificationWorker', 'Received new notification. Validating basic notification details...'),
  s('CMGatewayNotificationWorker', 'Validating device action message content...'),
  s('CMGatewayNotificationWorker', `Authorized to perform client action. TemplateID: RequestMachinePolicy TenantId: ${TENANT} AADUserID:    ${USER}`),
  s('CMGatewayNotificationWorker', `Unauthorized to perform client action. TemplateID: RequestMachinePolicy TenantId: ${TENANT} AADUserID:  ${USER}`),
  s('CMGatewayNotificationWorker', `Forwarded BGB remote task. TemplateID: 1 TaskGuid: ${G.toLowerCase()} TaskParam: TargetDeviceIDs: 1`),
  s('CMGatewayNotificationWorker', `[GetNotifications] Response from ${BASE}/Notification is: 401 (Unauthorized)`),
  s('CMGatewayNotificationWorker', 'Web exception when getting new notification'),
  s('CMGatewayNotificationWorker', ...EXCEPTION_BLOCK_401),
  s('CMGatewayNotificationWorker', 'Error occured when process notification with notification Id 0f8fad5b-d9cb-469f-a165-70867728950e. Ignore the notification.'),
  s('CMGatewayNotificationWorker', 'Failed to check and load service signing certificate. System.ArgumentException: Mismatch certificate subject name'),
  s('CMGatewayNotificationWorker', ...EXCEPTION_BLOCK_SQL),
  s('CMGatewayNotificationWorker', `[GetNotifications] Response from ${BASE}/Notification is: 204 (NoContent)`),
  s('BgbServer', 'Get one push message from database.'),
  s('BgbServer', `Starting to send push task (PushID: 7 TaskID: 8 TaskGUID: ${G} TaskType: 1 TaskParam: ) to 1 clients  with throttling (strategy: 1 param: 42)`),
  s('BgbServer', `Starting to send push task (PushID: 9 TaskID: 12 TaskGUID: ${G} TaskType: 15 TaskParam: ${CMPIVOT_PARAM}) to 2 clients with throttling (strategy: 1 param: 42)`),
  s('BgbServer', 'Finished sending push task (PushID: 9 TaskID: 12) to 2 clients'),
  s('BgbServer', 'Generated BGB task status report c:\\ConfigMgr\\inboxes\\bgb.box\\Bgb5c1db.BTS at 09/16/2019 16:46:39. (PushID: 9 ReportedClients: 2 FailedClients: 0)'),
  s('CcmNotificationAgent', `Receive task from server with pushid=7, taskid=8, taskguid=${G}, tasktype=1 and taskParam=`),
  s(
    'CcmNotificationAgent',
    'Send Task response message <BgbResponseMessage TimeStamp="2020-01-21T15:43:43Z"><PushID>8</PushID><TaskID>9</TaskID><ReturnCode>1</ReturnCode></BgbResponseMessage> successfully.',
  ),
  s('Scripts', `Sending script state message (fast): {${G}}`),
  s('Scripts', `Result are sent for ScriptGuid: 7DC6B6F1-E7F6-43C1-96E0-E1D16BC25C14 and TaskID: {${G}}`),
  s('MP_RelayMsgMgr', `MessageKey: GUID:C1E2F3A4-1111-4222-8333-444455556666{${G}}`),
  s('MP_RelayMsgMgr', 'Create message succeeded for message id 16777230'),
  s('MP_RelayMsgMgr', 'CRelayMsgMgrHandler::HandleMessage(): ExecuteTask() succeeded'),
  s('SMS_MESSAGE_PROCESSING_ENGINE', 'Processed 2 messages with type Instant. Failed to process 0 messages. All message IDs 16777230,16777231'),
  s(
    'AdminService',
    'System.Data.Entity.Core.EntityCommandExecutionException: An error occurred while executing the command definition. See the inner exception for details.',
    'System.Data.SqlClient.SqlException: Execution Timeout Expired.  The timeout period elapsed prior to completion of the operation or the server is not responding.',
    'System.ComponentModel.Win32Exception: The wait operation timed out',
  ),
  s('AdminService', 'System.Security.SecurityException: The user name or password is incorrect.'),
  s('AdminService', 'Error 403 forbidden'),
  s('SMS_AZUREAD_DISCOVERY_AGENT', 'Could not obtain application secret for tenant contoso.onmicrosoft.com. If this is after a site expansion, please run "Renew Secret Key" from admin console.'),
  s('SMS_AZUREAD_DISCOVERY_AGENT', 'ERROR: Encountered SqlException The conversion of a nvarchar data type to a datetime data type resulted in an out-of-range value.'),
  s('SMS_AZUREAD_DISCOVERY_AGENT', 'ERROR: Group full sync request failed. Exception: System.NullReferenceException: Object reference not set to an instance of an object.'),
  s('SmsAdminUI', "AADSTS7000222: The provided client secret keys for app '0b2f0c5e-1111-2222-3333-444455556666' are expired."),
  s('EndpointConnectivityCheckWorker', `Endpoint ${BASE}/Notification check failed with status code 407`),
  s('EndpointConnectivityCheckWorker', 'Check for https://login.microsoftonline.com failed. SSL/TLS failure'),
  s('EndpointConnectivityCheckWorker', 'Connectivity check to https://dc.services.visualstudio.com succeeded'),
  s('EndpointConnectivityCheckWorker', 'Status message 11411'),
  s('generic', "The remote name could not be resolved: 'us.gateway.configmgr.manage.microsoft.com'"),
  s('generic', 'The remote server returned an error: (407) Proxy Authentication Required.'),
  s('generic', 'The remote server returned an error: (403) Forbidden.'),
  s('generic', 'Failed to open queue (0x80004005)'),
  s('generic', 'ExecuteReader requires an open and available Connection. The connection\'s current state is closed.'),
];
