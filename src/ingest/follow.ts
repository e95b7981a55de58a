import { promises as fs, type BigIntStats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { watch, type FSWatcher } from 'chokidar';
import type { LogRecord } from '../../parsers/types.js';
import type { BiasOverride } from '../analysis/bias-override.js';
import { biasOverrideFor } from '../analysis/bias-override.js';
import { discover, groupRotations, isLogName, totalBytes, type InputProblem, type LogicalSource, type PhysicalFile } from './discover.js';
import { logicalName } from './kinds.js';
import { emptyReport, readFileRecords, type FileReport } from './read.js';
import { FileTail, readHead, sameHead, type FileId, type SeenFile } from './follow-tail.js';

/**
 * Live tail (`scan --follow`, the TUI): reads every input once, in rotation order, then follows
 * the logs as ConfigMgr writes them — new bytes only, from the last offset of each file, through
 * the same decode + Framer path as a batch read.
 *
 * The file system is the authority: watcher events (chokidar) and a light stat poll only say
 * "look now". Each look stats the live `X.log` of every logical log and compares it with what we
 * know (device, inode, first bytes, offset):
 *
 * - same file, grown: read the new bytes;
 * - same file, smaller than our offset, or other first bytes: truncated / rewritten in place;
 * - another file (or none) at `X.log`: it rolled over. The file we were reading is looked up
 *   among `X.lo_` and stamped history files, by inode first, then by its first bytes (a copy);
 *   its unread end is read from there into the same Framer, and only then does the new `X.log`
 *   start, from byte 0. No line is lost or read twice as long as `.lo_` is not overwritten again
 *   before we look (if it was, the intermediate `.lo_` is read in full and the loss reported).
 *
 * Files are opened read-only per look and closed at once, so ConfigMgr's rename is never blocked.
 */

export interface FollowOptions {
  /** Poll every N ms instead of native file events (network shares). */
  pollMs?: number;
  biasOverrides: BiasOverride[];
  /** A logical log seen for the first time (also for logs created later in a watched folder). */
  onSource(src: LogicalSource, biasOverride: number | null): void;
  onRecords(src: LogicalSource, records: LogRecord[]): void;
  /** Per physical file when it is finished (rolled over, replaced, closed) or fails. */
  onFileReport(src: LogicalSource, report: FileReport): void;
  /** Nothing new for a while (and after the first read of a log): flush held blocks. */
  onIdle(src: LogicalSource): void;
  onProblems(problems: InputProblem[]): void;
  onProgress(bytesRead: number, bytesTotal: number): void;
  /** A dangling partial line or entry is emitted, as partial, after this many ms without growth (default 1000). */
  partialTimeoutMs?: number;
  /** Bytes read (and framed into one batch) at a time; default 1 MiB (read.ts). */
  chunkSize?: number;
  /** Zip entries bigger than this are written aside as they are read (zip-aside.ts). */
  keepZipAside?: number;
}

export interface FollowHandle {
  /** Reads what is left, emits everything held, reports the open files, stops watching. */
  close(): Promise<void>;
}

/** Reads `inputs` once, then follows them. Resolves when the first read is done and watchers are ready. */
export async function startFollowing(inputs: string[], opts: FollowOptions): Promise<FollowHandle> {
  const f = new Follower(inputs, opts);
  await f.start();
  return { close: () => f.close() };
}

interface SourceState {
  src: LogicalSource;
  /** resolved folder + logical name, lower-case (matches a path to its source). */
  key: string;
  /** Folder as spelled in the source's paths. */
  dir: string;
  nameLower: string;
  override: number | null;
  /** The file ConfigMgr appends to (`X.log`); null for a log we only have history of. */
  livePath: string | null;
  live: FileTail | null;
  /** Finished files: rotation products that must never be read again. */
  seen: SeenFile[];
  lastRecords: number;
  idle: boolean;
}

interface DirRoot {
  /** As the user spelled it (paths of files under it are spelled from it, as discover does). */
  root: string;
  abs: string;
}

/** Safety-net look at every live file (ms), unless `pollMs` says otherwise. */
const SAFETY_POLL_MS = 200;
/** Walk of the watched folders for logs the watcher did not announce (ms). */
const DIR_RESCAN_MS = 2000;
const GLOB_CHARS = /[*?[\]{}]/;
/** Finished files remembered per log (rotation products that must not be read again). */
const MAX_SEEN = 64;
const STAMPED = /-(\d{8}-\d{6})\.log$/i;

/** `X.log` (not `.lo_`, not a stamped history file): the file a writer appends to. */
function isLiveName(name: string): boolean {
  return !/\.lo_$/i.test(name) && !STAMPED.test(name);
}

function keyOf(p: string): string {
  return `${path.resolve(path.dirname(p)).toLowerCase()}|${logicalName(path.basename(p)).toLowerCase()}`;
}

function errCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code;
}

