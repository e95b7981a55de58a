// How the build writes a bundle and its V8 code cache (read back by src/cli/bundle.ts): the
// bundle's first line names a hash of its content, and the cache starts with that line, because
// V8 itself only checks that the source length matches.
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';

/**
 * What both bundles are: one CommonJS file for Node 20 (src/cli/bundle.ts runs it as a vm.Script,
 * which has no dynamic-import callback when compiled from a cache, hence no import()); the
 * modules find package.json, rules/ and sample-logs/ from `import.meta.url`, which bundle.ts
 * passes in as `__bundleUrl`.
 */
export const BUNDLE_OPTIONS = {
  bundle: true,
  write: false,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__bundleUrl' },
  logLevel: 'warning',
};

/** Writes the bundle with its id line, dropping the cache of the previous bundle. */
export function writeBundle(bundlePath, cachePath, text) {
  rmSync(cachePath, { force: true });
  writeFileSync(bundlePath, `// attachscope ${createHash('sha256').update(text).digest('hex').slice(0, 16)}\n${text}`);
}

/** Writes the code cache of a bundle loaded and trained in this process. */
export function writeCodeCache(cachePath, id, script) {
  writeFileSync(cachePath, Buffer.concat([Buffer.from(`${id}\n`, 'latin1'), script.createCachedData()]));
}
