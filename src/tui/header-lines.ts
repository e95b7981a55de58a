/**
 * The header: what is open (logs, machines, time span, follow state, reading progress) and the
 * health summary (last good upload and the next one due, cycles, actions, findings).
 */
import type { AnalysisResult } from '../analysis/analyze.js';
import type { SessionProgress } from '../analysis/session.js';
import { DEFAULT_CYCLE_OPTIONS } from '../analysis/cycles.js';
import { formatBytes, shortLog, shortUtc, clockUtc } from './format.js';
import { displayLine } from './sanitize.js';
import { fitLine, seg, type Line, type Segment } from './styled.js';

export interface HeaderInput {
  analysis: AnalysisResult | null;
  progress: SessionProgress;
  /** Following (tailing) the files, as requested. */
  follow: boolean;
  records: number;
  error: string | null;
  width: number;
  lines: number;
}

const n = (x: number, word: string, color: string | undefined, whenZero = false): Segment[] => [
  seg(String(x), { bold: true, color: x > 0 || whenZero ? color : undefined }),
  seg(` ${word} `),
];

/** `02-10 16:00–22:00Z`, or two dates when the span crosses midnight. */
function span(a: number, b: number | null): string {
  const x = shortUtc(a);
  const y = shortUtc(b);
  if (x.slice(0, 5) === y.slice(0, 5)) return `${x.slice(0, -1)}–${y.slice(6)}`;
  return `${x} → ${y}`;
}

export function headerLines(h: HeaderInput): Line[] {
  const a = h.analysis;
  const s = a?.summary ?? null;
  const l1: Line = [seg('attachscope ', { bold: true, color: 'cyan' })];
  const p = h.progress;
  if (!p.loaded) {
    // bytesRead moves file by file: a percentage only once some file is done.
    const pct = p.bytesTotal > 0 && p.bytesRead > 0 ? ` ${Math.floor((p.bytesRead / p.bytesTotal) * 100)}%` : '';
    l1.push(seg(`reading${pct} (${p.bytesTotal > 0 ? `${formatBytes(p.bytesTotal)}, ` : ''}${h.records} records so far)`, { color: 'yellow' }));
  } else if (p.following) {
    l1.push(seg('● following', { color: 'green', bold: true }));
  } else {
    l1.push(seg(h.follow ? 'follow starting…' : 'read once', { dim: true }));
  }
  if (h.error) l1.push(seg(` read failed: ${displayLine(h.error)}`, { color: 'red', bold: true }));
  l1.push(seg(' · '));
  if (a) {
    const kinds = [...new Set(a.sources.map((x) => shortLog(displayLine(x.kind === 'generic' ? x.name : x.kind))))];
    const machines = [...new Set(a.sources.map((x) => x.machine).filter((m): m is string => !!m).map(displayLine))];
    l1.push(seg(`${a.sources.length} log${a.sources.length === 1 ? '' : 's'}: ${kinds.join(' ')}`));
    if (machines.length) l1.push(seg(' · '), seg(`${machines.length === 1 ? '' : `${machines.length} machines: `}${machines.join(' ')}`));
    l1.push(seg(' · '), seg(s && s.firstUtcMs !== null ? span(s.firstUtcMs, s.lastUtcMs) : 'no times'));
  } else {
    l1.push(seg('opening…', { dim: true }));
  }

  const uploads: Line = [seg('uploads ', { dim: true })];
  if (s) {
    uploads.push(seg('last ok '), seg(s.lastSuccessfulUploadUtc === null ? 'never' : clockUtc(s.lastSuccessfulUploadUtc), { bold: true, color: s.lastSuccessfulUploadUtc === null ? 'red' : 'green' }));
    if (s.nextUploadDueUtc !== null) {
      // Same grace as the cycle builder before a run counts as missed.
      const overdue = a!.endMs !== null && s.nextUploadDueUtc + DEFAULT_CYCLE_OPTIONS.graceMs < a!.endMs;
      uploads.push(seg(' · next due '), seg(clockUtc(s.nextUploadDueUtc), { bold: true }), ...(overdue ? [seg(' overdue', { color: 'red', bold: true })] : []));
    }
    uploads.push(seg(' · cycles '), ...n(s.cycles.ok, 'ok', 'green'), ...n(s.cycles.failed, 'failed', 'red'), ...n(s.cycles.missed, 'missed', 'red'));
  } else uploads.push(seg('-', { dim: true }));

  const actions: Line = [seg('actions ', { dim: true })];
  const findings: Line = [seg('findings ', { dim: true })];
  if (s) {
    actions.push(...n(s.actions.delivered, 'delivered', 'green'), ...n(s.actions.failed, 'failed', 'red'), ...n(s.actions.pending, 'pending', 'yellow'));
    findings.push(...n(s.findings.error, 'error', 'red'), ...n(s.findings.warning, 'warning', 'yellow'), ...n(s.findings.info, 'info', undefined));
    if (a!.ruleErrors.length) findings.push(seg(`(${a!.ruleErrors.length} rule errors)`, { color: 'red' }));
  } else {
    actions.push(seg('-', { dim: true }));
    findings.push(seg('-', { dim: true }));
  }

  const sep = seg('│ ', { dim: true });
  const lines: Line[] = h.lines >= 3 ? [l1, uploads, [...actions, sep, ...findings]] : [l1, [...uploads, sep, ...actions, sep, ...findings]];
  return lines.slice(0, h.lines).map((l) => fitLine(l, h.width));
}
