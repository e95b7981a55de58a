import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text, useApp, useInput, useStdin, type Key } from 'ink';
import type { Session } from '../analysis/session.js';
import { ActivityHistogram, HISTOGRAM_CHROME } from './activity-histogram.js';
import { ChainOverlay } from './chain-overlay.js';
import { chainOverlayLines, findingDetailLines, recordDetailLines } from './detail-lines.js';
import { DetailPane } from './detail-pane.js';
import { FindingsPane } from './findings-pane.js';
import { Header } from './header.js';
import { headerLines } from './header-lines.js';
import { HelpOverlay } from './help-overlay.js';
import { helpLines } from './help-lines.js';
import { tokenize } from './keys.js';
import { computeLayout, MIN_COLUMNS, MIN_ROWS } from './layout.js';
import { applyKeys, initialState, resumeSearch, windowStart, type SearchHit, type ViewContext, type ViewState } from './state.js';
import { StatusLine } from './status-line.js';
import type { Line } from './styled.js';
import { TimelinePane } from './timeline-pane.js';
import { useAnalysis } from './use-analysis.js';
import { useScans } from './use-scans.js';
import { useSessionVersion } from './use-session-version.js';
import { useTerminalSize } from './use-terminal-size.js';
import { START_BYTES, type TextScan } from './text-scan.js';
import {
  anchorAt, buildHistogram, buildRecordIndex, buildRowView, chainId, chainOf, idAt, resolveCursor, rowAt, sortFindings,
  targetFor, visibleBuckets, type RowView,
} from './view-model.js';

export interface AppProps {
  /** The running analysis; the App only reads it (store rows, analysis(), progress). */
  session: Session;
  /** Fixed size (tests; ink-testing-library has no rows). Default: the terminal's, re-read on resize. */
  columns?: number;
  rows?: number;
  /** Said in the status line until the first key (e.g. which folder was opened by default). */
  notice?: string;
  /** Called when the user quits (before Ink exits). */
  onQuit?: () => void;
}

/**
 * The attachscope terminal UI. Records stay in the Session's store (outside React, an index of
 * where they are in the files); the App re-renders when the Session notifies (≤ 10×/s), reads
 * and renders only the rows on screen, and keeps the frame at `rows - 1` lines. Searches and
 * text filters run in the background (text-scan.ts) while keys keep working. All keys go
 * through one dispatcher (`applyKeys`, state.ts) driven by the key table (keys.ts).
 *
 * ```
 * ⠋ attachscope 3 logs: GwNotify SyncUpload SmsAdminUI · SCP01 · 01-14 09:41Z → 12:10Z · read once
 * uploads last ok 11:46:06Z · next due 12:01:05Z · cycles 3 ok 4 failed 0 missed
 * actions 0 delivered 0 failed 0 pending │ findings 2 error 1 warning 0 info
 * activity 09:41:02Z ▁▁▂▃▅▇▇▅▃▂▁  ▁▂▂▁▁ 12:10:44Z
 * ▶  Timeline   row 12/589 · local time · filter: sev:error
 *   I   09:45:03.220 GwNotify     [GetNotifications] Creating web request to: https://…
 * > E ◆ 09:45:03.479 GwNotify     [gw.response] Response from …/Notification is: 401 (Unauthorized)
 *   W   09:45:03.496 GwNotify     [Warning][CMGatewayNotificationWorker][0][System.Net.WebException]…
 *    Findings   2 error · 1 warning · 0 info  │   Detail   record · lines 1–7 of 24
 * > E ×23  The gateway answers 401…           │  E  error  CMGatewayNotificationWorker
 *   E ×1   Admin consent is missing…          │ file    …/CMGatewayNotificationWorker.log:4
 *   W ×2   Uploads are failing…               │ local   01-14-2026 09:45:03.479   bias +000 (UTC+00:00)
 * ? help  / n N search  f filter  e E w W errors/warnings  Tab pane  Enter open  c chain  t UTC  q quit
 * ```
 * At 140 columns and more, findings and detail stand to the right of the timeline instead.
 */
