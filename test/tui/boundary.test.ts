/**
 * The UI boundary: only src/tui/ may load Ink or React, and the CLI reaches the UI only through
 * its bundle, loaded in src/cli/open.ts, so `scan`, reports and the analysis core never load React.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TUI = path.join(root, 'src', 'tui') + path.sep;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(c|m)?tsx?$|\.(c|m)?jsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Every module specifier a file names: static imports/exports, dynamic imports, require. */
function specifiers(text: string): { spec: string; dynamic: boolean }[] {
  const out: { spec: string; dynamic: boolean }[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/gm)) out.push({ spec: m[1]!, dynamic: false });
  for (const m of text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)) out.push({ spec: m[1]!, dynamic: false });
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ spec: m[1]!, dynamic: true });
  for (const m of text.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ spec: m[1]!, dynamic: false });
  return out;
}

const isUiPackage = (spec: string) => /^(ink|react)(\/|$)|^(ink-|react-|@inkjs\/)/.test(spec);

const files = [...sourceFiles(path.join(root, 'src')), ...sourceFiles(path.join(root, 'parsers'))];
const outside = files.filter((f) => !f.startsWith(TUI));

describe('UI boundary', () => {
  it('finds the sources it checks', () => {
    expect(outside.length).toBeGreaterThan(10);
    expect(files.some((f) => f.startsWith(TUI))).toBe(true);
  });

  it('no file outside src/tui/ imports ink or react (statically or dynamically)', () => {
    const offenders: string[] = [];
    for (const f of outside) {
      for (const { spec } of specifiers(readFileSync(f, 'utf8'))) {
        if (isUiPackage(spec)) offenders.push(`${path.relative(root, f)} imports '${spec}'`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('no JSX outside src/tui/ (it compiles to react/jsx-runtime)', () => {
    expect(outside.filter((f) => /\.[jt]sx$/.test(f)).map((f) => path.relative(root, f))).toEqual([]);
  });

  it('only src/cli/open.ts reaches src/tui/, and only by dynamic import', () => {
    const offenders: string[] = [];
    for (const f of outside) {
      for (const { spec, dynamic } of specifiers(readFileSync(f, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = path.resolve(path.dirname(f), spec);
        if (!(target + path.sep).startsWith(TUI) && !target.startsWith(TUI)) continue;
        const rel = path.relative(root, f);
        if (rel !== path.join('src', 'cli', 'open.ts') || !dynamic) offenders.push(`${rel} ${dynamic ? 'dynamically ' : ''}imports '${spec}'`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('src/cli/open.ts loads the UI from its bundle, only after the terminal check', () => {
    // The UI (Ink, React, src/tui) ships as dist/tui.cjs (scripts/bundle-tui.mjs); open.ts names
    // src/tui only in types. test/cli/bundle.test.ts proves at run time that a run without a
    // terminal loads none of it.
    const text = readFileSync(path.join(root, 'src', 'cli', 'open.ts'), 'utf8');
    const check = text.indexOf('io.stdout.isTTY !== true');
    const load = text.indexOf('loadTuiBundle<');
    expect(check).toBeGreaterThan(0);
    expect(load).toBeGreaterThan(check);
  });
});
