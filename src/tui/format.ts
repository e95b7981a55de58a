/**
 * Small display formatters shared by the panes: times, short log names, severity markers.
 * Pure: no clock, no I/O.
 */
import type { Severity } from '../../parsers/types.js';
import { isoUtc } from '../../parsers/formats/time.js';

export type TimeMode = 'local' | 'utc';

/** Text marker for a severity; colour is never the only signal (CMTrace: red errors, yellow warnings). */
export const SEVERITY_MARK: Record<Severity, string> = { error: 'E', warning: 'W', info: 'I', unknown: '·' };

/** Ink colour names for a severity (undefined: default colour). */
export const SEVERITY_COLOR: Record<Severity, string | undefined> = { error: 'red', warning: 'yellow', info: undefined, unknown: undefined };

/** Time of day with milliseconds from a local text as written (`01-14-2026 09:45:03.479` → `09:45:03.479`). */
export function clockOf(localText: string): string {
  const m = /(\d{1,2}:\d{2}:\d{2}(?:\.\d{1,7})?)/.exec(localText);
  return m?.[1] ?? localText;
}

/**
 * The time column of a row. Local: as written (only the clock when narrow). UTC: ISO with `Z`
 * (only the clock plus `Z` when narrow). `-` when the record has no such time.
 */
export function rowTime(localText: string | null, utcMs: number | null, mode: TimeMode, wide: boolean): string {
  if (mode === 'utc') {
    const iso = utcMs === null || !Number.isFinite(utcMs) ? null : isoUtc(utcMs);
    if (iso === null) return '-';
    return wide ? `${iso.slice(0, 10)} ${iso.slice(11, 23)}Z` : `${iso.slice(11, 23)}Z`;
  }
  if (localText === null) return '-';
  return wide ? localText : clockOf(localText);
}

/** Width of the time column for a mode. */
export function timeColumnWidth(mode: TimeMode, wide: boolean): number {
  if (mode === 'utc') return wide ? 24 : 13;
  return wide ? 23 : 12;
}

const LOG_ABBREV: Record<string, string> = {
  CMGatewaySyncUploadWorker: 'SyncUpload',
  CMGatewayNotificationWorker: 'GwNotify',
  GenericUploadWorker: 'GenericUpld',
  CcmNotificationAgent: 'CcmNotify',
  CMGatewayAuthorizationWorker: 'GwAuth',
  SMS_CLOUD_SERVICES_MANAGER: 'CloudSvcMgr',
  CloudMgr: 'CloudMgr',
};

/** A short name for a log, for the narrow source column. */
export function shortLog(log: string): string {
  const known = LOG_ABBREV[log];
  if (known) return known;
  return log.replace(/^CMGateway/, 'Gw').replace(/Worker$/, '');
}

/** `gateway.response` → `gw.response`: event kinds short enough for a row tag. */
export function shortKind(kind: string): string {
  return kind
    .replace(/^gateway\./, 'gw.')
    .replace(/^upload\./, 'up.')
    .replace(/^action\./, 'act.')
    .replace(/^client\./, 'cli.');
}

/** `2026-01-14 09:45Z` style short UTC, or `-`. */
export function shortUtc(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  const iso = isoUtc(ms)!;
  return `${iso.slice(5, 10)} ${iso.slice(11, 16)}Z`;
}

/** `09:45:03Z`, or `-`. */
export function clockUtc(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  return `${isoUtc(ms)!.slice(11, 19)}Z`;
}

/** Bytes as `12.3 MB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
