/**
 * Pane sizes for a terminal size and focus. Pure, so 80×24 and 200×60 are unit-testable.
 *
 * The whole frame stays at `rows - 1` lines or fewer: once an Ink frame is as tall as the
 * terminal, Ink clears and rewrites the whole screen on every render (style-anchors A1). One
 * column of slack is kept on the right for the same reason (a last-column write can wrap).
 */
import type { Pane } from './state.js';

export interface PaneBox {
  /** Columns. */
  width: number;
  /** Content rows (the pane's title line is extra). */
  height: number;
}

export interface Layout {
  mode: 'stacked' | 'wide' | 'tiny';
  /** Usable columns (terminal columns - 1). */
  width: number;
  /** Lines of the whole frame (≤ rows - 1). */
  frameHeight: number;
  headerHeight: number;
  /** Lines between the histogram and the status line (for overlays). */
  bodyHeight: number;
  timeline: PaneBox;
  findings: PaneBox;
  detail: PaneBox;
  /** Full dates in the time column. */
  wideTime: boolean;
}

/** Header lines for a width: the health summary needs a line of its own below 130 columns. */
export function headerLinesFor(width: number): number {
  return width >= 130 ? 2 : 3;
}

/** Below this many lines nothing useful fits: the App says so instead. */
export const MIN_ROWS = 8;
export const MIN_COLUMNS = 30;

export function computeLayout(columns: number, rows: number, pane: Pane): Layout {
  const width = Math.max(1, columns - 1);
  const frameHeight = Math.max(1, rows - 1);
  const empty: PaneBox = { width: 0, height: 0 };
  if (rows < MIN_ROWS || columns < MIN_COLUMNS) {
    return { mode: 'tiny', width, frameHeight, headerHeight: 0, bodyHeight: 0, timeline: empty, findings: empty, detail: empty, wideTime: false };
  }
  const headerHeight = headerLinesFor(width);
  // header + histogram + status line
  const chrome = headerHeight + 1 + 1;
  const bodyHeight = frameHeight - chrome;
  const wideTime = width >= 120;

  if (columns >= 140 && rows >= 20) {
    const tw = Math.round(width * 0.6);
    const rw = width - tw - 1;
    const t = bodyHeight - 1;
    const inner = bodyHeight - 2; // two titles on the right
    const f = Math.max(3, Math.min(inner - 3, Math.round(inner * (pane === 'findings' ? 0.5 : 0.35))));
    return {
      mode: 'wide', width, frameHeight, headerHeight, bodyHeight,
      timeline: { width: tw, height: t },
      findings: { width: rw, height: f },
      detail: { width: rw, height: inner - f },
      wideTime: tw >= 120,
    };
  }

  // Stacked: timeline on top, findings | detail below; the focused part gets more room.
  const avail = bodyHeight - 2; // two title lines
  if (avail < 6) {
    return {
      mode: 'stacked', width, frameHeight, headerHeight, bodyHeight,
      timeline: { width, height: Math.max(1, bodyHeight - 1) },
      findings: empty, detail: empty, wideTime,
    };
  }
  const t = Math.max(3, Math.min(avail - 3, Math.round(avail * (pane === 'timeline' ? 0.6 : 0.4))));
  const b = avail - t;
  const fw = Math.max(24, Math.min(60, Math.round(width * 0.38)));
  return {
    mode: 'stacked', width, frameHeight, headerHeight, bodyHeight,
    timeline: { width, height: t },
    findings: { width: fw, height: b },
    detail: { width: Math.max(1, width - fw - 1), height: b },
    wideTime,
  };
}
