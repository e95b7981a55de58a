/**
 * The view state of the terminal UI and its one reducer. Pure: no Ink, no React, no clock. The
 * data the reducer needs (how many rows, which are errors, where a finding's evidence is) comes
 * in a `ViewContext` the App builds from the Session each render, so every key can be tested
 * with plain arrays (test/tui/state.test.ts).
 *
 * The cursor indexes the *filtered* timeline. Because the timeline is merged by UTC while files
 * are still being read, rows can be inserted above the cursor: `anchor` (the selected row's seq)
 * keeps the selection on the same record, and `follow` keeps it on the newest one.
 */
import type { Severity } from '../../parsers/types.js';
import { parseFilter, type RowFilter } from './filter.js';
import { commandFor, type Command } from './keys.js';
import type { TimeMode } from './format.js';

export type Pane = 'timeline' | 'findings' | 'detail';
export const PANES: readonly Pane[] = ['timeline', 'findings', 'detail'];

/** Identifies a record across re-sorts: the store's arrival seq, and its time as a fallback. */
export interface Anchor {
  seq: number;
  sortMs: number;
}

export interface SearchState {
  /** What the user typed. */
  source: string;
  regex: RegExp;
  /** True when the text was not a valid regex and is searched literally. */
  literal: boolean;
  /**
   * A jump (n = 1, N = -1) waiting for the background search to reach rows not searched yet;
   * the App retries it as the search moves on (`resumeSearch`). Moving the cursor drops it.
   */
  pending?: 1 | -1;
}

/** Where a search lands: a row (and whether it wrapped), nowhere, or not known yet. */
export type SearchHit = { index: number; wrapped: boolean } | 'pending' | null;

export type Overlay = { kind: 'help'; offset: number } | { kind: 'chain'; chainId: string; cursor: number };

export interface Prompt {
  kind: 'search' | 'filter';
  text: string;
}

export interface Message {
  text: string;
  level: 'info' | 'warn' | 'error';
}

export interface ViewState {
  pane: Pane;
  /** What the detail pane describes: the selected row or the selected finding. */
  detailOf: 'timeline' | 'findings';
  /** Selected row (index into the filtered timeline); see `currentCursor`. */
  cursor: number;
  /** First timeline row on screen. */
  offset: number;
  /** Stick to the newest row as records arrive (tail mode). `G` turns it on, moving up turns it off. */
  follow: boolean;
  anchor: Anchor | null;
  findingCursor: number;
  findingOffset: number;
  /** Which evidence of the selected finding the next Enter opens. */
  evidenceNext: number;
  detailOffset: number;
  search: SearchState | null;
  filter: RowFilter | null;
  timeMode: TimeMode;
  overlay: Overlay | null;
  prompt: Prompt | null;
  message: Message | null;
  quit: boolean;
}

/** Where a finding's evidence (or a chain hop) is in the timeline. */
export interface JumpTarget {
  /** How many evidence lines the finding has (for `n/total`). */
  total: number;
  /** Row in the filtered timeline, or null when not there. */
  row: number | null;
  /** When `row` is null but the record exists (hidden by the filter): its anchor. */
  anchor: Anchor | null;
  /** `SmsAdminUI.log:2` — said in the status line. */
  label: string;
}

/** What the reducer may ask about the data. Built by the App from the Session each render. */
export interface ViewContext {
  /** Rows in the filtered timeline. */
  rowCount: number;
  /** Timeline rows on screen. */
  pageSize: number;
  findingCount: number;
  findingPageSize: number;
  detailLineCount: number;
  detailPageSize: number;
  helpLineCount: number;
  helpPageSize: number;
  severityAt(i: number): Severity;
  /**
   * The next row after `from` in direction `dir` (wrapping) whose message the search matches,
   * or 'pending' when rows on the way have not been searched yet (the text is read from the
   * files in the background).
   */
  findMatch(search: SearchState, from: number, dir: 1 | -1): SearchHit;
  anchorAt(i: number): Anchor | null;
  /** The selected row for a state when rows moved under it (see `resolveCursor`); optional. */
  resolveCursor?(s: ViewState): number;
  /** The n-th evidence of finding f. */
  evidence(finding: number, n: number): JumpTarget | null;
  /** The action chain the row belongs to (by hop, or by a TaskGuid in its message). */
  chainOfRow(i: number): { id: string } | null;
  chainHopCount(chainId: string): number;
  chainHop(chainId: string, hop: number): JumpTarget | null;
}

