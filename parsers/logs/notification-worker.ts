/**
 * CMGatewayNotificationWorker.log (service connection point): device actions from the admin center.
 *
 *   Received new notification. Validating basic notification details...
 *   Validating device action message content...
 *   Authorized to perform client action. TemplateID: RequestMachinePolicy TenantId: <guid> AADUserID:   <guid>
 *   Unauthorized to perform client action. TemplateID: … TenantId: … AADUserID: …
 *   Forwarded BGB remote task. TemplateID: 1 TaskGuid: <guid> TaskParam: TargetDeviceIDs: 1
 *   Error occured when process notification with notification Id <guid>. Ignore the notification.
 */
import type { TimelineEvent } from '../types.js';
import { actionForTemplate, scriptGuidFromTaskParam } from './actions.js';
import { makeEvent, type LineInput, type LinePart } from './event.js';
import { holds } from './guard.js';
import { idValue, kvReader, orNull } from './text.js';

const RECEIVED_RE = /\bReceived\s+(?:a\s+)?new\s+notification\b/i;
const VALIDATING_RE = /\bValidating\s+(?:the\s+)?device\s+action\s+message\s+content\b/i;
const AUTH_RE = /(?<![A-Za-z])(un|not\s+)?authori[sz]ed\s+to\s+perform\s+(?:the\s+)?client\s+action\b(.*)$/i;
const FORWARDED_RE = /\bForwarded\s+(?:the\s+)?BGB\s+remote\s+task\b(.*)$/i;
const DROPPED_RE =
  /\bError\s+occur+ed\s+(?:when|while)\s+process(?:ing)?\s+(?:the\s+)?notification\b(?:\s+with\s+notification\s*Id\s*[:=]?\s*\{?([^\s{},;]+?)\}?(?=[.,;]?(?:\s|$)))?/i;

/**
 * A piece of a word each regex above needs (guard.ts), as one scan: Received, Validating,
 * perform, Forwarded, when/while. Most lines hold none.
 */
const NOTIFICATION_WORDS = /ved|vali|form|warded|wh/i;

const authKv = kvReader({ templateId: 'Template\\s*ID', tenantId: 'Tenant\\s*ID', aadUserId: 'AAD\\s*User\\s*ID' });
const forwardKv = kvReader({
  templateId: 'Template\\s*ID',
  taskGuid: 'Task\\s*GUID',
  taskParam: 'Task\\s*Param',
  targetDeviceIds: 'Target\\s*Device\\s*IDs?',
});

export function createNotificationWorkerPart(): LinePart {
  return {
    pure: true,
    line(input: LineInput, out: TimelineEvent[]): void {
      const { record, text } = input;
      if (!holds(NOTIFICATION_WORDS, text)) return;

      if (RECEIVED_RE.test(text)) {
        out.push(makeEvent(record, 'notification.received', 'info', 'Received new notification', {}));
      }
      if (VALIDATING_RE.test(text)) {
        out.push(makeEvent(record, 'notification.validating', 'info', 'Validating device action message content', {}));
      }

      const auth = AUTH_RE.exec(text);
      if (auth) {
        const kv = authKv(auth[2] ?? '');
        const templateId = idValue(kv.templateId);
        const action = actionForTemplate(templateId);
        const tenantId = idValue(kv.tenantId);
        const aadUserId = idValue(kv.aadUserId);
        const denied = auth[1] !== undefined;
        out.push(
          makeEvent(
            record,
            denied ? 'action.unauthorized' : 'action.authorized',
            denied ? 'error' : 'info',
            `${denied ? 'Unauthorized' : 'Authorized'} to perform ${action ?? 'client action'}${aadUserId ? ` (user ${aadUserId})` : ''}`,
            { templateId, action, tenantId, aadUserId },
          ),
        );
      }

      const fwd = FORWARDED_RE.exec(text);
      if (fwd) {
        const kv = forwardKv(fwd[1] ?? '');
        const templateId = idValue(kv.templateId);
        const taskGuid = idValue(kv.taskGuid);
        const taskParam = kv.taskParam === undefined ? null : (kv.taskParam.split(/\s+/)[0] ?? '');
        const targetDeviceIds = orNull(kv.targetDeviceIds);
        const scriptGuid = scriptGuidFromTaskParam(taskParam);
        const action = actionForTemplate(templateId);
        out.push(
          makeEvent(
            record,
            'action.forwarded',
            'info',
            `Forwarded ${action ?? 'BGB remote task'}${taskGuid ? ` (TaskGuid ${taskGuid})` : ''}${targetDeviceIds ? ` to devices ${targetDeviceIds}` : ''}`,
            { templateId, action, taskGuid, taskParam, targetDeviceIds, scriptGuid },
          ),
        );
      }

      const dropped = DROPPED_RE.exec(text);
      if (dropped) {
        const notificationId = dropped[1] ?? null;
        out.push(
          makeEvent(
            record,
            'notification.dropped',
            'error',
            notificationId ? `Notification ${notificationId} dropped after an error` : 'Notification dropped after an error',
            { notificationId },
          ),
        );
      }
    },
  };
}
