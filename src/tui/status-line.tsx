import { StyledLine } from './styled-line.js';
import { keysLabel } from './keys.js';
import { fitLine, seg, type Line } from './styled.js';
import type { Message, Prompt } from './state.js';

export interface StatusLineProps {
  prompt: Prompt | null;
  message: Message | null;
  width: number;
}

const MESSAGE_COLOR: Record<Message['level'], string | undefined> = { info: 'cyan', warn: 'yellow', error: 'red' };

/** The bottom line as data: the prompt being typed, else the last message, else key hints. */
export function statusLine({ prompt, message, width }: StatusLineProps): Line {
  if (prompt) {
    const hint = prompt.kind === 'filter' ? '   sev:error log:Bgb comp:X text:foo · Enter apply · empty clears · Esc cancel' : '   regex · Enter search · Esc cancel';
    const lead = prompt.kind === 'filter' ? 'filter: ' : '/';
    // Keep the end of a long input visible: cut from the left.
    const room = Math.max(4, width - lead.length - 2);
    const text = [...prompt.text].length > room ? '…' + [...prompt.text].slice(-(room - 1)).join('') : prompt.text;
    return fitLine([seg(lead, { bold: true, color: 'cyan' }), seg(text), seg('█', { color: 'cyan' }), seg(hint, { dim: true })], width);
  }
  if (message) return fitLine([seg(message.text, { color: MESSAGE_COLOR[message.level], bold: message.level !== 'info' })], width);
  const hints: [string, string][] = [
    [keysLabel('help.toggle'), 'help'],
    ['/ n N', 'search'],
    ['f', 'filter'],
    ['e E w W', 'errors/warnings'],
    ['Tab', 'pane'],
    ['Enter', 'open'],
    ['c', 'chain'],
    ['t', 'UTC'],
    ['G', 'follow'],
    ['q', 'quit'],
  ];
  const line: Line = [];
  for (const [k, d] of hints) line.push(seg(k, { bold: true }), seg(` ${d}  `, { dim: true }));
  return fitLine(line, width);
}

/** The status line: prompt, message or key hints. */
export function StatusLine(props: StatusLineProps) {
  return <StyledLine line={statusLine(props)} />;
}
