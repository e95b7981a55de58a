import { explainCode, type CodeExplanation } from '../analysis/codes/lookup.js';
import { builtinRulesDir, loadRules } from '../analysis/rules/load.js';
import type { Rule } from '../analysis/rules/schema.js';
import { sanitizeForTerminal } from '../report/sanitize.js';
import { Output } from './output.js';

/** `attachscope explain CODE|RULE-ID`: offline lookup; exit 0 when known, 1 when not known, 2 when not a code. */
export async function runExplain(query: string, opts: { format?: string }): Promise<number> {
  const q = query.trim();
  let rule: Rule | undefined;
  if (/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/.test(q)) {
    const { rules } = await loadRules([builtinRulesDir()]);
    rule = rules.find((r) => r.id === q);
  }
  const codes: CodeExplanation[] = rule ? [] : explainCode(q);
  let text: string;
  if (opts.format === 'json') {
    text = JSON.stringify(rule ? { kind: 'rule', rule: ruleInfo(rule) } : { query: q, explanations: codes }, null, 2) + '\n';
  } else if (rule) {
    text = renderRule(rule);
  } else if (codes.length === 0) {
    process.stderr.write(`attachscope: ${JSON.stringify(sanitizeForTerminal(q))} is not a code attachscope recognizes (AADSTS code, HRESULT, Win32/WinHTTP error, HTTP status, status message id or rule id; see "attachscope rules")\n`);
    return 2;
  } else {
    text = codes.map(renderCode).join('\n');
  }
  const output = new Output(process.stdout);
  await output.write(text);
  await output.finish(false);
  if (rule) return 0;
  if (codes.length === 0) return 2;
  return codes.some((c) => c.known) ? 0 : 1;
}

function ruleInfo(r: Rule) {
  return { id: r.id, severity: r.severity, title: r.title, explanation: r.explanation, causes: r.causes ?? [], remediation: r.remediation, docs: r.docs };
}

function renderRule(r: Rule): string {
  const lines = [`${r.id}  [${r.severity}]  ${r.title}`, '', wrap(r.explanation.replace(/\{[^}]+\}/g, '…'), 96), ''];
  if (r.causes?.length) {
    lines.push('Possible causes, most likely first:');
    r.causes.forEach((c, i) => lines.push(`  ${i + 1}. ${c.cause}`, `     tell apart: ${c.tellApart}`));
    lines.push('');
  }
  lines.push('Remediation:');
  r.remediation.forEach((s, i) => lines.push(`  ${i + 1}. ${s}`));
  if (r.docs.length) lines.push('', 'Docs:', ...r.docs.map((d) => `  ${d}`));
  return lines.join('\n') + '\n';
}

function renderCode(c: CodeExplanation): string {
  const lines = [`${c.code}  (${c.kind}${c.known ? '' : ', not known'})  ${c.name}`, wrap(c.meaning, 96)];
  if (c.tenantAttach) lines.push('', 'For tenant attach:', wrap(c.tenantAttach, 96, '  '));
  if (c.fix.length) lines.push('', 'What to do:', ...c.fix.map((f, i) => `  ${i + 1}. ${f}`));
  if (c.decoded) lines.push('', 'Decoded:', ...Object.entries(c.decoded).map(([k, v]) => `  ${k}: ${v}`));
  lines.push(`Source: ${c.source}`);
  return lines.join('\n') + '\n';
}

export function wrap(text: string, width: number, indent = ''): string {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = indent;
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line.length + word.length + 1 > width && line.trim()) {
        out.push(line.trimEnd());
        line = indent;
      }
      line += (line.trim() ? ' ' : '') + word;
    }
    out.push(line.trimEnd());
  }
  return out.join('\n');
}