function describe(e: unknown): string {
  switch (errCode(e)) {
    case 'ENOENT': return 'no such file or folder';
    case 'EACCES': case 'EPERM': return 'permission denied: cannot read';
    case 'EBUSY': return 'file is locked by another process';
    default: return (e as Error).message;
  }
}

async function statBig(p: string): Promise<BigIntStats | null> {
  try {
    return await fs.stat(p, { bigint: true });
  } catch (e) {
    if (errCode(e) === 'ENOENT' || errCode(e) === 'ENOTDIR') return null;
    throw e;
  }
}

async function openRead(p: string): Promise<FileHandle | null> {
  try {
    // 'r': read-only. libuv opens with FILE_SHARE_READ|WRITE|DELETE on Windows; we also close
    // the handle after every look so a rename or delete by ConfigMgr never waits on us.
    return await fs.open(p, 'r');
  } catch (e) {
    if (errCode(e) === 'ENOENT') return null;
    throw e;
  }
}

class Follower {
  private readonly inputs: string[];
  private readonly opts: FollowOptions;
  private readonly partialTimeoutMs: number;
  private readonly sources = new Map<string, SourceState>();
  private readonly dirRoots: DirRoot[] = [];
  /** Keys of files named one by one (their folder is watched for these logs only). */
  private readonly explicitKeys = new Set<string>();
  private readonly explicitDirs = new Set<string>();
  /** Absolute, lower-cased paths already attributed to a source. */
  private readonly knownPaths = new Set<string>();
  private readonly dirty = new Set<SourceState>();
  private readonly newPaths = new Set<string>();
  private readonly reported = new Set<string>();
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private wanted = false;
  private fullWanted = false;
  private closed = false;
  private lastDirScan = 0;
  private bytesRead = 0;
  private bytesTotal = 0;
  private lastProgress = { read: -1, total: -1 };

  constructor(inputs: string[], opts: FollowOptions) {
    this.inputs = inputs;
    this.opts = opts;
    this.partialTimeoutMs = opts.partialTimeoutMs ?? 1000;
  }

  async start(): Promise<void> {
    await this.resolveRoots();
    const { sources, problems } = await discover(this.inputs);
    if (problems.length) this.opts.onProblems(problems);
    this.bytesTotal = totalBytes(sources);
    for (const src of sources) {
      const st = this.addSource(src);
      const live = [...src.files].reverse().find((f) => !f.data && !f.zip && f.path !== '-' && isLiveName(f.name)) ?? null;
      for (const file of src.files) {
        this.knownPaths.add(path.resolve(file.path).toLowerCase());
        if (file.data || file.zip || file.path === '-') await this.readOnce(st, file);
        else await this.readWhole(st, file.path, file === live);
        this.progress(false);
      }
      st.livePath = live?.path ?? null;
      st.lastRecords = Date.now();
      st.idle = true;
      this.opts.onIdle(src);
    }
    this.progress(true);
    await this.startWatchers();
    // The first look also walks the folders: logs created while the watchers were starting.
    this.lastDirScan = 0;
    const every = Math.max(20, this.opts.pollMs ?? SAFETY_POLL_MS);
    this.timer = setInterval(() => this.kick(true), every);
    // Anything that changed while the watchers were starting.
    this.kick(true);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all(this.watchers.map((w) => w.close().catch(() => undefined)));
    this.watchers = [];
    while (this.running) await this.running;
    // A last look, then everything held comes out.
    await this.tick(true, false);
    for (const st of this.sources.values()) {
      const t = st.live;
      if (t) {
        st.live = null;
        this.finishTail(st, t);
      }
      this.opts.onIdle(st.src);
    }
    this.progress(true);
  }

