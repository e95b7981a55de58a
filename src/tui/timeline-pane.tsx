import { Box, Text } from 'ink';
import { PaneTitle } from './pane-title.js';
import { StyledLine } from './styled-line.js';
import { timelineRow } from './rows.js';
import type { TimeMode } from './format.js';
import type { PaneBox } from './layout.js';
import { idAt, prefetchRows, rowAt, type RecordIndex, type RowView } from './view-model.js';

export interface TimelinePaneProps {
  view: RowView;
  index: RecordIndex;
  /** Selected row (view position). */
  cursor: number;
  /** First row on screen. */
  offset: number;
  box: PaneBox;
  focused: boolean;
  timeMode: TimeMode;
  wideTime: boolean;
  /** Title extras: filter text, search, follow state. */
  info: string;
  /** What to say when there is no row. */
  empty: string;
}

/**
 * The merged timeline, one row per record, only the rows on screen rendered (windowed) and read
 * from the files: the store indexes millions of records but holds the text of none.
 * ```
 * > E ◆ 09:45:03.479 GwNotify     [gw.response] Response from …/Notification is: 401 (Unauthorized)
 *   W   09:45:03.496 GwNotify     [Warning][CMGatewayNotificationWorker][0][System.Net.WebException]…
 * ```
 */
export function TimelinePane(p: TimelinePaneProps) {
  const end = Math.min(p.view.count, p.offset + p.box.height);
  prefetchRows(p.view, p.offset, end);
  const rows = [];
  for (let i = p.offset; i < end; i++) {
    const row = rowAt(p.view, i)!;
    const machine = p.index.machines > 1 ? (p.index.sources.get(row.sourceId)?.machine ?? null) : null;
    const events = p.view.store.eventsOf(idAt(p.view, i));
    const line = timelineRow(row, { selected: i === p.cursor, events, timeMode: p.timeMode, wideTime: p.wideTime, width: p.box.width, machine });
    rows.push(<StyledLine key={row.seq} line={line} />);
  }
  const pos = p.view.count ? `${p.cursor + 1}/${p.view.count}` : '0';
  return (
    <Box flexDirection="column" width={p.box.width} height={p.box.height + 1} flexShrink={0}>
      <PaneTitle title="Timeline" info={`row ${pos} · ${p.timeMode === 'utc' ? 'UTC' : 'local time'}${p.info ? ` · ${p.info}` : ''}`} focused={p.focused} width={p.box.width} />
      {rows.length ? rows : <Text dimColor>  {p.empty}</Text>}
    </Box>
  );
}
