import { Box } from 'ink';
import { StyledLine } from './styled-line.js';
import { fitLine, type Line } from './styled.js';

export interface HelpOverlayProps {
  /** From `helpLines` (generated from the key table). */
  lines: readonly Line[];
  offset: number;
  width: number;
  height: number;
}

/** The key table as a page over the panes (`?` toggles it). */
export function HelpOverlay({ lines, offset, width, height }: HelpOverlayProps) {
  const shown = lines.slice(offset, offset + height);
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0}>
      {shown.map((l, i) => (
        <StyledLine key={offset + i} line={fitLine(l, width)} />
      ))}
    </Box>
  );
}
