import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import stringWidth from 'string-width';
import { fit, fitPad, wrap } from '../../src/tui/text.js';
import { fitLine, lineText, seg } from '../../src/tui/styled.js';
import { computeLayout } from '../../src/tui/layout.js';
import { displayLine, displayText } from '../../src/tui/sanitize.js';

// Wide characters, emoji, combining marks: where cli-truncate comes out one column too wide.
const wideText = fc.array(fc.constantFrom('a', 'Z', ' ', '日', '本', '語', '😀', 'é', 'e\u0301', '👍🏽', '…', '-'), { maxLength: 60 }).map((a) => a.join(''));

describe('fit (pre-truncation with string-width)', () => {
  it('never exceeds the width, and keeps text that fits', () => {
    fc.assert(
      fc.property(wideText, fc.integer({ min: 0, max: 70 }), (s, w) => {
        const out = fit(s, w);
        expect(stringWidth(out)).toBeLessThanOrEqual(w);
        if (stringWidth(s) <= w) expect(out).toBe(s);
        else if (w > 0) expect(out.endsWith('…')).toBe(true);
      }),
    );
  });

  it('fitPad gives exactly the width', () => {
    fc.assert(
      fc.property(wideText, fc.integer({ min: 1, max: 70 }), (s, w) => {
        const out = fitPad(s, w);
        // A wide character may leave one column short before padding; padding fills it.
        expect(stringWidth(out)).toBe(w);
      }),
    );
  });

  it('fitLine cuts styled segments to the width', () => {
    fc.assert(
      fc.property(fc.array(wideText, { maxLength: 6 }), fc.integer({ min: 0, max: 80 }), (parts, w) => {
        const line = fitLine(parts.map((p) => seg(p, { bold: true })), w);
        expect(stringWidth(lineText(line))).toBeLessThanOrEqual(w);
      }),
    );
  });

  it('fitLine marks a cut with … even when it falls on a segment boundary', () => {
    expect(lineText(fitLine([seg('abc'), seg('def')], 3))).toBe('ab…');
    expect(lineText(fitLine([seg('abc'), seg('def')], 4))).toBe('abc…');
    expect(lineText(fitLine([seg('abc'), seg('def')], 6))).toBe('abcdef');
  });

  it('the sweep from style-anchors B9: row 3 + CJK/emoji at widths 10–60', () => {
    const s = 'row 3 ' + '日本語 😀 '.repeat(20);
    for (let w = 10; w <= 60; w++) expect(stringWidth(fit(s, w))).toBeLessThanOrEqual(w);
  });
});

describe('wrap', () => {
  it('every line fits and no text is lost (spaces aside)', () => {
    fc.assert(
      fc.property(wideText, fc.integer({ min: 2, max: 40 }), (s, w) => {
        const lines = wrap(s, w);
        for (const l of lines) expect(stringWidth(l)).toBeLessThanOrEqual(w);
        expect(lines.join('').replace(/ /g, '')).toBe(s.replace(/ /g, ''));
      }),
    );
  });

  it('breaks at spaces when it can', () => {
    expect(wrap('the quick brown fox', 10)).toEqual(['the quick', 'brown fox']);
    expect(wrap('a\nb', 10)).toEqual(['a', 'b']);
  });
});

describe('sanitizing for display', () => {
  it('makes escape sequences, controls and bidi overrides inert', () => {
    const evil = 'ok \u001b]0;pwned\u0007 \u001b[2J \u001b]8;;http://x\u0007link\u001b]8;;\u0007 \u202e evil \u0007';
    const line = displayLine(evil + '\nsecond line');
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(line).not.toContain('second line');
    const text = displayText('a\tb\nc\u001b[31m');
    expect(text).toBe('a    b\nc');
  });
});

describe('layout', () => {
  it('the frame is never taller than rows - 1 and panes fit the width (every size up to 300×120)', () => {
    const bad: string[] = [];
    const check = (ok: boolean, what: string) => {
      if (!ok && bad.length < 10) bad.push(what);
    };
    for (let cols = 1; cols <= 300; cols++) {
      for (let rows = 1; rows <= 120; rows++) {
        for (const pane of ['timeline', 'findings', 'detail'] as const) {
          const l = computeLayout(cols, rows, pane);
          const at = `${cols}×${rows} ${pane}`;
          check(l.frameHeight <= Math.max(1, rows - 1), `${at}: frame ${l.frameHeight}`);
          if (l.mode === 'tiny') continue;
          check(l.headerHeight + 1 + 1 + l.bodyHeight === l.frameHeight, `${at}: chrome + body != frame`);
          check(l.width < cols, `${at}: no slack column`);
          if (l.mode === 'stacked') {
            const body = 1 + l.timeline.height + (l.findings.height > 0 ? 1 + l.findings.height : 0);
            check(body === l.bodyHeight, `${at}: stacked body ${body} != ${l.bodyHeight}`);
            check(l.timeline.height >= 1, `${at}: no timeline row`);
            if (l.findings.height > 0) check(l.findings.width + 1 + l.detail.width <= l.width, `${at}: bottom too wide`);
          } else {
            check(1 + l.timeline.height === l.bodyHeight, `${at}: wide timeline`);
            check(2 + l.findings.height + l.detail.height === l.bodyHeight, `${at}: wide right column`);
            check(l.timeline.width + 1 + l.findings.width <= l.width, `${at}: wide too wide`);
          }
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('80×24 stacks the panes and gives the focused part more room', () => {
    const t = computeLayout(80, 24, 'timeline');
    const f = computeLayout(80, 24, 'findings');
    expect(t.mode).toBe('stacked');
    expect(t.timeline.height).toBeGreaterThan(f.timeline.height);
    expect(t.findings.height).toBeGreaterThanOrEqual(3);
    expect(computeLayout(200, 60, 'timeline').mode).toBe('wide');
  });
});
