/**
 * State recording in a threaded run (windowed.ts). Every partition builds the same state recorders and handles the
 * same sample events; at a sample, a partition writes the values of the recorded neurons it owns (StateRecorder
 * sampleInto) into its list of the window's samples, as (value, key) pairs (parallel/spike-list.ts) with
 *
 *     key = (recorder * maxSamples + sample of the window) * stride + neuron slot * variables + variable
 *
 * (stride: the widest recorder's values per record). At the window's end the lists of every partition are gathered
 * as the spikes are, and partition 0 assembles whole records, in time order, and appends them to its recorders
 * (StateRecorder.append): so its recorders hold what one thread records, and spill to disk as they would. The values
 * are each owner's own samples, taken after every event at their time, as in one thread.
 */
import type { StateRecorder, WindowSamples } from '../recording/state.js';
import { SpikeList } from '../parallel/spike-list.js';

export class PartitionSamples implements WindowSamples {
  /** This partition's samples of the current window, as (value, key) pairs. */
  readonly held = new SpikeList();
  private readonly index = new Map<StateRecorder, number>();
  /** Per recorder: the times of the window's samples, in order. */
  private readonly times: number[][];
  private readonly stride: number;
  private readonly maxSamples: number;
  private scratch: Float64Array;
  /** The window's records of one recorder, assembled (grown on demand). */
  private dense = new Float64Array(0);

  constructor(private readonly recorders: readonly StateRecorder[]) {
    recorders.forEach((r, k) => this.index.set(r, k));
    this.times = recorders.map(() => []);
    this.stride = Math.max(1, ...recorders.map((r) => r.width));
    // Keys stay exact integers in float64.
    this.maxSamples = Math.floor(2 ** 53 / (this.stride * Math.max(1, recorders.length)));
    this.scratch = new Float64Array(Math.max(1, ...recorders.map((r) => r.vars.length)));
    for (const r of recorders) r.partition(this);
  }

  sample(rec: StateRecorder, t: number): void {
    const r = this.index.get(rec)!;
    const k = this.times[r].length;
    if (k >= this.maxSamples) throw new Error(`state recorder ${rec.pop.name}: more than ${this.maxSamples} samples in one window`);
    this.times[r].push(t);
    const nv = rec.vars.length;
    const { ownedFrom, ownedTo } = rec.pop;
    const base = (r * this.maxSamples + k) * this.stride;
    const neurons = rec.neurons;
    for (let a = 0; a < neurons.length; a++) {
      const i = neurons[a];
      if (i < ownedFrom || i >= ownedTo) continue;
      rec.sampleInto(i, t, this.scratch, 0);
      for (let v = 0; v < nv; v++) this.held.push(this.scratch[v], base + a * nv + v);
    }
  }

  /**
   * At the window's end: with `merged` (every partition's samples of the window), partition 0 appends the window's
   * whole records to its recorders; every partition then starts the next window afresh.
   */
  release(merged: SpikeList | null): void {
    if (merged !== null) {
      this.recorders.forEach((rec, r) => {
        const times = this.times[r];
        const n = times.length * rec.width;
        if (this.dense.length < n) this.dense = new Float64Array(2 * n);
        const lo = r * this.maxSamples * this.stride;
        const hi = lo + this.maxSamples * this.stride;
        for (let e = 0; e < merged.n; e++) {
          const key = merged.key[e];
          if (key < lo || key >= hi) continue;
          const slot = (key - lo) % this.stride;
          const k = (key - lo - slot) / this.stride;
          this.dense[k * rec.width + slot] = merged.t[e];
        }
        times.forEach((t, k) => rec.append(t, this.dense, k * rec.width));
      });
    }
    for (const times of this.times) times.length = 0;
    this.held.clear();
  }
}
