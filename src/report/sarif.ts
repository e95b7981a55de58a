/**
 * SARIF 2.1.0 (`--format sarif`) for code-scanning style viewers: one run, the rules evaluated
 * as `tool.driver.rules`, one result per finding located at its first evidence line (the other
 * evidence lines as relatedLocations). Viewers render message text, so log text is redacted and
 * made terminal-safe (bidi controls shown, not obeyed) on top of JSON escaping.
 */
import type { Finding, FindingSeverity } from '../analysis/model.js';
import type { AnalysisResult } from '../analysis/analyze.js';
import { TOOL_NAME, TOOL_URI, anythingReadable, plural, redactorOf, sortFindings, type Redact } from './common.js';
import { mdEscape } from './markdown.js';
import { safeJsonStringify, sanitizeForTerminal } from './sanitize.js';
import type { ReportOptions } from './types.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<FindingSeverity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * A log path → an artifact URI: relative paths stay relative (`logs/BgbServer.log`), absolute
 * ones become `file:` URIs (`C:\Logs\x.log` → `file:///C:/Logs/x.log`); segments are
 * percent-encoded.
 */
export function toArtifactUri(p: string): string {
  const s = p.replace(/\\/g, '/');
  const enc = (path: string) => path.split('/').map((seg) => encodeURIComponent(seg)).join('/');
  const drive = /^([A-Za-z]):\//.exec(s);
  if (drive) return `file:///${drive[1]}:/${enc(s.slice(3))}`;
  if (s.startsWith('//')) return `file:${enc(s)}`;
  if (s.startsWith('/')) return `file://${enc(s)}`;
  return enc(s.replace(/^(?:\.\/)+/, ''));
}

/** Safe display text: redacted, terminal-safe (newlines kept). */
const safe = (r: Redact, s: string) => sanitizeForTerminal(r(s), { multiline: true });

function location(r: Redact, e: Finding['evidence'][number], withMessage: boolean): Record<string, unknown> | null {
  if (!e.path) return null;
  const physicalLocation: Record<string, unknown> = { artifactLocation: { uri: toArtifactUri(r(e.path)) } };
  if (e.line >= 1) physicalLocation.region = { startLine: e.line };
  const loc: Record<string, unknown> = { physicalLocation };
  if (withMessage) loc.message = { text: sanitizeForTerminal(r(e.text)) };
  return loc;
}

function ruleDescriptor(id: string, f: Finding | undefined, r: Redact): Record<string, unknown> {
  const d: Record<string, unknown> = { id, name: id };
  if (!f) return d;
  const steps = f.remediation.map((s, i) => `${i + 1}. ${safe(r, s)}`);
  const docsText = f.docs.map((u) => `See ${sanitizeForTerminal(u)}`);
  const stepsMd = f.remediation.map((s, i) => `${i + 1}. ${mdEscape(sanitizeForTerminal(r(s)))}`);
  const docsMd = f.docs.map((u) => (/^https?:\/\/[^\s<>"`\\]+$/.test(u) ? `- <${u}>` : `- ${mdEscape(sanitizeForTerminal(u))}`));
  d.shortDescription = { text: safe(r, f.title) };
  d.fullDescription = { text: safe(r, f.explanation || f.title) };
  d.help = {
    text: [...steps, ...docsText].join('\n') || safe(r, f.title),
    markdown: [stepsMd.join('\n'), docsMd.join('\n')].filter(Boolean).join('\n\n') || mdEscape(sanitizeForTerminal(r(f.title))),
  };
  if (f.docs[0] && /^https?:\/\//.test(f.docs[0])) d.helpUri = f.docs[0];
  d.defaultConfiguration = { level: LEVEL[f.severity] };
  return d;
}

export function buildSarif(result: AnalysisResult, opts: ReportOptions): Record<string, unknown> {
  const r = redactorOf(opts);
  const findings = sortFindings(result.findings);
  const ids: string[] = [...result.ruleIds];
  for (const f of findings) if (!ids.includes(f.ruleId)) ids.push(f.ruleId);
  const first = new Map<string, Finding>();
  for (const f of findings) if (!first.has(f.ruleId)) first.set(f.ruleId, f);
  const rules = ids.map((id) => ruleDescriptor(id, first.get(id), r));

  const results = findings.map((f) => {
    const when = f.firstUtc !== null ? `, first ${f.firstUtc}${f.lastUtc !== null && f.lastUtc !== f.firstUtc ? `, last ${f.lastUtc}` : ''}` : '';
    const res: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: ids.indexOf(f.ruleId),
      level: LEVEL[f.severity],
      message: { text: `${safe(r, f.title)} (${plural(f.count, 'occurrence')}${when})${f.explanation ? `\n${safe(r, f.explanation)}` : ''}` },
    };
    const locs = f.evidence.map((e, i) => location(r, e, i > 0)).filter((l): l is Record<string, unknown> => l !== null);
    if (locs[0]) {
      const [head, ...rest] = locs;
      res.locations = [head];
      if (rest.length) res.relatedLocations = rest.map((l, i) => ({ id: i + 1, ...l }));
    }
    res.properties = { severity: f.severity, count: f.count, firstUtc: f.firstUtc, lastUtc: f.lastUtc };
    return res;
  });

  const notes: { level: 'error' | 'warning'; message: { text: string } }[] = [];
  for (const p of result.inputProblems) notes.push({ level: 'warning', message: { text: sanitizeForTerminal(`${r(p.path)}: ${r(p.reason)}`) } });
  for (const s of result.sources) for (const e of s.errors) notes.push({ level: 'warning', message: { text: sanitizeForTerminal(r(e)) } });
  for (const e of result.ruleErrors) notes.push({ level: 'error', message: { text: sanitizeForTerminal(r(e)) } });

  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: TOOL_NAME, version: opts.toolVersion, informationUri: TOOL_URI, rules } },
      invocations: [{ executionSuccessful: anythingReadable(result), toolExecutionNotifications: notes }],
      results,
    }],
  };
}

export function renderSarif(result: AnalysisResult, opts: ReportOptions): string {
  return safeJsonStringify(buildSarif(result, opts), 2) + '\n';
}
