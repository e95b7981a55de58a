import { describe, expect, it } from 'vitest';
import type { Severity } from '../../parsers/types.js';
import { parseFilter, matchesFilter } from '../../src/tui/filter.js';
import { commandFor, KEY_TABLE, tokenize } from '../../src/tui/keys.js';
import {
  applyKey, applyKeys, currentCursor, currentOffset, findFrom, initialState, resumeSearch, windowStart, type SearchHit,
  type JumpTarget, type ViewContext, type ViewState,
} from '../../src/tui/state.js';

interface FakeRow {
  sev: Severity;
  text: string;
}

/** A ViewContext over plain arrays: what the App builds from a Session. */
function ctxOf(rows: FakeRow[], opts: { pageSize?: number; findings?: { evidenceRows: (number | null)[] }[] } = {}): ViewContext {
  const findings = opts.findings ?? [];
  return {
    rowCount: rows.length,
    pageSize: opts.pageSize ?? 5,
    findingCount: findings.length,
    findingPageSize: 3,
    detailLineCount: 40,
    detailPageSize: 10,
    helpLineCount: 30,
    helpPageSize: 10,
    severityAt: (i) => rows[i]?.sev ?? 'unknown',
    findMatch: (search, from, dir) => findFrom(rows.length, from, dir, (i) => search.regex.test(rows[i]!.text)),
    anchorAt: (i) => (i >= 0 && i < rows.length ? { seq: i, sortMs: i * 1000 } : null),
    evidence: (f, n): JumpTarget | null => {
      const fd = findings[f];
      if (!fd || fd.evidenceRows.length === 0) return null;
      const total = fd.evidenceRows.length;
      const row = fd.evidenceRows[n % total]!;
      return { total, row, anchor: row === null ? { seq: 99, sortMs: 99_000 } : null, label: `log:${row}` };
    },
    chainOfRow: (i) => (rows[i]?.text.includes('task') ? { id: 'guid-1' } : null),
    chainHopCount: () => 3,
    chainHop: (_id, hop) => ({ total: 3, row: hop * 2, anchor: null, label: `hop ${hop}` }),
  };
}

const rowsOf = (spec: string): FakeRow[] =>
  [...spec].map((c, i) => ({ sev: c === 'E' ? 'error' : c === 'W' ? 'warning' : 'info', text: `row ${i} ${c === 'E' ? 'boom' : c === 'W' ? 'careful' : 'fine'}` }));

/** Starts not following, at row `at`. */
function at(s: ViewState, i: number): ViewState {
  return { ...s, follow: false, cursor: i, anchor: { seq: i, sortMs: i * 1000 } };
}

const press = (s: ViewState, ctx: ViewContext, ...inputs: string[]) => inputs.reduce((st, input) => applyKeys(st, tokenize(input), ctx), s);

