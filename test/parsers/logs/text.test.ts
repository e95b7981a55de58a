/**
 * text.ts helpers rewritten for speed give what their first, plain versions (kept here as the
 * reference) gave.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countFrames, detached, firstLine, kvReader, memoize, splitLines, stripBraces, urlParts } from '../../../parsers/logs/text.js';

const reference = {
  splitLines: (message: string) => message.split(/\r\n|\n|\r/),
  firstLine: (message: string) => {
    const i = message.search(/[\r\n]/);
    return i < 0 ? message : message.slice(0, i);
  },
  stripBraces: (value: string) => value.replace(/^\{+/, '').replace(/\}+$/, ''),
  countFrames: (text: string) => [...text.matchAll(/(?:^|\s)at\s+[A-Za-z_<$][^\s(]*[.(]/gi)].length,
  kvReader(keys: Readonly<Record<string, string>>, sep = '[:=]') {
    const names = Object.keys(keys);
    const alternatives = names.map((name, i) => `(?<k${i}>${keys[name]})`).join('|');
    const re = new RegExp(`(?<![A-Za-z0-9_])(?:${alternatives})\\s*${sep}`, 'gi');
    return (text: string) => {
      const hits = [...text.matchAll(re)];
      const out: Partial<Record<string, string>> = {};
      hits.forEach((hit, i) => {
        const groups = hit.groups ?? {};
        const name = names[names.findIndex((_, j) => groups[`k${j}`] !== undefined)];
        if (name === undefined || out[name] !== undefined) return;
        const value = text.slice((hit.index ?? 0) + hit[0].length, hits[i + 1]?.index ?? text.length);
        out[name] = value.trim().replace(/(?:\s+and|[,;.])+$/i, '').trim();
      });
      return out;
    };
  },
};

const text = (pieces: readonly string[]) =>
  fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 6 })), { maxLength: 16 }).map((parts) => parts.join(''));

describe('text helpers = their plain versions', () => {
  it('splitLines, firstLine', () => {
    fc.assert(
      fc.property(text(['\r\n', '\n', '\r', '\r\r\n', 'a line', ' ', '']), (s) => {
        expect(splitLines(s)).toEqual(reference.splitLines(s));
        expect(firstLine(s)).toBe(reference.firstLine(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('stripBraces, countFrames', () => {
    fc.assert(
      fc.property(text(['{', '}', '{{', 'guid', ' at X.Y(', '   at System.Net.Z.W()', 'at ', '\tat A.B.', 'Mat X.Y(']), (s) => {
        expect(stripBraces(s)).toBe(reference.stripBraces(s));
        expect(countFrames(s)).toBe(reference.countFrames(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('kvReader, with keys that have groups of their own, and keys and separators that match nothing', () => {
    const keys = { templateId: 'Template\\s*ID', taskGuid: 'Task\\s*(GUID|ID)', param: 'param', target: 'Target\\s*Device\\s*IDs?' };
    const pieces = ['TemplateID', 'Template ID', 'TaskGuid', 'Task ID', 'taskid', 'param', 'Params', 'TargetDeviceIDs', ':', '=', ' ', ',', ' and', '.', 'x1', '{g}'];
    const cases: [Record<string, string>, string][] = [[keys, '[:=]'], [keys, '\\s*[:=]?'], [{ ...keys, empty: 'x?' }, '[:=]?']];
    for (const [k, sep] of cases) {
      const fast = kvReader(k, sep);
      const plain = reference.kvReader(k, sep);
      fc.assert(
        fc.property(text(pieces), (s) => {
          expect(fast(s)).toEqual(plain(s));
        }),
        { numRuns: 1500 },
      );
    }
  });

  it('detached and memoize keep values', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('https://a/x', 'https://b/api/y?z', 'not a url', '', 'https://a/x '), { maxLength: 40 }), (raws) => {
        const cached = memoize(urlParts, 2);
        for (const raw of raws) {
          expect(detached(raw)).toBe(raw);
          expect(cached(raw)).toEqual(urlParts(raw));
        }
      }),
      { numRuns: 300 },
    );
  });
});
