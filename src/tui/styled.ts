/**
 * Styled text as data: a line is a list of segments with Ink-compatible style props. Builders
 * (rows, details, help) return lines; `<StyledLine>` renders one. Keeping them data makes the
 * builders testable without Ink and lets every line be cut to width before Ink sees it.
 */
import { fit, width as textWidth } from './text.js';

export interface Segment {
  text: string;
  color?: string | undefined;
  backgroundColor?: string | undefined;
  bold?: boolean | undefined;
  dim?: boolean | undefined;
  inverse?: boolean | undefined;
  underline?: boolean | undefined;
}

export type Line = Segment[];

export const seg = (text: string, style: Omit<Segment, 'text'> = {}): Segment => ({ text, ...style });

export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

/** Cuts a line to `max` columns (the last kept segment ends in `…` when something was cut). */
export function fitLine(line: Line, max: number): Line {
  const out: Line = [];
  let used = 0;
  for (let i = 0; i < line.length; i++) {
    const s = line[i]!;
    const w = textWidth(s.text);
    if (used + w <= max) {
      out.push(s);
      used += w;
      continue;
    }
    const room = max - used;
    if (room > 0) {
      out.push({ ...s, text: fit(s.text, room) });
    } else {
      // The line was full exactly where this segment starts: end the previous one in `…`.
      const last = out.pop();
      if (last) {
        const lw = textWidth(last.text);
        out.push({ ...last, text: fit(last.text + '…', lw) });
      }
    }
    return out;
  }
  return out;
}

/** Pads a line with spaces (in the style of `fill`) to exactly `cols` columns. */
export function padLine(line: Line, cols: number, fill: Omit<Segment, 'text'> = {}): Line {
  const w = textWidth(lineText(line));
  return w >= cols ? line : [...line, { text: ' '.repeat(cols - w), ...fill }];
}

/** Applies a style to every segment (the selected row's inverse bar). */
export function styleLine(line: Line, style: Omit<Segment, 'text'>): Line {
  return line.map((s) => ({ ...s, ...style }));
}