describe('movement', () => {
  const ctx = ctxOf(rowsOf('IIIIIIIIIIIIIIIIIIII')); // 20 rows, page 5

  it('starts following: the cursor is on the last row', () => {
    const s = initialState();
    expect(s.follow).toBe(true);
    expect(currentCursor(s, ctx)).toBe(19);
    expect(currentOffset(s, ctx)).toBe(15);
  });

  it('j/k move one row and clamp at both ends', () => {
    let s = at(initialState(), 0);
    s = press(s, ctx, 'k');
    expect(currentCursor(s, ctx)).toBe(0);
    s = press(s, ctx, 'j');
    expect(currentCursor(s, ctx)).toBe(1);
    s = at(s, 19);
    s = press(s, ctx, 'j', 'j');
    expect(currentCursor(s, ctx)).toBe(19);
  });

  it('arrow keys move like j/k', () => {
    let s = at(initialState(), 5);
    s = applyKey(s, tokenize('', { downArrow: true })[0]!, ctx);
    expect(currentCursor(s, ctx)).toBe(6);
    s = applyKey(s, tokenize('', { upArrow: true })[0]!, ctx);
    expect(currentCursor(s, ctx)).toBe(5);
  });

  it('a multi-character input event ("jjj", as Ink delivers fast typing) moves three rows', () => {
    let s = at(initialState(), 0);
    s = applyKeys(s, tokenize('jjj'), ctx);
    expect(currentCursor(s, ctx)).toBe(3);
    s = applyKeys(s, tokenize('jjjjjjjjjjjjjjjjjjjjjjjjj'), ctx);
    expect(currentCursor(s, ctx)).toBe(19);
  });

  it('moving up from follow mode stops following and starts from the last row', () => {
    let s = initialState();
    s = press(s, ctx, 'k');
    expect(s.follow).toBe(false);
    expect(currentCursor(s, ctx)).toBe(18);
  });

  it('pages by the page size (PgDn, space, PgUp, b) and clamps', () => {
    let s = at(initialState(), 0);
    s = press(s, ctx, ' ');
    expect(currentCursor(s, ctx)).toBe(5);
    s = applyKey(s, 'pagedown', ctx);
    expect(currentCursor(s, ctx)).toBe(10);
    s = press(s, ctx, 'b');
    expect(currentCursor(s, ctx)).toBe(5);
    s = applyKeys(s, ['pagedown', 'pagedown', 'pagedown', 'pagedown'], ctx);
    expect(currentCursor(s, ctx)).toBe(19);
    expect(s.follow).toBe(false);
    s = applyKeys(s, ['pageup', 'pageup', 'pageup', 'pageup', 'pageup'], ctx);
    expect(currentCursor(s, ctx)).toBe(0);
  });

  it('keeps the cursor inside the window', () => {
    let s = at(initialState(), 0);
    for (let i = 0; i < 12; i++) {
      s = press(s, ctx, 'j');
      const c = currentCursor(s, ctx);
      const o = currentOffset(s, ctx);
      expect(c).toBeGreaterThanOrEqual(o);
      expect(c).toBeLessThan(o + ctx.pageSize);
    }
  });

  it('g goes to the top and stops following; G goes to the bottom and follows again', () => {
    let s = initialState();
    s = press(s, ctx, 'g');
    expect(currentCursor(s, ctx)).toBe(0);
    expect(s.follow).toBe(false);
    s = press(s, ctx, 'G');
    expect(s.follow).toBe(true);
    expect(currentCursor(s, ctx)).toBe(19);
    // Following: more rows arrive, the cursor stays on the newest.
    const bigger = ctxOf(rowsOf('I'.repeat(30)));
    expect(currentCursor(s, bigger)).toBe(29);
    expect(currentOffset(s, bigger)).toBe(25);
  });

  it('an empty timeline does not throw', () => {
    const empty = ctxOf([]);
    let s = initialState();
    s = press(s, empty, 'j', 'k', 'g', 'G', 'e', 'n', ' ');
    expect(currentCursor(s, empty)).toBe(0);
  });
});

describe('windowStart', () => {
  it('moves the window as little as possible', () => {
    expect(windowStart(0, 0, 5, 20)).toBe(0);
    expect(windowStart(4, 0, 5, 20)).toBe(0);
    expect(windowStart(5, 0, 5, 20)).toBe(1);
    expect(windowStart(3, 10, 5, 20)).toBe(3);
    expect(windowStart(19, 100, 5, 20)).toBe(15);
    expect(windowStart(2, 0, 5, 3)).toBe(0);
  });
});

