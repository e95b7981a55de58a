import { analyzePaths } from '../analysis/analyze.js';
import { loadTuiBundle } from './bundle.js';
import { chooseDefaultPaths, packageVersion } from './default-paths.js';
import { UsageError } from './options.js';
import { Output } from './output.js';
import { analyzeOptionsFrom } from './scan.js';

export interface OpenOptions {
  /** Tail the files after the first read (commander: `--no-follow` sets false). */
  follow?: boolean;
  /** `--poll [ms]`: true without a value. */
  poll?: string | boolean;
  rules?: string[];
  bias?: string[];
}

export interface OpenIo {
  stdin: { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
}

/** What dist/tui.cjs's `load()` gives (scripts/bundle-tui.mjs bundles these two modules). */
type TuiModules = Pick<typeof import('../analysis/session.js'), 'Session'> & Pick<typeof import('../tui/index.js'), 'runTui'>;

/** Default poll interval for `--poll` without a value. */
export const DEFAULT_POLL_MS = 1000;

export function pollMsFrom(poll: string | boolean | undefined): number | undefined {
  if (poll === undefined || poll === false) return undefined;
  if (poll === true) return DEFAULT_POLL_MS;
  const n = Number(poll);
  if (!Number.isFinite(n) || n < 50) throw new UsageError(`--poll expects milliseconds (50 or more), got "${poll}"`);
  return Math.round(n);
}


/**
 * `attachscope [PATH...]`: the terminal UI. Without a terminal on both stdin and stdout it says
 * so on stderr and writes the text report instead (exit 0), so a pipe or CI job never crashes.
 * The UI (Ink, React) is loaded only here, from dist/tui.cjs, and only when a terminal is there.
 */
export async function runOpen(paths: string[], opts: OpenOptions, io: OpenIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const aopts = analyzeOptionsFrom({ rules: opts.rules ?? [], bias: opts.bias ?? [] });
  const pollMs = pollMsFrom(opts.poll);
  let inputs = paths;
  let notice: string | undefined;
  if (inputs.length === 0) {
    const choice = chooseDefaultPaths();
    io.stderr.write(`attachscope: ${choice.why}\n`);
    notice = choice.why;
    inputs = choice.paths;
    // The bundled samples are copied logs: following them would only age them into "missed" runs.
    if (choice.bundled) opts = { ...opts, follow: false };
  }

  if (io.stdin.isTTY !== true || io.stdout.isTTY !== true) {
    io.stderr.write('attachscope: the terminal UI needs a terminal on stdin and stdout; writing the text report instead (use `attachscope scan` for reports and CI).\n');
    const result = await analyzePaths(inputs, aopts);
    for (const e of result.ruleErrors) io.stderr.write(`attachscope: rule error: ${e}\n`);
    const { renderReport } = await import('../report/index.js');
    const text = renderReport(result, 'text', { color: false, failOn: 'error', toolVersion: packageVersion() });
    const output = new Output(io.stdout);
    await output.write(text.endsWith('\n') ? text : text + '\n');
    await output.finish(false);
    return 0;
  }

  // Ink renders only the final frame when CI/CONTINUOUS_INTEGRATION is set (is-in-ci, read when
  // Ink loads). Both ends are a terminal here, so a person is watching: show the live UI anyway.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  // Ink, React, the UI and the Session come from one bundle with a trained code cache (bundle.ts).
  const { Session, runTui } = await loadTuiBundle<TuiModules>().exports.load();
  const session = new Session(inputs, { ...aopts, follow: opts.follow !== false, keepRecords: true, throttleMs: 100, loadingThrottleMs: 250, ...(pollMs !== undefined ? { pollMs } : {}) });
  return runTui(session, notice !== undefined ? { notice } : {});
}
