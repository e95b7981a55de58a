import { Text } from 'ink';
import type { Line } from './styled.js';

export interface StyledLineProps {
  /** Segments already cut to the pane width (see styled.ts `fitLine`). */
  line: Line;
}

/** One pre-cut line of styled segments. `truncate-end` is only a safety net. */
export function StyledLine({ line }: StyledLineProps) {
  if (line.length === 0) return <Text> </Text>;
  return (
    <Text wrap="truncate-end">
      {line.map((s, i) => (
        <Text key={i} color={s.color} backgroundColor={s.backgroundColor} bold={s.bold} dimColor={s.dim} inverse={s.inverse} underline={s.underline}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}