describe('search', () => {
  const rows = rowsOf('IIEIIWIIEII');
  const ctx = ctxOf(rows);

  it('/ opens a prompt, typing fills it, Enter jumps to the next match', () => {
    let s = at(initialState(), 0);
    s = press(s, ctx, '/');
    expect(s.prompt).toEqual({ kind: 'search', text: '' });
    s = press(s, ctx, 'b', 'o', 'o', 'm');
    expect(s.prompt?.text).toBe('boom');
    s = press(s, ctx, '\r');
    expect(s.prompt).toBeNull();
    expect(currentCursor(s, ctx)).toBe(2);
  });

  it('one fast-typed event "/boom\\r" works the same', () => {
    let s = at(initialState(), 0);
    s = press(s, ctx, '/boom\r');
    expect(currentCursor(s, ctx)).toBe(2);
    expect(s.search?.source).toBe('boom');
  });

  it('n/N go to the next/previous match and wrap', () => {
    let s = at(initialState(), 0);
    s = press(s, ctx, '/boom\r');
    s = press(s, ctx, 'n');
    expect(currentCursor(s, ctx)).toBe(8);
    s = press(s, ctx, 'n');
    expect(currentCursor(s, ctx)).toBe(2);
    expect(s.message?.text).toMatch(/wrapped to the top/);
    s = press(s, ctx, 'N');
    expect(currentCursor(s, ctx)).toBe(8);
    expect(s.message?.text).toMatch(/wrapped to the bottom/);
    s = press(s, ctx, 'N');
    expect(currentCursor(s, ctx)).toBe(2);
  });

  it('regex search, case-insensitive unless the text has capitals', () => {
    let s = at(initialState(), 0);
    s = press(s, ctx, '/ROW 5\r');
    expect(currentCursor(s, ctx)).toBe(0); // capitals: case-sensitive, and no row says ROW
    expect(s.message?.text).toMatch(/no match/);
    s = press(s, ctx, '/row [5]|row 9\r');
    expect(currentCursor(s, ctx)).toBe(5);
    s = press(s, ctx, 'n');
    expect(currentCursor(s, ctx)).toBe(9);
  });

  it('an invalid regex says so and searches the literal text', () => {
    const c = ctxOf([{ sev: 'info', text: 'a' }, { sev: 'info', text: 'call f(x' }]);
    let s = at(initialState(), 0);
    s = press(s, c, '/f(x\r');
    expect(s.search?.literal).toBe(true);
    expect(s.message?.text).toMatch(/invalid regex/);
    expect(currentCursor(s, c)).toBe(1);
  });

  it('Esc cancels the prompt; Backspace edits it', () => {
    let s = at(initialState(), 0);
    s = press(s, ctx, '/abc');
    s = applyKey(s, 'backspace', ctx);
    expect(s.prompt?.text).toBe('ab');
    s = applyKey(s, 'escape', ctx);
    expect(s.prompt).toBeNull();
    expect(s.search).toBeNull();
  });

  it('n without a search says how to start one', () => {
    const s = press(at(initialState(), 0), ctx, 'n');
    expect(s.message?.text).toMatch(/press \//);
  });

  it('a search that has not reached the rows on the way waits, holding the selection, and lands when retried', () => {
    // Rows 0–5 are searched; the rest are still being read from the files.
    let searched = 6;
    const c: ViewContext = {
      ...ctx,
      findMatch: (search, from, dir): SearchHit => {
        for (let k = 1; k <= rows.length; k++) {
          const i = (((from + dir * k) % rows.length) + rows.length) % rows.length;
          if (i >= searched) return 'pending';
          if (search.regex.test(rows[i]!.text)) return { index: i, wrapped: false };
        }
        return null;
      },
    };
    let s = at(initialState(), 3);
    s = press(s, c, '/boom\r');
    expect(s.search?.pending).toBe(1);
    expect(s.message?.text).toBe('searching /boom/…');
    expect(currentCursor(s, c)).toBe(3);
    expect(s.follow).toBe(false);
    // Still not there: the same state.
    expect(resumeSearch(s, c)).toBe(s);
    // Help and the time mode leave the wait alone.
    s = press(s, c, 't');
    expect(s.search?.pending).toBe(1);
    searched = rows.length;
    s = resumeSearch(s, c);
    expect(s.search?.pending).toBeUndefined();
    expect(currentCursor(s, c)).toBe(8);
    expect(s.message?.text).toBe('/boom/');
  });

  it('moving the cursor drops a waiting search jump; Esc says it stopped waiting', () => {
    const c: ViewContext = { ...ctx, findMatch: () => 'pending' };
    let s = press(at(initialState(), 3), c, '/boom\r');
    expect(s.search?.pending).toBe(1);
    const moved = press(s, c, 'j');
    expect(moved.search?.pending).toBeUndefined();
    expect(moved.search?.source).toBe('boom');
    expect(currentCursor(moved, c)).toBe(4);
    s = applyKey(s, 'escape', c);
    expect(s.search?.pending).toBeUndefined();
    expect(s.message?.text).toMatch(/stopped waiting for \/boom\//);
  });

  it('findFrom wraps in both directions', () => {
    expect(findFrom(5, 3, 1, (i) => i === 1)).toEqual({ index: 1, wrapped: true });
    expect(findFrom(5, 3, -1, (i) => i === 4)).toEqual({ index: 4, wrapped: true });
    expect(findFrom(5, 3, 1, (i) => i === 4)).toEqual({ index: 4, wrapped: false });
    expect(findFrom(5, 3, 1, () => false)).toBeNull();
  });
});

describe('error and warning jumps', () => {
  const ctx = ctxOf(rowsOf('IIEIIWIIEIW'));

  it('e/E go to the next/previous error, wrapping', () => {
    let s = at(initialState(), 0);
    s = press(s, ctx, 'e');
    expect(currentCursor(s, ctx)).toBe(2);
    s = press(s, ctx, 'e');
    expect(currentCursor(s, ctx)).toBe(8);
    s = press(s, ctx, 'e');
    expect(currentCursor(s, ctx)).toBe(2);
    expect(s.message?.text).toMatch(/wrapped/);
    s = press(s, ctx, 'E');
    expect(currentCursor(s, ctx)).toBe(8);
  });

  it('w/W go to the next/previous warning', () => {
    let s = at(initialState(), 0);
    s = press(s, ctx, 'w');
    expect(currentCursor(s, ctx)).toBe(5);
    s = press(s, ctx, 'w');
    expect(currentCursor(s, ctx)).toBe(10);
    s = press(s, ctx, 'W');
    expect(currentCursor(s, ctx)).toBe(5);
  });

  it('e from follow mode wraps to the first error and stops following', () => {
    let s = initialState();
    s = press(s, ctx, 'e');
    expect(s.follow).toBe(false);
    expect(currentCursor(s, ctx)).toBe(2);
  });

  it('says so when there is no error', () => {
    const c = ctxOf(rowsOf('IIII'));
    const s = press(at(initialState(), 1), c, 'e');
    expect(currentCursor(s, c)).toBe(1);
    expect(s.message?.text).toMatch(/no next error/);
  });

  it('a jump from another pane brings the focus to the timeline', () => {
    let s = at(initialState(), 0);
    s = applyKey(s, 'tab', ctx);
    expect(s.pane).toBe('findings');
    s = press(s, ctx, 'e');
    expect(s.pane).toBe('timeline');
  });
});

describe('panes, findings and overlays', () => {
  const ctx = ctxOf(rowsOf('IIEIIWIIEIW'), { findings: [{ evidenceRows: [2, 8] }, { evidenceRows: [null] }, { evidenceRows: [] }] });

  it('Tab cycles timeline → findings → detail; Shift+Tab goes back', () => {
    let s = initialState();
    s = applyKey(s, 'tab', ctx);
    expect(s.pane).toBe('findings');
    s = applyKey(s, 'tab', ctx);
    expect(s.pane).toBe('detail');
    expect(s.detailOf).toBe('findings');
    s = applyKey(s, 'tab', ctx);
    expect(s.pane).toBe('timeline');
    s = applyKey(s, 'shift+tab', ctx);
    expect(s.pane).toBe('detail');
    expect(s.detailOf).toBe('timeline');
  });

  it('Enter on a finding jumps to its first evidence, again to the next, then wraps', () => {
    let s = at(initialState(), 0);
    s = applyKeys(s, ['tab', 'return'], ctx);
    expect(currentCursor(s, ctx)).toBe(2);
    expect(s.pane).toBe('findings');
    expect(s.message?.text).toMatch(/evidence 1\/2/);
    s = applyKey(s, 'return', ctx);
    expect(currentCursor(s, ctx)).toBe(8);
    expect(s.message?.text).toMatch(/evidence 2\/2/);
    s = applyKey(s, 'return', ctx);
    expect(currentCursor(s, ctx)).toBe(2);
  });

  it('moving to another finding starts at its first evidence again', () => {
    let s = at(initialState(), 0);
    s = applyKeys(s, ['tab', 'return', 'j', 'k', 'return'], ctx);
    expect(currentCursor(s, ctx)).toBe(2);
  });

  it('evidence hidden by the filter clears the filter and anchors on it', () => {
    let s = { ...at(initialState(), 0), filter: parseFilter('sev:error').filter };
    s = applyKeys(s, ['tab', 'j', 'return'], ctx);
    expect(s.filter).toBeNull();
    expect(s.anchor).toEqual({ seq: 99, sortMs: 99_000 });
    expect(s.message?.text).toMatch(/filter cleared/);
  });

  it('a finding without evidence says so', () => {
    const s = applyKeys(at(initialState(), 0), ['tab', 'j', 'j', 'return'], ctx);
    expect(s.message?.text).toMatch(/nothing to open/);
  });

  it('findings movement clamps', () => {
    let s = applyKeys(initialState(), ['tab', 'j', 'j', 'j', 'j'], ctx);
    expect(s.findingCursor).toBe(2);
    s = applyKeys(s, ['k', 'k', 'k', 'k'], ctx);
    expect(s.findingCursor).toBe(0);
  });

  it('the detail pane scrolls and clamps', () => {
    let s = applyKeys(initialState(), ['tab', 'tab'], ctx);
    s = applyKeys(s, tokenize('jjj'), ctx);
    expect(s.detailOffset).toBe(3);
    s = applyKeys(s, ['G'], ctx);
    expect(s.detailOffset).toBe(30);
    s = applyKeys(s, ['g'], ctx);
    expect(s.detailOffset).toBe(0);
  });

  it('? opens help, j scrolls it, ? or Esc or q closes it (q does not quit from help)', () => {
    let s = initialState();
    s = press(s, ctx, '?');
    expect(s.overlay).toEqual({ kind: 'help', offset: 0 });
    s = press(s, ctx, 'jj');
    expect(s.overlay).toEqual({ kind: 'help', offset: 2 });
    s = press(s, ctx, 'q');
    expect(s.overlay).toBeNull();
    expect(s.quit).toBe(false);
    s = press(s, ctx, '?');
    s = applyKey(s, 'escape', ctx);
    expect(s.overlay).toBeNull();
  });

  it('c opens the chain of an action row; Enter jumps to the chosen hop', () => {
    const c = ctxOf([{ sev: 'info', text: 'a' }, { sev: 'info', text: 'task x' }, { sev: 'info', text: 'b' }, { sev: 'info', text: 'c' }, { sev: 'info', text: 'd' }]);
    let s = at(initialState(), 0);
    s = press(s, c, 'c');
    expect(s.overlay).toBeNull();
    expect(s.message?.text).toMatch(/no device action/);
    s = press(s, c, 'j', 'c');
    expect(s.overlay).toEqual({ kind: 'chain', chainId: 'guid-1', cursor: 0 });
    s = press(s, c, 'jj');
    expect(s.overlay).toEqual({ kind: 'chain', chainId: 'guid-1', cursor: 2 });
    s = applyKey(s, 'return', c);
    expect(s.overlay).toBeNull();
    expect(currentCursor(s, c)).toBe(4);
  });

  it('t toggles local/UTC times', () => {
    let s = press(initialState(), ctx, 't');
    expect(s.timeMode).toBe('utc');
    s = press(s, ctx, 't');
    expect(s.timeMode).toBe('local');
  });

  it('q quits, Ctrl+C quits even from a prompt or overlay', () => {
    expect(press(initialState(), ctx, 'q').quit).toBe(true);
    expect(applyKey(press(initialState(), ctx, '/ab'), 'ctrl+c', ctx).quit).toBe(true);
    expect(applyKey(press(initialState(), ctx, '?'), 'ctrl+c', ctx).quit).toBe(true);
    expect(tokenize('c', { ctrl: true })).toEqual(['ctrl+c']);
  });

  it('f opens the filter prompt with the current filter; Enter applies it; F clears it', () => {
    let s = press(initialState(), ctx, 'f');
    expect(s.prompt).toEqual({ kind: 'filter', text: '' });
    s = press(s, ctx, 'sev:error log:Bgb\r');
    expect(s.filter?.source).toBe('sev:error log:bgb');
    s = press(s, ctx, 'f');
    expect(s.prompt?.text).toBe('sev:error log:bgb');
    s = applyKey(s, 'escape', ctx);
    s = press(s, ctx, 'F');
    expect(s.filter).toBeNull();
  });

  it('a bad filter term is reported and the rest applies', () => {
    const s = press(initialState(), ctx, 'fsev:bogus text:x\r');
    expect(s.message?.level).toBe('error');
    expect(s.message?.text).toMatch(/unknown severity "bogus"/);
    expect(s.filter?.source).toBe('text:x');
  });
});

describe('filter parsing', () => {
  const rec = (over: Partial<{ severity: Severity; log: string; component: string; message: string }>) =>
    ({ severity: 'info', log: 'BgbServer', component: 'BgbServer', message: 'Push started', ...over }) as Parameters<typeof matchesFilter>[1];

  it('parses sev, log, comp and text terms', () => {
    const { filter, errors } = parseFilter('sev:error log:Bgb comp:srv text:foo');
    expect(errors).toEqual([]);
    expect(filter?.terms.map((t) => [t.field, t.values])).toEqual([
      ['sev', ['error']], ['log', ['bgb']], ['comp', ['srv']], ['text', ['foo']],
    ]);
  });

  it('matches every term (AND), commas as alternatives (OR)', () => {
    const f = parseFilter('sev:e,w log:bgb,ccm').filter!;
    expect(matchesFilter(f, rec({ severity: 'error' }))).toBe(true);
    expect(matchesFilter(f, rec({ severity: 'warning', log: 'CcmNotificationAgent' }))).toBe(true);
    expect(matchesFilter(f, rec({ severity: 'info' }))).toBe(false);
    expect(matchesFilter(f, rec({ severity: 'error', log: 'AdminService' }))).toBe(false);
  });

  it('bare words are text; quotes keep spaces; -/! negate', () => {
    const f = parseFilter('"push started" -log:ccm').filter!;
    expect(f.terms[0]).toMatchObject({ field: 'text', values: ['push started'], negate: false });
    expect(matchesFilter(f, rec({}))).toBe(true);
    expect(matchesFilter(f, rec({ log: 'CcmNotificationAgent' }))).toBe(false);
    expect(matchesFilter(parseFilter('!text:push').filter!, rec({}))).toBe(false);
  });

  it('warn+ is warning or worse; text:/re/ is a regex', () => {
    const f = parseFilter('sev:warn+').filter!;
    expect(matchesFilter(f, rec({ severity: 'error' }))).toBe(true);
    expect(matchesFilter(f, rec({ severity: 'warning' }))).toBe(true);
    expect(matchesFilter(f, rec({ severity: 'info' }))).toBe(false);
    const r = parseFilter('text:/0x8\\d{7}/').filter!;
    expect(matchesFilter(r, rec({ message: 'failed 0x80131509' }))).toBe(true);
    expect(matchesFilter(r, rec({ message: 'fine' }))).toBe(false);
  });

  it('reports unknown fields, bad severities and bad regexes; empty text clears', () => {
    expect(parseFilter('host:x').errors[0]).toMatch(/unknown filter field/);
    expect(parseFilter('sev:loud').errors[0]).toMatch(/unknown severity/);
    expect(parseFilter('text:/(/').errors[0]).toMatch(/invalid regex/);
    expect(parseFilter('   ')).toEqual({ filter: null, errors: [] });
  });
});

describe('key table and tokenizer', () => {
  it('every key is bound once', () => {
    const keys = KEY_TABLE.flatMap((b) => b.keys);
    expect(new Set(keys).size).toBe(keys.length);
    expect(commandFor('j')).toBe('cursor.down');
    expect(commandFor('G')).toBe('cursor.bottom');
  });

  it('splits a text run into keys and names the special characters', () => {
    expect(tokenize('jjj')).toEqual(['j', 'j', 'j']);
    expect(tokenize('/a b\r')).toEqual(['/', 'a', 'space', 'b', 'return']);
    expect(tokenize('x\t\x7f')).toEqual(['x', 'tab', 'backspace']);
    expect(tokenize('', { tab: true, shift: true })).toEqual(['shift+tab']);
    expect(tokenize('', { pageDown: true })).toEqual(['pagedown']);
    expect(tokenize('', { escape: true })).toEqual(['escape']);
    expect(tokenize('', { return: true })).toEqual(['return']);
  });
});
