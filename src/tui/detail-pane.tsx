import { Box } from 'ink';
import { PaneTitle } from './pane-title.js';
import { StyledLine } from './styled-line.js';
import type { Line } from './styled.js';
import type { PaneBox } from './layout.js';

export interface DetailPaneProps {
  /** What is described: `record`, `finding`. */
  title: string;
  /** All lines (wrapped to the pane width); only the window from `offset` is rendered. */
  lines: readonly Line[];
  offset: number;
  box: PaneBox;
  focused: boolean;
}

/**
 * The selected record in full (or the selected finding), scrollable when focused.
 * ```
 * ▶  Detail   record · lines 1–9 of 31
 *  E  error (CMTrace type)  SmsAdminUI
 * file    sample-logs/missing-admin-consent/SmsAdminUI.log:2–7
 * ```
 */
export function DetailPane(p: DetailPaneProps) {
  const max = Math.max(0, p.lines.length - p.box.height);
  const offset = Math.min(Math.max(0, p.offset), max);
  const shown = p.lines.slice(offset, offset + p.box.height);
  const range = p.lines.length > p.box.height ? ` · lines ${offset + 1}–${offset + shown.length} of ${p.lines.length}${p.focused ? '' : ' (Tab here to scroll)'}` : '';
  return (
    <Box flexDirection="column" width={p.box.width} height={p.box.height + 1} flexShrink={0}>
      <PaneTitle title="Detail" info={`${p.title}${range}`} focused={p.focused} width={p.box.width} />
      {shown.map((l, i) => (
        <StyledLine key={offset + i} line={l} />
      ))}
    </Box>
  );
}
