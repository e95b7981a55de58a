import { Box, Text } from 'ink';
import type { Finding } from '../analysis/model.js';
import { PaneTitle } from './pane-title.js';
import { StyledLine } from './styled-line.js';
import { findingRow } from './rows.js';
import type { PaneBox } from './layout.js';

export interface FindingsPaneProps {
  /** Sorted errors → warnings → info. */
  findings: readonly Finding[];
  cursor: number;
  offset: number;
  box: PaneBox;
  focused: boolean;
  /** What to say when there is none. */
  empty: string;
}

/**
 * Known failures found so far, errors first, each with how often it was seen.
 * ```
 * ▶  Findings   2 error · 1 warning · 0 info
 * > E ×23  The cloud gateway answers 401 Unauthorized  gateway-unauthorized
 * ```
 */
export function FindingsPane(p: FindingsPaneProps) {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of p.findings) counts[f.severity]++;
  const end = Math.min(p.findings.length, p.offset + p.box.height);
  const rows = [];
  for (let i = p.offset; i < end; i++) {
    const f = p.findings[i]!;
    rows.push(<StyledLine key={`${f.ruleId}:${i}`} line={findingRow(f, i === p.cursor, p.focused, p.box.width)} />);
  }
  return (
    <Box flexDirection="column" width={p.box.width} height={p.box.height + 1} flexShrink={0}>
      <PaneTitle title="Findings" info={`${counts.error} error · ${counts.warning} warning · ${counts.info} info`} focused={p.focused} width={p.box.width} />
      {rows.length ? rows : <Text dimColor>  {p.empty}</Text>}
    </Box>
  );
}
