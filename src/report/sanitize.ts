/**
 * Making log text safe to show. Logs are attacker-influenced input (a device name, a script
 * output, a proxy's HTML body all end up in messages), so nothing read from a log reaches a
 * terminal, a Markdown ticket, XML or JSON without passing through here.
 *
 * Terminal/Markdown: every C0/C1 control character, DEL, the bidi overrides/isolates/marks and
 * the Unicode line/paragraph separators become visible text (ESC → `␛`, BEL → `␇`, U+202E →
 * `\u{202e}`), so an embedded `\x1b]0;title\x07`, `\x1b[2J` or OSC 8 hyperlink is shown, inert,
 * instead of being obeyed.
 */

export interface SanitizeOptions {
  /** Keep `\n` and `\t` (and read `\r\n` as `\n`); otherwise they are shown as `␊` / a space. */
  multiline?: boolean;
  /**
   * What to do with whole ANSI escape sequences (CSI `ESC[…m`, OSC `ESC]…BEL`, DCS/APC/PM/SOS):
   * `escape` (default) shows them (`␛[2J`); `strip` removes them entirely.
   */
  ansi?: 'escape' | 'strip';
}

/**
 * Characters never written raw: C0 controls, DEL, C1 controls, ALM, LRM/RLM, the bidi
 * embeddings/overrides (U+202A–U+202E) and isolates (U+2066–U+2069), U+2028/U+2029.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** ESC/C1-introduced sequences: CSI, OSC (to BEL or ST, or the end), DCS/SOS/PM/APC (to ST), 2-char ESC. */
const ANSI_SEQUENCE =
  /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|(?:\u001b\]|\u009d)[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|(?:\u001b[PX^_]|[\u0090\u0098\u009e\u009f])[^\u001b\u009c]*(?:\u001b\\|\u009c)?|\u001b[\u0020-\u002f]*[\u0030-\u007e]?/g;

function visible(ch: string): string {
  const c = ch.codePointAt(0) ?? 0;
  if (c < 0x20) return String.fromCodePoint(0x2400 + c); // ␀ … ␟ (ESC → ␛, BEL → ␇)
  if (c === 0x7f) return '\u2421'; // ␡
  return `\\u{${c.toString(16)}}`;
}

/** Log text → text that is safe to write to a terminal (or a Markdown document). */
export function sanitizeForTerminal(s: string, opts: SanitizeOptions = {}): string {
  const multiline = opts.multiline === true;
  let t = multiline ? s.replace(/\r\n/g, '\n') : s;
  if (opts.ansi === 'strip') t = t.replace(ANSI_SEQUENCE, '');
  return t.replace(UNSAFE, (ch) => {
    if (ch === '\n' || ch === '\t') {
      if (multiline) return ch;
      if (ch === '\t') return ' ';
    }
    return visible(ch);
  });
}

/** True when the text holds nothing `sanitizeForTerminal` would change (tests, assertions). */
export function isTerminalSafe(s: string, opts: { multiline?: boolean } = {}): boolean {
  UNSAFE.lastIndex = 0;
  for (const m of s.matchAll(UNSAFE)) {
    if (opts.multiline && (m[0] === '\n' || m[0] === '\t')) continue;
    return false;
  }
  return true;
}

/**
 * Characters JSON.stringify leaves raw that should not be: DEL and C1 controls (a terminal
 * obeys `\x9b` like `ESC[`), the bidi controls (Trojan Source) and U+2028/U+2029 (line breaks
 * in JavaScript source before ES2019 and in many viewers). They can only occur inside strings.
 */
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** Post-processes JSON.stringify output: the characters above become `\uXXXX` escapes (same value). */
export function escapeJsonText(json: string): string {
  return json.replace(JSON_UNSAFE, (ch) => '\\u' + (ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0'));
}

/** JSON.stringify + `escapeJsonText`: the one way reports write JSON. */
export function safeJsonStringify(value: unknown, indent?: number): string {
  return escapeJsonText(JSON.stringify(value, null, indent));
}

/** Anything outside the XML 1.0 Char production (C0 except TAB/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const XML_INVALID = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Drops characters XML 1.0 cannot carry at all (not even as a character reference). */
export function stripXmlInvalid(s: string): string {
  return s.replace(XML_INVALID, '');
}

/** Escapes element text content. */
export function xmlText(s: string): string {
  return stripXmlInvalid(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes an attribute value (double-quoted); keeps TAB/LF/CR through attribute normalization. */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}
