/**
 * Small helpers on rule text (durations, placeholders, regexes) with no dependency, so the
 * engine can run from the prebuilt catalog without loading zod or yaml.
 */

/** `30s`, `10m`, `2h`, `1d`, `500ms`, or several: `1h30m`. */
export const DURATION_RE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;

const DURATION_PART_RE = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration as milliseconds, or null when the text is not one. */
export function parseDuration(text: string): number | null {
  const t = text.trim();
  if (!DURATION_RE.test(t)) return null;
  let total = 0;
  for (const m of t.matchAll(DURATION_PART_RE)) total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
  return Number.isFinite(total) ? total : null;
}

/** Placeholders an explanation may use: `{count}`, `{first}`, `{last}`, `{log}`, `{within}`, `{gap}`, `{field.NAME}`. */
export const PLACEHOLDER_RE = /\{([A-Za-z][\w.-]*)\}/g;
const PLACEHOLDERS = new Set(['count', 'first', 'last', 'log', 'within', 'gap']);

export function isKnownPlaceholder(name: string): boolean {
  return PLACEHOLDERS.has(name) || /^field\.[\w-]+$/.test(name);
}

/** Why a regex does not compile, or null when it does. */
export function regexError(source: string, flags = ''): string | null {
  try {
    new RegExp(source, flags);
    return null;
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).replace(/^Invalid regular expression: /, '');
  }
}

