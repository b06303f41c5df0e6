/**
 * Records in bounded memory, spilled to disk: the buffer the spike, state and weight recorders share.
 *
 * A record has a fixed layout of columns, each `width` values of one type per record: a spike is an int32 neuron and
 * a float64 time; a state sample its time and n x vars float64 values; a weight snapshot its time and one float64
 * per synapse. The buffer keeps the records column by column in typed arrays that grow by doubling. Once `spillTo`
 * is called it holds at most `chunk` records: when it is full it is appended to one raw file per column, never
 * rewritten, and reused:
 *
 *     <base><column's suffix>   (e.g. exc.ids.i32, exc.t_ms.f64) the column's values, little-endian, in record order
 *
 * Readers (`read`, `slices`) stream the records back in order, from the files and then the tail in memory, a chunk at
 * a time. Checkpoints (`saveState`) hold the number of records in the files, fsync'd first so that a checkpoint never
 * counts records the files lack, and the tail; `loadState` cuts the files back to that count, dropping what a killed
 * run appended after its last checkpoint, and the run appends from there again. A file shorter than its count
 * (removed, damaged) is refused with a CheckpointMismatch.
 *
 * Appending a record is a bounds check and stores into preallocated typed arrays: no allocation until the buffer
 * grows (doubling, up to the chunk), and one write per column per chunk.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { CheckpointMismatch, type StateReader, type StateWriter } from '../kernel/state-io.js';

export type Column = Int32Array | Float64Array;

export interface ColumnSpec {
  /** Its name in checkpoints (`times`). */
  key: string;
  /** What its spill file's name adds to the base (`.t_ms.f64`). */
  suffix: string;
  type: 'i32' | 'f64';
  /** Values per record. */
  width: number;
}

/** Bytes a state or weight recorder holds in memory before it spills, by default (sampleChunk): 8 MiB. */
export const SAMPLE_CHUNK_BYTES = 2 ** 23;

/**
 * The chunk of a state or weight recorder whose samples are `recordBytes` each: `samples` if given (the runner's
 * sampleChunk option, CHRONOPROP_SAMPLE_CHUNK), else as many as fit in SAMPLE_CHUNK_BYTES, at least one.
 */
export function sampleChunkFor(recordBytes: number, samples?: number): number {
  return samples ?? Math.max(1, Math.floor(SAMPLE_CHUNK_BYTES / Math.max(1, recordBytes)));
}

/** Bytes the buffers start with (a record at least): 256 spikes. */
const INITIAL_BYTES = 3072;

const make = (type: ColumnSpec['type'], n: number): Column => (type === 'i32' ? new Int32Array(n) : new Float64Array(n));

export class SpillBuffer {
  /** The columns in memory, `capacity * width` values each; records [0, n) are the tail. Replaced when they grow. */
  cols: Column[];
  /** Records in memory (after the `spilled` ones on disk). */
  n = 0;
  /** Records the columns have room for. */
  capacity: number;
  /** Records written to the files. */
  spilled = 0;
  /** The most records held in memory once spilling; Infinity before spillTo. */
  chunk = Infinity;
  /** Bytes of one record, all columns. */
  readonly recordBytes: number;
  private base: string | null = null;
  private fds: number[] | null = null;

  /** `label` names the recorder in error messages (`spike recorder exc`), `unit` its records (`spikes`). */
  constructor(
    readonly label: string,
    readonly unit: string,
    readonly specs: readonly ColumnSpec[],
  ) {
    this.recordBytes = specs.reduce((s, c) => s + c.width * (c.type === 'i32' ? 4 : 8), 0);
    this.capacity = this.initial();
    this.cols = specs.map((c) => make(c.type, this.capacity * c.width));
  }

  private initial(): number {
    return Math.max(1, Math.min(this.chunk, Math.floor(INITIAL_BYTES / Math.max(1, this.recordBytes))));
  }

  /** Records so far. */
  get count(): number {
    return this.spilled + this.n;
  }

  /** Whether records go to files (spillTo was called). */
  get spills(): boolean {
    return this.base !== null;
  }

