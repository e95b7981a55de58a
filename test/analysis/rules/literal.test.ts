import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyLiteral, prefilterRegExp, requiredLiterals } from '../../../src/analysis/rules/literal.js';

describe('requiredLiterals', () => {
  it('takes the longest plain run of each alternative, lower-cased', () => {
    expect(requiredLiterals('Response from \\S+ is: 401')).toEqual([['response from ', ' is: 401']]);
    expect(requiredLiterals('AADSTS(?<code>65001|90094)(?!\\d)')).toEqual([['aadsts']]);
    expect(requiredLiterals('underlying connection was closed|operation has timed out')).toEqual([['underlying connection was closed'], ['operation has timed out']]);
    expect(requiredLiterals('\\(401\\) Unauthorized')).toEqual([['(401) unauthorized']]);
  });

  it('drops optional atoms and keeps required repeats', () => {
    expect(requiredLiterals('abcd?ef')).toEqual([['abc', 'ef']]);
    expect(requiredLiterals('abc+def')).toEqual([['abc', 'def']]);
    expect(requiredLiterals('ab{0,2}cdef')).toEqual([['cdef']]);
    expect(requiredLiterals('xy{2}zzzz')).toEqual([['zzzz', 'xy']]);
    expect(requiredLiterals('\\x41BCD')).toEqual([['bcd']]);
  });

  it('gives up when an alternative has no literal, or lower-casing is unsafe', () => {
    expect(requiredLiterals('abc|\\d+')).toBeNull();
    expect(requiredLiterals('.*')).toBeNull();
    expect(requiredLiterals('abc', 'iu')).toBeNull();
    expect(requiredLiterals('(abc)')).toBeNull();
  });
});

/** Small regex sources built from pieces that exercise every branch of the literal reader. */
const piece = fc.constantFrom(
  'a', 'b', 'A', 'ab', 'Ba', ' ', '-', ':', '\\.', '\\(', '\\)', '\\d', '\\s', '\\w', '\\b', '.', '[ab]', '[^a]', '(a|b)',
  '(?:ab)', '(?<g>b)', '(?=a)', '(?!b)', '*', '+', '?', '{2}', '{0,1}', '{1,}', '*?', '|', '^', '$', '\\x41', '\\u0042', 'é', '\\n',
);
const source = fc.array(piece, { maxLength: 10 }).map((parts) => parts.join(''));
const subject = fc.array(fc.constantFrom('a', 'b', 'A', 'B', ' ', '-', ':', '.', '(', ')', '1', 'é', 'É', '\n'), { maxLength: 16 }).map((c) => c.join(''));

/** What requiredLiterals promises: every literal of some alternative is in the lower-cased text. */
function mayMatch(lower: string, literals: readonly (readonly string[])[]): boolean {
  return literals.some((branch) => branch.every((lit) => lower.includes(lit)));
}

describe('requiredLiterals property', () => {
  it('never rejects a message the regex matches, and neither does the prefilter built from them', () => {
    fc.assert(
      fc.property(source, subject, fc.constantFrom('', 'i', 'm', 's', 'u', 'im'), (src, text, flags) => {
        let re: RegExp;
        try {
          re = new RegExp(src, flags);
        } catch {
          return true;
        }
        const lits = requiredLiterals(src, flags);
        if (lits === null || !re.test(text)) return true;
        return mayMatch(text.toLowerCase(), lits) && prefilterRegExp(lits)?.test(text) === true && prefilterRegExp(lits, 'trie')?.test(text) === true;
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('prefilterRegExp', () => {
  it('keys on the literal with most digits, then the longest', () => {
    expect(keyLiteral(['response from ', '/api/gateway/', ' is: 401'])).toBe(' is: 401');
    expect(keyLiteral(['client secret key', ' expired'])).toBe('client secret key');
    const re = prefilterRegExp([['response from ', ' is: 401'], ['(407) proxy']]);
    expect(re?.test('Response from https://x/api/gateway/Notification IS: 401 (Unauthorized)')).toBe(true);
    expect(re?.test('Response from https://x/api/gateway/Notification is: 204 (NoContent)')).toBe(false);
    expect(re?.test('error (407) Proxy Authentication Required')).toBe(true);
    expect(prefilterRegExp([])).toBeNull();
    // The trie writes shared beginnings once and drops a key that holds another.
    expect(prefilterRegExp([['aadsts'], ['aadsts700016'], ['application '], ['(407)']], 'trie')?.source).toBe('(?:\\(407\\)|a(?:adsts|pplication ))');
  });

  it('agrees with includes() on ASCII-folded text, whatever the characters (property)', () => {
    const lit = fc.array(fc.constantFrom('a', 'b', 'k', 's', ' ', '(', '1', '.', '*', '/', '\\', '|'), { minLength: 1, maxLength: 4 }).map((c) => c.join(''));
    const text = fc.array(fc.constantFrom('a', 'b', 'A', 'B', 'k', 'K', '\u212a', 's', 'S', '\u017f', ' ', '(', '1', '.', '*', '/', '\\', '|', 'é', 'İ'), { maxLength: 30 }).map((c) => c.join(''));
    fc.assert(
      fc.property(fc.uniqueArray(lit, { minLength: 1, maxLength: 6 }), text, (lits, t) => {
        const folded = t.replace(/[A-Z]/g, (c) => c.toLowerCase());
        const want = lits.some((l) => folded.includes(l));
        return prefilterRegExp(lits.map((l) => [l]))!.test(t) === want && prefilterRegExp(lits.map((l) => [l]), 'trie')!.test(t) === want;
      }),
      { numRuns: 5_000 },
    );
  });
});