  // ---- inputs and watchers -------------------------------------------------------------------

  /** Which folders are followed for new logs, and which files are followed one by one. */
  private async resolveRoots(): Promise<void> {
    const addFile = (p: string) => {
      if (/\.zip$/i.test(p)) return;
      this.explicitKeys.add(keyOf(p));
      this.explicitDirs.add(path.resolve(path.dirname(p)));
    };
    for (const input of this.inputs) {
      if (input === '-') continue;
      const st = await fs.stat(input).catch(() => null);
      if (st?.isDirectory()) this.dirRoots.push({ root: input, abs: path.resolve(input) });
      else if (st) addFile(input);
      else if (GLOB_CHARS.test(input)) {
        const matches = await fg(input.replace(/\\/g, '/'), { caseSensitiveMatch: false, onlyFiles: false, followSymbolicLinks: true, suppressErrors: true });
        for (const m of matches) {
          const ms = await fs.stat(m).catch(() => null);
          if (ms?.isDirectory()) this.dirRoots.push({ root: m, abs: path.resolve(m) });
          else if (ms) addFile(m);
        }
      }
    }
  }

  /** The watched folder a path is under, if any. */
  private rootOf(abs: string): DirRoot | null {
    for (const r of this.dirRoots) {
      const rel = path.relative(r.abs, abs);
      if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return r;
    }
    return null;
  }

  private async startWatchers(): Promise<void> {
    const common = {
      ignoreInitial: true,
      persistent: true,
      atomic: false,
      followSymlinks: true,
      ignorePermissionErrors: true,
      ...(this.opts.pollMs !== undefined ? { usePolling: true, interval: this.opts.pollMs, binaryInterval: this.opts.pollMs } : {}),
    };
    const onEvent = (ev: string, p: string) => {
      if (this.closed) return;
      if (ev === 'addDir' || ev === 'unlinkDir') {
        if (ev === 'addDir') this.lastDirScan = 0;
        this.kick(ev === 'addDir');
        return;
      }
      const st = this.sources.get(keyOf(p));
      if (st) this.dirty.add(st);
      else if (ev !== 'unlink') this.newPaths.add(p);
      this.kick(false);
    };
    // chokidar throttles `change` (50 ms per path) and re-reads a folder at most once a second,
    // so right after a rollover the new X.log can go unannounced for a while. Its raw events
    // (straight from fs.watch on the folder) come at once: use them as "look now" hints too.
    const onRaw = (_ev: string, evPath: string, details: unknown) => {
      if (this.closed) return;
      const watched = (details as { watchedPath?: string } | null)?.watchedPath;
      if (!watched || !evPath) return;
      const full = path.basename(watched) === evPath ? path.resolve(watched) : path.resolve(watched, evPath);
      const st = this.sources.get(keyOf(full));
      if (st) {
        this.dirty.add(st);
        this.kick(false);
      } else if (isLogName(full) && (this.rootOf(full) || this.explicitKeys.has(keyOf(full)))) {
        this.newPaths.add(full);
        this.kick(false);
      }
    };
    const onError = (e: unknown) => this.problem('(file watcher)', `watching stopped working for some files: ${(e as Error).message}`);
    const ready: Promise<void>[] = [];
    if (this.dirRoots.length) {
      const w = watch(this.dirRoots.map((r) => r.root), {
        ...common,
        ignored: (p: string, stats?: { isFile(): boolean }) => stats?.isFile() === true && !isLogName(p),
      });
      w.on('all', onEvent);
      w.on('raw', onRaw);
      w.on('error', onError);
      ready.push(new Promise((resolve) => w.once('ready', () => resolve())));
      this.watchers.push(w);
    }
    const dirs = [...this.explicitDirs].filter((d) => !this.rootOf(path.join(d, 'x')));
    if (dirs.length) {
      const w = watch(dirs, {
        ...common,
        depth: 0,
        ignored: (p: string) => {
          const abs = path.resolve(p);
          if (this.explicitDirs.has(abs)) return false;
          return !(isLogName(p) && this.explicitKeys.has(keyOf(abs)));
        },
      });
      w.on('all', onEvent);
      w.on('raw', onRaw);
      w.on('error', onError);
      ready.push(new Promise((resolve) => w.once('ready', () => resolve())));
      this.watchers.push(w);
    }
    await Promise.all(ready);
  }

