/**
 * The text report (`attachscope scan`, default): the story first — what was read, how healthy
 * the attach is — then every finding with its causes and fix, then the action chains and the
 * upload cycles. Every string from a log or a path goes through the redactor and then
 * sanitizeForTerminal; colour (opts.color) is added around already-safe text only.
 */
import type { ActionChain, Finding, SourceSummary } from '../analysis/model.js';
import type { AnalysisResult } from '../analysis/analyze.js';
import type { BaselineDiff } from './baseline.js';
import {
  cycleGroups, describeBias, formatLatency, iso, moreEvidence, plural, redactorOf, sortFindings, utcRange, type Redact,
} from './common.js';
import { sanitizeForTerminal } from './sanitize.js';
import type { ReportOptions } from './types.js';

const WIDTH = 100;
/** Evidence lines shown from each end of a finding's evidence list. */
const EVIDENCE_EACH_END = 3;
/** Longest evidence message shown (characters); the JSON report keeps the whole line. */
const EVIDENCE_TEXT = 160;

function truncate(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : chars.slice(0, max - 1).join('') + '…';
}

const MARK = { error: '[ERROR]', warning: '[WARN ]', info: '[INFO ]' } as const;
const SGR = { red: '31', yellow: '33', cyan: '36', green: '32', bold: '1', dim: '2' } as const;
const SEV_COLOR = { error: SGR.red, warning: SGR.yellow, info: SGR.cyan } as const;

