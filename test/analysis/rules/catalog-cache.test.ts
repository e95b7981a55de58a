import { describe, expect, it } from 'vitest';
import { cpSync, utimesSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { catalogCachePath, catalogSignature, loadBuiltinRules, readCatalogCache } from '../../../src/analysis/rules/catalog.js';
import { builtinRulesDir, loadRules } from '../../../src/analysis/rules/load.js';
import { tempDir } from '../../helpers/tmp.js';

describe('prebuilt catalog cache', () => {
  it('is used only while the rule files are unchanged, and equals the YAML catalog', async () => {
    const t = tempDir();
    try {
      const rulesDir = path.join(t.dir, 'rules');
      cpSync(builtinRulesDir(), rulesDir, { recursive: true });
      const { rules } = await loadRules([rulesDir]);
      expect(readCatalogCache(rulesDir)).toBeNull();
      mkdirSync(path.join(t.dir, 'dist'));
      writeFileSync(catalogCachePath(rulesDir), JSON.stringify({ signature: catalogSignature(rulesDir), rules }));
      expect(readCatalogCache(rulesDir)).toEqual(rules);
      expect((await loadBuiltinRules(rulesDir)).rules).toEqual(rules);
      // A rule edited after the build: the cache is stale and the YAML wins.
      const f = path.join(rulesDir, 'proxy-timeout.yaml');
      writeFileSync(f, readFileSync(f, 'utf8').replace(/^title: .*$/m, 'title: Edited title'));
      utimesSync(f, new Date(), new Date(Date.now() + 5000));
      expect(readCatalogCache(rulesDir)).toBeNull();
      const fresh = await loadBuiltinRules(rulesDir);
      expect(fresh.rules.find((r) => r.id === 'proxy-timeout')!.title).toBe('Edited title');
    } finally {
      t.cleanup();
    }
  });
});
