/**
 * Passive spike recorder: appends (neuron, t) at every spike of one emitter. Events pop in time order, so the record
 * is sorted by time; `sorted()` also orders simultaneous spikes by neuron, the order of the CSV files.
 */
import type { SpikeEmitter, SpikeListener } from '../neurons/emitter.js';
import { GrowableF64, GrowableI32 } from './growable.js';
import type { StateReader, StateWriter } from '../kernel/state-io.js';

export interface SpikeTrains {
  neuron: Int32Array;
  t: Float64Array;
}

export class SpikeRecorder implements SpikeListener {
  private readonly ids = new GrowableI32();
  private readonly times = new GrowableF64();
  constructor(readonly source: SpikeEmitter) {
    source.addListener(this);
  }
  onSpike(i: number, t: number): void {
    this.ids.push(i);
    this.times.push(t);
  }
  /** What was recorded so far (checkpoints). */
  saveState(w: StateWriter): void {
    w.array('ids', this.ids.view());
    w.array('times', this.times.view());
  }

  loadState(r: StateReader): void {
    this.ids.load(r.like('ids', new Int32Array(0)));
    this.times.load(r.like('times', new Float64Array(0)));
  }

  get count(): number {
    return this.ids.length;
  }
  /** Spikes sorted by time, then neuron. */
  sorted(): SpikeTrains {
    const n = this.ids.length;
    const ids = this.ids.view();
    const ts = this.times.view();
    const neuron = Int32Array.from(ids);
    const t = Float64Array.from(ts);
    // Already time-ordered: only runs of equal times need reordering by neuron.
    for (let a = 0; a < n; ) {
      let b = a + 1;
      while (b < n && t[b] === t[a]) b++;
      if (b - a > 1) neuron.subarray(a, b).sort();
      a = b;
    }
    return { neuron, t };
  }
}
