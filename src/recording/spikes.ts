/**
 * Passive spike recorder: appends (neuron, t) at every spike of one emitter. Events pop in time order, so the record
 * is sorted by time; `slices()` and `sorted()` also order simultaneous spikes by neuron, the order of the CSV files.
 *
 * Bounded memory (`spillTo`): a recorder that spills holds at most `chunk` spikes in memory (SPIKE_CHUNK, 2^20, by
 * default: 12 MiB, int32 ids and float64 times). When that buffer is full it is appended to two raw files, never
 * rewritten, and reused:
 *
 *     <base>.ids.i32    the neuron of each spike, int32, little-endian, in the order recorded
 *     <base>.t_ms.f64   its time (ms), float64, little-endian
 *
 * Outputs are written by streaming over the file and then the in-memory tail (`slices()`), a chunk at a time. The
 * runner puts these files in its temporary results folder (`<out>.partial-<pid>/spill/`), or with checkpoints in the
 * checkpoint folder (`<out>.checkpoint/spill/`), where they survive a kill: a checkpoint records how many spikes were
 * spilled (the files are fsync'd first) and the tail still in memory, and loading it cuts the files back to that
 * count, dropping what a killed run appended after its last checkpoint. Without `spillTo` (the library's in-memory
 * `simulateNetwork`, and the experiments that read spike trains themselves) every spike stays in memory, in a buffer
 * that doubles as it fills.
 *
 * onSpike is one store into preallocated typed arrays; it allocates only when the buffer grows (doubling, up to the
 * chunk) and writes to disk once per chunk.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SpikeEmitter, SpikeListener } from '../neurons/emitter.js';
import { CheckpointMismatch, type StateReader, type StateWriter } from '../kernel/state-io.js';

export interface SpikeTrains {
  neuron: Int32Array;
  t: Float64Array;
}

/** Spikes held in memory per recorder before they are spilled to disk, when spilling: 2^20 (12 MiB). */
export const SPIKE_CHUNK = 2 ** 20;
/** Bytes per spike in memory and on disk: an int32 neuron index and a float64 time. */
export const SPIKE_BYTES = 12;

/** Spike trains that can be read in order, a slice at a time, without holding them all. */
export interface SpikeSlices {
  /** Spikes in all. */
  readonly count: number;
  /**
   * The spikes sorted by time, then neuron, as consecutive slices. A slice's arrays are reused for the next one: use
   * (or copy) each before taking the next.
   */
  slices(): Iterable<SpikeTrains>;
}

const INITIAL = 256;

export class SpikeRecorder implements SpikeListener, SpikeSlices {
  private ids = new Int32Array(INITIAL);
  private times = new Float64Array(INITIAL);
  /** Spikes in the buffers (the tail, after the `spilled` ones on disk). */
  private n = 0;
  private chunk = Infinity;
  private base: string | null = null;
  private fds: [number, number] | null = null;
  private spilled = 0;

  constructor(readonly source: SpikeEmitter) {
    source.addListener(this);
  }

  onSpike(i: number, t: number): void {
    if (this.n === this.ids.length) this.makeRoom();
    this.ids[this.n] = i;
    this.times[this.n++] = t;
  }

  /**
   * Keeps at most `chunk` spikes in memory from now on and appends full chunks to `<base>.ids.i32` and
   * `<base>.t_ms.f64` (see the header), made with their folder on the first spill. Call before the run starts or
   * loads a checkpoint.
   */
  spillTo(base: string, chunk = SPIKE_CHUNK): void {
    if (!(chunk >= 1) || !Number.isInteger(chunk)) throw new Error(`spike chunk must be a whole number >= 1, got ${chunk}`);
    this.base = base;
    this.chunk = chunk;
    if (this.n === 0 && this.ids.length > chunk) {
      this.ids = new Int32Array(chunk);
      this.times = new Float64Array(chunk);
    }
  }

  /** Spikes recorded so far. */
  get count(): number {
    return this.spilled + this.n;
  }

  /** Spikes written to disk so far. */
  get spilledCount(): number {
    return this.spilled;
  }

