/**
 * Gateway calls, written alike by every service connection point worker
 * (CMGatewaySyncUploadWorker, CMGatewayNotificationWorker, GenericUploadWorker, ...):
 *
 *   [OnboardScenario] Creating web request to: https://…/api/gateway/AccountOnboardingInfo Method: POST Activity ID: <guid> Timeout: 00:02:00
 *   [UploadDelta_HelpdeskUpload] Response from https://…/api/gateway/DevicePost is: 401 (Unauthorized)
 *   Response status code: 400 (BadRequest) Activity ID: <guid>
 *   [WebException]: Failed to upload data to 'https://…/api/gateway/DevicePost'
 *   Web exception when getting new notification
 *   Response in the web exception: {"Message":"An error has occurred."}
 */
import type { TimelineEvent } from '../types.js';
import { makeEvent, statusSeverity, type LineInput, type LinePart } from './event.js';
import { clip, stripBraces, urlParts } from './text.js';

const REQUEST_RE = /(?:\[\s*([^[\]]*?)\s*\]\s*:?\s*)?Creating\s+(?:a\s+|the\s+)?web\s*request\s+(?:to|for)\s*:?\s*(\S+)(.*)$/i;
const RESPONSE_RE =
  /(?:\[\s*([^[\]]*?)\s*\]\s*:?\s*)?Response\s+from\s+(\S+)\s+(?:is|was)\s*:?\s*(\d{3})(?![\d.:])(?:\s*\(\s*([^()]*?)\s*\))?/i;
const STATUS_RE = /Response\s+status\s*code\s*(?:is)?\s*[:=]?\s*(\d{3})(?![\d.:])(?:\s*\(\s*([^()]*?)\s*\))?(.*)$/i;
const UPLOAD_FAILED_RE = /Failed\s+to\s+upload\s+(?:the\s+)?data\s+to\s*:?\s*['"]?([^'"\s]+)/i;
const WEB_EXCEPTION_RE = /Web\s+exception\s+(?:when|while)\s+getting\s+(?:the\s+)?new\s+notifications?\b\s*[.:,]*\s*(.*)$/i;
const RESPONSE_IN_RE = /Response\s+in\s+the\s+web\s+exception\s*:?\s*(.*)$/i;

const METHOD_RE = /\bMethod\s*[:=]\s*([A-Za-z]+)/i;
const ACTIVITY_RE = /\bActivity\s*ID\s*[:=]\s*([^\s,;]+)/i;
const TIMEOUT_RE = /\bTimeout\s*[:=]\s*(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.\d+)?/i;

function activityId(rest: string): string | null {
  const m = ACTIVITY_RE.exec(rest);
  if (!m?.[1]) return null;
  const id = stripBraces(m[1].replace(/[.,;]+$/, ''));
  return id === '' ? null : id;
}

function timeoutSec(rest: string): number | null {
  const m = TIMEOUT_RE.exec(rest);
  if (!m) return null;
  return Number(m[1] ?? '0') * 86_400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

function scenarioOf(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

export function createGatewayPart(): LinePart {
  return {
    line(input: LineInput, out: TimelineEvent[]): void {
      const { record, text } = input;

      const req = REQUEST_RE.exec(text);
      if (req) {
        const { url, host, endpoint } = urlParts(req[2] ?? '');
        const rest = req[3] ?? '';
        const method = METHOD_RE.exec(rest)?.[1]?.toUpperCase() ?? null;
        const scenario = scenarioOf(req[1]);
        out.push(
          makeEvent(
            record,
            'gateway.request',
            'info',
            `${method ?? 'Request'} ${endpoint ?? url}${scenario ? ` (${scenario})` : ''}`,
            { scenario, url, endpoint, host, method, activityId: activityId(rest), timeoutSec: timeoutSec(rest) },
          ),
        );
        return;
      }

      const res = RESPONSE_RE.exec(text);
      if (res) {
        const { url, host, endpoint } = urlParts(res[2] ?? '');
        const status = Number(res[3]);
        const reason = res[4] === undefined || res[4] === '' ? null : res[4];
        out.push(
          makeEvent(
            record,
            'gateway.response',
            statusSeverity(status),
            `${endpoint ?? url} answered ${status}${reason ? ` (${reason})` : ''}`,
            { scenario: scenarioOf(res[1]), url, endpoint, host, status, reason },
          ),
        );
      }

      const st = STATUS_RE.exec(text);
      if (st) {
        const status = Number(st[1]);
        const reason = st[2] === undefined || st[2] === '' ? null : st[2];
        out.push(
          makeEvent(record, 'gateway.status', statusSeverity(status), `Response status code ${status}${reason ? ` (${reason})` : ''}`, {
            status,
            reason,
            activityId: activityId(st[3] ?? ''),
          }),
        );
      }

      const failed = UPLOAD_FAILED_RE.exec(text);
      if (failed) {
        const { url, host, endpoint } = urlParts(failed[1] ?? '');
        out.push(makeEvent(record, 'gateway.upload-failed', 'error', `Failed to upload data to ${endpoint ?? url}`, { url, endpoint, host }));
      }

      const web = WEB_EXCEPTION_RE.exec(text);
      const inside = RESPONSE_IN_RE.exec(text);
      if (web) {
        const detail = (web[1] ?? '').trim() || null;
        out.push(
          makeEvent(record, 'gateway.web-exception', 'error', 'Web exception when getting new notification', {
            detail: inside ? (inside[1] ?? '').trim() || null : detail,
          }),
        );
      } else if (inside && !input.inException) {
        // Inside an exception block the response body is the block's `response` field.
        const detail = (inside[1] ?? '').trim() || null;
        out.push(
          makeEvent(record, 'gateway.web-exception', 'error', detail ? `Response in the web exception: ${clip(detail, 160)}` : 'Response in the web exception', {
            detail,
          }),
        );
      }
    },
  };
}
