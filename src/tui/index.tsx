/**
 * The terminal UI entry point. Only `src/cli/open.ts` loads this module, and only with a dynamic
 * import, so `scan` and the rest of the CLI never load Ink or React.
 */
import { render } from 'ink';
import type { Session } from '../analysis/session.js';
import { App } from './app.js';
import { ErrorBoundary } from './error-boundary.js';

export { App } from './app.js';

export interface TuiOptions {
  /** Shown in the status line at start (e.g. which folder was chosen by default). */
  notice?: string;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  stderr?: NodeJS.WriteStream;
}

/**
 * Frames per second at most: each frame is a full Ink render (~20 ms at 120×40). Frames come
 * from keys and from the Session (≤ 4–10 a second); a key pressed within 1/MAX_FPS of the
 * last frame waits for the next one, so this also bounds the key-to-screen latency.
 */
export const MAX_FPS = 30;

/**
 * Shows the UI over a Session and starts reading in the background (the UI appears at once with
 * a progress indicator). Resolves with the exit code when the user quits: 0, or 1 when the UI
 * crashed (the error is printed to stderr after the screen is restored).
 */
export async function runTui(session: Session, opts: TuiOptions = {}): Promise<number> {
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  let crash: Error | null = null;
  // The alternate screen keeps the shell's scrollback clean and restores it on quit.
  const alt = stdout.isTTY === true;
  if (alt) stdout.write('\u001b[?1049h\u001b[H');

  let unmount: () => void = () => {};
  const instance = render(
    <ErrorBoundary
      onError={(e) => {
        crash = e;
        // Let the boundary's message render once, then leave.
        setTimeout(() => unmount(), 50);
      }}
    >
      <App session={session} notice={opts.notice} />
    </ErrorBoundary>,
    { stdout, stdin: opts.stdin ?? process.stdin, stderr, maxFps: MAX_FPS, exitOnCtrlC: true, patchConsole: false },
  );
  unmount = () => instance.unmount();
  const onTerm = () => instance.unmount();
  process.once('SIGTERM', onTerm);
  process.once('SIGHUP', onTerm);

  // Not awaited: the first read runs while the UI is up. Session.start() records its own errors.
  let startDone = false;
  const started = session
    .start()
    .catch((e: unknown) => {
      session.error = e instanceof Error ? e : new Error(String(e));
    })
    .finally(() => {
      startDone = true;
    });

  try {
    await instance.waitUntilExit();
  } catch (e) {
    crash = e instanceof Error ? e : new Error(String(e));
  } finally {
    process.off('SIGTERM', onTerm);
    process.off('SIGHUP', onTerm);
    await session.stop();
    if (alt) stdout.write('\u001b[?1049l');
  }
  if (!startDone) {
    // NOTE: in follow mode the Session gets its file watchers only when the first read is over,
    // so a quit during that read cannot close them yet: stop again once it is over, or the
    // watchers would keep the process alive after the UI is gone.
    const finishedSoon = await Promise.race([started.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 300).unref())]);
    if (!finishedSoon) stderr.write('attachscope: finishing the first read of the logs before exiting…\n');
    await started;
    await session.stop();
  }
  if (crash) {
    const err = crash as Error;
    stderr.write(`attachscope: the terminal UI failed: ${err.stack ?? err.message}\n`);
    stderr.write('attachscope: `attachscope scan PATH...` writes the same analysis as a report.\n');
    return 1;
  }
  return 0;
}