export function initialState(opts: { follow?: boolean; timeMode?: TimeMode; message?: Message | null } = {}): ViewState {
  return {
    pane: 'timeline',
    detailOf: 'timeline',
    cursor: 0,
    offset: 0,
    follow: opts.follow ?? true,
    anchor: null,
    findingCursor: 0,
    findingOffset: 0,
    evidenceNext: 0,
    detailOffset: 0,
    search: null,
    filter: null,
    timeMode: opts.timeMode ?? 'local',
    overlay: null,
    prompt: null,
    message: opts.message ?? null,
    quit: false,
  };
}

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/** The selected row for a state: the last row when following, else the (anchored) cursor. */
export function currentCursor(s: ViewState, ctx: ViewContext): number {
  if (ctx.rowCount <= 0) return 0;
  if (s.follow) return ctx.rowCount - 1;
  if (ctx.resolveCursor) return clamp(ctx.resolveCursor(s), 0, ctx.rowCount - 1);
  return clamp(s.cursor, 0, ctx.rowCount - 1);
}

/**
 * The first row of a window of `size` rows over `count` rows that shows `cursor`, moving
 * `offset` as little as possible. Used by the reducer and again at render time (the window
 * height changes with the layout).
 */
export function windowStart(cursor: number, offset: number, size: number, count: number): number {
  if (size <= 0 || count <= 0) return 0;
  let o = clamp(offset, 0, Math.max(0, count - size));
  if (cursor < o) o = cursor;
  if (cursor >= o + size) o = cursor - size + 1;
  return Math.max(0, o);
}

/** The offset in effect for a state (bottom of the list when following). */
export function currentOffset(s: ViewState, ctx: ViewContext): number {
  const cur = currentCursor(s, ctx);
  const base = s.follow ? Math.max(0, ctx.rowCount - ctx.pageSize) : s.offset;
  return windowStart(cur, base, ctx.pageSize, ctx.rowCount);
}

function setCursor(s: ViewState, ctx: ViewContext, i: number): ViewState {
  if (ctx.rowCount <= 0) return { ...s, follow: false };
  const cur = currentCursor(s, ctx);
  const c = clamp(i, 0, ctx.rowCount - 1);
  const base = currentOffset(s, ctx);
  return {
    ...s,
    cursor: c,
    offset: windowStart(c, base, ctx.pageSize, ctx.rowCount),
    follow: false,
    anchor: ctx.anchorAt(c),
    detailOffset: c === cur ? s.detailOffset : 0,
  };
}

function follow(s: ViewState, ctx: ViewContext): ViewState {
  const last = Math.max(0, ctx.rowCount - 1);
  return { ...s, follow: true, cursor: last, offset: Math.max(0, ctx.rowCount - ctx.pageSize), anchor: ctx.anchorAt(last), detailOffset: 0 };
}

/**
 * The next row from `from` in direction `dir` (wrapping) that satisfies `pred`; null if none.
 * `wrapped` says the search went past the end (or the start).
 */
export function findFrom(count: number, from: number, dir: 1 | -1, pred: (i: number) => boolean): { index: number; wrapped: boolean } | null {
  if (count <= 0) return null;
  for (let k = 1; k <= count; k++) {
    const raw = from + dir * k;
    const i = ((raw % count) + count) % count;
    if (pred(i)) return { index: i, wrapped: dir > 0 ? raw >= count : raw < 0 };
  }
  return null;
}

function msg(s: ViewState, text: string, level: Message['level'] = 'info'): ViewState {
  return { ...s, message: { text, level } };
}

function jumpTo(s: ViewState, ctx: ViewContext, pred: (i: number) => boolean, dir: 1 | -1, what: string): ViewState {
  const from = currentCursor(s, ctx);
  const hit = findFrom(ctx.rowCount, from, dir, pred);
  if (!hit) return msg(s, `no ${what} in the timeline${s.filter ? ' (filtered)' : ''}`, 'warn');
  const next = setCursor({ ...s, pane: 'timeline', detailOf: 'timeline' }, ctx, hit.index);
  return hit.wrapped ? msg(next, `${what}: wrapped to the ${dir > 0 ? 'top' : 'bottom'}`) : next;
}