  // ---- the look loop ---------------------------------------------------------------------------

  private kick(full: boolean): void {
    if (this.closed) return;
    this.wanted = true;
    if (full) this.fullWanted = true;
    if (!this.running) {
      this.running = this.loop().finally(() => {
        this.running = null;
      });
    }
  }

  private async loop(): Promise<void> {
    while (this.wanted && !this.closed) {
      this.wanted = false;
      const full = this.fullWanted;
      this.fullWanted = false;
      await this.tick(full, true);
    }
  }

  private async tick(full: boolean, timeouts: boolean): Promise<void> {
    const now = Date.now();
    if (full && this.dirRoots.length && now - this.lastDirScan >= DIR_RESCAN_MS) {
      this.lastDirScan = now;
      await this.rescanDirs();
    }
    if (this.newPaths.size) {
      const paths = [...this.newPaths];
      this.newPaths.clear();
      for (const p of paths) await this.guard(p, () => this.handleNewPath(p));
    }
    const targets = full ? [...this.sources.values()] : [...this.dirty];
    this.dirty.clear();
    for (const st of targets) {
      if (st.livePath) await this.guard(st.livePath, () => this.look(st));
    }
    if (full && timeouts) {
      const t = Date.now();
      for (const st of this.sources.values()) this.checkTimeouts(st, t);
    }
    this.progress(false);
  }

