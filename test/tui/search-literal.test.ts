import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Session } from '../../src/analysis/session.js';
import { bytesFinderFor, requiredLiteral } from '../../src/tui/search-literal.js';
import { compileSearch } from '../../src/tui/state.js';
import { TextScan } from '../../src/tui/text-scan.js';
import { cm, srv, tempDir } from '../helpers/tmp.js';

describe('the literal a search looks for in the bytes', () => {
  it('is the text of a plain regex (escapes of syntax included; between dots, the longest stretch), and nothing for other regex syntax', () => {
    expect(requiredLiteral(compileSearch('AADSTS7000222').regex)).toBe('AADSTS7000222');
    expect(requiredLiteral(compileSearch('proxy auth').regex)).toBe('proxy auth');
    // Dots match any character: the longest stretch between them is what every match holds.
    expect(requiredLiteral(compileSearch('https://gw.example.com/api').regex)).toBe('https://gw');
    expect(requiredLiteral(/café.proxy/)).toBe('proxy');
    expect(requiredLiteral(/a\.b\(c\)/)).toBe('a.b(c)');
    expect(requiredLiteral(compileSearch('0x8007(').regex)).toBe('0x8007('); // invalid regex: searched literally
    for (const re of [/0x8\d+/, /fail|error/, /a*b/, /^Batch/, /x\b/, /tab\t/, /é/, /abc/g, /abc/iu, /./]) expect(requiredLiteral(re), String(re)).toBeNull();
  });

  it('rejects only bytes without the literal: exactly as cased, or in any ASCII case for a lower-case search', () => {
    const has = (re: RegExp, text: string) => bytesFinderFor(re)!(Buffer.from(text, 'latin1'), 0) >= 0;
    expect(has(/AADSTS700/, 'x AADSTS7000222 y')).toBe(true);
    expect(has(/AADSTS700/, 'x aadsts7000222 y')).toBe(false);
    expect(has(/aadsts700/i, 'x AaDsTs7000222 y')).toBe(true);
    expect(has(/aadsts700/i, 'x AADSTS 700')).toBe(false);
    // Latin-1 upper case lowers to Latin-1, never to ASCII.
    expect(has(/e/i, '\u00c9')).toBe(false);
    expect(bytesFinderFor(/a+/)).toBeNull();
  });

  it('finds each place from where it is asked to look on', () => {
    const bytes = Buffer.from('ab PROXY cd proxy ef Proxy');
    const all = (re: RegExp) => {
      const find = bytesFinderFor(re)!;
      const at: number[] = [];
      for (let p = find(bytes, 0); p >= 0; p = find(bytes, p + 1)) at.push(p);
      return at;
    };
    expect(all(/proxy/i)).toEqual([3, 12, 21]);
    expect(all(/Proxy/)).toEqual([21]);
    // A case-insensitive search with a run of caseless characters looks for the run alone.
    expect(all(/sts-7000222/i)).toEqual([]);
    const codes = Buffer.from('AADSTS7000222 x aadsts7000222');
    const find = bytesFinderFor(/aadsts7000222/i)!;
    expect([find(codes, 0), find(codes, 7)]).toEqual([6, 22]);
  });
});

describe('a search skips the stretches of records whose bytes cannot hold its literal', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => { t = tempDir('attachscope-literal-'); });
  afterEach(() => t.cleanup());

  // Words with every kind of character a match could hinge on: case, digits, regex syntax, the
  // server format's `~~` (a line feed in the message), and non-ASCII that case-folds near ASCII.
  const word = fc.constantFrom('Proxy', 'proxy', 'PROXY', 'AADSTS7000222', 'aadsts', '0x80072EE7', 'a.b', '(407)', 'x~~y', 'caf\u00e9', '\u00c9T\u00c9', '\u212aelvin', 'kelvin', '\u017ftop', 'stop', 'Batching', '1', '22');
  const message = fc.array(word, { minLength: 1, maxLength: 6 }).map((w) => w.join(' '));

  it('finds what reading every record finds (property: UTF-8, Windows-1252 and UTF-16, both formats)', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 40 }), fc.constantFrom('utf8', 'latin1', 'utf16le'), fc.boolean(), fc.nat(), fc.nat(), async (messages, encoding, server, pick, cut) => {
        const dir = path.join(t.dir, String(runs++));
        const text = messages.map((m, i) => (server ? srv(m, `01-02-2026 10:00:${String(i % 60).padStart(2, '0')}.000+000`) : cm(m))).join('\r\n') + '\r\n';
        mkdirSync(dir);
        writeFileSync(path.join(dir, 'CMGatewaySyncUploadWorker.log'), Buffer.from(encoding === 'utf16le' ? `\ufeff${text}` : text, encoding as BufferEncoding));
        const s = new Session([dir], { follow: false, keepRecords: true, throttleMs: 0, rules: [] });
        await s.start();
        s.store.ensureSorted();
        // A piece of a message (as typed: smart case), so that some searches match.
        const src = messages[pick % messages.length]!.replace(/~~/g, ' ');
        const at = cut % src.length;
        const needle = src.slice(at, at + 1 + (cut % 9)).trim() || src;
        const re = compileSearch(needle).regex;
        const matches = (mayHold: ReturnType<typeof bytesFinderFor>) => {
          const scan = new TextScan(s.store, 'k', (rec) => re.test(rec.message), () => {}, null, mayHold);
          scan.run(Number.POSITIVE_INFINITY);
          return Array.from({ length: s.store.size }, (_, id) => id).filter((id) => scan.isMatch(id));
        };
        expect(matches(bytesFinderFor(re)), `${needle} in ${encoding}`).toEqual(matches(null));
      }),
      { numRuns: 150, seed: 12 },
    );
  });
});
