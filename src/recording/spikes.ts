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
 * The buffer, its files and their checkpoints are recording/spill.ts's SpillBuffer, which the state and weight
 * recorders use too. onSpike is one store into preallocated typed arrays; it allocates only when the buffer grows
 * (doubling, up to the chunk) and writes to disk once per chunk.
 */
import type { SpikeEmitter, SpikeListener } from '../neurons/emitter.js';
import type { StateReader, StateWriter } from '../kernel/state-io.js';
import { SpillBuffer } from './spill.js';

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

export class SpikeRecorder implements SpikeListener, SpikeSlices {
  /** The record: column 0 the neurons (int32), column 1 the times (float64). */
  private readonly buf: SpillBuffer;

  constructor(readonly source: SpikeEmitter) {
    this.buf = new SpillBuffer(`spike recorder ${source.name}`, 'spikes', [
      { key: 'ids', suffix: '.ids.i32', type: 'i32', width: 1 },
      { key: 'times', suffix: '.t_ms.f64', type: 'f64', width: 1 },
    ]);
    source.addListener(this);
  }

  onSpike(i: number, t: number): void {
    const b = this.buf;
    if (b.n === b.capacity) b.makeRoom();
    const k = b.n++;
    b.cols[0][k] = i;
    b.cols[1][k] = t;
  }

  /**
   * Keeps at most `chunk` spikes in memory from now on and appends full chunks to `<base>.ids.i32` and
   * `<base>.t_ms.f64` (see the header), made with their folder on the first spill. Call before the run starts or
   * loads a checkpoint.
   */
  spillTo(base: string, chunk = SPIKE_CHUNK): void {
    if (!(chunk >= 1) || !Number.isInteger(chunk)) throw new Error(`spike chunk must be a whole number >= 1, got ${chunk}`);
    this.buf.spillTo(base, chunk);
  }

  /** Spikes recorded so far. */
  get count(): number {
    return this.buf.count;
  }

  /** Spikes written to disk so far. */
  get spilledCount(): number {
    return this.buf.spilled;
  }

  /** Length of the in-memory buffers (each spike 12 B): at most the chunk once spilling, whatever the run's length. */
  get capacity(): number {
    return this.buf.capacity;
  }

  /** Closes the spill files (reading them later opens them again). */
  close(): void {
    this.buf.close();
  }

  /**
   * What was recorded so far (checkpoints): the number of spikes on disk (fsync'd first, so that the checkpoint never
   * counts spikes the files lack) and the tail in memory.
   */
  saveState(w: StateWriter): void {
    this.buf.saveState(w);
  }

  /** Restores a checkpoint: the tail into memory, and the spill files cut back to its count. */
  loadState(r: StateReader): void {
    this.buf.loadState(r);
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
    const room = Math.max(1, Math.min(total, this.buf.chunk));
    let ids = new Int32Array(room);
    let ts = new Float64Array(room);
    const rd = this.buf.reader();
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
        rd.read(pos, k, [ids, ts], have);
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
      rd.close();
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
