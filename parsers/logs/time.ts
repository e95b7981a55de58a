/**
 * Times written inside messages. Built from their parts with Date.UTC, never `new Date(string)`.
 */

/**
 * Wall-clock parts as epoch ms "as if UTC", or null when a part is out of range
 * (month 13, 31 February, hour 25, a 12-hour clock hour of 0...).
 */
export function wallClockMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms = 0,
  ampm: 'am' | 'pm' | null = null,
): number | null {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) return null;
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  if (minute > 59 || second > 59 || ms < 0 || ms > 999) return null;
  let h = hour;
  if (ampm !== null) {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (ampm === 'pm' ? 12 : 0);
  } else if (h > 23) {
    return null;
  }
  const value = Date.UTC(year, month - 1, day, h, minute, second, ms);
  const check = new Date(value);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return value;
}

/** UTC = local + bias (minutes), the Windows convention; null without a bias or a time. */
export function applyBias(localMs: number | null, bias: number | null): number | null {
  if (localMs === null || bias === null || !Number.isFinite(bias)) return null;
  return localMs + bias * 60_000;
}

/**
 * `MM/dd/yyyy HH:mm:ss` (also `M/d/yyyy h:mm:ss PM`, `-` or `.` separators), as written in
 * `Next run time will be at approximately: 02/28/2020 16:35:31`.
 */
export const US_DATETIME_SRC =
  String.raw`(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,](\d{1,3})\d*)?(?:\s*([AaPp])\.?[Mm]\.?)?`;

/** Wall-clock ms of a US_DATETIME_SRC match (groups start at `first`). */
export function usDateTimeMs(m: RegExpExecArray, first: number): number | null {
  const n = (i: number): number => Number(m[first + i] ?? '0');
  const ap = m[first + 7];
  const frac = m[first + 6];
  return wallClockMs(
    n(2),
    n(0),
    n(1),
    n(3),
    n(4),
    n(5),
    frac === undefined ? 0 : Number(frac.padEnd(3, '0')),
    ap === undefined ? null : ap.toLowerCase() === 'p' ? 'pm' : 'am',
  );
}

/** `2020-01-21T15:43:43Z` (optional fraction and offset; no zone = UTC) as UTC epoch ms. */
export function isoUtcMs(text: string): number | null {
  const m =
    /(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?/i.exec(
      text,
    );
  if (!m) return null;
  const frac = m[7];
  const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  const wall = wallClockMs(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? '0'), ms);
  if (wall === null) return null;
  const zone = m[8];
  if (zone === undefined || zone.toUpperCase() === 'Z') return wall;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
  if (offset > 18 * 60) return null;
  return wall - sign * offset * 60_000;
}
