/**
 * The built-in catalog, fast. Parsing 30+ YAML files and validating them with zod costs more
 * than analyzing a small log set, so `npm run build` writes the validated catalog to
 * `dist/rules-catalog.json` with a signature of the rule files (names, sizes, mtimes). When the
 * signature still matches, the catalog is read from there without loading yaml or zod; when a
 * rule file changed (or there is no cache), the YAML is loaded as usual.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Rule } from './schema.js';

export interface CatalogCache {
  signature: string;
  rules: Rule[];
}

/** Names, sizes and mtimes of the rule files: changes when any rule file changes. */
export function catalogSignature(rulesDir: string): string {
  const files = readdirSync(rulesDir).filter((f) => /\.ya?ml$/i.test(f)).sort();
  return files.map((f) => {
    const st = statSync(join(rulesDir, f));
    return `${f}:${st.size}:${Math.trunc(st.mtimeMs)}`;
  }).join('|');
}

/** Where the cache lives for a rules folder: `<package>/dist/rules-catalog.json`. */
export function catalogCachePath(rulesDir: string): string {
  return join(dirname(rulesDir), 'dist', 'rules-catalog.json');
}

/** The cached catalog if it is current, else null. Never throws. */
export function readCatalogCache(rulesDir: string): Rule[] | null {
  try {
    const p = catalogCachePath(rulesDir);
    if (!existsSync(p)) return null;
    const cache = JSON.parse(readFileSync(p, 'utf8')) as CatalogCache;
    if (cache.signature !== catalogSignature(rulesDir)) return null;
    return cache.rules;
  } catch {
    return null;
  }
}

/** Loads the built-in rules: from the cache when current, else from YAML (with errors). */
export async function loadBuiltinRules(rulesDir: string): Promise<{ rules: Rule[]; errors: import('./load.js').RuleLoadError[] }> {
  const cached = readCatalogCache(rulesDir);
  if (cached) return { rules: cached, errors: [] };
  const { loadRules } = await import('./load.js');
  const { rules, errors } = await loadRules([rulesDir]);
  return { rules, errors };
}
