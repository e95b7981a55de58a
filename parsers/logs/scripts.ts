/**
 * Run Script / CMPivot result path:
 *
 * Scripts.log (client)
 *   Sending script state message (fast): {TaskGuid}
 *   Result are sent for ScriptGuid: 7DC6B6F1-… and TaskID: {TaskGuid}
 *   Sending script state message: <ScriptGuid>            (before 1810)
 * MP_RelayMsgMgr.log (management point)
 *   MessageKey: GUID:<clientGuid>{<TaskGuid>}
 *   Create message succeeded for message id <id> / Add message payload succeeded … / Put message succeeded …
 *   CRelayMsgMgrHandler::HandleMessage(): ExecuteTask() succeeded
 * SMS_MESSAGE_PROCESSING_ENGINE.log (site server)
 *   Processed 2 messages with type Instant. Failed to process 0 messages. All message IDs …
 */
import type { TimelineEvent } from '../types.js';
import { makeEvent, type LineInput, type LinePart } from './event.js';
import { idValue, kvReader, orNull, stripBraces } from './text.js';

export type ScriptsLogKind = 'Scripts' | 'MP_RelayMsgMgr' | 'SMS_MESSAGE_PROCESSING_ENGINE';

const MAX_REMEMBERED = 512;

// Scripts.log
const FAST_RE = /\bSending\s+script\s+state\s+message\s*\(\s*fast\s*\)\s*:?\s*\{?([^\s{}]+?)\}?(?=[.,;]?(?:\s|$))/i;
const LEGACY_RE = /\bSending\s+script\s+state\s+message\s*:\s*\{?([^\s{}]+?)\}?(?=[.,;]?(?:\s|$))/i;
const RESULT_RE = /\bResults?\s+(?:are|is|were|was)\s+sent\s+for\b(.*)$/i;
const resultKv = kvReader({ scriptGuid: 'Script\\s*GUID', taskGuid: 'Task\\s*(?:ID|GUID)' });

function createScriptsLogPart(): LinePart {
  const fast = new Set<string>();
  return {
    // In insertion order: the oldest is the one dropped.
    syncState: () => (fast.size === 0 ? null : [...fast]),
    line(input: LineInput, out: TimelineEvent[]): void {
      const { record, text } = input;
      const f = FAST_RE.exec(text);
      if (f?.[1]) {
        fast.add(stripBraces(f[1]).toLowerCase());
        if (fast.size > MAX_REMEMBERED) {
          const oldest = fast.values().next().value;
          if (oldest !== undefined) fast.delete(oldest);
        }
      } else {
        const legacy = LEGACY_RE.exec(text);
        if (legacy?.[1]) {
          const scriptGuid = stripBraces(legacy[1]);
          out.push(makeEvent(record, 'script.result', 'info', `Script result sent (state message) for script ${scriptGuid}`, {
            taskGuid: null,
            scriptGuid,
            fast: false,
          }));
        }
      }
      const result = RESULT_RE.exec(text);
      if (result) {
        const kv = resultKv(result[1] ?? '');
        const taskGuid = idValue(kv.taskGuid);
        const scriptGuid = idValue(kv.scriptGuid);
        const key = taskGuid?.toLowerCase();
        const wasFast = key !== undefined && fast.has(key);
        if (key !== undefined) fast.delete(key);
        out.push(
          makeEvent(
            record,
            'script.result',
            'info',
            `Script result sent${wasFast ? ' (fast)' : ''}${taskGuid ? ` for TaskID ${taskGuid}` : ''}`,
            { taskGuid, scriptGuid, fast: wasFast },
          ),
        );
      }
    },
  };
}

