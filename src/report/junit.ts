/**
 * JUnit XML (`--format junit`) for CI dashboards: one `attachscope.rules` testcase per rule
 * evaluated, failing when the rule has a finding at or above `--fail-on`; an
 * `attachscope.inputs` testcase that fails when no log could be read (whatever `--fail-on`
 * says) and one that fails when rule files did not load; an `attachscope.baseline` testcase
 * when a baseline was compared. Text is redacted, made terminal-safe (CI consoles obey ANSI),
 * and stripped of what XML 1.0 cannot carry.
 */
import type { Finding } from '../analysis/model.js';
import type { AnalysisResult } from '../analysis/analyze.js';
import { anythingReadable, atOrAbove, moreEvidence, plural, redactorOf, sortFindings, type Redact } from './common.js';
import { sanitizeForTerminal, xmlAttr, xmlText } from './sanitize.js';
import type { ReportOptions } from './types.js';

interface Case {
  classname: string;
  name: string;
  failure?: { message: string; type: string; body: string };
  out?: string;
}

function findingText(f: Finding, r: Redact): string {
  const lines = [`[${f.severity.toUpperCase()}] ${r(f.title)} (${f.ruleId}) ×${f.count}`];
  if (f.firstUtc !== null) lines.push(`first ${f.firstUtc}${f.lastUtc !== null && f.lastUtc !== f.firstUtc ? `, last ${f.lastUtc}` : ''}`);
  if (f.explanation) lines.push('', r(f.explanation));
  if (f.evidence.length) {
    lines.push('', 'Evidence:');
    for (const e of f.evidence) lines.push(`  ${e.path ? `${r(e.path)}:${e.line}` : `(${r(e.log) || 'derived'})`}  ${[e.local ?? '', e.utc !== null ? `(${e.utc})` : ''].filter(Boolean).join('  ')}  ${r(e.text).replace(/\r?\n/g, ' ')}`);
    const more = moreEvidence(f);
    if (more > 0) lines.push(`  … and ${more} more`);
  }
  if (f.remediation.length) {
    lines.push('', 'Fix:');
    f.remediation.forEach((s, i) => lines.push(`  ${i + 1}. ${r(s)}`));
  }
  for (const d of f.docs) lines.push(`Docs: ${d}`);
  return lines.join('\n');
}

function ruleCases(result: AnalysisResult, opts: ReportOptions, r: Redact): Case[] {
  const byRule = new Map<string, Finding[]>();
  for (const id of result.ruleIds) byRule.set(id, []);
  for (const f of sortFindings(result.findings)) {
    const list = byRule.get(f.ruleId);
    if (list) list.push(f);
    else byRule.set(f.ruleId, [f]);
  }
  const cases: Case[] = [];
  for (const [id, fs] of byRule) {
    const c: Case = { classname: 'attachscope.rules', name: id };
    const failing = fs.filter((f) => atOrAbove(f.severity, opts.failOn));
    const passing = fs.filter((f) => !atOrAbove(f.severity, opts.failOn));
    const worst = failing[0];
    if (worst) {
      c.failure = {
        message: r(worst.title) + (failing.length > 1 ? ` (+${failing.length - 1} more)` : ''),
        type: worst.severity,
        body: failing.map((f) => findingText(f, r)).join('\n\n'),
      };
    }
    if (passing.length) c.out = `Below --fail-on ${opts.failOn}:\n\n` + passing.map((f) => findingText(f, r)).join('\n\n');
    cases.push(c);
  }
  return cases;
}