  /**
   * From now on holds at most `chunk` records in memory and appends full chunks to `<base><suffix>` (files and their
   * folder are made at the first spill). Call before the run starts or loads a checkpoint.
   */
  spillTo(base: string, chunk: number): void {
    if (!(chunk >= 1) || !Number.isInteger(chunk)) throw new Error(`${this.label}: the chunk must be a whole number >= 1, got ${chunk}`);
    this.base = base;
    this.chunk = chunk;
    if (this.n === 0 && this.capacity > chunk) this.resize(chunk);
  }

  /** The spill files, one per column. */
  files(): string[] {
    return this.specs.map((c) => `${this.base}${c.suffix}`);
  }

  /** Makes room for one more record (call when n === capacity): grows the columns, or spills them when at the chunk. */
  makeRoom(): void {
    const cap = this.capacity;
    if (this.base !== null && cap >= this.chunk) this.spill();
    else this.resize(Math.min(cap * 2, Math.max(this.chunk, cap + 1)));
  }

  private resize(records: number): void {
    this.cols = this.cols.map((col, k) => {
      const next = make(this.specs[k].type, records * this.specs[k].width);
      next.set(col.subarray(0, this.n * this.specs[k].width));
      return next;
    });
    this.capacity = records;
  }

  /** Appends the tail to the files and empties it. */
  private spill(): void {
    if (this.fds === null) this.open(this.spilled);
    this.specs.forEach((c, k) => writeAt(this.fds![k], this.cols[k], this.n * c.width, this.spilled * c.width));
    this.spilled += this.n;
    this.n = 0;
  }

  /** Opens every file, created if missing, and cuts it to `keep` records (a checkpoint's count). */
  private open(keep: number): void {
    this.close();
    const fds: number[] = [];
    mkdirSync(dirname(this.base!), { recursive: true });
    try {
      this.files().forEach((path, k) => {
        const fd = openSync(path, keep === 0 ? 'w' : 'r+');
        fds.push(fd);
        const per = this.specs[k].width * (this.specs[k].type === 'i32' ? 4 : 8);
        const bytes = keep * per;
        const size = fstatSync(fd).size;
        if (size < bytes) throw new CheckpointMismatch(`${this.label}: the checkpoint counts ${keep} ${this.unit} written to ${path}, which holds ${Math.floor(size / per)}`);
        if (size > bytes) ftruncateSync(fd, bytes);
      });
    } catch (e) {
      for (const fd of fds) closeSync(fd);
      throw e;
    }
    this.fds = fds;
  }

  /** Closes the spill files (reading them later opens them again). */
  close(): void {
    if (this.fds) for (const fd of this.fds) closeSync(fd);
    this.fds = null;
  }

  /** What was recorded so far (checkpoints): the records on disk (fsync'd first), then the tail in memory. */
  saveState(w: StateWriter): void {
    if (this.fds) for (const fd of this.fds) fsyncSync(fd);
    w.num('spilled', this.spilled);
    this.specs.forEach((c, k) => w.array(c.key, this.cols[k].subarray(0, this.n * c.width)));
  }

  /** Restores a checkpoint: the tail into memory, and the spill files cut back to its count. */
  loadState(r: StateReader): void {
    const spilled = r.num('spilled');
    const tails = this.specs.map((c) => r.like(c.key, make(c.type, 0)));
    const n = tails[0].length / this.specs[0].width;
    this.specs.forEach((c, k) => {
      if (tails[k].length !== n * c.width) throw new CheckpointMismatch(`${this.label}: ${tails[k].length} values of ${c.key} for ${n} ${this.unit} of ${c.width}`);
    });
    if (!Number.isInteger(n)) throw new CheckpointMismatch(`${this.label}: ${tails[0].length} values of ${this.specs[0].key}, not whole ${this.unit} of ${this.specs[0].width}`);
    if (spilled > 0 && this.base === null) throw new CheckpointMismatch(`${this.label}: the checkpoint counts ${spilled} ${this.unit} written to disk, and this run keeps its ${this.unit} in memory`);
    this.spilled = spilled;
    if (this.base !== null) this.open(spilled);
    this.capacity = Math.max(n, this.initial());
    this.cols = this.specs.map((c, k) => {
      const col = make(c.type, this.capacity * c.width);
      col.set(tails[k]);
      return col;
    });
    this.n = n;
  }

