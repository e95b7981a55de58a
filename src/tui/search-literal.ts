/**
 * What a search can look for in a record's bytes before framing it again (text-scan.ts). The
 * store holds no text, so a search reads records back from their files; when every match holds
 * some printable ASCII text (a literal search: an AADSTS code, an activity ID, a host name), a
 * record can match only if its bytes hold that text, and a stretch of records whose bytes do
 * not is skipped without framing it. ASCII is the same bytes in UTF-8 and Windows-1252 (the
 * reader leaves UTF-16 out), message text is the bytes' text (the only rewrite, `~~` to a line
 * feed, makes a character a printable literal has none of), and a case-insensitive regex
 * without the `u` flag never matches a non-ASCII character to an ASCII one.
 */
import type { BytesFinder } from '../analysis/record-reader.js';

/** Characters with a meaning in a regex source (escaped, each stands for itself). */
const SYNTAX = '\\^$.*+?()[]{}|/-';

/**
 * Text every match of the regex holds: the regex itself when it is a literal (escapes of syntax
 * characters allowed), or, when it is literals and `.` (a host name typed as is), the longest
 * stretch between dots. Null for any other regex syntax, or without such text in printable ASCII.
 */
export function requiredLiteral(re: RegExp): string | null {
  // `g`/`y` make test() stateful, `u` changes case folding: none of them is what the UI builds.
  if (re.flags !== '' && re.flags !== 'i') return null;
  const src = re.source;
  const pieces = [''];
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const next = src[++i];
      if (next === undefined || !SYNTAX.includes(next)) return null; // \d, \b, \n, …: not a literal
      pieces[pieces.length - 1] += next;
    } else if (c === '.') pieces.push('');
    else if (SYNTAX.includes(c) && c !== '-' && c !== '/') return null;
    else pieces[pieces.length - 1] += c;
  }
  const usable = pieces.filter((p) => /^[\x20-\x7e]+$/.test(p)).sort((a, b) => b.length - a.length);
  return usable[0] ?? null;
}

/** Caseless characters (no upper or lower case) in a row, at least this many, are looked for alone in a case-insensitive search. */
const CASELESS_RUN = 4;

/**
 * Where a match of the regex may be in a stretch of bytes (a place its required text is found),
 * or null when no text is required. Case-insensitive: a run of caseless characters of that text
 * (`7000222` of `aadsts7000222`) as bytes, else the text matched case-insensitively in the
 * bytes read as Latin-1 (one character a byte; such a regex matches no other character to ASCII).
 */
export function bytesFinderFor(re: RegExp): BytesFinder | null {
  const lit = requiredLiteral(re);
  if (lit === null) return null;
  const caseless = (t: string) => t.toLowerCase() === t.toUpperCase();
  const run = re.flags.includes('i') && !caseless(lit) ? (lit.match(/[^A-Za-z]+/g) ?? []).filter(caseless).sort((a, b) => b.length - a.length)[0] : lit;
  // The same bytes are asked about again from later places: wrapped (or read as text) once.
  let lastBytes: Uint8Array | null = null;
  if (run !== undefined && (run === lit || run.length >= CASELESS_RUN)) {
    const needle = Buffer.from(run, 'latin1');
    let buf: Buffer = Buffer.alloc(0);
    return (b, from) => {
      if (b !== lastBytes) {
        lastBytes = b;
        buf = Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
      }
      return buf.indexOf(needle, from);
    };
  }
  const pattern = new RegExp(lit.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'), 'gi');
  let text = '';
  return (b, from) => {
    if (b !== lastBytes) {
      lastBytes = b;
      text = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
    }
    pattern.lastIndex = from;
    return pattern.exec(text)?.index ?? -1;
  };
}