export function App(props: AppProps) {
  const { session } = props;
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const size = useTerminalSize(props.columns, props.rows);
  // The first rows are drawn the moment they arrive; then, until the read is over, at a calmer pace.
  const version = useSessionVersion(session, session.progress.loaded || session.store.count === 0 ? 0 : LOADING_FRAME_MS);
  // When the last key came: snapshots of the analysis wait for a pause in typing while reading.
  const lastInput = useRef(0);
  const analysis = useAnalysis(session, version, lastInput.current);
  const [state, setState] = useState<ViewState>(() => initialState({ follow: true, message: props.notice ? { text: props.notice, level: 'info' } : null }));
  const stateRef = useRef(state);
  stateRef.current = state;

  const store = session.store;
  const { scans, scanVersion } = useScans(store, (scan, all) => scan === all.filter || stateRef.current.search?.pending !== undefined);
  const layout = computeLayout(size.columns, size.rows, state.pane);
  const filterScan = useMemo(() => scans.filterFor(state.filter), [scans, state.filter]);
  const view = useMemo(() => {
    store.ensureSorted();
    return buildRowView(store, state.filter, filterScan);
    // `version` and `scanVersion` stand for the store's and the scan's content, which change in place.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, version, state.filter, filterScan, scanVersion]);
  const index = useMemo(() => buildRecordIndex(analysis), [analysis]);
  const findings = useMemo(() => sortFindings(analysis?.findings ?? []), [analysis]);

  const cursor = useMemo(() => resolveCursor(view, state), [view, state.cursor, state.anchor, state.follow]); // eslint-disable-line react-hooks/exhaustive-deps
  const tlHeight = layout.timeline.height;
  const offset = windowStart(cursor, state.follow ? view.count - tlHeight : state.offset, tlHeight, view.count);
  const findingCursor = Math.min(state.findingCursor, Math.max(0, findings.length - 1));
  const findingOffset = windowStart(findingCursor, state.findingOffset, layout.findings.height, findings.length);
  const selectedRow = rowAt(view, cursor);
  const selectedFinding = findings[findingCursor];

  const detail = useMemo((): { title: string; lines: Line[] } => {
    const w = layout.detail.width;
    if (state.detailOf === 'findings') {
      return selectedFinding ? { title: `finding ${findingCursor + 1}/${findings.length}`, lines: findingDetailLines(selectedFinding, w, state.evidenceNext) } : { title: 'finding', lines: [] };
    }
    return selectedRow ? { title: `record ${cursor + 1}`, lines: recordDetailLines(selectedRow, index, state.timeMode, w, store.eventsOf(selectedRow.seq)) } : { title: 'record', lines: [] };
  }, [state.detailOf, selectedFinding, selectedRow, index, state.timeMode, state.evidenceNext, layout.detail.width, findingCursor, findings.length, cursor]);

  const help = useMemo(() => helpLines(layout.width), [layout.width]);
  const histogram = useMemo(() => buildHistogram(view, Math.max(0, layout.width - HISTOGRAM_CHROME)), [view, layout.width]);

  const ctx: ViewContext = {
    rowCount: view.count,
    pageSize: Math.max(1, tlHeight),
    findingCount: findings.length,
    findingPageSize: Math.max(1, layout.findings.height),
    detailLineCount: detail.lines.length,
    detailPageSize: Math.max(1, layout.detail.height),
    helpLineCount: help.length,
    helpPageSize: Math.max(1, layout.bodyHeight),
    severityAt: (i) => {
      const id = idAt(view, i);
      return id < 0 ? 'unknown' : store.severityOf(id);
    },
    findMatch: (search, from, dir) => findMatch(view, scans.searchFor(search), from, dir),
    anchorAt: (i) => anchorAt(view, i),
    resolveCursor: (s) => resolveCursor(view, s),
    evidence: (f, n) => {
      const fd = findings[f];
      if (!fd || fd.evidence.length === 0) return null;
      const total = fd.evidence.length;
      const e = fd.evidence[n % total]!;
      return targetFor(view, e.path, e.line, `${e.log}:${e.line}`, total);
    },
    chainOfRow: (i) => {
      const r = rowAt(view, i);
      const c = r ? chainOf(index, r) : null;
      return c ? { id: chainId(c) } : null;
    },
    chainHopCount: (id) => index.chainsById.get(id)?.hops.length ?? 0,
    chainHop: (id, hop) => {
      const c = index.chainsById.get(id);
      const h = c?.hops[hop];
      if (!c || !h) return null;
      return targetFor(view, h.path, h.line, `${h.hop} ${h.log}:${h.line}`, c.hops.length);
    },
  };
  // The input handler reads the context of the latest render (keys may arrive between renders).
  const ctxRef = useRef(ctx);
  ctxRef.current = ctx;

  // Stable handler (it reads the latest context through the ref), so Ink does not re-subscribe
  // on every render. Inactive without raw mode: a non-TTY stdin must not crash the app.
  const onInput = useCallback((input: string, key: Key) => {
    const keys = tokenize(input, key);
    lastInput.current = Date.now();
    if (keys.length) setState((s) => applyKeys(s, keys, ctxRef.current));
  }, []);
  useInput(onInput, { isActive: isRawModeSupported === true });

  // New records: the scans test them too. A jump waiting for the search is retried as it moves on.
  useEffect(() => scans.kick(), [scans, version]);
  useEffect(() => {
    if (state.search?.pending) setState((s) => resumeSearch(s, ctxRef.current));
    else scans.search?.pause();
  }, [scans, version, scanVersion, state.search?.pending]);

  useEffect(() => {
    if (!state.quit) return;
    props.onQuit?.();
    exit();
  }, [state.quit]); // eslint-disable-line react-hooks/exhaustive-deps

  if (layout.mode === 'tiny') {
    return <Text wrap="truncate-end">attachscope: the terminal is too small (need {MIN_COLUMNS}×{MIN_ROWS}); q quits</Text>;
  }

  const progress = session.progress;
  const header = headerLines({
    analysis, progress, follow: session.opts.follow === true, records: session.store.size,
    error: session.error ? session.error.message : null, width: layout.width - (progress.loaded ? 0 : 2), lines: layout.headerHeight,
  });
  const info = [
    state.filter ? `filter: ${state.filter.source}${view.filtering && filterScan ? ` (filtering ${percent(filterScan.progress)})` : ''}` : '',
    state.search ? `/${state.search.source}/` : '',
    // Stuck to the newest row: "following" when the files are tailed, else simply at the end.
    state.follow ? (session.opts.follow ? 'following ↓' : 'at end ↓') : '',
  ].filter(Boolean).join(' · ');
  const emptyTimeline = view.filtering ? 'filtering… no row matches yet' : !progress.loaded ? 'reading…' : state.filter ? 'no row matches the filter (F clears it)' : 'no records';
  const searching = state.search?.pending && state.message && scans.search
    ? { ...state.message, text: `${state.message.text} ${percent(scans.search.progress)} of the rows searched · keys work · Esc stops waiting` }
    : state.message;
  const emptyFindings = !analysis ? 'reading…' : !progress.loaded ? 'none yet (still reading)' : analysis.ruleIds.length === 0 ? 'no rules loaded' : 'none: no known failure matched';

  let body;
  if (state.overlay?.kind === 'help') {
    body = <HelpOverlay lines={help} offset={state.overlay.offset} width={layout.width} height={layout.bodyHeight} />;
  } else if (state.overlay?.kind === 'chain' && index.chainsById.get(state.overlay.chainId)) {
    const chain = index.chainsById.get(state.overlay.chainId)!;
    body = <ChainOverlay lines={chainOverlayLines(chain, layout.width, state.overlay.cursor)} width={layout.width} height={layout.bodyHeight} focus={3 + state.overlay.cursor} />;
  } else {
    const timeline = (
      <TimelinePane
        view={view} index={index} cursor={cursor} offset={offset} box={layout.timeline} focused={state.pane === 'timeline'}
        timeMode={state.timeMode} wideTime={layout.wideTime} info={info} empty={emptyTimeline}
      />
    );
    const findingsPane = layout.findings.height > 0 && (
      <FindingsPane findings={findings} cursor={findingCursor} offset={findingOffset} box={layout.findings} focused={state.pane === 'findings'} empty={emptyFindings} />
    );
    const detailPane = layout.detail.height > 0 && (
      <DetailPane title={detail.title} lines={detail.lines} offset={state.detailOffset} box={layout.detail} focused={state.pane === 'detail'} />
    );
    body =
      layout.mode === 'wide' ? (
        <Box flexDirection="row" height={layout.bodyHeight}>
          {timeline}
          <Box width={1} />
          <Box flexDirection="column">
            {findingsPane}
            {detailPane}
          </Box>
        </Box>
      ) : (
        <Box flexDirection="column" height={layout.bodyHeight}>
          {timeline}
          <Box flexDirection="row">
            {findingsPane}
            <Box width={1} />
            {detailPane}
          </Box>
        </Box>
      );
  }

  return (
    <Box flexDirection="column" width={layout.width} height={layout.frameHeight}>
      <Header lines={header} loading={!progress.loaded} />
      <ActivityHistogram histogram={histogram} visible={visibleBuckets(histogram, view, offset, offset + tlHeight - 1)} />
      {body}
      <StatusLine prompt={state.prompt} message={searching} width={layout.width} />
    </Box>
  );
}

/** While the first read runs, the Session's changes are drawn at most this often (keys draw at once). */
const LOADING_FRAME_MS = 250;

const percent = (x: number) => `${Math.floor(x * 100)}%`;

/**
 * The next search match from view position `from` in direction `dir` (wrapping), as far as the
 * scan has read; 'pending' at the first row it has not. A new search first reads START_BYTES of
 * records at once from the cursor on (all of a small input: the jump is immediate), then the
 * scan goes on in the background from where the answer is missing.
 */
function findMatch(view: RowView, scan: TextScan, from: number, dir: 1 | -1): SearchHit {
  const n = view.count;
  if (n === 0) return null;
  const storePos = (i: number) => (view.positions ? view.positions[i]! : i);
  const wrap = (i: number) => ((i % n) + n) % n;
  if (scan.tested === 0) {
    scan.focus(storePos(wrap(from + dir)), dir);
    scan.run(START_BYTES);
  }
  for (let k = 1; k <= n; k++) {
    const raw = from + dir * k;
    const i = wrap(raw);
    const id = idAt(view, i);
    if (!scan.isTested(id)) {
      scan.focus(storePos(i), dir);
      scan.kick();
      return 'pending';
    }
    if (scan.isMatch(id)) return { index: i, wrapped: dir > 0 ? raw >= n : raw < 0 };
  }
  return null;
}
