/** The documented texts still match with other spacing, case and dots. */
import { describe, expect, it } from 'vitest';
import { kinds, recs, run } from './helpers.js';
import { SAMPLES } from './samples.js';

const VARIANTS: [string, (line: string) => string][] = [
  ['double spaces', (l) => l.replace(/ /g, '  ')],
  ['lower case', (l) => l.toLowerCase()],
  ['upper case', (l) => l.toUpperCase()],
  ['leading/trailing blanks', (l) => `  ${l}\t `],
  ['two dots', (l) => l.replace(/\.\.\.$/, '..')],
  ['no dots', (l) => l.replace(/\.+$/, '')],
];

describe('tolerant matching', () => {
  for (const [name, change] of VARIANTS) {
    it(name, () => {
      for (const sample of SAMPLES) {
        const expected = kinds(run(sample.kind, recs(sample.lines, { log: sample.kind })));
        const got = kinds(run(sample.kind, recs(sample.lines.map(change), { log: sample.kind })));
        expect(got, `${sample.kind}: ${sample.lines[0]}`).toEqual(expected);
      }
    });
  }
});
