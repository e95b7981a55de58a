/**
 * Expected findings (`--baseline FILE`): which rule ids fire at which severity. A run differs
 * from its baseline when a finding is new (`unexpected`) or an expected one is gone (`missing`);
 * counts are recorded for people to read but never fail a comparison (log volume varies).
 */
import type { Finding } from '../analysis/model.js';

export type BaselineSeverity = 'error' | 'warning' | 'info';

export interface BaselineEntry {
  ruleId: string;
  severity: string;
  /** Informational: total occurrences when the baseline was written. */
  count?: number;
}

export interface Baseline {
  version: 1;
  findings: BaselineEntry[];
}

export interface BaselineCountChange {
  ruleId: string;
  severity: string;
  expected: number;
  actual: number;
}

export interface BaselineDiff {
  /** In the baseline, not found now. */
  missing: BaselineEntry[];
  /** Found now, not in the baseline. */
  unexpected: BaselineEntry[];
  /** Same ruleId+severity, different count (informational: does not affect `ok`). */
  countChanged: BaselineCountChange[];
  /** No missing and no unexpected finding. */
  ok: boolean;
}

export class BaselineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineError';
  }
}

const SEVERITIES: readonly string[] = ['error', 'warning', 'info'];

const keyOf = (e: { ruleId: string; severity: string }) => `${e.ruleId}\u0000${e.severity}`;

/** One entry per ruleId+severity with counts summed, sorted by ruleId then severity. */
function aggregate(findings: readonly { ruleId: string; severity: string; count?: number }[]): BaselineEntry[] {
  const map = new Map<string, BaselineEntry>();
  for (const f of findings) {
    const k = keyOf(f);
    const e = map.get(k);
    if (e) {
      if (f.count !== undefined) e.count = (e.count ?? 0) + f.count;
    } else {
      const entry: BaselineEntry = { ruleId: f.ruleId, severity: f.severity };
      if (f.count !== undefined) entry.count = f.count;
      map.set(k, entry);
    }
  }
  return [...map.values()].sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity)));
}

/** The current findings as a baseline file body (`--update-baseline`). */
export function toBaseline(result: { findings: readonly Finding[] }): Baseline {
  return { version: 1, findings: aggregate(result.findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity, count: f.count }))) };
}

/** Compares by ruleId+severity. */
export function compareBaseline(expected: Baseline, result: { findings: readonly Finding[] }): BaselineDiff {
  const want = aggregate(expected.findings);
  const have = toBaseline(result).findings;
  const haveByKey = new Map(have.map((e) => [keyOf(e), e]));
  const wantByKey = new Map(want.map((e) => [keyOf(e), e]));
  const missing = want.filter((e) => !haveByKey.has(keyOf(e)));
  const unexpected = have.filter((e) => !wantByKey.has(keyOf(e)));
  const countChanged: BaselineCountChange[] = [];
  for (const w of want) {
    const h = haveByKey.get(keyOf(w));
    if (h && w.count !== undefined && h.count !== undefined && w.count !== h.count) {
      countChanged.push({ ruleId: w.ruleId, severity: w.severity, expected: w.count, actual: h.count });
    }
  }
  return { missing, unexpected, countChanged, ok: missing.length === 0 && unexpected.length === 0 };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a baseline file. Also accepts a whole `--format json` report (its findings are taken).
 * Throws BaselineError saying what is wrong and where.
 */
export function parseBaseline(text: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new BaselineError(`baseline is not valid JSON: ${(e as Error).message}`);
  }
  if (!isObject(data)) throw new BaselineError('baseline must be a JSON object like {"version": 1, "findings": [{"ruleId": "…", "severity": "error"}]}');
  const isReport = isObject(data.tool) && data.tool.name === 'attachscope' && data.version === undefined;
  if (!isReport) {
    if (data.version === undefined) throw new BaselineError('baseline has no "version" (expected 1)');
    if (data.version !== 1) throw new BaselineError(`baseline version ${JSON.stringify(data.version)} is not supported (expected 1)`);
  }
  if (!Array.isArray(data.findings)) throw new BaselineError('baseline "findings" must be an array');
  const findings: BaselineEntry[] = data.findings.map((f: unknown, i: number) => {
    const at = `baseline findings[${i}]`;
    if (!isObject(f)) throw new BaselineError(`${at} must be an object with "ruleId" and "severity"`);
    if (typeof f.ruleId !== 'string' || f.ruleId === '') throw new BaselineError(`${at}: "ruleId" must be a non-empty string`);
    if (typeof f.severity !== 'string' || !SEVERITIES.includes(f.severity)) {
      throw new BaselineError(`${at} (${f.ruleId}): "severity" must be one of ${SEVERITIES.join(', ')}, not ${JSON.stringify(f.severity)}`);
    }
    const entry: BaselineEntry = { ruleId: f.ruleId, severity: f.severity };
    if (f.count !== undefined) {
      if (typeof f.count !== 'number' || !Number.isInteger(f.count) || f.count < 0) throw new BaselineError(`${at} (${f.ruleId}): "count" must be a non-negative integer`);
      entry.count = f.count;
    }
    return entry;
  });
  return { version: 1, findings };
}
