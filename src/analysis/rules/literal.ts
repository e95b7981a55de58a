/**
 * Literal prefilters for text matchers: from a regex source, the runs of plain characters every
 * match must contain, per top-level alternative. A message whose lower-cased text lacks a run of
 * every alternative cannot match, so the regex need not run on it.
 *
 * Conservative by construction: anything not understood ends a run (groups, classes, escapes of
 * character kinds, non-ASCII characters), and an optional atom is dropped from the run.
 */

/** Shortest literal worth filtering on. */
const MIN_LITERAL = 2;

const CONTROL_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v' };
/** Escapes that stand for a class of characters, an assertion or a reference: never literal. */
const KIND_ESCAPES = new Set(['d', 'D', 'w', 'W', 's', 'S', 'b', 'B', 'p', 'P', 'k', 'c', 'u', 'x', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

/** Index just past the group opening at `i` (`source[i] === '('`), or source.length. */
function skipGroup(source: string, i: number): number {
  let depth = 0;
  let inClass = false;
  for (let j = i; j < source.length; j++) {
    const c = source[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return source.length;
}

/** Index just past the class opening at `i` (`source[i] === '['`). */
function skipClass(source: string, i: number): number {
  for (let j = i + 1; j < source.length; j++) {
    const c = source[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (c === ']') return j + 1;
  }
  return source.length;
}

/** Index just past the escape starting at `i` (`source[i] === '\\'`). */
function escapeEnd(source: string, i: number): number {
  const e = source[i + 1] ?? '';
  const rest = source.slice(i + 2);
  let m: RegExpExecArray | null = null;
  if (e === 'x') m = /^[0-9A-Fa-f]{2}/.exec(rest);
  else if (e === 'u') m = /^(?:\{[0-9A-Fa-f]+\}|[0-9A-Fa-f]{4})/.exec(rest);
  else if (e === 'c') m = /^[A-Za-z]/.exec(rest);
  else if (e === 'p' || e === 'P') m = /^\{[^}]*\}/.exec(rest);
  else if (e === 'k') m = /^<[^>]*>/.exec(rest);
  else if (/[0-9]/.test(e)) m = /^[0-9]*/.exec(rest);
  return i + 2 + (m ? m[0].length : 0);
}

const BRACE_QUANT_RE = /^\{(\d+)(?:,(\d*))?\}/;

/** The quantifier at `i`: its minimum count and length, or null when there is none. */
function quantifierAt(source: string, i: number): { min: number; length: number } | null {
  const c = source[i];
  let q: { min: number; length: number } | null = null;
  if (c === '*') q = { min: 0, length: 1 };
  else if (c === '?') q = { min: 0, length: 1 };
  else if (c === '+') q = { min: 1, length: 1 };
  else if (c === '{') {
    const m = BRACE_QUANT_RE.exec(source.slice(i));
    if (m) q = { min: Number(m[1]), length: m[0].length };
  }
  if (q && source[i + q.length] === '?') q.length++;
  return q;
}

/**
 * The literals each top-level alternative of `source` requires (lower-cased, longest first): a
 * message can match only if, for some alternative, it contains every literal of that alternative.
 * Null when some alternative requires none (or the flags make lower-casing unsafe: `i` with `u`).
 */
export function requiredLiterals(source: string, flags = ''): string[][] | null {
  if (flags.includes('i') && (flags.includes('u') || flags.includes('v'))) return null;
  const branches: string[][] = [];
  let runs: string[] = [];
  let run = '';
  const endRun = (): void => {
    if (run.length >= MIN_LITERAL) runs.push(run.toLowerCase());
    run = '';
  };
  const endBranch = (): boolean => {
    endRun();
    if (runs.length === 0) return false;
    branches.push([...new Set(runs)].sort((a, b) => b.length - a.length));
    runs = [];
    return true;
  };

  let i = 0;
  while (i < source.length) {
    const c = source[i] ?? '';
    let literal: string | null = null;
    let next: number;
    if (c === '|') {
      if (!endBranch()) return null;
      i++;
      continue;
    } else if (c === '\\') {
      const e = source[i + 1] ?? '';
      next = escapeEnd(source, i);
      if (CONTROL_ESCAPES[e] !== undefined) literal = CONTROL_ESCAPES[e] ?? null;
      else if (!KIND_ESCAPES.has(e) && !/[A-Za-z]/.test(e)) literal = e;
    } else if (c === '(') {
      next = skipGroup(source, i);
    } else if (c === '[') {
      next = skipClass(source, i);
    } else if (c === '.' || c === '^' || c === '$') {
      next = i + 1;
    } else {
      literal = c;
      next = i + 1;
    }
    // Only ASCII lower-cases the same in every context.
    if (literal !== null && literal.charCodeAt(0) > 0x7e) literal = null;
    const q = quantifierAt(source, next);
    if (q) {
      if (literal !== null && q.min >= 1) run += literal;
      endRun();
      next += q.length;
    } else if (literal !== null) {
      run += literal;
    } else {
      endRun();
    }
    i = next;
  }
  if (!endBranch()) return null;
  return branches;
}

/**
 * The literal of an alternative a prefilter looks for: the one with most digits (log lines share
 * their words; a status code or error number sets them apart), then the longest.
 */
export function keyLiteral(branch: readonly string[]): string {
  const digits = (l: string): number => l.replace(/\D/g, '').length;
  return [...branch].sort((a, b) => digits(b) - digits(a) || b.length - a.length)[0] ?? '';
}

/**
 * A native regex that matches a text containing the key literal of any of these alternatives,
 * with ASCII case folding (the literals are lower-case ASCII; without the `u` flag, `i` folds
 * A-Z to a-z and maps nothing else onto ASCII, like searching the lower-cased text). Null when
 * there is no alternative. Irregexp searches it in native code: much cheaper per message than
 * any scan written in JavaScript.
 */
export function prefilterRegExp(branches: readonly (readonly string[])[], shape: 'list' | 'trie' = 'list'): RegExp | null {
  const keys = [...new Set(branches.map(keyLiteral))];
  if (keys.length === 0) return null;
  if (shape === 'list') return new RegExp(keys.map(escapeLiteral).join('|'), 'i');
  // A text holding a key that holds another key holds that other key too: the longer one adds
  // nothing to "holds any of them".
  const needed = keys.filter((k) => !keys.some((o) => o !== k && k.includes(o))).sort();
  return new RegExp(trieSource(needed, 0, 0, needed.length), 'i');
}

/** Characters with a meaning in a regex source, escaped to stand for themselves. */
const REGEX_SPECIAL = '.*+?^${}()|[]\\/';
// A character check, not a regex replace: the trie escapes one character at a time, and a
// replace per character was most of its cost.
const escapeChar = (c: string): string => (REGEX_SPECIAL.includes(c) ? `\\${c}` : c);
const escapeLiteral = (text: string): string => Array.from(text, escapeChar).join('');

/**
 * `words[from, to)` (sorted, sharing their first `depth` characters) from character `depth` on,
 * as one alternation with shared beginnings written once (`a(?:adsts|pplication )`): at each
 * position of a text the search tries the words that begin with its character, not every word
 * (measured: a fifth less time on the notification worker's 55 keys). Made for the prefilter
 * every message meets (RuleEngine's per-log plan); a matcher's own few keys stay a list, which
 * compiles faster (a small scan's start-up builds dozens).
 */
function trieSource(words: readonly string[], depth: number, from: number, to: number): string {
  // Sorted, a word that ends here comes first: it is enough on its own.
  if (words[from]!.length === depth) return '';
  const alternatives: string[] = [];
  for (let i = from; i < to; ) {
    const c = words[i]![depth]!;
    let j = i + 1;
    while (j < to && words[j]![depth] === c) j++;
    alternatives.push(escapeChar(c) + trieSource(words, depth + 1, i, j));
    i = j;
  }
  return alternatives.length === 1 ? alternatives[0]! : `(?:${alternatives.join('|')})`;
}
