import { Command, Option, CommanderError } from 'commander';
import { packageVersion } from './default-paths.js';
import { isUsageError } from './options.js';
import { isOutputError } from './output.js';

const collect = (v: string, prev: string[]): string[] => [...prev, v];

/**
 * The command line. Heavy modules (analysis, reports, the Ink UI) are imported inside each
 * action, so `scan` never loads React and `--help` loads almost nothing.
 */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = new Command();
  program
    .name('attachscope')
    .description('Tail and analyze Configuration Manager tenant attach logs: one UTC timeline of upload cycles, gateway calls, Entra errors and device-action delivery, with known failures named and fixed.')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('open [paths...]', { isDefault: true })
    .description('open the terminal UI on log files, folders, globs or zips (default: this machine\'s ConfigMgr log folder, else the bundled samples)')
    .option('--no-follow', 'read once; do not tail the files')
    .option('--poll [ms]', 'poll files instead of native file events (network shares, copied folders)')
    .option('--rules <file-or-dir>', 'add rules from a YAML file or folder (repeatable)', collect, [])
    .option('--bias <glob=minutes>', 'override the time-zone bias of matching files (repeatable)', collect, [])
    .action(async (paths: string[], opts: Record<string, unknown>) => {
      const { runOpen } = await import('./open.js');
      code = await runOpen(paths, opts);
    });

  program
    .command('scan [paths...]')
    .description('analyze without the UI and write a report (post-mortem review, CI regression)')
    .addOption(new Option('-f, --format <format>', 'report format').choices(['text', 'json', 'ndjson', 'junit', 'sarif', 'markdown']).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(['error', 'warning', 'info', 'never']).default('error'))
    .option('--since <time>', 'ignore records before this time (ISO 8601, or a duration before now such as 2h)')
    .option('--until <time>', 'ignore records after this time (ISO 8601 or a duration before now)')
    .option('--rules <file-or-dir>', 'add rules from a YAML file or folder (repeatable)', collect, [])
    .option('--bias <glob=minutes>', 'override the time-zone bias of matching files, e.g. "Third*.log=-60" (repeatable)', collect, [])
    .option('--baseline <file>', 'compare findings with an expected-findings file; a difference fails the run')
    .option('--update-baseline', 'write the current findings to the --baseline file')
    .option('--records', 'with ndjson: also write every normalized record')
    .option('--jobs <n>', 'threads that read big inputs, except for --follow (default: one per core, within a container CPU quota; 1 uses the least memory)')
    .option('--redact', 'replace tenant/user/app/activity ids, UPNs, machine names and IPs with placeholders; drop secrets')
    .option('--follow', 'keep tailing and stream ndjson as events happen (until Ctrl+C)')
    .option('--poll [ms]', 'with --follow: poll instead of native file events')
    .option('--color', 'force colour in the text report')
    .option('--no-color', 'never use colour')
    .action(async (paths: string[], opts: Record<string, unknown>) => {
      const { runScan } = await import('./scan.js');
      code = await runScan(paths, opts);
    });

  program
    .command('explain <code>')
    .description('explain an AADSTS code, HRESULT (hex or decimal), Win32/WinHTTP error, HTTP status, status message id or rule id, offline')
    .option('--format <format>', 'text or json', 'text')
    .action(async (query: string, opts: { format: string }) => {
      const { runExplain } = await import('./explain.js');
      code = await runExplain(query, opts);
    });

  program
    .command('rules')
    .description('list the known-failure catalog (id, severity, title)')
    .option('--format <format>', 'text or json', 'text')
    .option('--rules <file-or-dir>', 'add rules from a YAML file or folder (repeatable)', collect, [])
    .action(async (opts: { format: string; rules: string[] }) => {
      const { runRulesList } = await import('./rules-list.js');
      code = await runRulesList(opts);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors with 2.
      return e.exitCode === 0 ? 0 : 2;
    }
    // (A full disk while spilling NDJSON events is the output's failure too: SpillError.)
    if (isUsageError(e) || isOutputError(e) || (e instanceof Error && e.name === 'SpillError')) {
      process.stderr.write(`attachscope: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  return code;
}
