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
import { holds, usual } from './guard.js';
import { clip, memoize, stripBraces, urlParts } from './text.js';

const REQUEST_RE = /(?:\[\s*([^[\]]*?)\s*\]\s*:?\s*)?Creating\s+(?:a\s+|the\s+)?web\s*request\s+(?:to|for)\s*:?\s*(\S+)(.*)$/i;
const RESPONSE_RE =
  /(?:\[\s*([^[\]]*?)\s*\]\s*:?\s*)?Response\s+from\s+(\S+)\s+(?:is|was)\s*:?\s*(\d{3})(?![\d.:])(?:\s*\(\s*([^()]*?)\s*\))?/i;
const STATUS_RE = /Response\s+status\s*code\s*(?:is)?\s*[:=]?\s*(\d{3})(?![\d.:])(?:\s*\(\s*([^()]*?)\s*\))?(.*)$/i;
const UPLOAD_FAILED_RE = /Failed\s+to\s+upload\s+(?:the\s+)?data\s+to\s*:?\s*['"]?([^'"\s]+)/i;
const WEB_EXCEPTION_RE = /Web\s+exception\s+(?:when|while)\s+getting\s+(?:the\s+)?new\s+notifications?\b\s*[.:,]*\s*(.*)$/i;
const RESPONSE_IN_RE = /Response\s+in\s+the\s+web\s+exception\s*:?\s*(.*)$/i;

/**
 * Words the regexes above need (guard.ts). REQUEST_RE and RESPONSE_RE scan slowly (a leading
 * optional group). The five after REQUEST_RE need Response, upload or exception: pieces of them
 * in one scan, as most lines hold none.
 */
const REQUEST_NEEDS = /creating/i;
const OTHER_WORDS = /pons|pload|xcep/i;
const RESPONSE_NEEDS = /response/i;

/**
 * A request line as the service connection point writes it, in one anchored case-sensitive scan
 * (the tolerant reading, REQUEST_RE and then METHOD_RE, ACTIVITY_RE and TIMEOUT_RE on the rest,
 * costs ~1 µs on every poll): the values are the ones the tolerant reading takes.
 */
const USUAL_REQUEST_RE = /^\[([^[\]\s]+)\] Creating web request to: (https?:\/\/\S+) Method: ([A-Z]+) Activity ID: ([0-9A-Fa-f-]{36}) Timeout: (\d\d):(\d\d):(\d\d)$/;

const METHOD_RE = /\bMethod\s*[:=]\s*([A-Za-z]+)/i;
const ACTIVITY_RE = /\bActivity\s*ID\s*[:=]\s*([^\s,;]+)/i;
const TIMEOUT_RE = /\bTimeout\s*[:=]\s*(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.\d+)?/i;

function activityId(rest: string): string | null {
  const m = ACTIVITY_RE.exec(rest);
  if (!m?.[1]) return null;
  // The value holds no `,` or `;` (ACTIVITY_RE stops there): only a final `.` can be trimmed.
  const id = stripBraces(m[1].endsWith('.') ? m[1].replace(/[.,;]+$/, '') : m[1]);
  return id === '' ? null : id;
}

function timeoutSec(rest: string): number | null {
  const m = TIMEOUT_RE.exec(rest);
  if (!m) return null;
  const days = m[1] === undefined ? 0 : Number(m[1]);
  return days * 86_400 + digits(m[2] ?? '0') * 3600 + digits(m[3] ?? '0') * 60 + digits(m[4] ?? '0');
}

/**
 * The value of one or two ASCII digits. Number() parses `00`-style text (not an array index) on a
 * slow path, and every request line has three such fields.
 */
function digits(text: string): number {
  const high = text.charCodeAt(0) - 48;
  return text.length === 1 ? high : high * 10 + text.charCodeAt(1) - 48;
}

function scenarioOf(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

export function createGatewayPart(): LinePart {
  // Every poll names the same URL.
  const urlOf = memoize(urlParts);
  return {
    pure: true,
    line(input: LineInput, out: TimelineEvent[]): void {
      const { record, text } = input;

      const usualReq = text.charCodeAt(0) === 91 ? usual(USUAL_REQUEST_RE, text) : null; // [
      if (usualReq) {
        const { url, host, endpoint } = urlOf(usualReq[2]!);
        const method = usualReq[3]!;
        const scenario = usualReq[1]!;
        const timeoutSec = digits(usualReq[5]!) * 3600 + digits(usualReq[6]!) * 60 + digits(usualReq[7]!);
        out.push(
          makeEvent(record, 'gateway.request', 'info', `${method} ${endpoint ?? url} (${scenario})`, {
            scenario, url, endpoint, host, method, activityId: usualReq[4]!, timeoutSec,
          }),
        );
        return;
      }
      const req = holds(REQUEST_NEEDS, text) ? REQUEST_RE.exec(text) : null;
      if (req) {
        const { url, host, endpoint } = urlOf(req[2] ?? '');
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
      if (!holds(OTHER_WORDS, text)) return;

      const response = holds(RESPONSE_NEEDS, text);
      const res = response ? RESPONSE_RE.exec(text) : null;
      if (res) {
        const { url, host, endpoint } = urlOf(res[2] ?? '');
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

      const st = response ? STATUS_RE.exec(text) : null;
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
        const { url, host, endpoint } = urlOf(failed[1] ?? '');
        out.push(makeEvent(record, 'gateway.upload-failed', 'error', `Failed to upload data to ${endpoint ?? url}`, { url, endpoint, host }));
      }

      const web = WEB_EXCEPTION_RE.exec(text);
      const inside = response ? RESPONSE_IN_RE.exec(text) : null;
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
