/**
 * Small pure text helpers shared by the extractors: line splitting, tolerant key/value reading,
 * URL parts, HTTP status reading, HRESULT and GUID normalisation.
 */
import { holds } from './guard.js';

/** Longest line the matchers look at. Longer lines are cut so a giant line cannot stall a regex. */
export const MAX_LINE = 16_384;

/** The physical lines of a message (`\r\n`, `\n` or `\r`). */
export function splitLines(message: string): string[] {
  // Most records are one line; two character searches cost a fraction of a regex split.
  if (message.indexOf('\n') < 0 && message.indexOf('\r') < 0) return [message];
  return message.split(/\r\n|\n|\r/);
}

/** First line of a message, without its terminator. */
export function firstLine(message: string): string {
  // Called for every event: two character searches are ~3× cheaper than `search(/[\r\n]/)`.
  const n = message.indexOf('\n');
  const r = message.indexOf('\r');
  const i = r >= 0 && (n < 0 || r < n) ? r : n;
  return i < 0 ? message : message.slice(0, i);
}

/** A decimal integer, or null when the text is not one. */
export function toInt(text: string | null | undefined): number | null {
  if (text == null) return null;
  const t = text.trim();
  if (!/^[+-]?\d{1,15}$/.test(t)) return null;
  return Number(t);
}

/** Cut a string for a one-line summary. */
export function clip(text: string, max = 200): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** A GUID-ish value without its braces (case kept as written). */
export function stripBraces(value: string): string {
  // Most values have no braces: two character tests instead of two regex replaces.
  if (!value.startsWith('{') && !value.endsWith('}')) return value;
  return value.replace(/^\{+/, '').replace(/\}+$/, '');
}