  /** Length of the in-memory buffers (each spike 12 B): at most the chunk once spilling, whatever the run's length. */
  get capacity(): number {
    return this.ids.length;
  }

  /** Closes the spill files (reading them later opens them again). */
  close(): void {
    if (this.fds) for (const fd of this.fds) closeSync(fd);
    this.fds = null;
  }

  private files(): [string, string] {
    return [`${this.base}.ids.i32`, `${this.base}.t_ms.f64`];
  }

  private makeRoom(): void {
    const cap = this.ids.length;
    if (this.base !== null && cap >= this.chunk) {
      this.spill();
      return;
    }
    const next = Math.min(cap * 2, Math.max(this.chunk, cap + 1));
    const ids = new Int32Array(next);
    const times = new Float64Array(next);
    ids.set(this.ids.subarray(0, this.n));
    times.set(this.times.subarray(0, this.n));
    this.ids = ids;
    this.times = times;
  }

  /** Appends the buffer to the files and empties it. */
  private spill(): void {
    if (this.fds === null) this.open(this.spilled);
    const [fi, ft] = this.fds!;
    writeAt(fi, this.ids, this.n, this.spilled);
    writeAt(ft, this.times, this.n, this.spilled);
    this.spilled += this.n;
    this.n = 0;
  }

  /** Opens both files, created if missing, and cuts them to `keep` spikes (a checkpoint's count). */
  private open(keep: number): void {
    this.close();
    const fds: number[] = [];
    mkdirSync(dirname(this.base!), { recursive: true });
    try {
      for (const [k, path] of this.files().entries()) {
        const fd = openSync(path, keep === 0 ? 'w' : 'r+');
        fds.push(fd);
        const bytes = keep * (k === 0 ? 4 : 8);
        const size = fstatSync(fd).size;
        if (size < bytes) throw new CheckpointMismatch(`spike recorder ${this.source.name}: the checkpoint counts ${keep} spikes written to ${path}, which holds ${Math.floor(size / (k === 0 ? 4 : 8))}`);
        if (size > bytes) ftruncateSync(fd, bytes);
      }
    } catch (e) {
      for (const fd of fds) closeSync(fd);
      throw e;
    }
    this.fds = fds as [number, number];
  }

  /**
   * What was recorded so far (checkpoints): the number of spikes on disk (fsync'd first, so that the checkpoint never
   * counts spikes the files lack) and the tail in memory.
   */
  saveState(w: StateWriter): void {
    if (this.fds) for (const fd of this.fds) fsyncSync(fd);
    w.num('spilled', this.spilled);
    w.array('ids', this.ids.subarray(0, this.n));
    w.array('times', this.times.subarray(0, this.n));
  }

  /** Restores a checkpoint: the tail into memory, and the spill files cut back to its count. */
  loadState(r: StateReader): void {
    const spilled = r.num('spilled');
    const ids = r.like('ids', new Int32Array(0));
    const times = r.like('times', new Float64Array(0));
    if (times.length !== ids.length) throw new CheckpointMismatch(`spike recorder ${this.source.name}: ${ids.length} neurons and ${times.length} times`);
    if (spilled > 0 && this.base === null) throw new CheckpointMismatch(`spike recorder ${this.source.name}: the checkpoint counts ${spilled} spikes written to disk, and this run keeps its spikes in memory`);
    this.spilled = spilled;
    if (this.base !== null) this.open(spilled);
    const cap = Math.max(ids.length, Math.min(INITIAL, this.chunk));
    this.ids = new Int32Array(cap);
    this.times = new Float64Array(cap);
    this.ids.set(ids);
    this.times.set(times);
    this.n = ids.length;
  }

  /** All spikes sorted by time, then neuron, in two arrays (it holds them all: for in-memory use). */
  sorted(): SpikeTrains {
    const total = this.count;
    const neuron = new Int32Array(total);
    const t = new Float64Array(total);
    let o = 0;
    for (const s of this.slices()) {
      neuron.set(s.neuron, o);
      t.set(s.t, o);
      o += s.t.length;
    }
    return { neuron, t };
  }

