/**
 * SMS_AZUREAD_DISCOVERY_AGENT.log (site server): Entra app secret and discovery failures.
 *
 *   Could not obtain application secret for tenant xxxxx. If this is after a site expansion, please run "Renew Secret Key" from admin console.
 *   ERROR: Encountered SqlException The conversion of a nvarchar data type to a datetime data type resulted in an out-of-range value.
 *   ERROR: Group full sync request failed. Exception: System.NullReferenceException: …
 */
import type { TimelineEvent } from '../types.js';
import { makeEvent, type LineInput, type LinePart } from './event.js';
import { clip } from './text.js';

const SECRET_RE =
  /\bCould\s+not\s+(?:obtain|get|retrieve|read)\s+(?:the\s+)?application\s+secret\s+for\s+(?:the\s+)?tenant\b\s*:?\s*['"]?([^\s'"]+?)['"]?[.,;]?(?=\s|$)/i;
const DATETIME_RE =
  /conversion\s+of\s+an?\s+n?varchar\s+data\s*type\s+to\s+an?\s+datetime\s+data\s*type\s+resulted\s+in\s+an\s+out[\s-]*of[\s-]*range\s+value/i;
const GROUP_SYNC_RE = /\bGroup\s+(?:full\s+|delta\s+)?sync(?:hroni[sz]ation)?\s+request\s+failed\b/i;
/** Any other `ERROR:` line (an AADSTS code on it is common.ts's aad.error instead). */
const OTHER_RE = /^\s*ERROR\s*:\s*(.*)$/i;

export function createAadDiscoveryPart(): LinePart {
  return {
    pure: true,
    line(input: LineInput, out: TimelineEvent[]): void {
      const { record, text } = input;
      const secret = SECRET_RE.exec(text);
      if (secret) {
        const tenant = secret[1] ?? null;
        out.push(
          makeEvent(record, 'aad.secret-unavailable', 'error', `Could not obtain the application secret for tenant ${tenant ?? '?'}`, {
            tenant,
          }),
        );
      }
      let typed = false;
      if (DATETIME_RE.test(text)) {
        typed = true;
        out.push(
          makeEvent(record, 'aad-discovery.error', 'error', 'Entra discovery: nvarchar→datetime out-of-range (locale bug, fixed in 2203 UR)', {
            type: 'sql-datetime',
            message: null,
          }),
        );
      }
      if (GROUP_SYNC_RE.test(text)) {
        typed = true;
        out.push(makeEvent(record, 'aad-discovery.error', 'error', 'Entra discovery: group full sync request failed', { type: 'group-sync', message: null }));
      }
      const other = OTHER_RE.exec(text);
      if (other && !typed && !secret && !/AADSTS\d/i.test(text)) {
        const message = (other[1] ?? '').trim() || null;
        out.push(makeEvent(record, 'aad-discovery.error', 'error', message ? `Entra discovery: ${clip(message, 160)}` : 'Entra discovery error', { type: 'other', message }));
      }
    },
  };
}
