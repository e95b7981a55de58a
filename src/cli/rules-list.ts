import { builtinRulesDir, loadRules } from '../analysis/rules/load.js';
import { Output } from './output.js';

/** `attachscope rules`: the catalog as a table or JSON. Exit 2 when a rule file is invalid. */
export async function runRulesList(opts: { format?: string; rules?: string[] }): Promise<number> {
  const { rules, errors } = await loadRules([builtinRulesDir(), ...(opts.rules ?? [])]);
  for (const e of errors) process.stderr.write(`attachscope: ${e.message}\n`);
  const rows = rules.map((r) => ({ id: r.id, severity: r.severity, title: r.title }))
    .sort((a, b) => order(a.severity) - order(b.severity) || a.id.localeCompare(b.id));
  const output = new Output(process.stdout);
  if (opts.format === 'json') {
    await output.write(JSON.stringify(rows, null, 2) + '\n');
  } else {
    const w = Math.max(...rows.map((r) => r.id.length), 2);
    await output.write(rows.map((r) => `${r.id.padEnd(w)}  ${r.severity.padEnd(7)}  ${r.title}`).join('\n') + `\n\n${rows.length} rules. "attachscope explain <id>" shows causes and remediation.\n`);
  }
  await output.finish(false);
  return errors.length ? 2 : 0;
}

const order = (s: string) => (s === 'error' ? 0 : s === 'warning' ? 1 : 2);
