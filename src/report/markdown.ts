/**
 * The Markdown report (`--format markdown`): a post-mortem to paste into a ticket. Log text is
 * redacted, made terminal-safe, then Markdown-escaped (so a message cannot open a link, an
 * image, HTML or a heading); evidence goes in fenced blocks longer than any backtick run inside.
 */
import type { ActionChain, Finding } from '../analysis/model.js';
import type { AnalysisResult } from '../analysis/analyze.js';
import {
  SEVERITY_WORD, cycleGroups, describeBias, formatLatency, iso, moreEvidence, plural, redactorOf, sortFindings, utcRange, type Redact,
} from './common.js';
import { sanitizeForTerminal } from './sanitize.js';
import type { ReportOptions } from './types.js';

/** Backslash-escapes what Markdown (CommonMark + GFM) would read as markup, incl. `|`, `&` (entities), `<` (HTML/autolinks). */
export function mdEscape(s: string): string {
  return s.replace(/[\\`*_[\]<>|~&#!]/g, (c) => `\\${c}`);
}

/** Inline code that survives backticks inside. */
export function mdCode(s: string): string {
  const runs = s.match(/`+/g) ?? [];
  const n = Math.max(0, ...runs.map((r) => r.length)) + 1;
  const fence = '`'.repeat(n);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** A fenced block whose fence is longer than any backtick run in the body. */
export function mdFence(body: string, info = 'text'): string {
  const runs = body.match(/`{3,}/g) ?? [];
  const n = Math.max(3, ...runs.map((r) => r.length + 1));
  const fence = '`'.repeat(n);
  return `${fence}${info}\n${body}\n${fence}`;
}

class Md {
  readonly out: string[] = [];
  constructor(readonly r: Redact) {}
  /** Log/path text for running prose or a table cell: one line, safe, escaped. */
  t(s: string | null | undefined): string {
    return s === null || s === undefined ? '' : mdEscape(sanitizeForTerminal(this.r(s)));
  }
  /** Multi-line prose: each line escaped, hard line breaks kept as paragraphs. */
  para(s: string): string {
    return sanitizeForTerminal(this.r(s), { multiline: true })
      .replace(/\t/g, ' ')
      .split('\n')
      .map((l) => mdEscape(l.trim()))
      .join('\n');
  }
  /** Raw text for a code block: safe, no Markdown escaping. */
  code(s: string | null | undefined): string {
    return s === null || s === undefined ? '' : sanitizeForTerminal(this.r(s));
  }
  push(...ls: string[]): void {
    this.out.push(...ls);
  }
  table(head: string[], rows: string[][]): void {
    this.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
    // A `|` splits a GFM table cell even inside a code span: escape any not yet escaped.
    for (const row of rows) this.push(`| ${row.map((c) => (c === '' ? ' ' : c.replace(/(?<!\\)\|/g, '\\|'))).join(' | ')} |`);
    this.push('');
  }
}

/** A docs link as an autolink when it is a plain http(s) URL, else escaped text. */
function docLink(md: Md, d: string): string {
  return /^https?:\/\/[^\s<>"`\\]+$/.test(d) ? `<${d}>` : md.t(d);
}

function finding(md: Md, f: Finding): void {
  md.push(`### ${SEVERITY_WORD[f.severity]}: ${md.t(f.title)}`, '');
  const when = f.firstUtc !== null ? ` · first ${md.t(f.firstUtc)}${f.lastUtc !== null && f.lastUtc !== f.firstUtc ? ` · last ${md.t(f.lastUtc)}` : ''}` : '';
  md.push(`Rule ${mdCode(sanitizeForTerminal(f.ruleId))} · severity **${f.severity}** · ${plural(f.count, 'occurrence')}${when}`, '');
  if (f.explanation) md.push(md.para(f.explanation), '');
  if (f.causes.length) {
    md.push('**Likely causes**', '');
    for (const c of [...f.causes].sort((a, b) => a.rank - b.rank)) {
      md.push(`${c.rank}. ${md.t(c.cause)}${c.tellApart ? ` — *tell apart:* ${md.t(c.tellApart)}` : ''}`);
    }
    md.push('');
  }
  if (f.remediation.length) {
    md.push('**Remediation**', '');
    f.remediation.forEach((step, i) => md.push(`${i + 1}. ${md.t(step)}`));
    md.push('');
  }
  if (f.docs.length) {
    md.push('**Docs**', '');
    for (const d of f.docs) md.push(`- ${docLink(md, d)}`);
    md.push('');
  }
  if (f.evidence.length) {
    md.push('**Evidence**', '');
    const lines = f.evidence.map((e) => {
      const when = [e.local !== null ? md.code(e.local) : '', e.utc !== null ? `(${md.code(e.utc)})` : ''].filter(Boolean).join('  ');
      const where = e.path ? `${md.code(e.path)}:${e.line}` : `(${md.code(e.log) || 'derived'})`;
      return `${where}  ${when}  ${md.code(e.text)}`;
    });
    const more = moreEvidence(f);
    if (more > 0) lines.push(`… and ${more} more`);
    md.push(mdFence(lines.join('\n')), '');
  }
}

function chainRow(md: Md, c: ActionChain): string[] {
  const hops = c.hops.map((h) => `${h.hop}${h.latencyMs !== null ? ` (${formatLatency(h.latencyMs)})` : ''}`).join(' → ');
  return [
    md.t(c.action), mdCode(md.code(c.taskGuid)), `**${c.state}**`, c.stoppedAt ?? '', md.t(c.reason), md.t(iso(c.firstUtc)), md.t(iso(c.lastUtc)), hops,
  ];
}

export function renderMarkdown(result: AnalysisResult, opts: ReportOptions): string {
  const md = new Md(redactorOf(opts));
  const s = result.summary;
  md.push('# attachscope report', '');
  const cover = s.firstUtcMs !== null ? ` · logs cover ${iso(s.firstUtcMs)} → ${iso(s.lastUtcMs)} (UTC)` : '';
  md.push(`attachscope ${md.t(opts.toolVersion)}${cover} · ${plural(s.records, 'record')}, ${plural(s.events, 'event')}`, '');

  md.push('## Health summary', '');
  md.table(['', ''], [
    ['Last successful upload (UTC)', s.lastSuccessfulUploadUtc !== null ? (iso(s.lastSuccessfulUploadUtc) ?? '') : 'none seen'],
    ['Next upload due (UTC)', s.nextUploadDueUtc !== null ? (iso(s.nextUploadDueUtc) ?? '') : 'unknown'],
    ['Upload cycles', `${s.cycles.ok} ok, ${s.cycles.failed} failed, ${s.cycles.missed} missed, ${s.cycles.incomplete} incomplete`],
    ['Device actions', `${s.actions.delivered} delivered, ${s.actions.failed} failed, ${s.actions.pending} pending`],
    ['Findings', `${s.findings.error} error, ${s.findings.warning} warning, ${s.findings.info} info`],
  ]);

  md.push('## Sources', '');
  if (!result.sources.length) md.push('No log was read.', '');
  else {
    md.table(['Log', 'Kind', 'Role', 'Machine', 'Files', 'Records', 'First (local / UTC)', 'Last (local / UTC)', 'Bias', 'Format', 'Encoding', 'Problems'],
      result.sources.map((src) => {
        const problems: string[] = [];
        for (const p of src.biasProblems) problems.push(`${md.t(p.problem)} (${plural(p.count, 'record')}, first ${md.t(p.path)}:${p.firstLine})`);
        for (const p of src.recordProblems) problems.push(`${md.t(p.problem)} (${plural(p.count, 'record')}, first ${md.t(p.path)}:${p.firstLine}, byte ${p.firstOffset})`);
        if (src.partialRecords) problems.push(plural(src.partialRecords, 'partial record'));
        if (src.skipped.length) problems.push(`${plural(src.skipped.length, 'skipped range')}: ${[...new Set(src.skipped.map((k) => md.t(k.reason)))].slice(0, 2).join('; ')}`);
        for (const e of src.errors) problems.push(md.t(e));
        return [
          md.t(src.name), md.t(src.kind), md.t(src.role), md.t(src.machine), src.files.map((f) => md.t(f)).join('<br>'), String(src.records),
          `${md.t(src.firstLocal)}<br>${md.t(iso(src.firstUtcMs))}`, `${md.t(src.lastLocal)}<br>${md.t(iso(src.lastUtcMs))}`,
          md.t(describeBias(src)), md.t(src.format), md.t(src.encoding), problems.join('<br>'),
        ];
      }));
  }

  if (result.inputProblems.length) {
    md.push('## Input problems', '');
    for (const p of result.inputProblems) md.push(`- ${mdCode(md.code(p.path))}: ${md.t(p.reason)}`);
    md.push('');
  }
  if (result.ruleErrors.length) {
    md.push('## Rule errors', '');
    for (const e of result.ruleErrors) md.push(`- ${md.t(e)}`);
    md.push('');
  }

  md.push('## Findings', '');
  if (!result.findings.length) md.push('No rule matched.', '');
  for (const f of sortFindings(result.findings)) finding(md, f);

  if (result.chains.length) {
    md.push('## Action chains', '');
    md.table(['Action', 'Task', 'State', 'Stopped at', 'Reason', 'First (UTC)', 'Last (UTC)', 'Hops'], result.chains.map((c) => chainRow(md, c)));
  }

  if (result.cycles.length) {
    md.push('## Upload cycles', '');
    md.push(`${s.cycles.ok} ok, ${s.cycles.failed} failed, ${s.cycles.missed} missed, ${s.cycles.incomplete} incomplete.`, '');
    const rows: string[][] = [];
    for (const g of cycleGroups(result.cycles)) {
      const src = result.sources.find((x) => x.id === g.sourceId);
      const machine = g.machine ?? src?.machine ?? null;
      const label = `${md.t(src?.name ?? 'CMGatewaySyncUploadWorker')}${machine ? ` on ${md.t(machine)}` : ''}`;
      for (const row of g.rows) {
        const n = row.cycles.length;
        rows.push([
          label, md.t(utcRange(row.startUtc, n > 1 || row.state !== 'missed' ? row.endUtc : null)), `${n} ${row.state}`,
          row.records ?? '', row.modes.join('/'), row.status !== null ? String(row.status) : '', md.t(row.reason),
          row.ref && row.ref.path ? md.t(`${row.ref.path}:${row.ref.line}`) : '',
        ]);
      }
    }
    md.table(['Source', 'UTC', 'Cycles', 'Records', 'Mode', 'HTTP', 'Reason', 'Where'], rows);
  }

  const d = opts.baselineDiff;
  if (d) {
    md.push('## Baseline', '');
    if (d.ok) md.push('Findings match the baseline.', '');
    for (const m of d.missing) md.push(`- **missing**: ${mdCode(sanitizeForTerminal(m.ruleId))} (${md.t(m.severity)}) expected, not found`);
    for (const u of d.unexpected) md.push(`- **unexpected**: ${mdCode(sanitizeForTerminal(u.ruleId))} (${md.t(u.severity)})${u.count !== undefined ? ` ×${u.count}` : ''} not in the baseline`);
    for (const c of d.countChanged) md.push(`- count: ${mdCode(sanitizeForTerminal(c.ruleId))} (${md.t(c.severity)}) ${c.expected} → ${c.actual} (informational)`);
    if (!d.ok || d.countChanged.length) md.push('');
  }
  while (md.out.length && md.out[md.out.length - 1] === '') md.out.pop();
  // Belt and braces: nothing above adds a control character, but the document must never carry one.
  return sanitizeForTerminal(md.out.join('\n'), { multiline: true }) + '\n';
}
