import { closeSync, openSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';

/**
 * The report (or listing) could not be written: a full disk, a bad `--output` path. The command
 * answers with exit code 2 and this message, never with 1 (findings), which a CI job would read
 * as a result of the analysis.
 */
export class OutputError extends Error {
  readonly code: string | undefined;
  constructor(dest: string, cause: NodeJS.ErrnoException) {
    super(`cannot write ${dest}: ${cause.message}`);
    this.name = 'OutputError';
    this.code = cause.code;
  }
}

/** By name, not class: modules loaded from dist/src (scan-follow) have their own copy of the class. */
export function isOutputError(e: unknown): e is OutputError {
  return e instanceof Error && e.name === 'OutputError';
}

/**
 * Opens `--output FILE` for writing before any analysis, so that a path that cannot be written
 * fails at once instead of after a long scan.
 */
export function openOutputFile(file: string): Writable {
  let fd: number;
  try {
    fd = openSync(file, 'w');
  } catch (e) {
    throw new OutputError(file, e as NodeJS.ErrnoException);
  }
  return new FileSink(fd);
}

/**
 * A file written synchronously, like stdout when it is a file. `fs.createWriteStream` made a
 * Buffer of each piece and held it until a thread-pool write called back: pieces outlived a
 * few young-generation collections and stayed outside the heap until a full one (a 2 GiB NDJSON
 * listing grew by ~45 MB of them while it was written). Here the text is written at once and
 * nothing is held.
 */
class FileSink extends Writable {
  constructor(private readonly fd: number) {
    super({ decodeStrings: false, highWaterMark: 1 << 20 });
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    try {
      if (typeof chunk === 'string') {
        const written = writeSync(this.fd, chunk);
        // A regular file takes it all; a device may take part of it.
        if (written < Buffer.byteLength(chunk)) this.writeAll(Buffer.from(chunk).subarray(written));
      } else {
        this.writeAll(chunk);
      }
      done();
    } catch (e) {
      done(e as Error);
    }
  }

  private writeAll(data: Buffer): void {
    for (let at = 0; at < data.length; ) at += writeSync(this.fd, data, at);
  }

  override _final(done: (error?: Error | null) => void): void {
    try {
      closeSync(this.fd);
      done();
    } catch (e) {
      done(e as Error);
    }
  }
}

/** Longest stretch of writing without a turn of the event loop. */
const TURN_MS = 50;

/**
 * Where a command writes its output, with the stream's backpressure. A reader that stops early
 * (`attachscope scan … | head`) closes the pipe: the rest is not wanted, which is no error, so
 * writing stops and the command still answers with its exit code (it used to die with an
 * unhandled EPIPE and a stack trace). Any other write error (a full disk) stops writing too, and
 * `finish` throws it as an OutputError. Errors come either as the stream's 'error' event or, for
 * a file or terminal on stdout (written synchronously), thrown by `write` itself.
 */
export class Output {
  private error: NodeJS.ErrnoException | null = null;
  private lastTurn = performance.now();
  private readonly onError = (e: NodeJS.ErrnoException): void => {
    if (this.error) return;
    this.error = e;
    this.onStop?.();
  };

  /**
   * @param dest what the output is, for the error message ("standard output", a file name)
   * @param onStop called once when writing stops (a live session ends then)
   */
  constructor(private readonly out: NodeJS.WritableStream, private readonly dest = 'standard output', private readonly onStop?: () => void) {
    out.on('error', this.onError);
  }

  /** Whether writing stopped (the reader went away, or an error). */
  get stopped(): boolean {
    return this.error !== null;
  }

  async write(text: string): Promise<void> {
    if (!this.send(text)) {
      await this.drained();
      this.lastTurn = performance.now();
    } else if (performance.now() - this.lastTurn > TURN_MS) {
      // A file (or stdout on a file) takes every write at once: a long report would otherwise
      // hold the event loop until its end, and a Ctrl+C (with the removal of a listing's
      // temporary files) with it.
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.lastTurn = performance.now();
    }
  }

  /**
   * Writes without waiting for the stream to drain; false when it asks to be waited for. A live
   * session writes as events come; on a pipe or file stdout is synchronous anyway.
   */
  send(text: string): boolean {
    if (this.error || text === '') return true;
    try {
      return this.out.write(text);
    } catch (e) {
      this.onError(e as NodeJS.ErrnoException);
      return true;
    }
  }

  private drained(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.out.off('drain', done);
        this.out.off('error', done);
        this.out.off('close', done);
        resolve();
      };
      this.out.on('drain', done);
      this.out.on('error', done);
      this.out.on('close', done);
    });
  }

  /**
   * Waits until everything written is flushed (and ends the stream when `end`: a file, not
   * stdout); throws a write error other than a closed pipe, as an OutputError.
   */
  async finish(end: boolean): Promise<void> {
    if (!this.error) {
      await new Promise<void>((resolve) => {
        const done = (): void => resolve();
        // A failing flush calls back with its error (also emitted as 'error', which onError keeps).
        if (end) this.out.end(done);
        else this.out.write('', done);
      });
    }
    // The listener stays: a stream can still report an error after its flush called back.
    if (this.error && this.error.code !== 'EPIPE') throw new OutputError(this.dest, this.error);
  }
}
