/** A passive listener counting each neuron's spikes and noting its first spike since the last `clear()`. */
import type { SpikeEmitter, SpikeListener } from '../../neurons/emitter.js';

export class PhaseCounter implements SpikeListener {
  readonly counts: Int32Array;
  readonly first: Float64Array;
  constructor(source: SpikeEmitter) {
    this.counts = new Int32Array(source.size);
    this.first = new Float64Array(source.size).fill(Infinity);
    source.addListener(this);
  }
  onSpike(i: number, t: number): void {
    if (this.counts[i]++ === 0) this.first[i] = t;
  }
  clear(): void {
    this.counts.fill(0);
    this.first.fill(Infinity);
  }
  /** The neuron with most spikes; ties go to the earliest first spike, then the lowest index. */
  winner(): number {
    let k = 0;
    for (let i = 1; i < this.counts.length; i++) {
      if (this.counts[i] > this.counts[k] || (this.counts[i] === this.counts[k] && this.first[i] < this.first[k])) k = i;
    }
    return k;
  }
}
