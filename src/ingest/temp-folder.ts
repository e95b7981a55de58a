/**
 * Folders in the OS temp folder (TMPDIR) for what a run writes aside: NDJSON listing spills,
 * zips inside a zip expanded to be read like any zip on disk. Each is removed when asked, when
 * the process exits, and when it is stopped by Ctrl+C or a kill.
 */
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface TemporaryFolder {
  path: string;
  remove(): void;
}

/**
 * A new folder `attachscope-<prefix>…`. On a signal it is removed, and the signal raised again
 * when no other handler is left to end the process (the UI ends itself on SIGTERM and restores
 * the terminal first; raising it again would cut that short).
 */
export function temporaryFolder(prefix = ''): TemporaryFolder {
  const dir = mkdtempSync(path.join(tmpdir(), `attachscope-${prefix}`));
  const onSignal = (signal: NodeJS.Signals): void => {
    remove();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const remove = (): void => {
    for (const s of SIGNALS) process.off(s, onSignal);
    process.off('exit', remove);
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // (Windows: a file still open.) Left to the OS's temp cleaning; never a crash on the way out.
    }
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on('exit', remove);
  return { path: dir, remove };
}

let scratch: TemporaryFolder | null = null;

/** The folder for files that live as long as the process (made when first asked for). */
export function scratchFolder(): string {
  scratch ??= temporaryFolder('scratch-');
  return scratch.path;
}

let scratchFiles = 0;

/** A new path in the scratch folder, named after `name` (a zip entry's: only its last part is kept). */
export function scratchFile(name: string): string {
  return path.join(scratchFolder(), `${++scratchFiles}-${path.basename(name.replace(/\\/g, '/'))}`);
}

/** Bytes left free on the scratch folder's disk after anything is written there. */
const SPARE_BYTES = 64 << 20;

/**
 * Null when `bytes` more fit in the scratch folder (leaving some room), else why not (also when
 * the folder cannot be made: TMPDIR missing or read-only).
 */
export function noRoomFor(bytes: number): string | null {
  let dir: string;
  try {
    dir = scratchFolder();
  } catch (e) {
    return `no temporary folder (${(e as Error).message})`;
  }
  let room: number;
  try {
    const st = statfsSync(dir);
    room = st.bavail * st.bsize;
  } catch {
    return null; // unknown: let the write itself fail
  }
  return room < bytes + SPARE_BYTES ? `${bytes} bytes to write and ${room} free in ${dir}` : null;
}
