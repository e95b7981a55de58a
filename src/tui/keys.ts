/**
 * Keys are data: every command the UI understands, the keys bound to it and what it does. The
 * help overlay is generated from this table and the one dispatcher (`applyKey` in state.ts) looks
 * keys up here, so a binding changes in one place.
 *
 * Key names: a printable character stands for itself (`j`, `G`, `/`, `?`); special keys have
 * names (`up`, `down`, `pageup`, `pagedown`, `home`, `end`, `space`, `return`, `tab`,
 * `shift+tab`, `escape`, `backspace`, `delete`, `left`, `right`, `ctrl+<letter>`).
 */

export type Command =
  | 'cursor.down'
  | 'cursor.up'
  | 'page.down'
  | 'page.up'
  | 'cursor.top'
  | 'cursor.bottom'
  | 'pane.next'
  | 'pane.prev'
  | 'item.open'
  | 'search.start'
  | 'search.next'
  | 'search.prev'
  | 'filter.start'
  | 'filter.clear'
  | 'error.next'
  | 'error.prev'
  | 'warning.next'
  | 'warning.prev'
  | 'time.toggle'
  | 'chain.show'
  | 'help.toggle'
  | 'overlay.close'
  | 'app.quit';

export interface KeyBinding {
  readonly command: Command;
  /** Key names (see the module comment); the first is the one shown first in help. */
  readonly keys: readonly string[];
  /** One line for the help overlay. */
  readonly description: string;
  readonly group: 'Move' | 'Panes' | 'Find' | 'View';
}

/** The key table. Order = order in the help overlay. */
export const KEY_TABLE: readonly KeyBinding[] = [
  { command: 'cursor.down', keys: ['j', 'down'], description: 'next row / finding / detail line', group: 'Move' },
  { command: 'cursor.up', keys: ['k', 'up'], description: 'previous row / finding / detail line', group: 'Move' },
  { command: 'page.down', keys: ['pagedown', 'space', 'ctrl+f'], description: 'page down', group: 'Move' },
  { command: 'page.up', keys: ['pageup', 'b', 'ctrl+b'], description: 'page up', group: 'Move' },
  { command: 'cursor.top', keys: ['g', 'home'], description: 'first row (stops following)', group: 'Move' },
  { command: 'cursor.bottom', keys: ['G', 'end'], description: 'last row and follow new records', group: 'Move' },
  { command: 'pane.next', keys: ['tab'], description: 'next pane: timeline → findings → detail', group: 'Panes' },
  { command: 'pane.prev', keys: ['shift+tab'], description: 'previous pane', group: 'Panes' },
  { command: 'item.open', keys: ['return'], description: 'open: finding → its evidence (again: next one); row → detail', group: 'Panes' },
  { command: 'chain.show', keys: ['c'], description: 'show the action chain of the selected row', group: 'Panes' },
  { command: 'search.start', keys: ['/'], description: 'search messages (regex; invalid → literal)', group: 'Find' },
  { command: 'search.next', keys: ['n'], description: 'next search match (wraps)', group: 'Find' },
  { command: 'search.prev', keys: ['N'], description: 'previous search match (wraps)', group: 'Find' },
  { command: 'error.next', keys: ['e'], description: 'next error', group: 'Find' },
  { command: 'error.prev', keys: ['E'], description: 'previous error', group: 'Find' },
  { command: 'warning.next', keys: ['w'], description: 'next warning', group: 'Find' },
  { command: 'warning.prev', keys: ['W'], description: 'previous warning', group: 'Find' },
  { command: 'filter.start', keys: ['f'], description: 'filter: sev:error log:Bgb comp:X text:foo -text:bar', group: 'Find' },
  { command: 'filter.clear', keys: ['F'], description: 'clear the filter', group: 'Find' },
  { command: 'time.toggle', keys: ['t'], description: 'times: local as written ↔ UTC', group: 'View' },
  { command: 'help.toggle', keys: ['?'], description: 'this help', group: 'View' },
  { command: 'overlay.close', keys: ['escape'], description: 'close help / chain / message', group: 'View' },
  { command: 'app.quit', keys: ['q', 'ctrl+c'], description: 'quit', group: 'View' },
];

const BY_KEY: ReadonlyMap<string, Command> = new Map(KEY_TABLE.flatMap((b) => b.keys.map((k) => [k, b.command] as const)));

/** The command bound to a key name, if any. */
export function commandFor(key: string): Command | undefined {
  return BY_KEY.get(key);
}

/** The keys of a command, as labels (`j/↓`). */
export function keysLabel(command: Command): string {
  const b = KEY_TABLE.find((x) => x.command === command);
  return b ? b.keys.map(keyLabel).join('/') : '';
}

const LABELS: Record<string, string> = {
  up: '↑', down: '↓', left: '←', right: '→', pageup: 'PgUp', pagedown: 'PgDn', home: 'Home', end: 'End',
  space: 'Space', return: 'Enter', tab: 'Tab', 'shift+tab': 'Shift+Tab', escape: 'Esc', backspace: 'Backspace', delete: 'Del',
};

/** A key name as shown to people: `pagedown` → `PgDn`, `ctrl+c` → `Ctrl+C`. */
export function keyLabel(key: string): string {
  const l = LABELS[key];
  if (l) return l;
  const m = /^ctrl\+(.)$/.exec(key);
  if (m) return `Ctrl+${m[1]!.toUpperCase()}`;
  return key;
}

/** The parts of Ink's `Key` the tokenizer reads (structural, so this module needs no Ink). */
export interface KeyFlags {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  shift?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  meta?: boolean;
}

/**
 * One Ink input event → key names, in order. Ink delivers a run of typed text as ONE event
 * (`jjj`, or `foo\r` when typing fast or pasting), so every character becomes its own key;
 * escape sequences arrive alone with their flag set.
 */
export function tokenize(input: string, key: KeyFlags = {}): string[] {
  if (key.upArrow) return ['up'];
  if (key.downArrow) return ['down'];
  if (key.leftArrow) return ['left'];
  if (key.rightArrow) return ['right'];
  if (key.pageUp) return ['pageup'];
  if (key.pageDown) return ['pagedown'];
  if (key.home) return ['home'];
  if (key.end) return ['end'];
  if (key.tab) return [key.shift ? 'shift+tab' : 'tab'];
  if (key.return) return ['return'];
  if (key.backspace) return ['backspace'];
  if (key.delete) return ['delete'];
  if (key.escape && input === '') return ['escape'];
  if (key.ctrl && input.length === 1 && /[a-z]/i.test(input)) return [`ctrl+${input.toLowerCase()}`];
  const out: string[] = [];
  for (const ch of input) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '\r' || ch === '\n') out.push('return');
    else if (ch === '\t') out.push('tab');
    else if (ch === '\x7f' || ch === '\b') out.push('backspace');
    else if (ch === '\x1b') out.push('escape');
    else if (ch === ' ') out.push('space');
    else if (c < 0x20) out.push(`ctrl+${String.fromCharCode(c + 96)}`);
    else out.push(ch);
  }
  return out;
}
