import type { LogicalSource } from '../ingest/discover.js';
import type { ReadOptions } from '../ingest/read.js';

/** `--bias FILE_GLOB=MINUTES`: a fixed bias for files whose writer got the sign wrong. */
export interface BiasOverride {
  glob: string;
  minutes: number;
}

/** Parses `CcmLog*.log=-60`; throws a usage message on a bad value. */
export function parseBiasOverride(text: string): BiasOverride {
  const at = text.lastIndexOf('=');
  const glob = text.slice(0, at).trim();
  const value = text.slice(at + 1).trim();
  if (at <= 0 || !glob || !/^[+-]?\d{1,4}$/.test(value)) {
    throw new Error(`--bias expects FILE_GLOB=MINUTES (for example "ThirdParty*.log=-60"), got ${JSON.stringify(text)}`);
  }
  const minutes = Number(value);
  if (Math.abs(minutes) > 840) throw new Error(`--bias ${minutes} is outside ±840 minutes`);
  return { glob, minutes };
}

/** A small glob (`*`, `?`, `**`) as a case-insensitive regex over `/`-separated paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  const g = glob.replace(/\\/g, '/');
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '*') {
      if (g[i + 1] === '*') { re += '.*'; i++; if (g[i + 1] === '/') i++; }
      else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`(^|/)${re}$`, 'i');
}

/** The override that applies to a source (matched on each file's path or name), or null. */
export function biasOverrideFor(src: LogicalSource, overrides: readonly BiasOverride[]): number | null {
  for (const o of overrides) {
    const re = globToRegExp(o.glob);
    if (src.files.some((f) => re.test(f.path.replace(/\\/g, '/')) || re.test(f.name))) return o.minutes;
  }
  return null;
}

/** How to read a source's files: its log name, and the user's bias override when one applies. */
export function readOptionsFor(src: LogicalSource, overrides: readonly BiasOverride[]): { override: number | null; readOpts: ReadOptions } {
  const override = biasOverrideFor(src, overrides);
  return { override, readOpts: override === null ? { log: src.name } : { log: src.name, biasOverride: override } };
}
