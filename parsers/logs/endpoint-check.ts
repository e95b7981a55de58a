/**
 * EndpointConnectivityCheckWorker.log (service connection point, 2010+) and the
 * SMS_SERVICE_CONNECTOR status messages 11410/11411/11412.
 *
 * No line of this log is documented, only what a check reports: a failure on
 * `Network connection timeout`, `SSL/TLS failure` or an unexpected status (407, 408, 426, 451,
 * 502, 511, 598, 599), and the summary status messages. So this matcher is deliberately loose:
 * a line naming a URL (or one of those failure phrases) plus a status or a failure/success word
 * is one endpoint check. Gateway request lines (`Creating web request to: … Timeout: 00:02:00`)
 * are not checks.
 */
import type { Severity, TimelineEvent } from '../types.js';
import { makeEvent, type LineInput, type LinePart } from './event.js';
import { URL_RE, URL_RE_G, findHttpStatuses, urlParts } from './text.js';

/** Status codes the SCP docs name for endpoint checks, with their documented meaning. */
const CHECK_CODES: Readonly<Record<number, string>> = {
  407: 'Proxy authentication required',
  408: 'Request timeout',
  426: 'Upgrade required',
  451: 'Unavailable for legal reasons',
  502: 'Bad gateway',
  511: 'Network authentication required',
  598: 'Network read timeout',
  599: 'Network connection timeout',
};

const PHRASES: readonly { re: RegExp; reason: string; timeout: boolean }[] = [
  { re: /\bNetwork\s+connect(?:ion)?\s+time\s*-?\s*out\b/i, reason: 'Network connection timeout', timeout: true },
  { re: /\bNetwork\s+read\s+time\s*-?\s*out\b/i, reason: 'Network read timeout', timeout: true },
  { re: /\bSSL\s*\/\s*TLS\s+failure\b|\b(?:SSL|TLS)\s+(?:handshake\s+)?fail(?:ed|ure)\b/i, reason: 'SSL/TLS failure', timeout: false },
];

const REQUEST_LINE_RE = /Creating\s+(?:a\s+|the\s+)?web\s*request/i;
const KNOWN_CODE_RE = /(?<![\d.:/\\-])(200|204|407|408|426|451|502|511|598|599)(?![\d.:])/;
const FAIL_RE =
  /\b(?:fail(?:ed|ure|s)?|error|unable|could\s+not|cannot|can't|timed?\s*-?\s*out|unreachable|not\s+reachable|blocked|denied|refused|exception)\b/i;
const TIMEOUT_RE = /\btimed?\s*-?\s*out\b/i;
const OK_RE = /\b(?:succeed(?:ed|s)?|success(?:ful(?:ly)?)?|passed|reachable)\b/i;

const SUMMARY_TEXTS: readonly { re: RegExp; id: number }[] = [
  { re: /\bAll\s+checks\s+(?:are|were)\s+successful\b/i, id: 11410 },
  { re: /\bOne\s+or\s+more\s+non[\s-]*critical\s+failures?\s+(?:has\s+|have\s+)?occurred\b/i, id: 11411 },
  { re: /\bOne\s+or\s+more\s+critical\s+failures?\s+(?:has\s+|have\s+)?occurred\b/i, id: 11412 },
];
const SUMMARY_ID_RE = /(?<![\d.])(1141[012])(?![\d.])/;
const LEVELS: Readonly<Record<number, { level: 'ok' | 'warning' | 'error'; severity: Severity; text: string }>> = {
  11410: { level: 'ok', severity: 'info', text: 'All checks are successful' },
  11411: { level: 'warning', severity: 'warning', text: 'One or more non-critical failures occurred' },
  11412: { level: 'error', severity: 'error', text: 'One or more critical failures occurred' },
};

export function createEndpointCheckPart(): LinePart {
  return {
    pure: true,
    line(input: LineInput, out: TimelineEvent[]): void {
      const { record, text } = input;

      const idMatch = SUMMARY_ID_RE.exec(text);
      const statusId = idMatch ? Number(idMatch[1]) : (SUMMARY_TEXTS.find((s) => s.re.test(text))?.id ?? null);
      const level = statusId === null ? undefined : LEVELS[statusId];
      if (statusId !== null && level) {
        out.push(makeEvent(record, 'connectivity.summary', level.severity, `Endpoint checks: ${level.text} (${statusId})`, {
          statusId,
          level: level.level,
        }));
        return;
      }

      if (REQUEST_LINE_RE.test(text)) return;
      const urlMatch = URL_RE.exec(text);
      const url = urlMatch ? urlParts(urlMatch[0]).url : null;
      const rest = text.replace(URL_RE_G, ' ');
      const phrase = PHRASES.find((p) => p.re.test(rest));
      if (url === null && phrase === undefined) return;

      const hit = findHttpStatuses(rest)[0];
      const known = KNOWN_CODE_RE.exec(rest);
      const status = hit?.status ?? (known ? Number(known[1]) : null);

      let ok: boolean;
      let reason: string | null = null;
      let severity: Severity;
      if (status !== null) {
        ok = status < 400;
        reason = hit?.reason ?? phrase?.reason ?? CHECK_CODES[status] ?? null;
        severity = ok ? 'info' : 'error';
      } else if (phrase) {
        ok = false;
        reason = phrase.reason;
        severity = phrase.timeout ? 'warning' : 'error';
      } else if (FAIL_RE.test(rest)) {
        ok = false;
        severity = TIMEOUT_RE.test(rest) ? 'warning' : 'error';
      } else if (OK_RE.test(rest)) {
        ok = true;
        severity = 'info';
      } else {
        return;
      }
      const target = url === null ? 'endpoint' : (urlParts(url).host ?? url);
      const summary = ok
        ? `Endpoint check passed: ${target}${status !== null ? ` (${status})` : ''}`
        : `Endpoint check failed: ${target}${status !== null ? ` ${status}` : ''}${reason ? ` (${reason})` : ''}`;
      out.push(makeEvent(record, 'connectivity.check', severity, summary, { url, ok, status, reason }));
    },
  };
}
