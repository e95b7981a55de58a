import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ZipLimits } from './zip-limits.js';
import type { ZipSpan } from './zip-entry.js';
import { kindFromName, logicalName, type MachineRole } from './kinds.js';

/** Is this a log file name worth reading (`.log`, `.lo_`)? */
export function isLogName(name: string): boolean {
  return /\.(log|lo_)$/i.test(name);
}

/** One physical file to read: on disk, inside a zip, or stdin. */
export interface PhysicalFile {
  /** Display path: the disk path, `bundle.zip!dir/X.log`, or `-`. */
  path: string;
  /** File name (last segment). */
  name: string;
  /** Folder (or zip folder) it sits in: rotation groups never cross folders. */
  dir: string;
  /** The input the user named that led here (to derive machine names). */
  root: string;
  size: number;
  mtimeMs: number;
  /** In-memory content: stdin, and entries salvaged from a zip whose central directory is unreadable. */
  data?: Uint8Array;
  /** A zip entry, read from its archive on disk as it is inflated (`path` is `archive!entry`). */
  zip?: ZipSpan;
}

export interface LogicalSource {
  /** Stable id: dir + logical name, lower-cased. */
  id: string;
  /** Logical log name, as the newest file spells it (`BgbServer`). */
  name: string;
  kind: string;
  role: MachineRole;
  /** Machine the log came from, from the folder layout when it says (`SCP01/`), else null. */
  machine: string | null;
  /** Oldest first: stamped history files, then `.lo_`, then `.log`. */
  files: PhysicalFile[];
}

/** Bytes of every file of these sources, as discovered. */
export function totalBytes(sources: readonly LogicalSource[]): number {
  let bytes = 0;
  for (const s of sources) for (const f of s.files) bytes += f.size;
  return bytes;
}

export interface InputProblem {
  path: string;
  reason: string;
}

export interface Discovery {
  sources: LogicalSource[];
  problems: InputProblem[];
}

export interface DiscoverOptions {
  zipLimits?: ZipLimits;
  /** Read stdin for `-` (tests pass a buffer). */
  stdin?: () => Promise<Uint8Array>;
}

const GLOB_CHARS = /[*?[\]{}]/;

/** Largest broken archive read into memory to salvage its entries (zip.ts caps what they expand to). */
const SALVAGE_MAX_BYTES = 1 << 30;

/**
 * Resolves what the user named — files, folders (recursive), globs, zips, `-` — into logical
 * logs with their rotated files in reading order. Problems (missing paths, unreadable folders,
 * symlink loops, bad zip entries) are collected, never thrown.
 */
