/**
 * One timeline row and one findings row as styled lines, cut to width. The selected row carries
 * a `>` marker as well as inverse video (colour alone disappears in a pipe or a test frame);
 * severity is a letter as well as a colour; a row that carries an event gets `◆`, bold text and
 * the event kind.
 */
import type { Row, RowEvents } from '../analysis/record-store.js';
import type { Finding } from '../analysis/model.js';
import { SEVERITY_COLOR, SEVERITY_MARK, rowTime, shortKind, shortLog, timeColumnWidth, type TimeMode } from './format.js';
import { displayLine } from './sanitize.js';
import { fitLine, padLine, seg, styleLine, type Line } from './styled.js';
import { fitPad } from './text.js';

export interface TimelineRowOptions {
  selected: boolean;
  /** What the analysis extracted from the record (from the store's index). */
  events: RowEvents;
  timeMode: TimeMode;
  wideTime: boolean;
  width: number;
  /** Machine name to prefix to the log (when several machines are open), or null. */
  machine: string | null;
}

/** Width of the source column for a pane width. */
export function sourceColumnWidth(width: number): number {
  return Math.max(8, Math.min(28, Math.round(width * 0.15)));
}

export function timelineRow(row: Row, o: TimelineRowOptions): Line {
  const r = row.rec;
  const ev = o.events;
  const hasEvent = ev.count > 0;
  // A row is as severe as the worst of its record and its events: `… is: 401 (Unauthorized)`
  // has no error word for the heuristic, but its gateway.response event is an error.
  const sev = worstSeverity(r.severity, [ev.severity]);
  const sevColor = SEVERITY_COLOR[sev];
  const srcW = sourceColumnWidth(o.width);
  const src = (o.machine ? `${displayLine(o.machine)}:` : '') + shortLog(displayLine(r.log));
  const line: Line = [
    seg(o.selected ? '> ' : '  ', { bold: true }),
    seg(SEVERITY_MARK[sev], { color: sevColor, bold: sev === 'error' || sev === 'warning' }),
    seg(' '),
    seg(hasEvent ? '◆' : ' ', { color: 'magenta', bold: true }),
    seg(' '),
    seg(fitPad(rowTime(r.localText, r.utcMs, o.timeMode, o.wideTime), timeColumnWidth(o.timeMode, o.wideTime)) + ' ', { dim: !o.selected }),
    seg(fitPad(src, srcW) + ' ', { color: 'cyan' }),
  ];
  if (hasEvent && ev.kind) line.push(seg(`[${shortKind(ev.kind)}${ev.count > 1 ? `+${ev.count - 1}` : ''}] `, { color: 'magenta', bold: true }));
  line.push(seg(displayLine(r.message), { color: sevColor, bold: hasEvent }));
  const fitted = fitLine(line, o.width);
  return o.selected ? styleLine(padLine(fitted, o.width), { inverse: true }) : fitted;
}

export function findingRow(f: Finding, selected: boolean, focused: boolean, width: number): Line {
  const line: Line = [
    seg(selected ? '> ' : '  ', { bold: true }),
    seg(SEVERITY_MARK[f.severity], { color: SEVERITY_COLOR[f.severity], bold: true }),
    seg(` ×${f.count} `.padEnd(6), { dim: true }),
    seg(displayLine(f.title), { bold: selected }),
    seg(`  ${f.ruleId}`, { dim: true }),
  ];
  const fitted = fitLine(line, width);
  return selected && focused ? styleLine(padLine(fitted, width), { inverse: true }) : fitted;
}

const RANK = { error: 3, warning: 2, info: 1, unknown: 0 } as const;

/** The most severe of a record's severity and its events' severities. */
export function worstSeverity<S extends keyof typeof RANK>(base: S, others: readonly S[]): S {
  let worst = base;
  for (const o of others) if (RANK[o] > RANK[worst]) worst = o;
  return worst;
}