const escapeRegExp = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiles search text: a regex (case-insensitive unless it has capitals), else the literal text. */
export function compileSearch(text: string): SearchState & { error?: string } {
  const flags = /[A-Z]/.test(text) ? '' : 'i';
  try {
    return { source: text, regex: new RegExp(text, flags), literal: false };
  } catch (e) {
    return { source: text, regex: new RegExp(escapeRegExp(text), flags), literal: true, error: (e as Error).message.replace(/^Invalid regular expression: /, '') };
  }
}

export function searchLabel(search: SearchState): string {
  return search.literal ? `"${search.source}"` : `/${search.source}/`;
}

/** The search without a pending jump. */
function settled(search: SearchState): SearchState {
  const { pending: _pending, ...rest } = search;
  return rest;
}

function searchStep(s: ViewState, ctx: ViewContext, dir: 1 | -1): ViewState {
  if (!s.search) return msg(s, 'no search yet: press / to search', 'warn');
  const search = settled(s.search);
  const from = currentCursor(s, ctx);
  const hit = ctx.findMatch(search, from, dir);
  const label = searchLabel(search);
  if (hit === 'pending') {
    // Hold the selection where it is (not following) until the search gets there.
    const here = ctx.rowCount > 0 ? setCursor(s, ctx, from) : s;
    return msg({ ...here, search: { ...search, pending: dir } }, `searching ${label}…`);
  }
  const done: ViewState = { ...s, search };
  if (!hit) return msg(done, `no match for ${label}`, 'warn');
  const next = setCursor({ ...done, pane: 'timeline', detailOf: 'timeline' }, ctx, hit.index);
  return msg(next, `${label}${hit.wrapped ? ` wrapped to the ${dir > 0 ? 'top' : 'bottom'}` : ''}`);
}

/** Retries a pending search jump (the background search moved on); the same state while still pending. */
export function resumeSearch(s: ViewState, ctx: ViewContext): ViewState {
  const dir = s.search?.pending;
  if (!dir || s.quit) return s;
  const next = searchStep(s, ctx, dir);
  return next.search?.pending ? s : next;
}

/** Commands that leave a pending search jump waiting (they do not move the selection). */
const KEEPS_PENDING: ReadonlySet<Command> = new Set<Command>(['help.toggle', 'time.toggle', 'pane.next', 'pane.prev']);

function openEvidence(s: ViewState, ctx: ViewContext, target: JumpTarget | null, what: string): ViewState {
  if (!target) return msg(s, `${what}: nothing to open`, 'warn');
  if (target.row !== null) {
    const next = setCursor(s, ctx, target.row);
    return msg(next, `${what}: ${target.label}`);
  }
  if (target.anchor) {
    // Hidden by the filter: drop the filter and select it by anchor once the view is rebuilt.
    return msg({ ...s, filter: null, follow: false, anchor: target.anchor, cursor: 0, offset: 0, detailOffset: 0 }, `${what}: ${target.label} (filter cleared to show it)`);
  }
  return msg(s, `${what}: ${target.label} is not in the timeline`, 'warn');
}

function paneMove(s: ViewState, ctx: ViewContext, delta: number | 'top' | 'bottom'): ViewState {
  if (s.pane === 'timeline') {
    if (delta === 'top') return setCursor(s, ctx, 0);
    if (delta === 'bottom') return follow(s, ctx);
    const cur = currentCursor(s, ctx);
    // Paging moves the window with the cursor, like less.
    const next = setCursor(s, ctx, cur + delta);
    if (Math.abs(delta) > 1) {
      const base = currentOffset(s, ctx);
      next.offset = windowStart(next.cursor, base + delta, ctx.pageSize, ctx.rowCount);
    }
    return next;
  }
  if (s.pane === 'findings') {
    const last = Math.max(0, ctx.findingCount - 1);
    const target = delta === 'top' ? 0 : delta === 'bottom' ? last : clamp(s.findingCursor + delta, 0, last);
    if (target === s.findingCursor) return s;
    return {
      ...s,
      findingCursor: target,
      findingOffset: windowStart(target, s.findingOffset, ctx.findingPageSize, ctx.findingCount),
      evidenceNext: 0,
      detailOffset: 0,
    };
  }
  const max = Math.max(0, ctx.detailLineCount - ctx.detailPageSize);
  const target = delta === 'top' ? 0 : delta === 'bottom' ? max : clamp(s.detailOffset + delta, 0, max);
  return { ...s, detailOffset: target };
}