export async function discover(inputs: string[], opts: DiscoverOptions = {}): Promise<Discovery> {
  const files: PhysicalFile[] = [];
  const problems: InputProblem[] = [];
  const seen = new Set<string>();

  const addDiskFile = async (p: string, root: string, explicit: boolean) => {
    let st;
    try {
      st = await fs.stat(p);
    } catch (e) {
      problems.push({ path: p, reason: describeFsError(e) });
      return;
    }
    if (!st.isFile()) {
      // A device, FIFO or socket (e.g. a .log symlink to /dev/zero) would be read forever.
      problems.push({ path: p, reason: 'not a regular file (device, pipe or socket): skipped' });
      return;
    }
    const real = await fs.realpath(p).catch(() => p);
    if (seen.has(real)) return;
    seen.add(real);
    if (/\.zip$/i.test(p)) {
      // Found in a folder, a zip is one more folder level (`SCP01.zip` names its machine as a
      // folder `SCP01` would); given itself, like a folder given itself, it names none.
      await addZip(p, explicit ? `${p}!` : root);
      return;
    }
    if (!explicit && !isLogName(p)) return;
    files.push({ path: p, name: path.basename(p), dir: path.dirname(p), root, size: st.size, mtimeMs: st.mtimeMs });
  };

  const addZip = async (p: string, root: string) => {
    // `SCP01/X.log`, or `SCP01.zip!Logs/X.log` inside a zip in the zip; `root` is where machine
    // names begin (machineOf).
    const inside = (name: string) => {
      const inner = name.replace(/\\/g, '/');
      const cut = Math.max(inner.lastIndexOf('/'), inner.lastIndexOf('!'));
      return { path: `${p}!${inner}`, name: inner.slice(cut + 1), dir: `${p}!${cut < 0 ? '.' : inner.slice(0, cut)}`, root, mtimeMs: 0 };
    };
    const { listZip } = await import('./zip-disk.js'); // yauzl loads only when a zip is given
    let listing;
    try {
      listing = await listZip(p, opts.zipLimits);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code) {
        problems.push({ path: p, reason: describeFsError(e) });
        return;
      }
      await salvageZip(p, inside, (e as Error).message);
      return;
    }
    for (const pr of listing.problems) problems.push({ path: `${p}!${pr.entry}`, reason: pr.reason });
    for (const e of listing.entries) files.push({ ...inside(e.name), size: e.span.size, zip: e.span });
    if (listing.entries.length === 0 && listing.problems.length === 0) problems.push({ path: p, reason: 'zip holds no .log or .lo_ files' });
  };

  /**
   * An archive whose central directory cannot be read (truncated, corrupt, not a zip): what its
   * local headers still give, expanded in memory under zip.ts's caps.
   */
  const salvageZip = async (p: string, inside: (name: string) => Omit<PhysicalFile, 'size'>, why: string) => {
    let data: Uint8Array;
    try {
      const st = await fs.stat(p);
      if (st.size > SALVAGE_MAX_BYTES) {
        problems.push({ path: p, reason: `unreadable zip (${why}), too big to salvage in memory (${st.size} bytes): skipped` });
        return;
      }
      data = await fs.readFile(p);
    } catch (e) {
      problems.push({ path: p, reason: describeFsError(e) });
      return;
    }
    const { readZip } = await import('./zip.js'); // fflate loads only for a broken zip
    const z = readZip(data, opts.zipLimits);
    for (const pr of z.problems) problems.push({ path: `${p}!${pr.entry}`, reason: pr.reason });
    for (const e of z.entries) files.push({ ...inside(e.name), size: e.data.length, data: e.data });
    if (z.entries.length > 0) problems.push({ path: p, reason: `central directory unreadable (${why}): ${z.entries.length} entr${z.entries.length === 1 ? 'y' : 'ies'} recovered from local headers` });
    if (z.entries.length === 0 && z.problems.length === 0) problems.push({ path: p, reason: 'zip holds no .log or .lo_ files' });
  };

  const walk = async (dir: string, root: string, visited: Set<string>) => {
    let real: string;
    try {
      real = await fs.realpath(dir);
    } catch (e) {
      problems.push({ path: dir, reason: describeFsError(e) });
      return;
    }
    if (visited.has(real)) {
      problems.push({ path: dir, reason: 'symbolic link loop: folder already visited, skipped' });
      return;
    }
    visited.add(real);
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (e) {
      problems.push({ path: dir, reason: describeFsError(e) });
      return;
    }
    entries.sort((a, b) => compareNames(a.name, b.name));
    for (const ent of entries) {
      const p = path.join(dir, ent.name);
      let isDir = ent.isDirectory();
      let isFile = ent.isFile();
      if (ent.isSymbolicLink()) {
        const st = await fs.stat(p).catch(() => null);
        if (!st) { problems.push({ path: p, reason: 'broken symbolic link' }); continue; }
        isDir = st.isDirectory();
        isFile = st.isFile();
        if (!isDir && !isFile && isLogName(ent.name)) problems.push({ path: p, reason: 'not a regular file (device, pipe or socket): skipped' });
      }
      if (isDir) await walk(p, root, new Set(visited));
      else if (isFile && (isLogName(ent.name) || /\.zip$/i.test(ent.name))) await addDiskFile(p, root, false);
    }
  };

  for (const input of inputs) {
    if (input === '-') {
      const data = opts.stdin ? await opts.stdin() : await readStdin();
      files.push({ path: '-', name: 'stdin', dir: '-', root: '-', size: data.length, mtimeMs: 0, data });
      continue;
    }
    const st = await fs.stat(input).catch(() => null);
    if (st?.isDirectory()) {
      await walk(input, input, new Set());
    } else if (st) {
      await addDiskFile(input, path.dirname(input), true);
    } else if (GLOB_CHARS.test(input)) {
      const { default: fg } = await import('fast-glob'); // only when a glob is given
      const matches = await fg(input.replace(/\\/g, '/'), { caseSensitiveMatch: false, onlyFiles: false, followSymbolicLinks: true, suppressErrors: true });
      if (matches.length === 0) problems.push({ path: input, reason: 'no file matches this pattern' });
      for (const m of matches.sort()) {
        const ms = await fs.stat(m).catch(() => null);
        if (ms?.isDirectory()) await walk(m, m, new Set());
        else await addDiskFile(m, path.dirname(m), true);
      }
    } else {
      problems.push({ path: input, reason: 'no such file or folder' });
    }
  }
  return { sources: groupRotations(files), problems };
}

