// Runs after tsc: validates rules/*.yaml and writes dist/rules-catalog.json (see
// src/analysis/rules/catalog.ts). A broken rule file fails the build with file:line:col.
import { writeFileSync } from 'node:fs';
import { builtinRulesDir, loadRules } from '../dist/src/analysis/rules/load.js';
import { catalogCachePath, catalogSignature } from '../dist/src/analysis/rules/catalog.js';

const dir = builtinRulesDir();
const { rules, errors } = await loadRules([dir]);
for (const e of errors) console.error(e.message);
if (errors.length) process.exit(1);
writeFileSync(catalogCachePath(dir), JSON.stringify({ signature: catalogSignature(dir), rules }));
