/**
 * BgbServer.log (management point): pushes of client notification tasks.
 *
 *   Starting to send push task (PushID: 7 TaskID: 8 TaskGUID: <guid> TaskType: 1 TaskParam: ) to 1 clients  with throttling (strategy: 1 param: 42)
 *   Finished sending push task (PushID: 9 TaskID: 12) to 2 clients
 *   Generated BGB task status report c:\…\Bgb5c1db.BTS at 09/16/2019 16:46:39. (PushID: 9 ReportedClients: 2 FailedClients: 0)
 */
import type { TimelineEvent } from '../types.js';
import { actionForTaskType, scriptGuidFromTaskParam } from './actions.js';
import { makeEvent, type LineInput, type LinePart } from './event.js';
import { idValue, kvReader, toInt } from './text.js';
import { US_DATETIME_SRC } from '../formats/time.js';

const START_RE =
  /\bStarting\s+to\s+send\s+(?:the\s+)?push\s+task\s*\(([^()]*)\)\s*to\s+(\d{1,9})\s+clients?\b(?:.*?\bthrottling\s*\(([^()]*)\))?/i;
const FINISH_RE = /\bFinished\s+sending\s+(?:the\s+)?push\s+task\s*\(([^()]*)\)\s*to\s+(\d{1,9})\s+clients?\b/i;
const REPORT_RE = new RegExp(
  String.raw`\bGenerated\s+(?:a\s+)?BGB\s+task\s+status\s+report\s+(.{1,1024}?)\s+at\s+${US_DATETIME_SRC}\s*\.?\s*\(([^()]*)\)`,
  'i',
);

const taskKv = kvReader({
  pushId: 'Push\\s*ID',
  taskId: 'Task\\s*ID',
  taskGuid: 'Task\\s*GUID',
  taskType: 'Task\\s*Type',
  taskParam: 'Task\\s*Param',
});
const throttleKv = kvReader({ strategy: 'strategy', param: 'param' });
const reportKv = kvReader({ pushId: 'Push\\s*ID', reportedClients: 'Reported\\s*Clients', failedClients: 'Failed\\s*Clients' });

export function createBgbServerPart(): LinePart {
  return {
    pure: true,
    line(input: LineInput, out: TimelineEvent[]): void {
      const { record, text } = input;

      const start = START_RE.exec(text);
      if (start) {
        const kv = taskKv(start[1] ?? '');
        const throttle = throttleKv(start[3] ?? '');
        const taskType = toInt(kv.taskType);
        const scriptGuid = scriptGuidFromTaskParam(kv.taskParam ?? null);
        const action = actionForTaskType(taskType, scriptGuid);
        const taskGuid = idValue(kv.taskGuid);
        const clients = Number(start[2]);
        out.push(
          makeEvent(
            record,
            'bgb.push-start',
            'info',
            `Push ${action ?? 'task'}${taskGuid ? ` (TaskGUID ${taskGuid})` : ''} to ${clients} client${clients === 1 ? '' : 's'}`,
            {
              pushId: toInt(kv.pushId),
              taskId: toInt(kv.taskId),
              taskGuid,
              taskType,
              action,
              clients,
              strategy: toInt(throttle.strategy),
              param: toInt(throttle.param),
              scriptGuid,
            },
          ),
        );
      }

      const finish = FINISH_RE.exec(text);
      if (finish) {
        const kv = taskKv(finish[1] ?? '');
        const pushId = toInt(kv.pushId);
        const clients = Number(finish[2]);
        out.push(
          makeEvent(record, 'bgb.push-finish', 'info', `Finished push ${pushId ?? '?'} to ${clients} client${clients === 1 ? '' : 's'}`, {
            pushId,
            taskId: toInt(kv.taskId),
            clients,
          }),
        );
      }

      const report = REPORT_RE.exec(text);
      if (report) {
        const kv = reportKv(report[10] ?? '');
        const pushId = toInt(kv.pushId);
        const reportedClients = toInt(kv.reportedClients);
        const failedClients = toInt(kv.failedClients);
        out.push(
          makeEvent(
            record,
            'bgb.status-report',
            failedClients !== null && failedClients > 0 ? 'warning' : 'info',
            `Task status report for push ${pushId ?? '?'}: ${reportedClients ?? '?'} reported, ${failedClients ?? '?'} failed`,
            { pushId, reportedClients, failedClients, reportPath: (report[1] ?? '').trim() },
          ),
        );
      }
    },
  };
}
