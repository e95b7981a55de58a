import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface DefaultChoice {
  paths: string[];
  /** Said to the user: which folder was chosen and why. */
  why: string;
  /** True when these are the bundled samples (copied logs: nothing to follow). */
  bundled: boolean;
}

/** The folder the package was installed in (holds sample-logs/ and rules/). */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'sample-logs'))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

/** attachscope's version from its package.json ("0.0.0" if it cannot be read). */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** The bundled scenario opened when no log folder is found on this machine. */
export const DEFAULT_SAMPLE = 'multi-site-three-zones';

/**
 * Candidate ConfigMgr log folders on a Windows machine, most specific first: the site server's
 * Logs folder (SMS_LOG_PATH, else the install folder), the management point's SMS_CCM\Logs, the
 * client's %WINDIR%\CCM\Logs. Pure over its inputs, so it is testable with win32 paths anywhere.
 */
export function windowsLogFolders(env: Record<string, string | undefined>): { path: string; role: string }[] {
  const w = path.win32;
  const out: { path: string; role: string }[] = [];
  if (env.SMS_LOG_PATH) out.push({ path: w.normalize(env.SMS_LOG_PATH), role: 'site server (SMS_LOG_PATH)' });
  const pf = env.ProgramFiles ?? env.PROGRAMFILES ?? 'C:\\Program Files';
  out.push({ path: w.join(pf, 'Microsoft Configuration Manager', 'Logs'), role: 'site server / service connection point' });
  const drive = env.SystemDrive ?? env.SYSTEMDRIVE ?? 'C:';
  out.push({ path: w.join(drive + '\\', 'SMS_CCM', 'Logs'), role: 'management point' });
  const windir = env.WINDIR ?? env.windir ?? env.SystemRoot ?? 'C:\\Windows';
  out.push({ path: w.join(windir, 'CCM', 'Logs'), role: 'client' });
  return out;
}

/** With no path given: this machine's ConfigMgr log folders on Windows, else the bundled samples. */
export function chooseDefaultPaths(opts: { platform?: NodeJS.Platform; env?: Record<string, string | undefined>; exists?: (p: string) => boolean } = {}): DefaultChoice {
  const platform = opts.platform ?? process.platform;
  const env = opts.env ?? process.env;
  const exists = opts.exists ?? existsSync;
  if (platform === 'win32') {
    const found = windowsLogFolders(env).filter((c) => exists(c.path));
    if (found.length > 0) {
      return { paths: found.map((f) => f.path), why: `ConfigMgr log folders on this machine: ${found.map((f) => `${f.path} (${f.role})`).join('; ')}`, bundled: false };
    }
  }
  const sample = path.join(packageRoot(), 'sample-logs', DEFAULT_SAMPLE);
  return { paths: [sample], why: `no ConfigMgr log folder on this machine: opening the bundled sample scenario ${DEFAULT_SAMPLE}`, bundled: true };
}
