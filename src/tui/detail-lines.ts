/**
 * What the detail pane and the chain overlay say, as styled lines wrapped to a width:
 * a record in full (all fields, file:line, bias, UTC, the whole message, its events, the action
 * chain or upload cycle it belongs to, and every code in it explained), a finding (explanation,
 * remediation, causes, evidence, docs), and an action chain hop by hop with latencies.
 *
 * Everything read from a log goes through the sanitizer first.
 */
import { biasAsOffset, formatBias, isoUtc } from '../../parsers/formats/time.js';
import type { Row, RowEvents } from '../analysis/record-store.js';
import { DETAIL_EVENTS } from '../analysis/session.js';
import type { ActionChain, Finding, UploadCycle } from '../analysis/model.js';
import { explainAs, findCodes, type CodeExplanation } from '../analysis/codes/lookup.js';
import { formatLatency } from '../report/common.js';
import { SEVERITY_COLOR, SEVERITY_MARK, clockUtc, shortKind, type TimeMode } from './format.js';
import { displayLine, displayText } from './sanitize.js';
import { seg, type Line, type Segment } from './styled.js';
import { wrap } from './text.js';
import { chainOf, cycleOf, eventsOf, type RecordIndex } from './view-model.js';

const LABEL_W = 8;
const label = (t: string): Segment => seg(t.padEnd(LABEL_W), { dim: true });

/** `label value…` wrapped: continuation lines are indented under the value. */
function field(out: Line[], name: string, value: string, width: number, style: Omit<Segment, 'text'> = {}): void {
  const parts = wrap(value, Math.max(8, width - LABEL_W));
  parts.forEach((p, i) => out.push([i === 0 ? label(name) : seg(' '.repeat(LABEL_W)), seg(p, style)]));
}

function heading(out: Line[], text: string, extra: Segment[] = []): void {
  out.push([]);
  out.push([seg(text, { bold: true, underline: true }), ...extra]);
}

function para(out: Line[], text: string, width: number, indent = 0, style: Omit<Segment, 'text'> = {}): void {
  for (const p of wrap(text, Math.max(8, width - indent))) out.push([seg(' '.repeat(indent) + p, style)]);
}

/** `delivered` green, `failed` red, `pending` yellow. */
const STATE_COLOR: Record<string, string> = { delivered: 'green', ok: 'green', failed: 'red', missed: 'red', pending: 'yellow', incomplete: 'yellow' };

/** The hops of a chain, one per line (`> ` marks the overlay's cursor when given). */
export function chainHopLines(chain: ActionChain, width: number, cursor: number | null = null): Line[] {
  const out: Line[] = [];
  chain.hops.forEach((h, i) => {
    const sel = cursor === i;
    const when = h.localText ? displayLine(h.localText) : clockUtc(h.utcMs);
    const lat = h.latencyMs === null ? '' : formatLatency(h.latencyMs);
    const where = `${h.machine ? displayLine(h.machine) + ' ' : ''}${displayLine(h.log)}`;
    const line: Line = [
      seg(cursor === null ? '  ' : sel ? '> ' : '  ', { bold: sel }),
      seg(h.hop.padEnd(16), { bold: true, color: h.hop === 'unauthorized' ? 'red' : undefined }),
      seg(lat.padStart(8) + '  ', { color: 'cyan' }),
      seg(`${when}  `),
      seg(where, { dim: true }),
    ];
    out.push(sel ? line.map((s) => ({ ...s, inverse: true })) : line);
  });
  if (chain.stoppedAt || chain.reason) {
    para(out, `stopped after ${chain.stoppedAt ?? '?'}${chain.reason ? `: ${displayLine(chain.reason)}` : ''}`, width, 2, { color: chain.state === 'failed' ? 'red' : 'yellow' });
  }
  return out;
}

function chainTitle(chain: ActionChain): Segment[] {
  const guid = chain.taskGuid.startsWith('unauthorized:') ? 'no TaskGuid' : `task ${chain.taskGuid}`;
  return [
    seg(displayLine(chain.action), { bold: true }),
    seg('  '),
    seg(chain.state, { bold: true, color: STATE_COLOR[chain.state] }),
    seg(`  ${guid}`, { dim: true }),
  ];
}

