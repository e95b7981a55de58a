import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, cli } from '../e2e/cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'attachscope-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every module a CLI run loads: ES modules through a resolve hook, CommonJS from require.cache. */
function loadedBy(args: string[]): string[] {
  const log = path.join(dir, 'loaded.txt');
  writeFileSync(log, '');
  const hook = path.join(dir, 'hook.mjs');
  writeFileSync(hook, `import { appendFileSync } from 'node:fs';
export async function resolve(spec, ctx, next) { const r = await next(spec, ctx); appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; }\n`);
  const preload = path.join(dir, 'preload.mjs');
  writeFileSync(preload, `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
register(${JSON.stringify(pathToFileURL(hook).href)});
const require = createRequire(import.meta.url);
process.on('exit', () => appendFileSync(${JSON.stringify(log)}, Object.keys(require.cache).join('\\n') + '\\n'));\n`);
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(preload).href, BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).toBeLessThan(2);
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

describe('the headless bundle (dist/cli.cjs)', () => {
  it('scan runs from the bundle and loads no UI, watcher or rule-parsing package', () => {
    const loaded = new Set(loadedBy(['scan', 'sample-logs/healthy-day', '--format', 'json']));
    const ours = [...loaded].filter((u) => u.includes('/dist/') && !u.includes('/node_modules/')).map((u) => u.slice(u.indexOf('/dist/') + 1));
    expect(ours.sort()).toEqual(['dist/src/cli/bin.js', 'dist/src/cli/bundle.js']);
    const packages = new Set([...loaded].map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1]));
    // Commander is inside the bundle; the others must not load at all.
    for (const p of ['commander', 'ink', 'react', 'chokidar', 'yaml', 'zod']) expect(packages, p).not.toContain(p);
  });

  it('usage errors from `open` and the unbundled --follow module still exit 2', () => {
    const open = cli(['--poll', '5', 'sample-logs/healthy-day']);
    expect(open.code).toBe(2);
    expect(open.stderr).toMatch(/--poll expects/);
    const follow = cli(['scan', '--follow', '--format', 'ndjson', '--poll', '1', 'sample-logs/healthy-day']);
    expect(follow.code).toBe(2);
    expect(follow.stderr).toMatch(/--poll expects/);
  });
});

describe('the terminal UI bundle (dist/tui.cjs)', () => {
  it('loads from its trained code cache and gives the Session and runTui, with React in production mode', () => {
    const probe = path.join(dir, 'tui-probe.mjs');
    writeFileSync(probe, `import { loadTuiBundle } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/src/cli/bundle.js')).href)};
const b = loadTuiBundle();
const { Session, runTui } = await b.exports.load();
process.stdout.write(JSON.stringify({ rejected: b.script.cachedDataRejected, session: typeof Session, runTui: typeof runTui, dev: process.env.NODE_ENV ?? null }));\n`);
    const r = spawnSync(process.execPath, [probe], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'development' } });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ rejected: false, session: 'function', runTui: 'function', dev: 'development' });
    const text = readFileSync(path.join(ROOT, 'dist/tui.cjs'), 'utf8');
    expect(text).toMatch(/node_modules\/react\/cjs\/react\.production\.js/);
    expect(text).not.toMatch(/react[-\w]*\.development\.js|node_modules\/react-devtools-core\//);
  });

  it('`open` without a terminal writes the text report and loads no UI package', () => {
    const loaded = new Set(loadedBy(['sample-logs/healthy-day']));
    const packages = new Set([...loaded].map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1]));
    for (const p of ['ink', 'react', 'yoga-layout']) expect(packages, p).not.toContain(p);
  });
});
