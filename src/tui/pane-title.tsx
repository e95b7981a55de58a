import { StyledLine } from './styled-line.js';
import { fitLine, seg } from './styled.js';

export interface PaneTitleProps {
  title: string;
  /** Counts and state after the title (dim). */
  info: string;
  focused: boolean;
  width: number;
}

/** A pane's title line; the focused pane's title is inverse and marked `▶` (not colour alone). */
export function PaneTitle({ title, info, focused, width }: PaneTitleProps) {
  const line = fitLine(
    [
      seg(focused ? '▶ ' : '  ', { bold: true, color: 'cyan' }),
      seg(` ${title} `, { bold: true, inverse: focused, color: focused ? 'cyan' : undefined }),
      seg(info ? `  ${info}` : '', { dim: true }),
    ],
    width,
  );
  return <StyledLine line={line} />;
}