  /**
   * The spikes sorted by time, then neuron, in slices of at most the chunk (all at once when nothing was spilled).
   * The record is in time order; a run of simultaneous spikes is sorted by neuron, and one that reaches the end of
   * what was read is carried into the next slice, so it is sorted whole (the buffer grows only for a run longer than
   * the chunk, i.e. more simultaneous spikes than the chunk).
   */
  *slices(): Generator<SpikeTrains> {
    const total = this.count;
    const spilled = this.spilled;
    const room = Math.max(1, Math.min(total, this.chunk));
    let ids = new Int32Array(room);
    let ts = new Float64Array(room);
    const fds = spilled > 0 ? this.files().map((p) => openSync(p, 'r')) : [];
    try {
      let have = 0; // spikes in the buffers: the carried run first
      let pos = 0; // the next spike to read, in record order
      while (pos < total) {
        if (have === ids.length) {
          // One run of simultaneous spikes fills the buffer: make room for the rest of it.
          const i2 = new Int32Array(ids.length * 2);
          const t2 = new Float64Array(ids.length * 2);
          i2.set(ids);
          t2.set(ts);
          ids = i2;
          ts = t2;
        }
        const k = Math.min(ids.length - have, total - pos);
        let done = 0;
        if (pos < spilled) {
          done = Math.min(k, spilled - pos);
          readAt(fds[0], ids, have, done, pos);
          readAt(fds[1], ts, have, done, pos);
        }
        if (done < k) {
          const from = pos + done - spilled;
          ids.set(this.ids.subarray(from, from + k - done), have + done);
          ts.set(this.times.subarray(from, from + k - done), have + done);
        }
        have += k;
        pos += k;
        // Where the last run of simultaneous spikes starts: it may go on in what is not read yet.
        let cut = have;
        if (pos < total) {
          const last = ts[have - 1];
          cut = have - 1;
          while (cut > 0 && ts[cut - 1] === last) cut--;
          if (cut === 0) continue;
        }
        sortTies(ids, ts, cut);
        yield { neuron: ids.subarray(0, cut), t: ts.subarray(0, cut) };
        ids.copyWithin(0, cut, have);
        ts.copyWithin(0, cut, have);
        have -= cut;
        if (ids.length > room && have <= room) {
          // Back to a chunk once a long run is out.
          ids = ids.slice(0, room);
          ts = ts.slice(0, room);
        }
      }
    } finally {
      for (const fd of fds) closeSync(fd);
    }
  }
}

/** Sorts each run of equal times in [0, n) by neuron (the times stay where they are: they are equal). */
function sortTies(neuron: Int32Array, t: Float64Array, n: number): void {
  for (let a = 0; a < n; ) {
    let b = a + 1;
    while (b < n && t[b] === t[a]) b++;
    if (b - a > 1) neuron.subarray(a, b).sort();
    a = b;
  }
}

function bytesOf(a: Int32Array | Float64Array, at: number, count: number): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset + at * a.BYTES_PER_ELEMENT, count * a.BYTES_PER_ELEMENT);
}

/** Writes a[0, count) at element position `pos` of the file. */
function writeAt(fd: number, a: Int32Array | Float64Array, count: number, pos: number): void {
  const b = bytesOf(a, 0, count);
  const at = pos * a.BYTES_PER_ELEMENT;
  for (let done = 0; done < b.length; ) done += writeSync(fd, b, done, b.length - done, at + done);
}

/** Reads `count` elements from element position `pos` of the file into a[at, at + count). */
function readAt(fd: number, a: Int32Array | Float64Array, at: number, count: number, pos: number): void {
  const b = bytesOf(a, at, count);
  const from = pos * a.BYTES_PER_ELEMENT;
  for (let done = 0; done < b.length; ) {
    const r = readSync(fd, b, done, b.length - done, from + done);
    if (r === 0) throw new Error(`spill file ended early: ${count} values expected from position ${pos}`);
    done += r;
  }
}
