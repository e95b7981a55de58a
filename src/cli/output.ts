import type { Writable } from 'node:stream';

/**
 * Where `scan` writes its report, with the stream's backpressure. A reader that stops early
 * (`attachscope scan … | head`) closes the pipe: the rest of the report is not wanted, which is
 * no error, so writing stops and the scan still answers with its exit code (it used to die with
 * an unhandled EPIPE and a stack trace). Any other write error (a full disk with --output) is
 * thrown by `finish`.
 */
export class Output {
  private error: NodeJS.ErrnoException | null = null;
  private readonly onError = (e: NodeJS.ErrnoException): void => {
    this.error ??= e;
  };

  constructor(private readonly out: Writable) {
    out.on('error', this.onError);
  }

  /** Whether writing stopped (the reader went away, or an error). */
  get stopped(): boolean {
    return this.error !== null;
  }

  async write(text: string): Promise<void> {
    if (this.error || text === '') return;
    if (this.out.write(text)) return;
    await new Promise<void>((resolve) => {
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

  /** Waits until everything written is flushed (and ends the stream when `end`); throws a write error other than a closed pipe. */
  async finish(end: boolean): Promise<void> {
    if (!this.error) {
      await new Promise<void>((resolve) => {
        if (end) this.out.end(() => resolve());
        else this.out.write('', () => resolve());
      });
    }
    this.out.off('error', this.onError);
    if (this.error && this.error.code !== 'EPIPE') throw this.error;
  }
}