/** Greedy word wrap; paragraphs (lines) are kept; a word longer than the width stays whole. */
export function wrap(text: string, width: number, indent: string): string[] {
  const out: string[] = [];
  const avail = Math.max(20, width - indent.length);
  for (const para of text.split('\n')) {
    const words = para.split(/ +/).filter((w) => w !== '');
    if (!words.length) {
      out.push('');
      continue;
    }
    let cur = '';
    for (const w of words) {
      if (cur && cur.length + 1 + w.length > avail) {
        out.push(indent + cur);
        cur = w;
      } else cur = cur ? `${cur} ${w}` : w;
    }
    if (cur) out.push(indent + cur);
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return out;
}

/** Wraps with `lead` before the first line and as many spaces before the others (numbered lists). */
function wrapLead(text: string, lead: string): string[] {
  const pad = ' '.repeat(lead.length);
  return wrap(text, WIDTH, pad).map((l, i) => (i === 0 ? lead + l.slice(pad.length) : l));
}

class Writer {
  readonly lines: string[] = [];
  constructor(readonly color: boolean, readonly r: Redact) {}
  /** A string from a log or a path: redacted, one line, made safe. */
  t(s: string | null | undefined): string {
    return s === null || s === undefined ? '' : sanitizeForTerminal(this.r(s));
  }
  /** A string from a log, kept multi-line for wrapping. */
  tm(s: string): string {
    return sanitizeForTerminal(this.r(s), { multiline: true }).replace(/\t/g, '  ');
  }
  paint(code: string, s: string): string {
    return this.color ? `\x1b[${code}m${s}\x1b[0m` : s;
  }
  push(...ls: string[]): void {
    this.lines.push(...ls);
  }
  heading(title: string): void {
    if (this.lines.length) this.lines.push('');
    this.lines.push(this.paint(SGR.bold, title));
  }
}

function source(w: Writer, s: SourceSummary): void {
  const name = w.t(s.name);
  const kind = s.kind !== s.name ? ` [${w.t(s.kind)}]` : '';
  const where = `${w.t(s.role)}${s.machine ? ` on ${w.t(s.machine)}` : ''}`;
  w.push(`  ${w.paint(SGR.bold, name)}${kind}  ${where}  ${plural(s.files.length, 'file')}, ${plural(s.records, 'record')}, ${w.t(s.format)}, ${w.t(s.encoding)}`);
  const ind = '      ';
  if (s.files.length) w.push(`${ind}${s.files.slice(0, 3).map((f) => w.t(f)).join(', ')}${s.files.length > 3 ? `, … and ${s.files.length - 3} more` : ''}`);
  if (s.firstLocal !== null || s.firstUtcMs !== null) {
    const local = s.firstLocal !== null ? `${w.t(s.firstLocal)} → ${w.t(s.lastLocal)} local` : 'no local time';
    const utc = s.firstUtcMs !== null ? `${iso(s.firstUtcMs)} → ${iso(s.lastUtcMs)}` : 'no UTC time';
    w.push(`${ind}${local}  =  ${utc}`);
  }
  w.push(`${ind}bias ${describeBias(s)}`);
  const warn = (msg: string) => w.push(`${ind}${w.paint(SGR.yellow, '!')} ${msg}`);
  for (const p of s.biasProblems) warn(`bias problem: ${w.t(p.problem)} (${plural(p.count, 'record')}, first at ${w.t(p.path)}:${p.firstLine})`);
  for (const p of s.recordProblems) warn(`record problem: ${w.t(p.problem)} (${plural(p.count, 'record')}, first at ${w.t(p.path)}:${p.firstLine}, byte ${p.firstOffset})`);
  if (s.partialRecords > 0) warn(`${plural(s.partialRecords, 'partial record')} (cut at a rollover or never closed)`);
  if (s.skipped.length) {
    const reasons = [...new Set(s.skipped.map((k) => w.t(k.reason)))];
    const first = s.skipped[0]!;
    warn(`${plural(s.skipped.length, 'skipped range')}: ${reasons.slice(0, 2).join('; ')}${reasons.length > 2 ? '; …' : ''} (first ${w.t(first.path)} bytes ${first.startOffset}–${first.endOffset})`);
  }
  for (const e of s.errors.slice(0, 5)) w.push(`${ind}${w.paint(SGR.red, '✖')} ${w.t(e)}`);
  if (s.errors.length > 5) w.push(`${ind}… and ${s.errors.length - 5} more errors`);
}

function finding(w: Writer, f: Finding): void {
  const ind = '        ';
  const mark = w.paint(SEV_COLOR[f.severity], MARK[f.severity]);
  w.push('', `${mark} ${w.paint(SGR.bold, w.t(f.title))}  (${w.t(f.ruleId)})  ×${f.count}`);
  if (f.firstUtc !== null) w.push(`${ind}first ${w.t(f.firstUtc)}${f.lastUtc !== null && f.lastUtc !== f.firstUtc ? `   last ${w.t(f.lastUtc)}` : ''}`);
  if (f.explanation) w.push(...wrap(w.tm(f.explanation), WIDTH, ind));
  if (f.causes.length) {
    w.push(`${ind}Likely causes:`);
    for (const c of [...f.causes].sort((a, b) => a.rank - b.rank)) {
      const lead = `${ind}  ${c.rank}. `;
      w.push(...wrapLead(w.tm(c.cause), lead));
      if (c.tellApart) w.push(...wrap(`tell apart: ${w.tm(c.tellApart)}`, WIDTH, ' '.repeat(lead.length)));
    }
  }
  if (f.remediation.length) {
    w.push(`${ind}Fix:`);
    f.remediation.forEach((step, i) => {
      w.push(...wrapLead(w.tm(step), `${ind}  ${i + 1}. `));
    });
  }
  for (const d of f.docs) w.push(`${ind}Docs: ${w.t(d)}`);
  if (f.evidence.length) {
    w.push(`${ind}Evidence:`);
    const line = (e: Finding['evidence'][number]) => {
      const when = [e.local !== null ? w.t(e.local) : '', e.utc !== null ? `(${w.t(e.utc)})` : ''].filter(Boolean).join('  ');
      const where = e.path ? `${w.t(e.path)}:${e.line}` : `(${w.t(e.log) || 'derived'})`;
      return `${ind}  ${where}  ${when}  ${truncate(w.t(e.text), EVIDENCE_TEXT)}`;
    };
    // The story stays readable: the first and last few lines; the JSON report has them all.
    if (f.evidence.length > 2 * EVIDENCE_EACH_END) {
      const head = f.evidence.slice(0, EVIDENCE_EACH_END);
      const tail = f.evidence.slice(-EVIDENCE_EACH_END);
      w.push(...head.map(line), `${ind}  … ${f.count - head.length - tail.length} more …`, ...tail.map(line));
    } else {
      w.push(...f.evidence.map(line));
      const more = moreEvidence(f);
      if (more > 0) w.push(`${ind}  … and ${more} more`);
    }
  }
}

function chain(w: Writer, c: ActionChain): void {
  const stateColor = c.state === 'delivered' ? SGR.green : c.state === 'failed' ? SGR.red : SGR.yellow;
  const stop = c.state !== 'delivered' && c.stoppedAt ? ` at ${c.stoppedAt}` : '';
  w.push('', `  ${w.paint(SGR.bold, w.t(c.action))}  ${w.paint(stateColor, c.state)}${stop}  task ${w.t(c.taskGuid)}`);
  if (c.reason) w.push(`      ${w.t(c.reason)}`);
  const hopW = Math.max(...c.hops.map((h) => h.hop.length), 8);
  for (const h of c.hops) {
    const where = `${h.machine ? `${w.t(h.machine)}/` : ''}${w.t(h.log)}`;
    const lat = formatLatency(h.latencyMs).padStart(8);
    const local = h.localText !== null ? `  local ${w.t(h.localText)}` : '';
    w.push(`      ${h.hop.padEnd(hopW)}  ${iso(h.utcMs) ?? '(no time)'.padEnd(24)}  ${lat}  ${where}${local}  ${w.t(h.path)}:${h.line}`);
  }
}

function cycles(w: Writer, result: AnalysisResult): void {
  const groups = cycleGroups(result.cycles);
  for (const g of groups) {
    const src = result.sources.find((x) => x.id === g.sourceId);
    const machine = g.machine ?? src?.machine ?? null;
    w.push(`  ${w.t(src?.name ?? 'CMGatewaySyncUploadWorker')}${machine ? ` on ${w.t(machine)}` : ''}${src?.files[0] ? `  (${w.t(src.files[0])})` : ''}`);
    for (const row of g.rows) {
      const n = row.cycles.length;
      const when = utcRange(row.startUtc, n > 1 || row.state !== 'missed' ? row.endUtc : null).padEnd(32);
      const recs = row.records !== null ? `, ${row.records} records` : '';
      const modes = row.modes.length ? `, ${row.modes.join('/')}` : '';
      if (row.state === 'ok') {
        w.push(`    ${when}  ${plural(n, 'ok cycle')}${recs}${modes}`);
        continue;
      }
      const color = row.state === 'incomplete' ? SGR.yellow : SGR.red;
      const status = row.status !== null ? `, HTTP ${row.status}` : '';
      const reason = row.reason ? `: ${w.t(row.reason)}` : '';
      const at = row.ref && row.ref.path ? `  (${w.t(row.ref.path)}:${row.ref.line})` : '';
      w.push(`    ${when}  ${w.paint(color, `${n} ${row.state}`)} cycle${n === 1 ? '' : 's'}${recs}${modes}${status}${reason}${at}`);
    }
  }
}

function baseline(w: Writer, d: BaselineDiff): void {
  w.heading('BASELINE');
  if (d.ok) w.push(`  ${w.paint(SGR.green, 'matches the baseline')}`);
  for (const m of d.missing) w.push(`  ${w.paint(SGR.yellow, 'missing')}     ${w.t(m.ruleId)} (${w.t(m.severity)}) expected, not found`);
  for (const u of d.unexpected) w.push(`  ${w.paint(SGR.red, 'unexpected')}  ${w.t(u.ruleId)} (${w.t(u.severity)})${u.count !== undefined ? ` ×${u.count}` : ''} not in the baseline`);
  for (const c of d.countChanged) w.push(`  count       ${w.t(c.ruleId)} (${w.t(c.severity)}) ${c.expected} → ${c.actual} (informational)`);
}

export function renderText(result: AnalysisResult, opts: ReportOptions): string {
  const w = new Writer(opts.color, redactorOf(opts));
  const s = result.summary;
  w.push(`${w.paint(SGR.bold, 'attachscope')} ${w.t(opts.toolVersion)} — Configuration Manager tenant attach log analysis`);
  if (s.firstUtcMs !== null) w.push(`Logs cover ${iso(s.firstUtcMs)} → ${iso(s.lastUtcMs)} (UTC): ${plural(s.records, 'record')}, ${plural(s.events, 'event')}`);
  else w.push(`${plural(s.records, 'record')}, ${plural(s.events, 'event')}`);

  w.heading(`SOURCES (${result.sources.length})`);
  if (!result.sources.length) w.push('  no log was read');
  for (const src of result.sources) source(w, src);

  if (result.inputProblems.length) {
    w.heading(`INPUT PROBLEMS (${result.inputProblems.length})`);
    for (const p of result.inputProblems) w.push(`  ${w.t(p.path)}: ${w.t(p.reason)}`);
  }
  if (result.ruleErrors.length) {
    w.heading(`RULE ERRORS (${result.ruleErrors.length})`);
    for (const e of result.ruleErrors) w.push(`  ${w.t(e)}`);
  }

  w.heading('HEALTH');
  const row = (k: string, v: string) => w.push(`  ${k.padEnd(24)}${v}`);
  row('Last successful upload', s.lastSuccessfulUploadUtc !== null ? (iso(s.lastSuccessfulUploadUtc) ?? '') : 'none seen');
  row('Next upload due', s.nextUploadDueUtc !== null ? (iso(s.nextUploadDueUtc) ?? '') : 'unknown');
  row('Upload cycles', `${s.cycles.ok} ok, ${s.cycles.failed} failed, ${s.cycles.missed} missed, ${s.cycles.incomplete} incomplete`);
  row('Device actions', `${s.actions.delivered} delivered, ${s.actions.failed} failed, ${s.actions.pending} pending`);
  const fc = s.findings;
  row('Findings', [
    fc.error ? w.paint(SEV_COLOR.error, plural(fc.error, 'error')) : '0 errors',
    fc.warning ? w.paint(SEV_COLOR.warning, plural(fc.warning, 'warning')) : '0 warnings',
    `${fc.info} info`,
  ].join(', '));

  w.heading(`FINDINGS (${result.findings.length})`);
  if (!result.findings.length) w.push('  none: no rule matched');
  for (const f of sortFindings(result.findings)) finding(w, f);

  if (result.chains.length) {
    w.heading(`ACTION CHAINS (${result.chains.length})`);
    for (const c of result.chains) chain(w, c);
  }
  if (result.cycles.length) {
    w.heading(`UPLOAD CYCLES (${result.cycles.length})`);
    cycles(w, result);
  }
  if (opts.baselineDiff) baseline(w, opts.baselineDiff);
  return w.lines.join('\n') + '\n';
}