function inputCases(result: AnalysisResult, r: Redact): Case[] {
  const readable = anythingReadable(result);
  const lines: string[] = [];
  for (const s of result.sources) {
    lines.push(`${r(s.name)}: ${plural(s.files.length, 'file')}, ${plural(s.records, 'record')}${s.files[0] ? ` (${r(s.files[0])})` : ''}`);
    for (const e of s.errors) lines.push(`  error: ${r(e)}`);
    for (const k of s.skipped) lines.push(`  skipped ${r(k.path)} bytes ${k.startOffset}–${k.endOffset}: ${r(k.reason)}`);
    for (const p of s.biasProblems) lines.push(`  bias problem: ${r(p.problem)} (${plural(p.count, 'record')}, first ${r(p.path)}:${p.firstLine})`);
    for (const p of s.recordProblems) lines.push(`  record problem: ${r(p.problem)} (${plural(p.count, 'record')}, first ${r(p.path)}:${p.firstLine}, byte ${p.firstOffset})`);
  }
  for (const p of result.inputProblems) lines.push(`input problem: ${r(p.path)}: ${r(p.reason)}`);
  const logs: Case = { classname: 'attachscope.inputs', name: 'logs readable', out: lines.join('\n') };
  if (!readable) {
    logs.failure = {
      message: result.sources.length ? 'no log could be read' : 'no log found among the inputs',
      type: 'error',
      body: lines.join('\n') || 'no input',
    };
    delete logs.out;
  }
  const rules: Case = { classname: 'attachscope.inputs', name: 'rule files load' };
  if (result.ruleErrors.length) {
    rules.failure = { message: `${plural(result.ruleErrors.length, 'rule file problem')}`, type: 'error', body: result.ruleErrors.map(r).join('\n') };
  }
  return [logs, rules];
}

function baselineCase(opts: ReportOptions): Case[] {
  const d = opts.baselineDiff;
  if (!d) return [];
  const c: Case = { classname: 'attachscope.baseline', name: 'findings match the baseline' };
  const body = [
    ...d.missing.map((m) => `missing: ${m.ruleId} (${m.severity}) expected, not found`),
    ...d.unexpected.map((u) => `unexpected: ${u.ruleId} (${u.severity})${u.count !== undefined ? ` ×${u.count}` : ''} not in the baseline`),
    ...d.countChanged.map((x) => `count: ${x.ruleId} (${x.severity}) ${x.expected} → ${x.actual} (informational)`),
  ].join('\n');
  if (!d.ok) c.failure = { message: `${d.missing.length} missing, ${d.unexpected.length} unexpected`, type: 'baseline', body };
  else if (body) c.out = body;
  return [c];
}

/** Text for XML: terminal-safe (keeping newlines), then XML-escaped. */
const xt = (s: string) => xmlText(sanitizeForTerminal(s, { multiline: true }));
const xa = (s: string) => xmlAttr(sanitizeForTerminal(s));

export function renderJunit(result: AnalysisResult, opts: ReportOptions): string {
  const r = redactorOf(opts);
  const cases = [...inputCases(result, r), ...ruleCases(result, opts, r), ...baselineCase(opts)];
  const failures = cases.filter((c) => c.failure).length;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites name="attachscope" tests="${cases.length}" failures="${failures}" errors="0">`);
  out.push(`  <testsuite name="attachscope" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">`);
  out.push('    <properties>');
  out.push(`      <property name="attachscope.version" value="${xa(opts.toolVersion)}"/>`);
  out.push(`      <property name="attachscope.failOn" value="${xa(opts.failOn)}"/>`);
  out.push('    </properties>');
  for (const c of cases) {
    const open = `    <testcase classname="${xa(c.classname)}" name="${xa(c.name)}"`;
    if (!c.failure && !c.out) {
      out.push(`${open}/>`);
      continue;
    }
    out.push(`${open}>`);
    if (c.failure) out.push(`      <failure message="${xa(c.failure.message)}" type="${xa(c.failure.type)}">${xt(c.failure.body)}</failure>`);
    if (c.out) out.push(`      <system-out>${xt(c.out)}</system-out>`);
    out.push('    </testcase>');
  }
  out.push('  </testsuite>', '</testsuites>');
  return out.join('\n') + '\n';
}