function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'no such file or folder';
    case 'EACCES': case 'EPERM': return 'permission denied: cannot read';
    case 'ELOOP': return 'symbolic link loop';
    case 'EISDIR': return 'is a folder';
    default: return (e as Error).message;
  }
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Reading order inside a rotation group: 0 = stamped history, 1 = `.lo_`, 2 = `.log`. */
function rotationRank(name: string): [number, string] {
  const stamp = /-(\d{8}-\d{6})\.log$/i.exec(name);
  if (stamp) return [0, stamp[1]!];
  if (/\.lo_$/i.test(name)) return [1, ''];
  return [2, ''];
}

/** Folder names that say nothing about the machine. */
const GENERIC_DIRS = /^(logs?|ccm|sms_ccm|m365a|adminuilog|microsoft configuration manager|configuration manager|program files|windows|\.|)$/i;

export function machineOf(file: PhysicalFile): string | null {
  if (file.path === '-') return null;
  const rel = file.dir.startsWith(file.root) ? file.dir.slice(file.root.length) : '';
  // A zip inside the zip is named for its machine as often as a folder is (`SCP01.zip`).
  const segs = rel.split(/[\\/!]/).map((s) => s.replace(/\.zip$/i, '')).filter((s) => s && !GENERIC_DIRS.test(s));
  return segs.length ? segs[segs.length - 1]! : null;
}

/** Groups `X.lo_`, `X.log` and `X-YYYYMMDD-HHMMSS.log` of one folder into one logical log. */
export function groupRotations(files: PhysicalFile[]): LogicalSource[] {
  const groups = new Map<string, PhysicalFile[]>();
  for (const f of files) {
    const key = `${f.dir.toLowerCase()}|${logicalName(f.name).toLowerCase()}`;
    const g = groups.get(key);
    if (g) g.push(f);
    else groups.set(key, [f]);
  }
  const out: LogicalSource[] = [];
  for (const [id, group] of groups) {
    group.sort((a, b) => {
      const [ra, sa] = rotationRank(a.name);
      const [rb, sb] = rotationRank(b.name);
      return ra - rb || compareNames(sa, sb) || compareNames(a.name, b.name);
    });
    const newest = group[group.length - 1]!;
    const name = newest.path === '-' ? 'stdin' : logicalName(newest.name);
    const info = kindFromName(name);
    out.push({ id, name, kind: info.kind, role: info.role, machine: machineOf(newest), files: group });
  }
  return out;
}

/**
 * File names in a stable order, ignoring case first (as Explorer lists them). Not
 * localeCompare: its first call starts ICU's collator, ~11 ms of a small scan's start-up.
 */
export function compareNames(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x !== y) return x < y ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