/** `0x8…` in one spelling: lower-case `0x`, upper-case hex digits, 8 digits. */
export function normHresult(text: string): string {
  const t = text.trim();
  if (/^0x[0-9a-f]+$/i.test(t)) return `0x${t.slice(2).toUpperCase().padStart(8, '0')}`;
  const n = toInt(t);
  if (n === null) return t;
  return `0x${(n >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Build a reader for `Key: value Key2: value2` (or `key=value, key2=value2 and key3=`) texts.
 * `keys` maps the canonical name to a regex source for the key as written (matched without case).
 * A value runs up to the next known key. Present-but-empty keys give `''`; absent keys are missing.
 * Trailing `,` `;` `.` and a trailing ` and` are dropped from values.
 */
export function kvReader(
  keys: Readonly<Record<string, string>>,
  sep = '[:=]',
): (text: string) => Partial<Record<string, string>> {
  const names = Object.keys(keys);
  const sources = names.map((name) => keys[name] ?? escapeRe(name));
  // Each key is a numbered group (read per hit without building a `groups` object); a key's own
  // groups, if it has any, come after its group.
  const groupOf: number[] = [];
  let group = 1;
  for (const source of sources) {
    groupOf.push(group);
    group += new RegExp(`${source}|`).exec('')?.length ?? 1;
  }
  const re = new RegExp(`(?<![A-Za-z0-9_])(?:${sources.map((s) => `(${s})`).join('|')})\\s*${sep}`, 'gi');
  return (text: string) => {
    const out: Partial<Record<string, string>> = {};
    re.lastIndex = 0;
    let hit = next(re, text);
    while (hit !== null) {
      const after = next(re, text);
      let k = 0;
      while (k < names.length && hit[groupOf[k] ?? 0] === undefined) k++;
      const name = names[k];
      if (name !== undefined && out[name] === undefined) {
        out[name] = cleanValue(text.slice(hit.index + hit[0].length, after === null ? text.length : after.index));
      }
      hit = after;
    }
    return out;
  };
}

/** The next match of a global regex, stepping over an empty match as `matchAll` does. */
function next(re: RegExp, text: string): RegExpExecArray | null {
  const m = re.exec(text);
  if (m !== null && m[0] === '') re.lastIndex++;
  return m;
}

function cleanValue(value: string): string {
  return value
    .trim()
    .replace(/(?:\s+and|[,;.])+$/i, '')
    .trim();
}

/** An identifier value (GUID, ID, name): its first word, braces and trailing punctuation dropped; null if empty. */
export function idValue(value: string | undefined): string | null {
  if (value === undefined) return null;
  const word = value.trim().split(/\s+/)[0] ?? '';
  const id = stripBraces(word.replace(/[.,;]+$/, ''));
  return id === '' ? null : id;
}

/** An empty value as null. */
export function orNull(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

// ---------------------------------------------------------------------------------------------
// URLs

export interface UrlParts {
  /** The URL as written, without surrounding quotes or trailing punctuation. */
  readonly url: string;
  /** Lower-case host name, or null when the text is not a URL. */
  readonly host: string | null;
  /** Last non-empty path segment (`DevicePost`), or null. */
  readonly endpoint: string | null;
}

export const URL_RE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>(){}[\]]+/i;
export const URL_RE_G = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>(){}[\]]+/gi;

/**
 * A copy of `text` that does not point into a longer string. V8 keeps a slice (a line of a
 * record, a regex capture) as a view that holds its whole parent alive, so a key a cache keeps
 * for long must be copied. Joining two pieces builds one new flat string, which also compares
 * faster than a view.
 */
export function detached(text: string): string {
  return [text.slice(0, 1), text.slice(1)].join('');
}

/**
 * `fn` with a cache of its results by argument, for pure functions of text that repeats (the
 * gateway URL is the same on every poll). Cleared when it holds `max` entries, so memory stays
 * bounded however many distinct texts a log has. Callers share results: they must not mutate them.
 */
export function memoize<T>(fn: (text: string) => T, max = 256): (text: string) => T {
  const cache = new Map<string, { text: string; value: T }>();
  // The last text first: comparing with it is cheaper than hashing a fresh string.
  let last: { text: string; value: T } | undefined;
  return (text) => {
    if (last !== undefined && text === last.text) return last.value;
    let entry = cache.get(text);
    if (entry === undefined) {
      if (cache.size >= max) cache.clear();
      entry = { text: detached(text), value: fn(text) };
      cache.set(entry.text, entry);
    }
    last = entry;
    return entry.value;
  };
}

export function urlParts(raw: string): UrlParts {
  const url = raw.replace(/^['"<([]+/, '').replace(/['"<>)\],;.:]+$/, '');
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^/?#:]*)(?::\d*)?([^?#]*)/i.exec(url);
  if (!m) return { url, host: null, endpoint: null };
  const host = m[1] ? m[1].toLowerCase() : null;
  const segments = (m[2] ?? '').split('/').filter((s) => s !== '');
  return { url, host, endpoint: segments[segments.length - 1] ?? null };
}

// ---------------------------------------------------------------------------------------------
// HTTP status codes

/** Standard reason phrases (also the proxy-only 598/599), used to read a reason after a code. */
const REASON_PHRASES = [
  'Continue', 'Switching Protocols', 'OK', 'Created', 'Accepted', 'Non Authoritative Information',
  'No Content', 'Reset Content', 'Partial Content', 'Multiple Choices', 'Moved Permanently', 'Found',
  'See Other', 'Not Modified', 'Temporary Redirect', 'Permanent Redirect', 'Redirect',
  'Bad Request', 'Unauthorized', 'Payment Required', 'Forbidden', 'Not Found', 'Method Not Allowed',
  'Not Acceptable', 'Proxy Authentication Required', 'Request Timeout', 'Request Time-out', 'Conflict', 'Gone',
  'Length Required', 'Precondition Failed', 'Request Entity Too Large', 'Payload Too Large',
  'Request URI Too Long', 'URI Too Long', 'Unsupported Media Type', 'Requested Range Not Satisfiable',
  'Expectation Failed', 'Misdirected Request', 'Unprocessable Entity', 'Locked', 'Failed Dependency',
  'Upgrade Required', 'Precondition Required', 'Too Many Requests', 'Request Header Fields Too Large',
  'Unavailable For Legal Reasons', 'Internal Server Error', 'Not Implemented', 'Bad Gateway',
  'Service Unavailable', 'Gateway Timeout', 'HTTP Version Not Supported', 'Insufficient Storage',
  'Loop Detected', 'Network Authentication Required', 'Network Read Timeout', 'Network Connect Timeout',
  'Network Connection Timeout',
];

const REASON_RE = new RegExp(
  `^\\s*(${[...REASON_PHRASES]
    .sort((a, b) => b.length - a.length)
    .map((p) => p.split(/[\s-]+/).map(escapeRe).join('[\\s_-]*'))
    .join('|')})(?![A-Za-z])`,
  'i',
);

/** The reason written right after a status code: `(Unauthorized)`, or a known phrase. */
export function reasonAfter(rest: string): string | null {
  const paren = /^\s*\(\s*([A-Za-z][^()]{0,60}?)\s*\)/.exec(rest);
  if (paren) return paren[1] ?? null;
  const known = REASON_RE.exec(rest);
  return known?.[1] ?? null;
}

export interface HttpHit {
  status: number;
  reason: string | null;
}

const CONTEXT_RE = /error|status|returned|http|response|fail|denied|answered/i;
// `(401) Unauthorized` (the .NET WebException shape)
const PAREN_CODE_RE = /(?<![\w.])\((\d{3})\)/g;
// `401 (Unauthorized)`
const CODE_PAREN_RE = /(?<![\w.:/\\-])(\d{3})\s*\(\s*([A-Za-z][A-Za-z \-_]{0,60}?)\s*\)/g;
// `status code: 500`, `StatusCode=403`, `HTTP 502`, `Error 403 forbidden`, `error code: 500 internal server error`
const KEYWORD_CODE_RE =
  /\b(?:(?:http\s*)?status(?:\s*code)?|statuscode|http(?:\/\d(?:\.\d)?)?|(?:http\s*)?error(?:\s*code)?)\s*[:=#]?\s*(\d{3})(?![\d.:])/gi;

/**
 * What every error status (400–599) read by the three regexes above has: `4dd` or `5dd` at the
 * start of the line or after what may come before the code in one of them: `(`, a space or any
 * other non-word character but `.:/\-` (PAREN_CODE_RE, CODE_PAREN_RE), and for KEYWORD_CODE_RE
 * also `:`, a keyword's end (`status`, `code`, `http`, `error`) or the version of `http/1`,
 * `http/1.1`. So the hex digits of GUIDs, frequent in these logs, do not count. (The lookbehind
 * comes last: placed first, it would run at every position.)
 */
const ERROR_CODE_NEEDS = /[45]\d\d(?<=(?:^|[^\w.:/\\-]|:|status|code|http|error|[/.]\d)[45]\d\d)/i;

/** HTTP statuses written in a line (each status once, in order of appearance). */
export function findHttpStatuses(text: string, min = 100, max = 599): HttpHit[] {
  const hits: { at: number; hit: HttpHit }[] = [];
  const seen = new Set<number>();
  const add = (at: number, status: number, reason: string | null): void => {
    if (status < min || status > max || seen.has(status)) return;
    seen.add(status);
    hits.push({ at, hit: { status, reason } });
  };
  // Both code-with-parentheses shapes need a `(`.
  if (holds('(', text)) {
    let context: boolean | undefined;
    for (const m of text.matchAll(PAREN_CODE_RE)) {
      const status = Number(m[1]);
      const reason = reasonAfter(text.slice((m.index ?? 0) + m[0].length));
      if (reason === null) context ??= CONTEXT_RE.test(text);
      if (reason !== null || context) add(m.index ?? 0, status, reason);
    }
    for (const m of text.matchAll(CODE_PAREN_RE)) {
      add(m.index ?? 0, Number(m[1]), m[2] ?? null);
    }
  }
  for (const m of text.matchAll(KEYWORD_CODE_RE)) {
    add(m.index ?? 0, Number(m[1]), reasonAfter(text.slice((m.index ?? 0) + m[0].length)));
  }
  return hits.sort((a, b) => a.at - b.at).map((h) => h.hit);
}

/** HTTP error statuses (400–599) written in a line. */
export function findHttpErrors(text: string): HttpHit[] {
  return holds(ERROR_CODE_NEEDS, text) ? findHttpStatuses(text, 400, 599) : [];
}

// ---------------------------------------------------------------------------------------------
// Stack frames (shared by the exception-block reader and AdminService)

/** A .NET stack frame line or an inner-exception marker. */
export const STACK_LINE_RE =
  /^\s*(?:at\s+[A-Za-z_<$][^\s(]*[.(]|-{2,3}\s*>|-{2,3}\s*End\s+of|Inner\s*Exception\b|Server\s+stack\s+trace|Exception\s+rethrown)/i;

/** Where an inline stack (`msg.    at Microsoft.X.Y()`) starts in a line, or -1. */
export function inlineStackStart(text: string): number {
  const m = /\s+at\s+[A-Za-z_<$][^\s(]*[.(]/i.exec(text);
  return m ? m.index : -1;
}

const FRAME_RE = /(?:^|\s)at\s+[A-Za-z_<$][^\s(]*[.(]/gi;

/** Number of inline `at X.Y` frames in a line. */
export function countFrames(text: string): number {
  let n = 0;
  FRAME_RE.lastIndex = 0;
  while (FRAME_RE.exec(text) !== null) n++;
  return n;
}
