// How the build writes a bundle and its V8 code cache (read back by src/cli/bundle.ts): the
// bundle's first line names a hash of its content, and the cache starts with that line, because
// V8 itself only checks that the source length matches.
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';

/** Writes the bundle with its id line, dropping the cache of the previous bundle. */
export function writeBundle(bundlePath, cachePath, text) {
  rmSync(cachePath, { force: true });
  writeFileSync(bundlePath, `// attachscope ${createHash('sha256').update(text).digest('hex').slice(0, 16)}\n${text}`);
}

/** Writes the code cache of a bundle loaded and trained in this process. */
export function writeCodeCache(cachePath, id, script) {
  writeFileSync(cachePath, Buffer.concat([Buffer.from(`${id}\n`, 'latin1'), script.createCachedData()]));
}
