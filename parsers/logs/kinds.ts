/**
 * The catalogue of timeline event kinds and their fields. Extractors emit only these kinds;
 * the timeline (cycles, chains) and the rule catalogue (rules/*.yaml) match on them.
 * A field marked `?` may be absent (null) when the line does not state it.
 */
export const EVENT_KINDS = {
  // CMGatewaySyncUploadWorker (service connection point)
  'upload.start': 'a sync upload run begins {mode?: full|delta}',
  'upload.batch': 'Batching N records {records: number}',
  'upload.sync-mode': 'full or delta sync stated {mode: full|delta}',
  'upload.next-run': 'Next run time will be at approximately: … {nextLocal: string, nextUtcMs?: number}',
  'upload.succeeded': 'an upload run reported success {records?: number}',
  'upload.failed': 'an upload run reported failure {reason?: string}',

  // gateway calls made by any SCP worker
  'gateway.request': '[Scenario] Creating web request to: URL {scenario, url, endpoint, host, method, activityId?, timeoutSec?}',
  'gateway.response': '[Scenario] Response from URL is: CODE (Reason) {scenario, url, endpoint, host, status: number, reason}',
  'gateway.status': 'Response status code: CODE (Reason) Activity ID {status: number, reason, activityId?}',
  'gateway.upload-failed': 'Failed to upload data to URL {url, endpoint, host}',
  'gateway.web-exception': 'Web exception when getting new notification / Response in the web exception {detail?}',

  // CMGatewayNotificationWorker (service connection point)
  'notification.received': 'Received new notification. Validating basic notification details',
  'notification.validating': 'Validating device action message content',
  'notification.dropped': 'Error occured when process notification … Ignore the notification {notificationId}',
  'action.authorized': 'Authorized to perform client action {templateId, action, tenantId, aadUserId}',
  'action.unauthorized': 'Unauthorized to perform client action {templateId, action, tenantId, aadUserId}',
  'action.forwarded': 'Forwarded BGB remote task {templateId, action, taskGuid, taskParam, targetDeviceIds, scriptGuid?}',

  // BgbServer (management point)
  'bgb.push-start': 'Starting to send push task {pushId, taskId, taskGuid, taskType, action, clients, strategy?, param?, scriptGuid?}',
  'bgb.push-finish': 'Finished sending push task {pushId, taskId, clients}',
  'bgb.status-report': 'Generated BGB task status report {pushId, reportedClients, failedClients, reportPath}',

  // CcmNotificationAgent (client)
  'client.task-received': 'Receive task from server {pushId, taskId, taskGuid, taskType, action, scriptGuid?}',
  'client.task-response': 'Send Task response message {pushId, taskId, returnCode, responseUtcMs?, taskGuid?}',

  // scripts / CMPivot
  'script.result': 'Scripts.log result sent {taskGuid?, scriptGuid?, fast: boolean}',
  'relay.message': 'MP_RelayMsgMgr step {taskGuid?, clientGuid?, step: message-key|create|add-payload|put|execute-task (+ -failed), messageId?}',
  'mpe.processed': 'SMS_MESSAGE_PROCESSING_ENGINE processed messages {count, failed?, messageType?}',

  // Entra ID
  'aad.error': 'AADSTS code in any log {code: "AADSTS7000222", number, message}',
  'aad.secret-unavailable': 'Could not obtain application secret for tenant {tenant}',
  'aad-discovery.error': 'SMS_AZUREAD_DISCOVERY_AGENT error {type: sql-datetime|group-sync|other, message?}',

  // any log
  exception: 'exception block {severityTag?, worker?, exceptionType?, hresult?, httpStatus?, message, stackLines: number, response?}',
  'http.error': 'HTTP status in error text {status: number, reason}',
  hresult: 'HRESULT in a line outside an exception block {hresult: "0x80131509"}',
  'network.error': '.NET/WinHTTP network failure {type: dns|connect|timeout|closed|trust|proxy-auth|crl, host?}',
  'service-cert.mismatch': 'Mismatch certificate subject name',
  'sql.connection-closed': 'ExecuteReader requires an open and available Connection',

  // EndpointConnectivityCheckWorker / SMS_SERVICE_CONNECTOR status
  'connectivity.check': 'one endpoint check {url?, ok: boolean, status?: number, reason?}',
  'connectivity.summary': 'status 11410/11411/11412 {statusId, level: ok|warning|error}',

  // AdminService / SMS Provider / console
  'adminservice.error': 'AdminService error {type: sql-timeout|security-exception|other, message?}',
  'provider.http-error': 'SMS Provider answered an HTTP error {status: number, reason}',
} as const;

export type EventKind = keyof typeof EVENT_KINDS;
