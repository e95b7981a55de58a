/**
 * CcmNotificationAgent.log (client): BGB tasks received and answered.
 *
 *   Receive task from server with pushid=7, taskid=8, taskguid=<guid>, tasktype=1 and taskParam=
 *   Send Task response message <BgbResponseMessage TimeStamp="2020-01-21T15:43:43Z"><PushID>8</PushID><TaskID>9</TaskID><ReturnCode>1</ReturnCode></BgbResponseMessage> successfully.
 *
 * The response carries no TaskGuid. The extractor remembers the tasks it received and gives the
 * response the guid of the task with the same PushID+TaskID, else of the most recent task still
 * unanswered (the documented samples have mismatched IDs).
 */
import type { TimelineEvent } from '../types.js';
import { actionForTaskType, scriptGuidFromTaskParam } from './actions.js';
import { makeEvent, type LineInput, type LinePart } from './event.js';
import { idValue, kvReader, toInt } from './text.js';
import { isoUtcMs } from '../formats/time.js';

const RECEIVE_RE = /\bReceived?\s+(?:a\s+)?task\s+from\s+(?:the\s+)?server\s+with\b(.*)$/i;
const RESPONSE_RE = /\bSend(?:ing)?\s+task\s+response\s+message\b(.*)$/i;
const TIMESTAMP_RE = /TimeStamp\s*=\s*\\?["']?([^"'\\>\s]+)/i;
const PUSH_RE = /<\s*PushID\s*>\s*(-?\d{1,12})\s*</i;
const TASK_RE = /<\s*TaskID\s*>\s*(-?\d{1,12})\s*</i;
const RETURN_RE = /<\s*ReturnCode\s*>\s*(-?\d{1,12}|0x[0-9A-Fa-f]{1,8})\s*</i;

const receiveKv = kvReader({
  pushId: 'push\\s*id',
  taskId: 'task\\s*id',
  taskGuid: 'task\\s*guid',
  taskType: 'task\\s*type',
  taskParam: 'task\\s*param',
});

interface Received {
  pushId: number | null;
  taskId: number | null;
  taskGuid: string;
  answered: boolean;
}

/** Tasks remembered for response correlation (oldest dropped first). */
const MAX_REMEMBERED = 512;

function returnCode(text: string | undefined): number | null {
  if (text === undefined) return null;
  if (/^0x/i.test(text)) return Number.parseInt(text.slice(2), 16);
  return toInt(text);
}

export function createCcmNotificationAgentPart(): LinePart {
  const received: Received[] = [];

  function correlate(pushId: number | null, taskId: number | null): string | null {
    let match: Received | undefined;
    if (pushId !== null && taskId !== null) {
      for (let i = received.length - 1; i >= 0 && !match; i--) {
        const r = received[i];
        if (r && r.pushId === pushId && r.taskId === taskId) match = r;
      }
    }
    for (let i = received.length - 1; i >= 0 && !match; i--) {
      const r = received[i];
      if (r && !r.answered) match = r;
    }
    if (!match) return null;
    match.answered = true;
    return match.taskGuid;
  }

  return {
    // Oldest first, as correlate() searches them (newest first) and drops them (oldest first).
    syncState: () =>
      received.length === 0
        ? null
        : received.map((r) => ({ pushId: r.pushId, taskId: r.taskId, taskGuid: r.taskGuid, answered: r.answered })),
    line(input: LineInput, out: TimelineEvent[]): void {
      const { record, text } = input;

      const rec = RECEIVE_RE.exec(text);
      if (rec) {
        const kv = receiveKv(rec[1] ?? '');
        const pushId = toInt(kv.pushId);
        const taskId = toInt(kv.taskId);
        const taskGuid = idValue(kv.taskGuid);
        const taskType = toInt(kv.taskType);
        const scriptGuid = scriptGuidFromTaskParam(kv.taskParam ?? null);
        const action = actionForTaskType(taskType, scriptGuid);
        if (taskGuid !== null) {
          received.push({ pushId, taskId, taskGuid, answered: false });
          if (received.length > MAX_REMEMBERED) received.shift();
        }
        out.push(
          makeEvent(record, 'client.task-received', 'info', `Received ${action ?? 'task'}${taskGuid ? ` (TaskGuid ${taskGuid})` : ''}`, {
            pushId,
            taskId,
            taskGuid,
            taskType,
            action,
            scriptGuid,
          }),
        );
      }

      const res = RESPONSE_RE.exec(text);
      if (res) {
        const body = res[1] ?? '';
        const pushId = toInt(PUSH_RE.exec(body)?.[1]);
        const taskId = toInt(TASK_RE.exec(body)?.[1]);
        const code = returnCode(RETURN_RE.exec(body)?.[1]);
        const stamp = TIMESTAMP_RE.exec(body)?.[1];
        const responseUtcMs = stamp === undefined ? null : isoUtcMs(stamp);
        const taskGuid = correlate(pushId, taskId);
        out.push(
          makeEvent(
            record,
            'client.task-response',
            'info',
            `Sent task response${code === null ? '' : ` (ReturnCode ${code})`}${taskGuid ? ` for TaskGuid ${taskGuid}` : ''}`,
            { pushId, taskId, returnCode: code, responseUtcMs, taskGuid },
          ),
        );
      }
    },
  };
}