  /**
   * A reader of the records in order: `read(pos, count, into, at)` copies records [pos, pos + count) of each column
   * into `into` (same columns, `at` records in; a null column is skipped), from the files and then the tail. Close
   * it when done.
   */
  reader(): { read(pos: number, count: number, into: (Column | null)[], at: number): void; close(): void } {
    const spilled = this.spilled;
    const fds = spilled > 0 ? this.files().map((p) => openSync(p, 'r')) : [];
    return {
      read: (pos, count, into, at) => {
        const disk = Math.max(0, Math.min(count, spilled - pos));
        this.specs.forEach((c, k) => {
          const dst = into[k];
          if (dst === null) return;
          const w = c.width;
          if (disk > 0) readAt(fds[k], dst, at * w, disk * w, pos * w);
          if (disk < count) {
            const from = (pos + disk - spilled) * w;
            dst.set(this.cols[k].subarray(from, from + (count - disk) * w), (at + disk) * w);
          }
        });
      },
      close: () => {
        for (const fd of fds) closeSync(fd);
      },
    };
  }

  /**
   * The records in order, as consecutive slices of at most `most` records (default: the chunk, or all when nothing
   * was spilled): `first` is the slice's first record, `count` its records, `cols` its columns (reused for the next
   * slice: use each before taking the next). When nothing was spilled and the tail fits in one slice, that slice is
   * a view of the tail itself, not a copy: read it, never write to it.
   */
  *slices(most = Math.min(this.count, this.chunk)): Generator<{ first: number; count: number; cols: Column[] }> {
    const total = this.count;
    if (total === 0) return;
    if (this.spilled === 0 && most >= total) {
      yield { first: 0, count: total, cols: this.cols.map((c, k) => c.subarray(0, total * this.specs[k].width)) };
      return;
    }
    const room = Math.max(1, Math.min(total, most));
    const bufs = this.specs.map((c) => make(c.type, room * c.width));
    const rd = this.reader();
    try {
      for (let pos = 0; pos < total; pos += room) {
        const count = Math.min(room, total - pos);
        rd.read(pos, count, bufs, 0);
        yield { first: pos, count, cols: count === room ? bufs : bufs.map((b, k) => b.subarray(0, count * this.specs[k].width)) };
      }
    } finally {
      rd.close();
    }
  }

  /** Every record of column `k` in one array (for in-memory use: it holds them all). */
  all(k: number): Column {
    const out = make(this.specs[k].type, this.count * this.specs[k].width);
    const rd = this.reader();
    try {
      rd.read(0, this.count, this.specs.map((_, j) => (j === k ? out : null)), 0);
    } finally {
      rd.close();
    }
    return out;
  }
}

function bytesOf(a: Column, at: number, count: number): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset + at * a.BYTES_PER_ELEMENT, count * a.BYTES_PER_ELEMENT);
}

/** Writes a[0, count) at element position `pos` of the file. */
function writeAt(fd: number, a: Column, count: number, pos: number): void {
  const b = bytesOf(a, 0, count);
  const at = pos * a.BYTES_PER_ELEMENT;
  for (let done = 0; done < b.length; ) done += writeSync(fd, b, done, b.length - done, at + done);
}

/** Reads `count` elements from element position `pos` of the file into a[at, at + count). */
function readAt(fd: number, a: Column, at: number, count: number, pos: number): void {
  const b = bytesOf(a, at, count);
  const from = pos * a.BYTES_PER_ELEMENT;
  for (let done = 0; done < b.length; ) {
    const r = readSync(fd, b, done, b.length - done, from + done);
    if (r === 0) throw new Error(`spill file ended early: ${count} values expected from position ${pos}`);
    done += r;
  }
}