// MP_RelayMsgMgr.log
const KEY_RE = /\bMessageKey\s*:\s*(?:GUID\s*:\s*)?\{?([0-9A-Fa-f]{8}-[0-9A-Fa-f-]{27,})\}?\s*\{([^{}\s]+)\}/i;
const STEPS: readonly { re: RegExp; step: string }[] = [
  { re: /\bCreate\s+message\s+(succeeded|failed)\b(?:.*?\bmessage\s+id\s*:?\s*([^\s,;]+?)(?=[.,;]?(?:\s|$)))?/i, step: 'create' },
  { re: /\bAdd\s+message\s+payload\s+(succeeded|failed)\b(?:.*?\bmessage\s+id\s*:?\s*([^\s,;]+?)(?=[.,;]?(?:\s|$)))?/i, step: 'add-payload' },
  { re: /\bPut\s+message\s+(succeeded|failed)\b(?:.*?\bmessage\s+id\s*:?\s*([^\s,;]+?)(?=[.,;]?(?:\s|$)))?/i, step: 'put' },
  { re: /\bExecuteTask\s*\(\s*\)\s*(succeeded|failed)\b()/i, step: 'execute-task' },
];

function createRelayPart(): LinePart {
  // The last MessageKey seen per thread: later steps on that thread belong to it.
  const lastKey = new Map<string, { clientGuid: string; taskGuid: string }>();
  return {
    // In insertion order: the oldest is the one dropped.
    syncState: () =>
      lastKey.size === 0 ? null : [...lastKey].map(([thread, k]) => ({ thread, clientGuid: k.clientGuid, taskGuid: k.taskGuid })),
    line(input: LineInput, out: TimelineEvent[]): void {
      const { record, text } = input;
      const key = KEY_RE.exec(text);
      if (key) {
        const clientGuid = key[1] ?? '';
        const taskGuid = stripBraces(key[2] ?? '');
        lastKey.delete(record.thread);
        lastKey.set(record.thread, { clientGuid, taskGuid });
        if (lastKey.size > MAX_REMEMBERED) {
          const oldest = lastKey.keys().next().value;
          if (oldest !== undefined) lastKey.delete(oldest);
        }
        out.push(makeEvent(record, 'relay.message', 'info', `Relay message for TaskGuid ${taskGuid}`, {
          taskGuid,
          clientGuid,
          step: 'message-key',
          messageId: null,
        }));
        return;
      }
      for (const s of STEPS) {
        const m = s.re.exec(text);
        if (!m) continue;
        const failed = (m[1] ?? '').toLowerCase() === 'failed';
        const known = lastKey.get(record.thread);
        const step = failed ? `${s.step}-failed` : s.step;
        out.push(
          makeEvent(record, 'relay.message', failed ? 'error' : 'info', `Relay ${step}${known ? ` for TaskGuid ${known.taskGuid}` : ''}`, {
            taskGuid: known?.taskGuid ?? null,
            clientGuid: known?.clientGuid ?? null,
            step,
            messageId: orNull(m[2]),
          }),
        );
        break;
      }
    },
  };
}

// SMS_MESSAGE_PROCESSING_ENGINE.log
const PROCESSED_RE =
  /\bProcessed\s+(\d{1,12})\s+messages?\s+(?:with|of)\s+type\s+([^\s.,;]+)[.,;]?(?:\s*Failed\s+to\s+process\s+(\d{1,12})\s+messages?)?/i;

function createMpePart(): LinePart {
  return {
    // Keeps nothing.
    syncState: () => null,
    line(input: LineInput, out: TimelineEvent[]): void {
      const { record, text } = input;
      const m = PROCESSED_RE.exec(text);
      if (!m) return;
      const count = Number(m[1]);
      const failed = m[3] === undefined ? null : Number(m[3]);
      const messageType = m[2] ?? null;
      out.push(
        makeEvent(
          record,
          'mpe.processed',
          failed !== null && failed > 0 ? 'error' : 'info',
          `Processed ${count} ${messageType ?? ''} messages${failed === null ? '' : `, ${failed} failed`}`.replace(/\s+/g, ' '),
          { count, failed, messageType },
        ),
      );
    },
  };
}

export function createScriptsPart(kind: ScriptsLogKind): LinePart {
  switch (kind) {
    case 'Scripts':
      return createScriptsLogPart();
    case 'MP_RelayMsgMgr':
      return createRelayPart();
    case 'SMS_MESSAGE_PROCESSING_ENGINE':
      return createMpePart();
  }
}

