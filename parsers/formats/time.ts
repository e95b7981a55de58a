/**
 * Log time arithmetic. ConfigMgr writes local wall-clock time plus a bias in minutes that
 * follows the Windows TIME_ZONE_INFORMATION convention: UTC = local + bias (+480 is Pacific
 * standard time, -120 central European summer time).
 *
 * Times are always built from their parts with Date.UTC: `new Date(string)` misreads `+480`.
 */

/** Largest plausible |bias| in minutes: UTC-14:00 .. UTC+12:00 spans ±840. */
export const MAX_PLAUSIBLE_BIAS = 840;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Wall-clock parts → epoch ms as if the wall clock were UTC. Returns null for impossible parts
 * (month 13, 31 April, hour 24, ...), never a silently rolled-over date.
 */
export function wallClockMs(
  year: number, month: number, day: number,
  hour: number, minute: number, second: number, millis = 0,
): number | null {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) return null;
  if (!Number.isInteger(month) || month < 1 || month > 12) return null;
  const maxDay = DAYS_IN_MONTH[month - 1] ?? 31;
  if (!Number.isInteger(day) || day < 1 || day > maxDay) return null;
  if (month === 2 && day === 29 && !isLeapYear(year)) return null;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return null;
  if (millis < 0 || millis > 999) return null;
  return Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), millis);
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** `"329"` → 329, `"3093207"` → 309, `"5"` → 500: fractions of 1–7 digits to whole ms (truncated). */
export function fractionToMs(fraction: string | undefined): number {
  if (!fraction) return 0;
  return Number((fraction + '00').slice(0, 3));
}

export interface BiasReading {
  /** Bias in minutes to use for UTC, or null when there is none. */
  bias: number | null;
  /** A problem to report (malformed or implausible), if any. */
  problem?: string;
}

/**
 * Reads the bias suffix of a CMTrace/server time (`+480`, `-120`, `+000`, `+60`).
 * `+-360` is what community writers produce from WMI's opposite-sign Win32_TimeZone.Bias:
 * it is read as +360 (the TIME_ZONE_INFORMATION value) and flagged.
 */
export function readBias(text: string | undefined): BiasReading {
  if (text === undefined || text === '') return { bias: null };
  const t = text.trim();
  let m = /^([+-])(\d{1,4})$/.exec(t);
  if (m) {
    const value = Number(m[2]) * (m[1] === '-' ? -1 : 1);
    if (Math.abs(value) > MAX_PLAUSIBLE_BIAS) {
      return { bias: null, problem: `implausible time-zone bias ${t} (|bias| > ${MAX_PLAUSIBLE_BIAS} minutes); time not converted to UTC` };
    }
    return { bias: value };
  }
  m = /^\+-(\d{1,4})$/.exec(t);
  if (m) {
    const value = Number(m[1]);
    if (value > MAX_PLAUSIBLE_BIAS) return { bias: null, problem: `malformed time-zone bias ${t}` };
    return { bias: value, problem: `malformed time-zone bias ${t} (WMI sign convention); read as +${value}` };
  }
  return { bias: null, problem: `malformed time-zone bias ${JSON.stringify(t)}` };
}

/** UTC = local + bias. Null in, null out. */
export function toUtc(localMs: number | null, bias: number | null): number | null {
  if (localMs === null || bias === null) return null;
  return localMs + bias * 60_000;
}

/** The last whole second isoUtc formatted, and its text up to the milliseconds. */
let isoSecond = Number.NaN;
let isoPrefix = '';

/**
 * Epoch ms → `2015-06-26T21:24:33.329Z`. Reports write one per event (2.6 million in a 1 GiB
 * NDJSON listing), and events come many to a second: the text up to the second is reused from
 * the previous call (`toISOString` cost ~0.7 µs each, 5 % of a listing's profile).
 */
export function isoUtc(ms: number | null): string | null {
  if (ms === null) return null;
  const second = Math.floor(ms / 1000);
  if (second === isoSecond && Number.isInteger(ms)) {
    const milli = ms - second * 1000;
    return isoPrefix + (milli < 10 ? '00' : milli < 100 ? '0' : '') + milli + 'Z';
  }
  const text = new Date(ms).toISOString();
  if (Number.isInteger(ms)) {
    isoSecond = second;
    isoPrefix = text.slice(0, -4); // every form ends `.sssZ`, extended years too
  }
  return text;
}

/** Wall-clock ms → `2015-06-26 14:24:33.329` (no zone: it is a local time). */
export function isoLocal(ms: number | null): string | null {
  if (ms === null) return null;
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
}

/** Formats a bias the way logs write it: 480 → `+480`, -60 → `-060`, 0 → `+000`. */
export function formatBias(bias: number | null): string {
  if (bias === null) return 'none';
  const sign = bias < 0 ? '-' : '+';
  return sign + String(Math.abs(bias)).padStart(3, '0');
}

/** The same bias as an ISO offset for humans: +480 → `UTC-08:00`. */
export function biasAsOffset(bias: number | null): string {
  if (bias === null) return 'unknown zone';
  const east = -bias;
  const sign = east < 0 ? '-' : '+';
  const a = Math.abs(east);
  return `UTC${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

/** `Mar` → 3 (legacy SMS 2.0 dates). */
export function monthFromName(name: string): number | null {
  return MONTHS[name.slice(0, 3).toLowerCase()] ?? null;
}

/**
 * Wall-clock parts of a time written inside a message: like wallClockMs, with an optional
 * 12-hour clock (`4:35:31 PM`) and no leap second.
 */
export function messageWallClockMs(
  year: number, month: number, day: number,
  hour: number, minute: number, second: number, millis = 0,
  ampm: 'am' | 'pm' | null = null,
): number | null {
  let h = hour;
  if (ampm !== null) {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (ampm === 'pm' ? 12 : 0);
  }
  if (second > 59) return null;
  return wallClockMs(year, month, day, h, minute, second, millis);
}

/**
 * `MM/dd/yyyy HH:mm:ss` (also `M/d/yyyy h:mm:ss PM`, `-` or `.` separators), as written in
 * `Next run time will be at approximately: 02/28/2020 16:35:31`. A regex source to embed.
 */
export const US_DATETIME_SRC =
  String.raw`(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,](\d{1,3})\d*)?(?:\s*([AaPp])\.?[Mm]\.?)?`;

/** Wall-clock ms of a US_DATETIME_SRC match whose groups start at `first`, or null. */
export function usDateTimeMs(m: RegExpExecArray, first: number): number | null {
  const n = (i: number): number => Number(m[first + i] ?? '0');
  const ap = m[first + 7];
  const frac = m[first + 6];
  return messageWallClockMs(
    n(2), n(0), n(1), n(3), n(4), n(5),
    frac === undefined ? 0 : Number(frac.padEnd(3, '0')),
    ap === undefined ? null : ap.toLowerCase() === 'p' ? 'pm' : 'am',
  );
}

/** `2020-01-21T15:43:43Z` (optional fraction and offset; no zone = UTC) inside a message → UTC ms. */
export function isoUtcMs(text: string): number | null {
  const m =
    /(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?/i.exec(text);
  if (!m) return null;
  const frac = m[7];
  const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  const wall = messageWallClockMs(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? '0'), ms);
  if (wall === null) return null;
  const zone = m[8];
  if (zone === undefined || zone.toUpperCase() === 'Z') return wall;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
  if (offset > 18 * 60) return null;
  return wall - sign * offset * 60_000;
}
