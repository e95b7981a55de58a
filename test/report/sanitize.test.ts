import { describe, expect, it } from 'vitest';
import { escapeJsonText, isTerminalSafe, safeJsonStringify, sanitizeForTerminal, stripXmlInvalid, xmlAttr, xmlText } from '../../src/report/sanitize.js';

describe('sanitizeForTerminal', () => {
  it('shows ESC/BEL of title changes, screen clears and OSC 8 links instead of obeying them', () => {
    expect(sanitizeForTerminal('\x1b]0;pwned\x07')).toBe('␛]0;pwned␇');
    expect(sanitizeForTerminal('\x1b[2J')).toBe('␛[2J');
    expect(sanitizeForTerminal('\x1b]8;;http://x\x07click\x1b]8;;\x07')).toBe('␛]8;;http://x␇click␛]8;;␇');
  });
  it('escapes C1 controls (8-bit CSI), DEL and bidi overrides/isolates as visible text', () => {
    expect(sanitizeForTerminal('a\x9b31mb')).toBe('a\\u{9b}31mb');
    expect(sanitizeForTerminal('x\x7fy')).toBe('x␡y');
    expect(sanitizeForTerminal('abc\u202etxt.exe')).toBe('abc\\u{202e}txt.exe');
    for (const c of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u2028', '\u2029']) {
      expect(isTerminalSafe(sanitizeForTerminal(`a${c}b`))).toBe(true);
      expect(sanitizeForTerminal(`a${c}b`)).toBe(`a\\u{${c.codePointAt(0)!.toString(16)}}b`);
    }
  });
  it('one line by default; keeps \\n and \\t (and reads \\r\\n) with multiline', () => {
    expect(sanitizeForTerminal('a\nb\tc\rd')).toBe('a␊b c␍d');
    expect(sanitizeForTerminal('a\r\nb\tc\rd', { multiline: true })).toBe('a\nb\tc␍d');
  });
  it('can strip whole escape sequences', () => {
    expect(sanitizeForTerminal('a\x1b]0;pwned\x07b\x1b[1;31mc\x1b[0m\x1b]8;;http://x\x1b\\d', { ansi: 'strip' })).toBe('abcd');
    expect(sanitizeForTerminal('a\x1bPpayload\x1b\\b', { ansi: 'strip' })).toBe('ab');
    expect(sanitizeForTerminal('lone \x1b', { ansi: 'strip' })).toBe('lone ');
  });
  it('leaves ordinary text (incl. non-Latin scripts and emoji) alone', () => {
    const s = 'Batching 26 records → 200 (OK) — Größe 東京 😀 עברית';
    expect(sanitizeForTerminal(s)).toBe(s);
    expect(isTerminalSafe(s)).toBe(true);
    expect(isTerminalSafe('a\nb', { multiline: true })).toBe(true);
    expect(isTerminalSafe('a\nb')).toBe(false);
  });
});

describe('JSON escaping', () => {
  it('escapes C1, DEL, bidi and U+2028/2029 after stringify, losslessly', () => {
    const v = { s: 'a\x9bb\x7f\u202e\u2028\u2029\u2066 \x1b' };
    const text = safeJsonStringify(v);
    expect(text).toBe('{"s":"a\\u009bb\\u007f\\u202e\\u2028\\u2029\\u2066 \\u001b"}');
    expect(JSON.parse(text)).toEqual(v);
    expect(escapeJsonText('"plain"')).toBe('"plain"');
  });
});

describe('XML escaping', () => {
  it('drops characters XML 1.0 cannot carry and escapes markup', () => {
    expect(stripXmlInvalid('a\x00b\x1bc\x07d\uffffe\ud800f')).toBe('abcdef');
    expect(xmlText('<a & "b">')).toBe('&lt;a &amp; "b"&gt;');
    expect(xmlAttr(`x"y'z\n<&>`)).toBe('x&quot;y&apos;z&#10;&lt;&amp;&gt;');
    expect(xmlText('😀 ok')).toBe('😀 ok');
  });
});
