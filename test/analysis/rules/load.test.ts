import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinRulesDir, loadRules } from '../../../src/analysis/rules/load.js';
import { parseDuration } from '../../../src/analysis/rules/schema.js';

const GOOD = `id: my-rule
title: My rule
severity: warning
explanation: '{count} hits'
remediation: [fix it]
docs: []
match:
  any:
    - text: 'boom'
samples:
  - log: CMGatewayNotificationWorker
    lines: [boom]
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'attachscope-rules-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(name: string, text: string) {
  const sub = await mkdtemp(join(dir, 'case-'));
  const file = join(sub, name);
  await writeFile(file, text);
  return { file, ...(await loadRules([sub])) };
}

describe('loadRules', () => {
  it('loads a valid rule', async () => {
    const { rules, errors } = await load('my-rule.yaml', GOOD);
    expect(errors).toEqual([]);
    expect(rules.map((r) => r.id)).toEqual(['my-rule']);
  });

  it('points at a bad severity value (file:line:col)', async () => {
    const { file, rules, errors } = await load('bad.yaml', GOOD.replace('severity: warning', 'severity: critical'));
    expect(rules).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file, line: 3, col: 11 });
    expect(errors[0]?.message).toMatch(new RegExp(`^${file.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}:3:11: severity: .*"error"`));
  });

  it('points at an invalid regex', async () => {
    const { file, errors } = await load('bad.yaml', GOOD.replace("text: 'boom'", "text: 'bo(om'"));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(new RegExp(`:9:13: match\\.any\\[0\\]\\.text: invalid regex`));
    expect(errors[0]?.file).toBe(file);
  });

  it('points at an invalid regex in a where condition', async () => {
    const text = GOOD.replace("- text: 'boom'", "- event: x\n      where: { status: { regex: '[' } }");
    const { errors } = await load('bad.yaml', text);
    expect(errors).toHaveLength(1);
    expect(`${errors[0]?.line}:${errors[0]?.col}: ${errors[0]?.detail}`).toMatch(/^10:33: match\.any\[0\]\.where\.status\.regex: invalid regex: \/\[\/: Unterminated character class/);
  });

  it('reports YAML syntax errors with their position', async () => {
    const { errors } = await load('bad.yaml', 'id: x\ntitle: [unclosed\nseverity: error\n');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.message).toMatch(/bad\.yaml:\d+:\d+: /);
    expect(errors[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it('points at unknown keys, and names missing ones', async () => {
    const { errors } = await load('bad.yaml', GOOD.replace('docs: []\n', 'docz: []\n'));
    const texts = errors.map((e) => `${e.line}:${e.col}: ${e.detail}`);
    expect(texts).toContain('6:1: docz: unknown key');
    expect(texts).toContain('1:1: docs: required');
  });

  it('rejects unknown placeholders, bad durations and a rule with two modes', async () => {
    const text = GOOD.replace("'{count} hits'", "'{count} {bogus}'").replace('samples:', 'threshold: { count: 2, within: 10 minutes }\nabsence: { of: { text: x }, for: 5m }\nsamples:');
    const { errors } = await load('bad.yaml', text);
    const texts = errors.map((e) => e.detail);
    expect(texts.some((t) => t.startsWith('explanation: unknown placeholder {bogus}'))).toBe(true);
    expect(texts.some((t) => t.startsWith('threshold.within: expected a duration'))).toBe(true);
    expect(texts.some((t) => /only one of `match`, `absence`/.test(t))).toBe(true);
  });

  it('rejects a matcher with neither or both of text and event, and g flags', async () => {
    const { errors } = await load('bad.yaml', GOOD.replace("- text: 'boom'", "- { text: a, event: b }\n    - { logs: [X] }\n    - { text: a, flags: g }"));
    const texts = errors.map((e) => `${e.line}: ${e.detail}`);
    expect(texts).toContain('9: match.any[0]: a matcher needs exactly one of `text` or `event`');
    expect(texts).toContain('10: match.any[1]: a matcher needs exactly one of `text` or `event`');
    expect(texts.some((t) => t.startsWith('11: match.any[2].flags:'))).toBe(true);
  });

  it('reports duplicate ids across files at the second id, keeping the first', async () => {
    const sub = await mkdtemp(join(dir, 'dup-'));
    await writeFile(join(sub, 'a.yaml'), GOOD);
    await writeFile(join(sub, 'b.yml'), GOOD);
    await writeFile(join(sub, 'notes.txt'), 'not a rule');
    const { rules, errors } = await loadRules([sub]);
    expect(rules).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toBe(`${join(sub, 'b.yml')}:1:5: id: duplicate rule id "my-rule" (first defined at ${join(sub, 'a.yaml')}:1:5)`);
  });

  it('loads single files and reports paths that do not exist', async () => {
    const sub = await mkdtemp(join(dir, 'single-'));
    await mkdir(join(sub, 'nested'));
    await writeFile(join(sub, 'nested', 'r.yaml'), GOOD);
    const missing = join(sub, 'nope');
    const { rules, errors } = await loadRules([join(sub, 'nested', 'r.yaml'), missing]);
    expect(rules).toHaveLength(1);
    expect(errors.map((e) => e.message)).toEqual([`${missing}: cannot read: ENOENT`]);
  });

  it('treats an empty file as an error, not a crash', async () => {
    const { errors } = await load('empty.yaml', '');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.line).toBe(1);
  });
});

describe('builtinRulesDir', () => {
  it('finds the repo rules/ folder from the module location', async () => {
    const files = await readdir(builtinRulesDir());
    expect(files).toContain('gateway-unauthorized.yaml');
  });
});

describe('parseDuration', () => {
  it('reads 30s, 10m, 2h, 1d, 500ms and combinations', () => {
    expect(['30s', '10m', '2h', '1d', '500ms', '1h30m', '1.5h'].map(parseDuration)).toEqual([30_000, 600_000, 7_200_000, 86_400_000, 500, 5_400_000, 5_400_000]);
    expect(['', '10', 'm', '10 m', '-5m'].map(parseDuration)).toEqual([null, null, null, null, null]);
  });
});
