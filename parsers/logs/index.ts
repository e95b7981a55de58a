/**
 * Extractors: records of one log kind in, TimelineEvents out. Pure: no I/O, no clock, no globals;
 * each extractor instance keeps only its own state (an open exception block, tasks awaiting a
 * response, ...).
 *
 * An extractor reads every record's message line by line, so an entry gives the same events
 * whether it comes as one multi-line record (CMTrace) or as consecutive records (plain text).
 * For each line the log's own parts run first, then `common` (every log), which skips an HTTP
 * status or HRESULT another event on the same line already states. When every part is pure, a
 * line whose text was read before replays that text's events (memo.ts).
 */
import type { LogRecord, TimelineEvent } from '../types.js';
import { createAadDiscoveryPart } from './aad-discovery.js';
import { createAdminServicePart } from './admin-service.js';
import { createBgbServerPart } from './bgb-server.js';
import { createCcmNotificationAgentPart } from './ccm-notification-agent.js';
import { ExceptionBlocks, createCommonPart } from './common.js';
import { createEndpointCheckPart } from './endpoint-check.js';
import { stateText, type LinePart } from './event.js';
import { createGatewayPart } from './gateway.js';
import { LineMemo } from './memo.js';
import { createNotificationWorkerPart } from './notification-worker.js';
import { createScriptsPart } from './scripts.js';
import { createSyncUploadPart } from './sync-upload.js';
import { MAX_LINE, splitLines } from './text.js';

export interface Extractor {
  /** Events for one record (an exception block still open is held back). */
  feed(record: LogRecord): TimelineEvent[];
  /** Events held back (an open exception block). */
  flush(): TimelineEvent[];
  /**
   * Everything that can change the events of later records, as a canonical string: the open
   * exception block (its anchor, refs, header, tag, message, ...) and the state of the parts that
   * keep one (tasks awaiting a response, last message keys, ...). Two extractors of the same kind
   * whose syncState() strings are equal give deep-equal events for the same following records
   * (and flush()). '' when there is nothing (no open block, no part state); null when a part
   * cannot state its state, so the caller must not rely on a warmed-up extractor. The line memo
   * (memo.ts) is left out: it changes speed only. Called rarely (where a log is split between
   * workers), never per record.
   */
  syncState(): string | null;
}

/** The canonical log kinds, and the parts that read each (common always runs last). */
export const EXTRACTOR_TABLE = {
  CMGatewaySyncUploadWorker: () => [createSyncUploadPart(), createGatewayPart()],
  CMGatewayNotificationWorker: () => [createNotificationWorkerPart(), createGatewayPart()],
  GenericUploadWorker: () => [createGatewayPart()],
  EndpointConnectivityCheckWorker: () => [createEndpointCheckPart(), createGatewayPart()],
  BgbServer: () => [createBgbServerPart()],
  CcmNotificationAgent: () => [createCcmNotificationAgentPart()],
  AdminService: () => [createAdminServicePart()],
  SMS_REST_PROVIDER: () => [createAdminServicePart()],
  SMSProv: () => [createAdminServicePart()],
  SmsAdminUI: () => [],
  SMS_AZUREAD_DISCOVERY_AGENT: () => [createAadDiscoveryPart()],
  Scripts: () => [createScriptsPart('Scripts')],
  MP_RelayMsgMgr: () => [createScriptsPart('MP_RelayMsgMgr')],
  SMS_MESSAGE_PROCESSING_ENGINE: () => [createScriptsPart('SMS_MESSAGE_PROCESSING_ENGINE')],
  generic: () => [createGatewayPart()],
} as const satisfies Record<string, () => LinePart[]>;

export type LogKind = keyof typeof EXTRACTOR_TABLE;

export const LOG_KINDS = Object.keys(EXTRACTOR_TABLE) as LogKind[];

/** The canonical kind for a name (case-insensitive, `.log`/`.lo_` ignored); `generic` if unknown. */
export function canonicalKind(kind: string): LogKind {
  const key = kind.trim().replace(/\.lo[g_]$/i, '').toLowerCase();
  return LOG_KINDS.find((k) => k.toLowerCase() === key) ?? 'generic';
}

/**
 * Whether a kind's extractor keeps no state of its own between records besides an open
 * exception block (every part is pure): a warm-up of a few records then reaches the state a
 * reader from the file's start has, which is what a cut of a parallel scan needs. The others
 * keep tasks or keys for a whole file.
 */
export function keepsOnlyBlocks(kind: string): boolean {
  return EXTRACTOR_TABLE[canonicalKind(kind)]().every((p) => p.pure === true);
}

/** kind = canonical log kind, e.g. 'CMGatewaySyncUploadWorker', or 'generic' for unknown logs. */
export function createExtractor(kind: string): Extractor {
  const parts: LinePart[] = [...EXTRACTOR_TABLE[canonicalKind(kind)](), createCommonPart()];
  const blocks = new ExceptionBlocks();
  const memoizes = parts.every((p) => p.pure === true);
  // Made when lines come, let go at flush(): a folder of thousands of logs read one after the
  // other would otherwise keep a memo of each (up to ~1 MB) to the end.
  let memo: LineMemo | null = null;
  return {
    feed(record: LogRecord): TimelineEvent[] {
      const m = memoizes ? (memo ??= new LineMemo()) : null;
      const events: TimelineEvent[] = [];
      const lines = splitLines(record.message);
      for (let index = 0; index < lines.length; index++) {
        const raw = lines[index] ?? '';
        if (raw.trim() === '') continue;
        const text = raw.length > MAX_LINE ? raw.slice(0, MAX_LINE) : raw;
        const inException = blocks.step(record, text, events);
        // Parts read a line inside an exception block differently: those lines are not memoized.
        const memoHere = m !== null && !inException;
        if (memoHere && m.replay(record, text, events)) continue;
        const lineEvents: TimelineEvent[] = [];
        const input = { record, text, index, inException };
        for (const part of parts) part.line(input, lineEvents);
        if (memoHere) m.keep(record, text, lineEvents);
        for (const e of lineEvents) events.push(e);
      }
      return events;
    },
    flush(): TimelineEvent[] {
      memo = null;
      const events: TimelineEvent[] = [];
      blocks.flush(events);
      for (const part of parts) part.flush?.(events);
      return events;
    },
    syncState(): string | null {
      const partStates: unknown[] = [];
      let held = false;
      for (const part of parts) {
        if (part.pure === true) continue;
        if (part.syncState === undefined) return null;
        const state = part.syncState();
        if (state !== null) held = true;
        partStates.push(state);
      }
      const block = blocks.syncState();
      if (block === null && !held) return '';
      return stateText({ block, parts: partStates });
    },
  };
}

export type { LinePart, LineInput } from './event.js';
