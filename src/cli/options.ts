/** Parsing of user-typed option values. Errors are usage errors (exit code 2). */

export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * By name, not instanceof: the TUI and `scan --follow` modules load unbundled beside the bundled
 * CLI (scripts/bundle-cli.mjs), each with its own copy of this class.
 */
export function isUsageError(e: unknown): e is UsageError {
  return e instanceof Error && e.name === 'UsageError';
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30s`, `10m`, `2h`, `7d` → ms, or null if not a duration. */
export function parseDuration(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/i.exec(text);
  return m ? Number(m[1]) * UNITS[m[2]!.toLowerCase()]! : null;
}

/**
 * `--since`/`--until`: ISO 8601 (`2026-03-14T10:00:00Z`, `2026-03-14 10:00`, with an offset, or
 * without one = UTC) or relative to now (`2h` = two hours ago). Built from parts, never
 * `new Date(string)`.
 */
export function parseTimeOption(text: string, now: number, name: string): number {
  const d = parseDuration(text);
  if (d !== null) return now - d;
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/i.exec(text);
  if (!m) throw new UsageError(`${name} expects an ISO 8601 time (2026-03-14T10:00:00Z) or a duration (2h, 30m), got ${JSON.stringify(text)}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), Number((m[7] ?? '0').padEnd(3, '0')));
  if (Number.isNaN(ms) || Number(m[2]) > 12 || Number(m[3]) > 31) throw new UsageError(`${name}: impossible date ${JSON.stringify(text)}`);
  let offsetMin = 0;
  const z = m[8];
  if (z && z.toUpperCase() !== 'Z') {
    const o = /([+-])(\d{2}):?(\d{2})/.exec(z)!;
    offsetMin = (o[1] === '-' ? -1 : 1) * (Number(o[2]) * 60 + Number(o[3]));
  }
  return ms - offsetMin * 60_000;
}

export type FailOn = 'error' | 'warning' | 'info' | 'never';

export function parseFailOn(v: string): FailOn {
  if (v === 'error' || v === 'warning' || v === 'info' || v === 'never') return v;
  throw new UsageError(`--fail-on expects error, warning, info or never, got ${JSON.stringify(v)}`);
}

/** `--jobs N`: a whole number of threads, 1 or more. */
export function parseJobs(text: string): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isInteger(n) || n < 1) throw new UsageError(`--jobs expects a whole number of threads (1 or more), got ${JSON.stringify(text)}`);
  return n;
}
