import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sniffEncoding, StreamDecoder } from '../../src/ingest/decode.js';

describe('encoding detection and streaming decode', () => {
  it('sniffs BOMs', () => {
    expect(sniffEncoding(Uint8Array.from([0xef, 0xbb, 0xbf, 0x41]))).toEqual({ encoding: 'utf-8', bomLength: 3, how: 'bom' });
    expect(sniffEncoding(Uint8Array.from([0xff, 0xfe, 0x41, 0]))).toEqual({ encoding: 'utf-16le', bomLength: 2, how: 'bom' });
    expect(sniffEncoding(Uint8Array.from([0xfe, 0xff, 0, 0x41]))).toEqual({ encoding: 'utf-16be', bomLength: 2, how: 'bom' });
  });
  it('detects UTF-16 without a BOM by its NUL pattern', () => {
    expect(sniffEncoding(Buffer.from('<![LOG[hello world]LOG]!>', 'utf16le')).encoding).toBe('utf-16le');
    const be = Buffer.from('hello world line', 'utf16le').swap16();
    expect(sniffEncoding(be).encoding).toBe('utf-16be');
    expect(sniffEncoding(Buffer.from('plain ascii text here')).encoding).toBe('utf-8');
  });
  it('decodes invalid UTF-8 bytes as Windows-1252 and counts them', () => {
    const d = new StreamDecoder('utf-8');
    const text = d.write(Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x80, 0x20])) + d.end();
    expect(text).toBe('Café € ');
    expect(d.fallbackBytes).toBe(2);
  });
  it('keeps its own copy of a character cut at the end of a chunk: the caller may reuse the chunk', () => {
    const d = new StreamDecoder('utf-8');
    const chunk = Buffer.from([0x61, 0xc3]); // `a` and the first byte of `é`
    expect(d.write(chunk)).toBe('a');
    chunk.fill(0x78);
    expect(d.write(Buffer.from([0xa9])) + d.end()).toBe('é');
    expect(d.fallbackBytes).toBe(0);
  });
  it('UTF-8 split at every byte boundary decodes the same', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.array(fc.nat(), { maxLength: 5 }), (s, cuts) => {
      const bytes = Buffer.from(s, 'utf8');
      const d = new StreamDecoder('utf-8');
      let out = '';
      let last = 0;
      for (const c of cuts.map((x) => x % (bytes.length + 1)).sort((a, b) => a - b)) { out += d.write(bytes.subarray(last, c)); last = c; }
      out += d.write(bytes.subarray(last)) + d.end();
      expect(out).toBe(s);
      expect(d.fallbackBytes).toBe(0);
    }), { numRuns: 500 });
  });
  it('UTF-16LE decoding across chunk boundaries, including split surrogate pairs', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.array(fc.nat(), { maxLength: 6 }), (s, cuts) => {
      const bytes = Buffer.from(s, 'utf16le');
      const d = new StreamDecoder('utf-16le');
      let out = '';
      let last = 0;
      for (const c of cuts.map((x) => x % (bytes.length + 1)).sort((a, b) => a - b)) { out += d.write(bytes.subarray(last, c)); last = c; }
      out += d.write(bytes.subarray(last)) + d.end();
      expect(out).toBe(s);
    }), { numRuns: 500 });
  });
  it('a lone surrogate does not throw', () => {
    const d = new StreamDecoder('utf-16le');
    expect(() => d.write(Uint8Array.from([0x00, 0xd8, 0x41, 0x00])) + d.end()).not.toThrow();
  });
  it('measures bytes per encoding for record offsets', () => {
    expect(new StreamDecoder('utf-8').measure('é')).toBe(2);
    expect(new StreamDecoder('utf-16le').measure('é')).toBe(2);
  });
  it('measures Windows-1252 fallback characters as the one byte they came from, given where the text is', () => {
    // `Café é €` with é as 0xE9 and € as 0x80 (fallback), then é as UTF-8; split in two writes.
    const bytes = Buffer.concat([Buffer.from('Caf'), Buffer.from([0xe9, 0x20]), Buffer.from('é '), Buffer.from([0x80]), Buffer.from('\nx')]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const d = new StreamDecoder('utf-8');
      const text = d.write(bytes.subarray(0, cut)) + d.write(bytes.subarray(cut)) + d.end();
      expect(text).toBe('Café é €\nx');
      expect(d.measure(text, 0, 0)).toBe(bytes.length);
      for (let i = 0; i <= text.length; i++) {
        expect(d.measure(text.slice(0, i), 0, 0) + d.measure(text.slice(i), i, 0)).toBe(bytes.length);
      }
      expect(d.measure('é', 3, 0)).toBe(1); // the fallback one
      expect(d.measure('é', 5, 0)).toBe(2); // the UTF-8 one
      expect(d.measure('€', 7, 0)).toBe(1);
      // Without a position: as UTF-8.
      expect(d.measure('€')).toBe(3);
    }
  });
});
