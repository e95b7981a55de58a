/**
 * Literal prefilters. A regex scan costs about as much when it fails as when it matches (tens of
 * nanoseconds on a long line, hundreds for one that starts with an optional group or a
 * lookbehind), and every line meets a few dozen of them while holding the words of one or two.
 * So a costly regex, or a group of regexes, runs only when the line holds a literal that every
 * match needs.
 *
 * Several literals go in one alternation (one scan instead of several calls). An alternation
 * tries each word at every position whose next characters could begin one, so each word is a
 * piece of a word its regex requires (a piece of a required word is required too), chosen to
 * begin with letters that are rare in log lines: `blish` for `establish`, `xecute` for
 * `ExecuteReader`.
 *
 * Every prefilter goes through `holds`, so a test can make it always pass and check that the
 * extractors then give the same events (test/parsers/logs/fast-path.test.ts).
 */

/**
 * Whether `text` holds `needed`: a string (case-sensitive, for literals like `(` that have no
 * case), a regex without the g flag, or a test written out where a regex would backtrack. A
 * false answer must mean that none of the regexes it guards can match `text`.
 */
export function holds(needed: string | RegExp | ((text: string) => boolean), text: string): boolean {
  if (typeof needed === 'string') return text.includes(needed);
  if (typeof needed === 'function') return needed(text);
  return needed.test(text);
}

/**
 * A fast reading of a line in its usual spelling (an anchored, case-sensitive regex), or null
 * to read it the tolerant way. Through here so the fast-path test can turn every such shortcut
 * off and check that the tolerant reading gives the same events.
 */
export function usual(re: RegExp, text: string): RegExpExecArray | null {
  return re.exec(text);
}
