import type { Severity, SeveritySource } from '../types.js';
import { severityFromText } from './severity.js';

export interface PlainFields {
  message: string;
  localText: string | null;
  localMs: number | null;
  bias: number | null;
  component: string;
  thread: string;
  severity: Severity;
  severitySource: SeveritySource;
  problems: string[];
}

/**
 * A line with no ConfigMgr framing (text copied from a viewer or a KB article). It still becomes
 * a record so extractors can read it: no time is invented, severity comes from the text.
 * CMTrace's "copy" puts the component after a tab (`message<TAB>SMS_SERVICE_CONNECTOR_X`): keep it.
 */
export function parsePlainLine(line: string): PlainFields {
  let message = line;
  let component = '';
  const tab = line.indexOf('\t');
  if (tab > 0) {
    const fields = line.split('\t');
    const second = (fields[1] ?? '').trim();
    if (/^[A-Za-z][\w.-]{1,80}$/.test(second)) {
      message = fields[0]!.trimEnd();
      component = second;
    }
  }
  const { severity, source } = severityFromText(message);
  return { message, localText: null, localMs: null, bias: null, component, thread: '', severity, severitySource: source, problems: [] };
}