function switchPane(s: ViewState, pane: Pane): ViewState {
  const detailOf = pane === 'detail' ? s.detailOf : pane;
  return { ...s, pane, detailOf, detailOffset: detailOf === s.detailOf ? s.detailOffset : 0 };
}

/** Applies one command (the part of the dispatcher that does not depend on modes). */
export function runCommand(s0: ViewState, command: Command, ctx: ViewContext): ViewState {
  let s: ViewState = s0.message ? { ...s0, message: null } : s0;
  if (s.search?.pending && !KEEPS_PENDING.has(command)) {
    const search = settled(s.search);
    s = { ...s, search };
    // Esc stops the wait (the search itself goes on in the background for n/N).
    if (command === 'overlay.close') return msg(s, `stopped waiting for ${searchLabel(search)}`);
  }
  switch (command) {
    case 'cursor.down':
      return paneMove(s, ctx, 1);
    case 'cursor.up':
      return paneMove(s, ctx, -1);
    case 'page.down':
      return paneMove(s, ctx, Math.max(1, pageOf(s, ctx)));
    case 'page.up':
      return paneMove(s, ctx, -Math.max(1, pageOf(s, ctx)));
    case 'cursor.top':
      return paneMove(s, ctx, 'top');
    case 'cursor.bottom':
      return paneMove(s, ctx, 'bottom');
    case 'pane.next':
      return switchPane(s, PANES[(PANES.indexOf(s.pane) + 1) % PANES.length]!);
    case 'pane.prev':
      return switchPane(s, PANES[(PANES.indexOf(s.pane) + PANES.length - 1) % PANES.length]!);
    case 'item.open': {
      if (s.pane === 'timeline') return ctx.rowCount > 0 ? switchPane(s, 'detail') : s;
      if (s.pane === 'findings') {
        if (ctx.findingCount === 0) return msg(s, 'no findings', 'warn');
        const target = ctx.evidence(s.findingCursor, s.evidenceNext);
        const total = target?.total ?? 0;
        const what = `evidence ${total ? (s.evidenceNext % total) + 1 : 0}/${total}`;
        const next = openEvidence(s, ctx, target, what);
        return { ...next, evidenceNext: total ? (s.evidenceNext + 1) % total : 0 };
      }
      return s;
    }
    case 'search.start':
      return { ...s, prompt: { kind: 'search', text: '' } };
    case 'search.next':
      return searchStep(s, ctx, 1);
    case 'search.prev':
      return searchStep(s, ctx, -1);
    case 'filter.start':
      return { ...s, prompt: { kind: 'filter', text: s.filter ? s.filter.source : '' } };
    case 'filter.clear':
      return s.filter ? msg({ ...s, filter: null }, 'filter cleared') : s;
    case 'error.next':
      return jumpTo(s, ctx, (i) => ctx.severityAt(i) === 'error', 1, 'next error');
    case 'error.prev':
      return jumpTo(s, ctx, (i) => ctx.severityAt(i) === 'error', -1, 'previous error');
    case 'warning.next':
      return jumpTo(s, ctx, (i) => ctx.severityAt(i) === 'warning', 1, 'next warning');
    case 'warning.prev':
      return jumpTo(s, ctx, (i) => ctx.severityAt(i) === 'warning', -1, 'previous warning');
    case 'time.toggle': {
      const timeMode = s.timeMode === 'local' ? 'utc' : 'local';
      return msg({ ...s, timeMode }, timeMode === 'utc' ? 'times in UTC' : 'times local, as written in each log');
    }
    case 'chain.show': {
      if (ctx.rowCount === 0) return s;
      const chain = ctx.chainOfRow(currentCursor(s, ctx));
      if (!chain) return msg(s, 'no device action on this row (c works on action rows and rows naming a TaskGuid)', 'warn');
      return { ...s, overlay: { kind: 'chain', chainId: chain.id, cursor: 0 } };
    }
    case 'help.toggle':
      return { ...s, overlay: { kind: 'help', offset: 0 } };
    case 'overlay.close':
      return s;
    case 'app.quit':
      return { ...s, quit: true };
  }
}

function pageOf(s: ViewState, ctx: ViewContext): number {
  return s.pane === 'timeline' ? ctx.pageSize : s.pane === 'findings' ? ctx.findingPageSize : ctx.detailPageSize;
}

