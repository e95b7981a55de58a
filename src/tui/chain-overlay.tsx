import { Box } from 'ink';
import { StyledLine } from './styled-line.js';
import { fitLine, type Line } from './styled.js';

export interface ChainOverlayProps {
  /** From `chainOverlayLines` (detail-lines.ts). */
  lines: readonly Line[];
  width: number;
  height: number;
  /** A line to keep on screen (the hop under the cursor). */
  focus: number;
}

/**
 * One device action followed across SCP → MP → client (`c` on a row of it):
 * ```
 * Action chain  Sync Machine Policy  delivered  task 5c1e…
 * > authorized            01-14-2026 10:00:01.120  SCP01 CMGatewayNotificationWorker
 *   forwarded      +1.2s  01-14-2026 10:00:02.310  SCP01 CMGatewayNotificationWorker
 * ```
 */
export function ChainOverlay({ lines, width, height, focus }: ChainOverlayProps) {
  const start = Math.max(0, Math.min(focus - Math.floor(height / 2), lines.length - height));
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0}>
      {lines.slice(start, start + height).map((l, i) => (
        <StyledLine key={start + i} line={fitLine(l, width)} />
      ))}
    </Box>
  );
}
