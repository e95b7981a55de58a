/**
 * Growable typed-array columns for per-record data (the record store's index). They grow in
 * fixed chunks instead of doubling one array, so growing never copies what is there and never
 * holds an old and a new copy at once: memory follows the record count, step by step.
 */

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;

type Typed = Float64Array | Uint32Array | Uint16Array | Uint8Array;

class Column<T extends Typed> {
  private readonly chunks: T[] = [];
  private readonly make: (n: number) => T;

  constructor(make: (n: number) => T) {
    this.make = make;
  }

  /** Makes sure index `i` exists (new cells are 0). */
  ensure(i: number): void {
    while (this.chunks.length <= i >> CHUNK_BITS) this.chunks.push(this.make(CHUNK));
  }

  get(i: number): number {
    return this.chunks[i >> CHUNK_BITS]![i & MASK]!;
  }

  set(i: number, v: number): void {
    this.chunks[i >> CHUNK_BITS]![i & MASK] = v;
  }

  /** Bytes held. */
  get bytes(): number {
    let n = 0;
    for (const c of this.chunks) n += c.byteLength;
    return n;
  }
}

export class F64Column extends Column<Float64Array> {
  constructor() {
    super((n) => new Float64Array(n));
  }
}

export class U32Column extends Column<Uint32Array> {
  constructor() {
    super((n) => new Uint32Array(n));
  }
}

export class U16Column extends Column<Uint16Array> {
  constructor() {
    super((n) => new Uint16Array(n));
  }
}

export class U8Column extends Column<Uint8Array> {
  constructor() {
    super((n) => new Uint8Array(n));
  }
}

/** A growable list of times, sorted when read (appended mostly in order: sorting is then cheap). */
export class TimeList {
  private data = new Float64Array(1024);
  private n = 0;
  private sorted = true;

  push(t: number): void {
    if (this.n === this.data.length) {
      const grown = new Float64Array(this.n * 2);
      grown.set(this.data);
      this.data = grown;
    }
    if (this.n > 0 && this.data[this.n - 1]! > t) this.sorted = false;
    this.data[this.n++] = t;
  }

  get length(): number {
    return this.n;
  }

  /** The time pushed last, or undefined. */
  get last(): number | undefined {
    return this.n > 0 ? this.data[this.n - 1] : undefined;
  }

  /** The times, ascending (a view: valid until the next push). */
  ascending(): Float64Array {
    const view = this.data.subarray(0, this.n);
    if (!this.sorted) {
      view.sort();
      this.sorted = true;
    }
    return view;
  }
}