function submitPrompt(s: ViewState, ctx: ViewContext): ViewState {
  const p = s.prompt!;
  const base: ViewState = { ...s, prompt: null };
  if (p.kind === 'filter') {
    const { filter, errors } = parseFilter(p.text);
    const next: ViewState = { ...base, filter, detailOffset: 0 };
    if (errors.length) return msg(next, errors.join('; '), 'error');
    return msg(next, filter ? `filter: ${filter.source}` : 'filter cleared');
  }
  if (p.text === '') return s.search ? searchStep(base, ctx, 1) : base;
  const compiled = compileSearch(p.text);
  const { error, ...search } = compiled;
  const next = searchStep({ ...base, search }, ctx, 1);
  if (error !== undefined) return msg(next, `invalid regex (${error}): searching for the literal text. ${next.message?.text ?? ''}`.trim(), 'warn');
  return next;
}

function promptKey(s: ViewState, key: string, ctx: ViewContext): ViewState {
  const p = s.prompt!;
  switch (key) {
    case 'return':
      return submitPrompt(s, ctx);
    case 'escape':
      return { ...s, prompt: null, message: null };
    case 'ctrl+c':
      return { ...s, prompt: null, quit: true };
    case 'ctrl+u':
      return { ...s, prompt: { ...p, text: '' } };
    case 'backspace':
    case 'delete': {
      if (p.text === '') return { ...s, prompt: null };
      const chars = [...p.text];
      chars.pop();
      return { ...s, prompt: { ...p, text: chars.join('') } };
    }
    case 'space':
      return { ...s, prompt: { ...p, text: p.text + ' ' } };
    default:
      // Named keys (arrows, tab, ...) are ignored in the prompt; characters are typed.
      if ([...key].length !== 1) return s;
      return { ...s, prompt: { ...p, text: p.text + key } };
  }
}

function overlayKey(s: ViewState, key: string, ctx: ViewContext): ViewState {
  const o = s.overlay!;
  const command = commandFor(key);
  if (command === 'app.quit' && key !== 'q') return { ...s, quit: true };
  if (o.kind === 'help') {
    const max = Math.max(0, ctx.helpLineCount - ctx.helpPageSize);
    if (command === 'cursor.down') return { ...s, overlay: { ...o, offset: clamp(o.offset + 1, 0, max) } };
    if (command === 'cursor.up') return { ...s, overlay: { ...o, offset: clamp(o.offset - 1, 0, max) } };
    if (command === 'page.down') return { ...s, overlay: { ...o, offset: clamp(o.offset + ctx.helpPageSize, 0, max) } };
    if (command === 'page.up') return { ...s, overlay: { ...o, offset: clamp(o.offset - ctx.helpPageSize, 0, max) } };
    if (command === 'help.toggle' || command === 'overlay.close' || command === 'app.quit' || command === 'item.open') return { ...s, overlay: null };
    return s;
  }
  const hops = ctx.chainHopCount(o.chainId);
  if (command === 'cursor.down') return { ...s, overlay: { ...o, cursor: clamp(o.cursor + 1, 0, Math.max(0, hops - 1)) } };
  if (command === 'cursor.up') return { ...s, overlay: { ...o, cursor: clamp(o.cursor - 1, 0, Math.max(0, hops - 1)) } };
  if (command === 'item.open') {
    const target = ctx.chainHop(o.chainId, o.cursor);
    return openEvidence({ ...s, overlay: null, pane: 'timeline', detailOf: 'timeline' }, ctx, target, `hop ${o.cursor + 1}/${hops}`);
  }
  if (command === 'chain.show' || command === 'overlay.close' || command === 'app.quit') return { ...s, overlay: null };
  return s;
}

/** The dispatcher: one key name → the next state. Modal layers first: prompt, then overlay. */
export function applyKey(s: ViewState, key: string, ctx: ViewContext): ViewState {
  if (s.quit) return s;
  if (s.prompt) return promptKey(s, key, ctx);
  if (s.overlay) return overlayKey(s, key, ctx);
  const command = commandFor(key);
  if (!command) return s;
  return runCommand(s, command, ctx);
}

/** Every key of one input event, in order (`jjj` moves three rows). */
export function applyKeys(s: ViewState, keys: readonly string[], ctx: ViewContext): ViewState {
  let next = s;
  for (const k of keys) next = applyKey(next, k, ctx);
  return next;
}