  private async guard(p: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.problem(p, describe(e));
    }
  }

  /** A problem reported once per path and reason (a locked file would say so every look). */
  private problem(p: string, reason: string): void {
    const k = `${p}\n${reason}`;
    if (this.reported.has(k)) return;
    this.reported.add(k);
    this.opts.onProblems([{ path: p, reason }]);
  }

  /** One look at a log's live file: grown, truncated, replaced or rolled over. */
  private async look(st: SourceState): Promise<void> {
    const p = st.livePath!;
    const t = st.live;
    const s = await statBig(p);
    if (!s) {
      if (t) {
        st.live = null;
        await this.retire(st, t, 'gone');
      }
      return;
    }
    if (!s.isFile()) return;
    if (t && s.dev === t.dev && s.ino === t.ino && Number(s.size) === t.lastSize && s.mtimeNs === t.lastMtimeNs) return;
    const fh = await openRead(p);
    if (!fh) {
      if (t) {
        st.live = null;
        await this.retire(st, t, 'gone');
      }
      return;
    }
    try {
      const fs2 = await fh.stat({ bigint: true });
      const size = Number(fs2.size);
      let live = t;
      if (t && fs2.dev === t.dev && fs2.ino === t.ino) {
        if (size < t.offset) {
          st.live = live = null;
          await this.retire(st, t, 'truncated', size, fs2);
        } else if (t.head.length > 0 && !sameHead(await readHead(fh, t.head.length), t.head)) {
          st.live = live = null;
          await this.retire(st, t, 'rewritten', 0, fs2);
        } else {
          this.bytesTotal += Math.max(0, size - Math.max(t.lastSize, t.offset));
        }
      } else if (t) {
        st.live = live = null;
        await this.retire(st, t, 'replaced', 0, fs2);
      }
      if (!live) {
        live = st.live = this.newTail(st, p, fs2);
        this.bytesTotal += size;
      }
      await this.readTail(st, live, fh, size);
      live.lastSize = Math.max(size, live.offset);
      live.lastMtimeNs = fs2.mtimeNs;
    } finally {
      await fh.close().catch(() => undefined);
    }
  }

  private newTail(st: SourceState, p: string, s: { dev: bigint; ino: bigint }): FileTail {
    return new FileTail({ log: st.src.name, path: p, biasOverride: st.override, partialTimeoutMs: this.partialTimeoutMs, readChunk: this.opts.chunkSize }, { dev: s.dev, ino: s.ino });
  }

  private async readTail(st: SourceState, t: FileTail, fh: FileHandle, sizeHint?: number): Promise<void> {
    const n = await t.readFrom(fh, (recs) => this.emit(st, recs), sizeHint);
    this.bytesRead += n;
  }

  private emit(st: SourceState, recs: LogRecord[]): void {
    if (recs.length === 0) return;
    st.lastRecords = Date.now();
    st.idle = false;
    this.opts.onRecords(st.src, recs);
  }

  private finishTail(st: SourceState, t: FileTail): void {
    this.emit(st, t.finish());
    st.seen.push(t.identity);
    // Only the newest few can still be among the rotated files (.lo_ and a short history).
    if (st.seen.length > MAX_SEEN) st.seen.splice(0, st.seen.length - MAX_SEEN);
    this.opts.onFileReport(st.src, t.report);
  }

  /**
   * The file we were reading is no longer at `X.log`. Find it (renamed to `.lo_` or a stamped
   * history name, or copied there), read its unread end into the same Framer, and finish it.
   */
  private async retire(st: SourceState, t: FileTail, why: 'gone' | 'replaced' | 'truncated' | 'rewritten', newSize = 0, next: FileId | null = null): Promise<void> {
    const found = await this.findRotated(st, t, next);
    if (found) {
      const fh = await openRead(found);
      if (fh) {
        try {
          t.at = found;
          await this.readTail(st, t, fh);
        } finally {
          await fh.close().catch(() => undefined);
        }
      }
      this.finishTail(st, t);
      return;
    }
    this.finishTail(st, t);
    const missed = await this.readMissed(st, next);
    const lost = `anything written to it after byte ${t.offset} was not read`;
    let reason: string;
    if (why === 'truncated') reason = `truncated in place (${t.offset} → ${newSize} bytes) and no rotated copy holds its old content: reading it again from the start; ${lost}`;
    else if (why === 'rewritten') reason = `rewritten in place (its first bytes changed) and no rotated copy holds its old content: reading it again from the start; ${lost}`;
    else if (why === 'gone') reason = `deleted, or renamed to a name we do not follow; ${lost}`;
    else reason = `replaced by a new file and the old one is not among its rotated files (deleted, or overwritten by a later rollover); ${lost}`;
    if (missed.length) reason += `; rolled over again before it could be read: ${missed.join(', ')} read in full`;
    this.problem(t.opts.path, reason);
  }

  /** Rotation siblings of a log in its folder: `.lo_` first, then stamped history newest first. */
  private async siblings(st: SourceState): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.readdir(st.dir);
    } catch {
      return [];
    }
    const live = st.livePath ? path.resolve(st.livePath).toLowerCase() : null;
    const rank = (n: string) => (/\.lo_$/i.test(n) ? 0 : STAMPED.test(n) ? 1 : 2);
    return names
      .filter((n) => isLogName(n) && logicalName(n).toLowerCase() === st.nameLower)
      .map((n) => path.join(st.dir, n))
      .filter((p) => path.resolve(p).toLowerCase() !== live)
      .sort((a, b) => rank(path.basename(a)) - rank(path.basename(b)) || path.basename(b).localeCompare(path.basename(a)));
  }

  /**
   * `next` is the file now at X.log, about to be read from byte 0: if it too was renamed in the
   * meantime, it is not the old file (even with a reused inode), and not a missed one either.
   */
  private async findRotated(st: SourceState, t: FileTail, next: FileId | null): Promise<string | null> {
    const cands = await this.siblings(st);
    const stats = await Promise.all(cands.map((c) => statBig(c).catch(() => null)))
      .then((xs) => xs.map((x) => (x && next && x.dev === next.dev && x.ino === next.ino ? null : x)));
    const headOf = async (p: string) => {
      const fh = await openRead(p).catch(() => null);
      if (!fh) return null;
      try {
        return await readHead(fh, t.head.length);
      } finally {
        await fh.close().catch(() => undefined);
      }
    };
    // Renamed: same inode (and, against inode reuse, the same first bytes).
    for (let i = 0; i < cands.length; i++) {
      const s = stats[i];
      if (!s || s.dev !== t.dev || s.ino !== t.ino || Number(s.size) < t.offset) continue;
      const h = await headOf(cands[i]!);
      if (h && (t.head.length === 0 || sameHead(h, t.head))) return cands[i]!;
    }
    // Copied: same first bytes, at least as long as what we had read.
    if (t.head.length === 0) return null;
    for (let i = 0; i < cands.length; i++) {
      const s = stats[i];
      if (!s || Number(s.size) < t.offset || Number(s.size) < t.head.length) continue;
      const h = await headOf(cands[i]!);
      if (!h || h.length < t.head.length || !sameHead(h, t.head)) continue;
      // An older file we already finished that merely starts the same way: not ours.
      if (st.seen.some((x) => x.dev === s.dev && x.ino === s.ino && x.head.length > 0 && sameHead(x.head, h))) continue;
      return cands[i]!;
    }
    return null;
  }

  /** Rotated files we never saw (the `.lo_` was overwritten again before we looked): read in full. */
  private async readMissed(st: SourceState, next: FileId | null = null): Promise<string[]> {
    const out: string[] = [];
    const cands = await this.siblings(st);
    for (const c of cands.reverse()) {
      const fh = await openRead(c).catch(() => null);
      if (!fh) continue;
      let fresh = false;
      try {
        const s = await fh.stat({ bigint: true });
        if (next && s.dev === next.dev && s.ino === next.ino) continue;
        const head = await readHead(fh);
        fresh = !st.seen.some((x) => x.dev === s.dev && x.ino === s.ino && sameHead(x.head, head))
          && !st.seen.some((x) => x.head.length > 0 && sameHead(x.head, head) && head.length > 0);
        if (fresh) {
          const t = this.newTail(st, c, s);
          this.bytesTotal += Number(s.size);
          await this.readTail(st, t, fh);
          this.finishTail(st, t);
          out.push(path.basename(c));
        }
      } finally {
        await fh.close().catch(() => undefined);
      }
    }
    return out;
  }

  private checkTimeouts(st: SourceState, now: number): void {
    if (st.live) this.emit(st, st.live.flushStale(now, this.partialTimeoutMs));
    if (!st.idle && now - st.lastRecords >= this.partialTimeoutMs) {
      st.idle = true;
      this.opts.onIdle(st.src);
    }
  }

  // ---- sources ---------------------------------------------------------------------------------

  private addSource(src: LogicalSource): SourceState {
    const first = src.files[0]!;
    const override = biasOverrideFor(src, this.opts.biasOverrides);
    const st: SourceState = {
      src, key: keyOf(first.path), dir: first.dir, nameLower: logicalName(first.name).toLowerCase(), override,
      livePath: null, live: null, seen: [], lastRecords: Date.now(), idle: true,
    };
    this.sources.set(st.key, st);
    this.opts.onSource(src, override);
    return st;
  }

  /** Zip entries and stdin: read once, nothing to follow. */
  private async readOnce(st: SourceState, file: PhysicalFile): Promise<void> {
    const report = emptyReport(file.path);
    const { chunkSize, keepZipAside } = this.opts;
    const readOpts = { log: st.src.name, ...(st.override === null ? {} : { biasOverride: st.override }), chunkSize, keepZipAside };
    for await (const batch of readFileRecords(file, readOpts, report)) this.emit(st, batch);
    this.bytesRead += file.size;
    this.opts.onFileReport(st.src, report);
  }

  /** First read of a file on disk; the live one stays open (as a tail), the others are finished. */
  private async readWhole(st: SourceState, p: string, live: boolean): Promise<void> {
    let fh: FileHandle | null;
    try {
      fh = await openRead(p);
      if (!fh) throw Object.assign(new Error('file vanished before it could be read'), { code: 'ENOENT' });
    } catch (e) {
      if (live && errCode(e) === 'ENOENT') {
        // Rolled over between discovery and now: its content is in a rotated file we have not read.
        await this.readMissed(st);
        return;
      }
      const report = emptyReport(p);
      report.error = errCode(e) === 'ENOENT' ? 'file vanished before it could be read' : describe(e);
      this.opts.onFileReport(st.src, report);
      return;
    }
    try {
      const s = await fh.stat({ bigint: true });
      const t = this.newTail(st, p, s);
      await this.readTail(st, t, fh);
      if (live) {
        t.lastSize = Math.max(Number(s.size), t.offset);
        t.lastMtimeNs = s.mtimeNs;
        st.live = t;
      } else {
        this.finishTail(st, t);
      }
    } finally {
      await fh.close().catch(() => undefined);
    }
  }

  /** A log file appeared (watcher `add`, or the folder walk). */
  private async handleNewPath(p: string): Promise<void> {
    const abs = path.resolve(p);
    const lower = abs.toLowerCase();
    if (!isLogName(p)) return;
    const key = keyOf(abs);
    const known = this.sources.get(key);
    if (known) {
      this.knownPaths.add(lower);
      if (!known.livePath && isLiveName(path.basename(p))) known.livePath = path.join(known.dir, path.basename(p));
      this.dirty.add(known);
      return;
    }
    const root = this.rootOf(abs);
    if (!root) return; // only logs under a followed folder become new sources
    const s = await fs.stat(abs).catch(() => null);
    if (!s?.isFile()) return;
    // A new log: take all its files in the folder (it may have rolled over already), in rotation order.
    const dirSpelled = path.join(root.root, path.relative(root.abs, path.dirname(abs)));
    const names = await fs.readdir(path.dirname(abs)).catch(() => [path.basename(abs)]);
    const files: PhysicalFile[] = [];
    for (const n of names) {
      if (!isLogName(n) || keyOf(path.join(path.dirname(abs), n)) !== key) continue;
      const fp = path.join(dirSpelled, n);
      const fs1 = await fs.stat(fp).catch(() => null);
      if (!fs1?.isFile()) continue;
      this.knownPaths.add(path.resolve(fp).toLowerCase());
      files.push({ path: fp, name: n, dir: dirSpelled, root: root.root, size: fs1.size, mtimeMs: fs1.mtimeMs });
    }
    const src = groupRotations(files)[0];
    if (!src) return;
    const st = this.addSource(src);
    st.idle = false;
    const live = [...src.files].reverse().find((f) => isLiveName(f.name)) ?? null;
    for (const f of src.files) {
      if (f === live) continue;
      await this.readWhole(st, f.path, false);
    }
    if (live) {
      st.livePath = live.path;
      await this.look(st);
    }
  }

  /** Walks the followed folders for logs nobody announced (coalesced or lost watcher events). */
  private async rescanDirs(): Promise<void> {
    const visited = new Set<string>();
    const walk = async (dir: string, depth: number): Promise<void> => {
      if (depth > 32) return;
      const real = await fs.realpath(dir).catch(() => null);
      if (!real || visited.has(real)) return;
      visited.add(real);
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const ent of entries) {
        const p = path.join(dir, ent.name);
        let isDir = ent.isDirectory();
        let isFile = ent.isFile();
        if (ent.isSymbolicLink()) {
          const s = await fs.stat(p).catch(() => null);
          isDir = s?.isDirectory() ?? false;
          isFile = s?.isFile() ?? false;
        }
        if (isDir) await walk(p, depth + 1);
        else if (isFile && isLogName(ent.name) && !this.knownPaths.has(path.resolve(p).toLowerCase())) this.newPaths.add(p);
      }
    };
    for (const r of this.dirRoots) await walk(r.abs, 0);
  }

  private progress(force: boolean): void {
    if (this.bytesTotal < this.bytesRead) this.bytesTotal = this.bytesRead;
    if (!force && this.bytesRead === this.lastProgress.read && this.bytesTotal === this.lastProgress.total) return;
    this.lastProgress = { read: this.bytesRead, total: this.bytesTotal };
    this.opts.onProgress(this.bytesRead, this.bytesTotal);
  }
}