/** The whole chain overlay: title, hop table, and how to use it. */
export function chainOverlayLines(chain: ActionChain, width: number, cursor: number): Line[] {
  const out: Line[] = [[seg('Action chain  ', { bold: true, underline: true }), ...chainTitle(chain)]];
  const total = chain.firstUtc !== null && chain.lastUtc !== null ? formatLatency(chain.lastUtc - chain.firstUtc).replace(/^\+/, '') : null;
  out.push([seg(`${chain.hops.length} hops${total ? `, ${total} end to end` : ''}; latency = time since the previous hop`, { dim: true })]);
  out.push([]);
  out.push(...chainHopLines(chain, width, cursor));
  out.push([]);
  out.push([seg('j/k choose a hop · Enter jump to it · c/Esc close', { dim: true })]);
  return out;
}

function cycleLines(out: Line[], c: UploadCycle, width: number): void {
  heading(out, 'Upload cycle', [seg('  '), seg(c.state, { bold: true, color: STATE_COLOR[c.state] })]);
  const parts = [
    c.startUtc !== null ? `${clockUtc(c.startUtc)}${c.endUtc !== null && c.endUtc !== c.startUtc ? ` → ${clockUtc(c.endUtc)} (${formatLatency(c.endUtc - c.startUtc).replace(/^\+/, '')})` : ''}` : null,
    c.mode ? `${c.mode} sync` : null,
    c.records !== null ? `${c.records} records` : null,
    c.status !== null ? `HTTP ${c.status}` : null,
    c.nextRunLocal ? `next run ${displayLine(c.nextRunLocal)}` : c.nextRunUtc !== null ? `next run ${clockUtc(c.nextRunUtc)}` : null,
  ].filter((x): x is string => x !== null);
  para(out, parts.join(' · '), width, 2);
  if (c.reason) para(out, displayLine(c.reason), width, 2, { color: c.state === 'ok' ? undefined : 'red' });
}

function codeLines(out: Line[], ex: CodeExplanation, width: number): void {
  out.push([seg('  '), seg(ex.code, { bold: true, color: 'cyan' }), seg(`  ${ex.name}${ex.known ? '' : ' (not in the offline tables)'}`, { dim: !ex.known })]);
  para(out, ex.meaning, width, 4);
  if (ex.tenantAttach) para(out, `tenant attach: ${ex.tenantAttach}`, width, 4, { color: 'yellow' });
  ex.fix.slice(0, 3).forEach((f, i) => para(out, `fix ${i + 1}: ${f}`, width, 4, { color: 'green' }));
}

