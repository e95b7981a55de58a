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

/** Whether a lower-cased text can match, given requiredLiterals(). */
export function mayMatch(lower: string, literals: readonly (readonly string[])[]): boolean {
  for (const branch of literals) {
    let all = true;
    for (const lit of branch) {
      if (!lower.includes(lit)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

/** Most automaton states a LiteralScanner builds (memory: 512 bytes per state). */
export const MAX_SCANNER_STATES = 20_000;

/**
 * Finds, in one pass over a text, which of a set of lower-case ASCII literals it contains, with
 * ASCII case folding (A-Z as a-z). That is the same as searching the lower-cased text: the
 * literals are ASCII, and only ASCII letters lower-case to ASCII letters a regex without the `u`
 * flag could match. An Aho-Corasick automaton over 7-bit characters: a few array reads per
 * character, whatever the number of literals.
 */
export class LiteralScanner {
  readonly literals: readonly string[];
  private readonly delta: Int32Array;
  /** Per state, the literal ids that end there (own and through suffix links), or undefined. */
  private readonly out: (number[] | undefined)[];
  private readonly seen: Uint32Array;
  private stamp = 0;
  /** Ids found by the last scan, each once. */
  readonly found: number[] = [];

  private constructor(literals: readonly string[], delta: Int32Array, out: (number[] | undefined)[]) {
    this.literals = literals;
    this.delta = delta;
    this.out = out;
    this.seen = new Uint32Array(literals.length);
  }

  /** A scanner for these literals, or null when they would need more than MAX_SCANNER_STATES states. */
  static build(literals: readonly string[]): LiteralScanner | null {
    const children: Map<number, number>[] = [new Map()];
    const ends: number[][] = [[]];
    literals.forEach((lit, id) => {
      let s = 0;
      for (let i = 0; i < lit.length; i++) {
        const c = lit.charCodeAt(i);
        if (c > 0x7f) throw new Error(`literal is not ASCII: ${lit}`);
        const node = children[s];
        if (!node) break;
        let t = node.get(c);
        if (t === undefined) {
          t = children.length;
          children.push(new Map());
          ends.push([]);
          node.set(c, t);
        }
        s = t;
      }
      ends[s]?.push(id);
    });
    const states = children.length;
    if (states > MAX_SCANNER_STATES) return null;
    const delta = new Int32Array(states * 128);
    const fail = new Int32Array(states);
    const out: (number[] | undefined)[] = new Array(states);
    const queue: number[] = [];
    for (let c = 0; c < 128; c++) {
      const t = children[0]?.get(c);
      if (t !== undefined) {
        delta[c] = t;
        fail[t] = 0;
        queue.push(t);
      }
    }
    out[0] = ends[0]?.length ? ends[0] : undefined;
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q] ?? 0;
      const own = ends[s] ?? [];
      const inherited = out[fail[s] ?? 0];
      const all = inherited ? [...own, ...inherited] : own;
      out[s] = all.length ? all : undefined;
      for (let c = 0; c < 128; c++) {
        const t = children[s]?.get(c);
        if (t !== undefined) {
          fail[t] = delta[(fail[s] ?? 0) * 128 + c] ?? 0;
          delta[s * 128 + c] = t;
          queue.push(t);
        } else {
          delta[s * 128 + c] = delta[(fail[s] ?? 0) * 128 + c] ?? 0;
        }
      }
    }
    return new LiteralScanner(literals, delta, out);
  }

  /** Scans `text`; afterwards `found` lists the ids present and has() answers for any id. */
  scan(text: string): void {
    this.found.length = 0;
    this.stamp = this.stamp === 0xffffffff ? 1 : this.stamp + 1;
    if (this.stamp === 1) this.seen.fill(0);
    const stamp = this.stamp;
    const delta = this.delta;
    const out = this.out;
    const seen = this.seen;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (c > 0x7f) {
        s = 0;
        continue;
      }
      if (c >= 65 && c <= 90) c += 32;
      s = delta[s * 128 + c] ?? 0;
      const o = out[s];
      if (o !== undefined) {
        for (const id of o) {
          if (seen[id] !== stamp) {
            seen[id] = stamp;
            this.found.push(id);
          }
        }
      }
    }
  }

  /** Whether the last scan found literal `id`. */
  has(id: number): boolean {
    return this.seen[id] === this.stamp;
  }
}
