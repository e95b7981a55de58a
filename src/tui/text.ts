/**
 * Width-aware text helpers for the terminal UI. Ink truncates with cli-truncate, which comes out
 * one column too wide when the cut falls on a double-width character (style-anchors B9), so every
 * row is cut here first with string-width, grapheme by grapheme, and never reaches Ink too wide.
 */
import stringWidth from 'string-width';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Display width in terminal columns. */
export function width(s: string): number {
  return stringWidth(s);
}

/** Whether every character is printable ASCII (the fast path: width = length). */
function isPlainAscii(s: string): boolean {
  return /^[\x20-\x7e]*$/.test(s);
}

/**
 * Cuts `s` to at most `max` columns. When something was cut the last column holds `…`.
 * The result never exceeds `max` (property-tested in test/tui/text.test.ts).
 */
export function fit(s: string, max: number): string {
  if (max <= 0) return '';
  if (isPlainAscii(s)) return s.length <= max ? s : max === 1 ? '…' : s.slice(0, max - 1) + '…';
  if (stringWidth(s) <= max) return s;
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(s)) {
    const w = stringWidth(segment);
    if (used + w > max - 1) break;
    out += segment;
    used += w;
  }
  return out + '…';
}

/** `fit`, then padded with spaces to exactly `cols` columns. */
export function fitPad(s: string, cols: number): string {
  const t = fit(s, cols);
  const w = isPlainAscii(t) ? t.length : stringWidth(t);
  return w >= cols ? t : t + ' '.repeat(cols - w);
}

/** Pads (never cuts) to `cols` columns. */
export function padEnd(s: string, cols: number): string {
  const w = stringWidth(s);
  return w >= cols ? s : s + ' '.repeat(cols - w);
}

/**
 * Wraps text to lines of at most `max` columns: at spaces when a word fits, hard-cut by grapheme
 * otherwise. `\n` starts a new line; tabs must already be spaces. Always returns at least one line.
 */
export function wrap(text: string, max: number): string[] {
  const out: string[] = [];
  const cols = Math.max(1, max);
  for (const para of text.split('\n')) {
    if (stringWidth(para) <= cols) {
      out.push(para);
      continue;
    }
    let line = '';
    let lineW = 0;
    // Split keeping the spaces so indentation inside a line survives.
    for (const word of para.split(/(?<= )/)) {
      const w = stringWidth(word);
      if (lineW + w <= cols) {
        line += word;
        lineW += w;
        continue;
      }
      if (lineW > 0 && w <= cols) {
        out.push(line.trimEnd());
        line = word;
        lineW = w;
        continue;
      }
      // A word longer than the line: cut it by grapheme.
      for (const { segment } of segmenter.segment(word)) {
        const sw = stringWidth(segment);
        if (lineW + sw > cols) {
          out.push(line.trimEnd());
          line = '';
          lineW = 0;
        }
        line += segment;
        lineW += sw;
      }
    }
    out.push(line.trimEnd());
  }
  return out.length ? out : [''];
}