/** Codes mentioned in a text, each explained once (best reading). */
export function explainedCodes(text: string): CodeExplanation[] {
  const seen = new Set<string>();
  const out: CodeExplanation[] = [];
  for (const m of findCodes(text)) {
    const key = `${m.kind}:${m.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const ex = explainAs(m.kind, m.code)[0];
    if (ex) out.push(ex);
  }
  return out;
}

/**
 * The selected record in full. `noted` is what the store noted of its events: on big inputs the
 * core keeps only some events (session.ts `detailEvents`), so a row can have events whose
 * details are gone; it says so instead of showing none.
 */
export function recordDetailLines(row: Row, idx: RecordIndex, timeMode: TimeMode, width: number, noted: RowEvents | null = null): Line[] {
  const r = row.rec;
  const out: Line[] = [];
  const sev = r.severity;
  out.push([
    seg(` ${SEVERITY_MARK[sev]} `, { inverse: true, bold: true, color: SEVERITY_COLOR[sev] }),
    seg(` ${sev}`, { bold: true, color: SEVERITY_COLOR[sev] }),
    seg(` (${r.severitySource === 'type' ? 'CMTrace type' : r.severitySource === 'none' ? 'no severity in the log' : `from ${r.severitySource}`})`, { dim: true }),
    seg(`  ${displayLine(r.log)}`, { bold: true }),
  ]);
  field(out, 'file', `${displayLine(r.path)}:${r.line}${r.endLine !== r.line ? `–${r.endLine}` : ''}`, width);
  field(out, 'local', `${r.localText === null ? '(no time)' : displayLine(r.localText)}   bias ${formatBias(r.bias)} (${biasAsOffset(r.bias)})`, width);
  field(out, 'UTC', r.utcMs === null ? '(not known: no usable bias)' : isoUtc(r.utcMs)!, width, { color: timeMode === 'utc' ? 'cyan' : undefined });
  const comp = [`${displayLine(r.component) || '-'}`, `thread ${displayLine(r.thread) || '-'}`, r.context ? `context ${displayLine(r.context)}` : null, r.srcFile ? `src ${displayLine(r.srcFile)}` : null].filter(Boolean).join('   ');
  field(out, 'comp', comp, width);
  field(out, 'format', `${r.format}${r.partial ? '   partial record (cut by a rollover or never closed)' : ''}`, width);
  for (const p of r.problems ?? []) field(out, 'problem', displayLine(p), width, { color: 'yellow' });

  heading(out, 'Message');
  const msgStyle = sev === 'error' ? { color: 'red' } : sev === 'warning' ? { color: 'yellow' } : {};
  para(out, displayText(r.message) || '(empty)', width, 0, msgStyle);

  const events = eventsOf(idx, row);
  if (events.length) {
    heading(out, 'Events');
    for (const e of events) {
      out.push([seg('◆ ', { color: 'magenta', bold: true }), seg(shortKind(e.kind), { color: 'magenta', bold: true }), seg('  '), seg(displayLine(e.summary))]);
      const fields = Object.entries(e.fields).filter(([, v]) => v !== null && v !== '').map(([k, v]) => `${k}=${displayLine(String(v))}`);
      if (fields.length) para(out, fields.join('  '), width, 4, { dim: true });
    }
  } else if (noted && noted.count > 0 && noted.kind) {
    heading(out, 'Events');
    out.push([seg('◆ ', { color: 'magenta', bold: true }), seg(shortKind(noted.kind), { color: 'magenta', bold: true }), seg(noted.count > 1 ? ` and ${noted.count - 1} more` : '')]);
    para(out, `details not kept: on a large input only errors and warnings (the first ${DETAIL_EVENTS.toLocaleString('en-US')}) are kept in full`, width, 4, { dim: true });
  }

  const chain = chainOf(idx, row);
  if (chain) {
    heading(out, 'Action chain', [seg('  '), ...chainTitle(chain)]);
    out.push(...chainHopLines(chain, width));
    out.push([seg('  c: open the chain, Enter on a hop jumps to it', { dim: true })]);
  }
  const cycle = cycleOf(idx, row);
  if (cycle) cycleLines(out, cycle, width);

  const codes = explainedCodes(r.message);
  if (codes.length) {
    heading(out, 'Codes');
    for (const c of codes) codeLines(out, c, width);
  }
  return out;
}

/** The selected finding: explanation, remediation, causes, evidence, docs. */
export function findingDetailLines(f: Finding, width: number, nextEvidence: number): Line[] {
  const out: Line[] = [];
  out.push([
    seg(` ${SEVERITY_MARK[f.severity]} `, { inverse: true, bold: true, color: SEVERITY_COLOR[f.severity] }),
    seg(` ${displayLine(f.title)}`, { bold: true }),
  ]);
  field(out, 'rule', `${f.ruleId}   ${f.severity}   seen ${f.count}×`, width);
  if (f.firstUtc || f.lastUtc) field(out, 'when', `${f.firstUtc ?? '?'} → ${f.lastUtc ?? '?'}`, width);
  out.push([]);
  para(out, displayText(f.explanation), width);
  if (f.remediation.length) {
    heading(out, 'Remediation');
    f.remediation.forEach((r, i) => {
      const lines = wrap(displayText(r), Math.max(8, width - 4));
      lines.forEach((l, j) => out.push([seg(j === 0 ? `${String(i + 1).padStart(2)}. ` : '    ', { bold: true, color: 'green' }), seg(l)]));
    });
  }
  if (f.causes.length) {
    heading(out, 'Likely causes');
    for (const c of f.causes) {
      para(out, `${c.rank}. ${displayText(c.cause)}`, width, 1);
      para(out, `tell apart: ${displayText(c.tellApart)}`, width, 4, { dim: true });
    }
  }
  heading(out, 'Evidence', [seg(`  ${f.evidence.length}${f.count > f.evidence.length ? ` of ${f.count}` : ''} · Enter opens #${f.evidence.length ? (nextEvidence % f.evidence.length) + 1 : 0}`, { dim: true })]);
  f.evidence.forEach((e, i) => {
    const when = e.local ? displayLine(e.local) : e.utc ? e.utc : '';
    const marker = f.evidence.length && i === nextEvidence % f.evidence.length ? '▸' : ' ';
    out.push([seg(`${marker}${String(i + 1).padStart(2)}. `, { bold: true }), seg(`${displayLine(e.log)}:${e.line}`, { color: 'cyan' }), seg(`  ${when}`, { dim: true })]);
    para(out, displayLine(e.text), width, 5);
  });
  if (f.docs.length) {
    heading(out, 'Docs');
    for (const d of f.docs) para(out, displayLine(d), width, 1, { color: 'blue' });
  }
  return out;
}

