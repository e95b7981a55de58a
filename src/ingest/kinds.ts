/**
 * Which log is this? Each logical log gets a canonical kind (the extractor to run) and the
 * machine role that writes it, from its file name and, failing that, its component field.
 */

export type MachineRole = 'service connection point' | 'management point' | 'client' | 'SMS Provider' | 'site server' | 'console' | 'unknown';

export interface KindInfo {
  kind: string;
  role: MachineRole;
}

const BY_NAME: Record<string, KindInfo> = {
  cmgatewaysyncuploadworker: { kind: 'CMGatewaySyncUploadWorker', role: 'service connection point' },
  cmgatewaynotificationworker: { kind: 'CMGatewayNotificationWorker', role: 'service connection point' },
  genericuploadworker: { kind: 'GenericUploadWorker', role: 'service connection point' },
  endpointconnectivitycheckworker: { kind: 'EndpointConnectivityCheckWorker', role: 'service connection point' },
  bgbserver: { kind: 'BgbServer', role: 'management point' },
  ccmnotificationagent: { kind: 'CcmNotificationAgent', role: 'client' },
  adminservice: { kind: 'AdminService', role: 'SMS Provider' },
  sms_rest_provider: { kind: 'SMS_REST_PROVIDER', role: 'SMS Provider' },
  smsprov: { kind: 'SMSProv', role: 'SMS Provider' },
  sms_azuread_discovery_agent: { kind: 'SMS_AZUREAD_DISCOVERY_AGENT', role: 'site server' },
  scripts: { kind: 'Scripts', role: 'client' },
  mp_relaymsgmgr: { kind: 'MP_RelayMsgMgr', role: 'management point' },
  mp_relay: { kind: 'MP_RelayMsgMgr', role: 'management point' },
  sms_message_processing_engine: { kind: 'SMS_MESSAGE_PROCESSING_ENGINE', role: 'site server' },
  smsadminui: { kind: 'SmsAdminUI', role: 'console' },
  collectionaadgroupsyncworker: { kind: 'generic', role: 'service connection point' },
  sms_cloudconnection: { kind: 'generic', role: 'service connection point' },
  dmpuploader: { kind: 'generic', role: 'service connection point' },
  dmpdownloader: { kind: 'generic', role: 'service connection point' },
  uxanalyticsuploadworker: { kind: 'generic', role: 'service connection point' },
  bgbmgr: { kind: 'generic', role: 'site server' },
  ccmaad: { kind: 'generic', role: 'client' },
  ccm_sts: { kind: 'generic', role: 'management point' },
  statemessage: { kind: 'generic', role: 'client' },
  statesys: { kind: 'generic', role: 'site server' },
};

/** The logical name of a file: `BGBServer-20230124-092553.log` → `BGBServer`, `X.lo_` → `X`. */
export function logicalName(fileName: string): string {
  let base = fileName.replace(/\.(log|lo_|txt)$/i, '');
  base = base.replace(/-\d{8}-\d{6}$/, '');
  return base;
}

/** Kind from a logical name (case-insensitive). */
export function kindFromName(name: string): KindInfo {
  return BY_NAME[name.toLowerCase()] ?? { kind: 'generic', role: 'unknown' };
}

/**
 * Kind from the component names of a log's first records, for files renamed or pasted
 * (`SMS_SERVICE_CONNECTOR_CMGatewayNotificationWorker` → CMGatewayNotificationWorker).
 */
export function kindFromComponents(components: Iterable<string>): KindInfo | null {
  const counts = new Map<string, number>();
  for (const c of components) {
    if (!c) continue;
    const stripped = c.replace(/^SMS_SERVICE_CONNECTOR_/i, '');
    let info = BY_NAME[stripped.toLowerCase()];
    if (!info && /^SMS_NOTIFICATION_SERVER$/i.test(c)) info = BY_NAME.bgbserver;
    if (!info && /^BgbAgent$/i.test(c)) info = BY_NAME.ccmnotificationagent;
    if (!info || info.kind === 'generic') continue;
    counts.set(info.kind, (counts.get(info.kind) ?? 0) + 1);
  }
  let best: string | null = null;
  let bestN = 0;
  for (const [k, n] of counts) if (n > bestN) { best = k; bestN = n; }
  if (!best) return null;
  return Object.values(BY_NAME).find((i) => i.kind === best) ?? null;
}

/** Every canonical kind with a dedicated extractor. */
export const KNOWN_KINDS = [...new Set(Object.values(BY_NAME).map((i) => i.kind))].filter((k) => k !== 'generic');
