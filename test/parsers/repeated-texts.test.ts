import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_TEXT, RepeatedTexts } from '../../parsers/repeated-texts.js';

describe('RepeatedTexts', () => {
  it('finds what was kept for the same characters, never for other texts', () => {
    const c = new RepeatedTexts<number>();
    expect(c.find('Response is: 204')).toBeUndefined();
    c.keep('Response is: 204', 1);
    expect(c.find(['Response', 'is:', '204'].join(' '))).toBe(1);
    expect(c.find('Response is: 401')).toBeUndefined();
  });

  it('keeps only after a miss, and picks the value that fits the context', () => {
    const c = new RepeatedTexts<{ bias: number }>();
    c.keep('x', { bias: 0 }); // no find() before: ignored
    expect(c.find('x')).toBeUndefined();
    expect(c.admits).toBe(true);
    c.keep('x', { bias: 0 });
    expect(c.admits).toBe(false);
    expect(c.find('x', (v) => v.bias === 60)).toBeUndefined();
    c.keep('x', { bias: 60 });
    expect(c.find('x', (v) => v.bias === 60)).toEqual({ bias: 60 });
    expect(c.find('x', (v) => v.bias === 0)).toEqual({ bias: 0 });
  });

  it('does not keep texts longer than MAX_TEXT', () => {
    const c = new RepeatedTexts<number>();
    const long = 'a'.repeat(MAX_TEXT + 1);
    expect(c.find(long)).toBeUndefined();
    c.keep(long, 1);
    expect(c.find(long)).toBeUndefined();
  });

  it('never answers a value for a text it was not kept for (random streams)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'ab', 'ba', 'abc', 'x'.repeat(20), 'y'.repeat(20)), { maxLength: 300 }), (texts) => {
        const c = new RepeatedTexts<string>();
        for (const t of texts) {
          const v = c.find(t);
          if (v === undefined) c.keep(t, t);
          else expect(v).toBe(t);
        }
      }),
    );
  });
});
