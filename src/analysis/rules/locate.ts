import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repo's `rules/` folder, found from this module's own location: the nearest ancestor folder
 * holding a package.json and a `rules/` folder. Works from source (`src/analysis/rules/`, under
 * vitest) and compiled (`dist/src/analysis/rules/`).
 */
export function builtinRulesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      const rules = join(dir, 'rules');
      if (existsSync(rules) && statSync(rules).isDirectory()) return rules;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  // Fallback: the compiled layout (dist/src/analysis/rules/ → four levels up).
  return resolve(fileURLToPath(new URL('../../../../rules/', import.meta.url)));
}
