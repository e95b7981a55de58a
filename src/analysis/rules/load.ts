/**
 * Loading rule files. Every problem is reported lnav-style, `file:line:col: what is wrong`,
 * pointing at the YAML node at fault: syntax errors from the YAML parser, schema errors at the
 * offending key or value, invalid regexes at their `text:`, duplicate ids at the second `id:`.
 * A file with an error contributes no rule; the others still load.
 */
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { RuleSchema, type Rule } from './schema.js';

export interface RuleLoadError {
  file: string;
  /** 1-based; 0 when the problem has no position (unreadable file). */
  line: number;
  col: number;
  /** What is wrong, without the location. */
  detail: string;
  /** The whole lnav-style line: `file:line:col: detail`. */
  message: string;
}

function loadError(file: string, line: number, col: number, detail: string): RuleLoadError {
  const message = line > 0 ? `${file}:${line}:${col}: ${detail}` : `${file}: ${detail}`;
  return { file, line, col, detail, message };
}

const RULE_FILE_RE = /\.ya?ml$/i;

/** The rule files under the given files and folders (folders: their `.yaml`/`.yml` files, sorted). */
async function ruleFiles(paths: string[], errors: RuleLoadError[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch (e) {
      errors.push(loadError(p, 0, 0, `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`));
      continue;
    }
    if (st.isDirectory()) {
      const names = (await readdir(p)).filter((n) => RULE_FILE_RE.test(n)).sort();
      for (const n of names) out.push(join(p, n));
    } else {
      out.push(p);
    }
  }
  return out;
}

/** Line and column (1-based) of a node path in the document; walks up to the nearest node that exists. */
function locate(doc: Document, lc: LineCounter, path: readonly PropertyKey[]): { line: number; col: number } {
  const keys = path.map((k) => (typeof k === 'symbol' ? String(k) : k)) as (string | number)[];
  for (let n = keys.length; n >= 0; n--) {
    const sub = keys.slice(0, n);
    const node = sub.length === 0 ? doc.contents : doc.getIn(sub, true);
    if (isNode(node) && node.range) {
      const pos = lc.linePos(node.range[0]);
      return { line: pos.line, col: pos.col };
    }
  }
  return { line: 1, col: 1 };
}

/** Position of the key `key` inside the map at `path` (for unknown keys). */
function locateKey(doc: Document, lc: LineCounter, path: readonly PropertyKey[], key: string): { line: number; col: number } | null {
  const keys = path.map((k) => (typeof k === 'symbol' ? String(k) : k)) as (string | number)[];
  const node = keys.length === 0 ? doc.contents : doc.getIn(keys, true);
  if (!isMap(node)) return null;
  for (const item of node.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === key && item.key.range) {
      const pos = lc.linePos(item.key.range[0]);
      return { line: pos.line, col: pos.col };
    }
  }
  return null;
}

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : `${out === '' ? '' : '.'}${String(k)}`;
  return out;
}

/** The schema problems of one parsed document, located. */
function schemaErrors(file: string, doc: Document, lc: LineCounter, error: z.ZodError): RuleLoadError[] {
  const out: RuleLoadError[] = [];
  const seen = new Set<string>();
  const push = (e: RuleLoadError): void => {
    if (seen.has(e.message)) return;
    seen.add(e.message);
    out.push(e);
  };
  for (const issue of error.issues) {
    const where = pathText(issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const pos = locateKey(doc, lc, issue.path, key) ?? locate(doc, lc, issue.path);
        const name = where === '' ? key : `${where}.${key}`;
        push(loadError(file, pos.line, pos.col, `${name}: unknown key`));
      }
      continue;
    }
    const pos = locate(doc, lc, issue.path);
    let detail = issue.message;
    if (issue.code === 'invalid_type' && /received undefined/.test(detail)) detail = 'required';
    if (issue.code === 'invalid_union') detail = unionDetail(issue) ?? detail;
    push(loadError(file, pos.line, pos.col, where === '' ? detail : `${where}: ${detail}`));
  }
  return out;
}

/** A readable message for a union failure: the message of its closest branch. */
function unionDetail(issue: z.core.$ZodIssue): string | null {
  if (issue.code !== 'invalid_union') return null;
  const branches = issue.errors ?? [];
  // Prefer a branch that got past the type check (an object branch with a bad key or value).
  for (const b of branches) {
    const deep = b.find((i) => i.code !== 'invalid_type');
    if (deep) return `${pathText(deep.path) === '' ? '' : `${pathText(deep.path)}: `}${deep.message}`;
  }
  return 'expected a value, or an object of conditions (eq, ne, in, notIn, gte, lte, gt, lt, regex, exists)';
}

/** Parses one rule file's text. */
export function parseRuleText(file: string, text: string): { rule: Rule | null; errors: RuleLoadError[]; idPos: { line: number; col: number } | null } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((e) => {
      const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
      const detail = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
      return loadError(file, pos.line, pos.col, detail);
    });
    return { rule: null, errors, idPos: null };
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  const parsed = RuleSchema.safeParse(data);
  if (!parsed.success) return { rule: null, errors: schemaErrors(file, doc, lc, parsed.error), idPos: null };
  return { rule: parsed.data, errors: [], idPos: locate(doc, lc, ['id']) };
}

/**
 * Loads every `.yaml`/`.yml` rule in the given files and folders. Duplicate ids are an error
 * (the first one wins). Never throws for bad input: problems come back as `errors`.
 */
export async function loadRules(paths: string[]): Promise<{ rules: Rule[]; errors: RuleLoadError[]; files: Map<string, string> }> {
  const errors: RuleLoadError[] = [];
  const rules: Rule[] = [];
  const files = new Map<string, string>();
  const firstAt = new Map<string, string>();
  for (const file of await ruleFiles(paths, errors)) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      errors.push(loadError(file, 0, 0, `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`));
      continue;
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const res = parseRuleText(file, text);
    errors.push(...res.errors);
    if (!res.rule) continue;
    const pos = res.idPos ?? { line: 1, col: 1 };
    const first = firstAt.get(res.rule.id);
    if (first !== undefined) {
      errors.push(loadError(file, pos.line, pos.col, `id: duplicate rule id "${res.rule.id}" (first defined at ${first})`));
      continue;
    }
    firstAt.set(res.rule.id, `${file}:${pos.line}:${pos.col}`);
    files.set(res.rule.id, file);
    rules.push(res.rule);
  }
  return { rules, errors, files };
}

export { builtinRulesDir } from './locate.js';
