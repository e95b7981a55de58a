/**
 * AdminService.log / SMS_REST_PROVIDER.log / SMSProv.log (SMS Provider):
 *
 *   System.Data.Entity.Core.EntityCommandExecutionException: An error occurred while executing the command definition. …
 *   System.Data.SqlClient.SqlException: Execution Timeout Expired.  The timeout period elapsed prior to completion …
 *   System.ComponentModel.Win32Exception: The wait operation timed out
 *     → one adminservice.error {type: 'sql-timeout'} per exception chain
 *   System.Security.SecurityException → adminservice.error {type: 'security-exception'}
 *   HTTP 4xx/5xx answered by the provider (`Error 403 forbidden`, `error code: 500 internal server error`,
 *   `(500) Internal Server Error`, `StatusCode: 403`) → provider.http-error
 *
 * An exception chain (one .NET exception printed over several lines, with `--->` inner exceptions
 * and `at …` frames) states a type once; a line that is not part of a chain ends it.
 */
import type { TimelineEvent } from '../types.js';
import { makeEvent, type LineInput, type LinePart } from './event.js';
import { STACK_LINE_RE, clip, findHttpErrors, inlineStackStart } from './text.js';

const SQL_TIMEOUT_RE = /Execution\s+Timeout\s+Expired|wait\s+operation\s+timed\s+out/i;
const SECURITY_RE = /System\.Security\.SecurityException\b\s*:?\s*(.*)$/i;
const CHAIN_RE = /Exception\b|timed\s+out|Timeout\s+Expired|^\s*-{2,3}/i;

export function createAdminServicePart(): LinePart {
  const chain = new Set<string>();
  return {
    // Only membership is ever read: the set, sorted.
    syncState: () => (chain.size === 0 ? null : [...chain].sort()),
    line(input: LineInput, out: TimelineEvent[]): void {
      const { record, text } = input;
      const inChain = STACK_LINE_RE.test(text) || CHAIN_RE.test(text);
      if (!inChain) chain.clear();
      // The outermost exception of the trio starts a new chain.
      if (/EntityCommandExecutionException/i.test(text)) chain.delete('sql-timeout');

      if (SQL_TIMEOUT_RE.test(text) && !chain.has('sql-timeout')) {
        chain.add('sql-timeout');
        out.push(makeEvent(record, 'adminservice.error', 'error', 'AdminService SQL timeout (Execution Timeout Expired)', {
          type: 'sql-timeout',
          message: null,
        }));
      }

      const security = SECURITY_RE.exec(text);
      if (security && !chain.has('security-exception')) {
        chain.add('security-exception');
        let message = security[1] ?? '';
        const at = inlineStackStart(message);
        if (at >= 0) message = message.slice(0, at);
        message = message.replace(/\s*-{2,3}>.*$/, '').trim();
        out.push(
          makeEvent(record, 'adminservice.error', 'error', message ? `AdminService SecurityException: ${clip(message, 160)}` : 'AdminService SecurityException', {
            type: 'security-exception',
            message: message === '' ? null : message,
          }),
        );
      }

      for (const hit of findHttpErrors(text)) {
        out.push(
          makeEvent(record, 'provider.http-error', 'error', `SMS Provider answered ${hit.status}${hit.reason ? ` (${hit.reason})` : ''}`, {
            status: hit.status,
            reason: hit.reason,
          }),
        );
      }
    },
  };
}
