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
    return this.groupWinner(1);
  }
  /** The group of `size` consecutive neurons (group g: neurons g * size ... g * size + size - 1) with most spikes in
   * all; ties go to the group's earliest first spike, then the lowest group. */
  groupWinner(size: number): number {
    let best = 0;
    let bestCount = -1;
    let bestFirst = Infinity;
    for (let g = 0; g * size < this.counts.length; g++) {
      let c = 0;
      let f = Infinity;
      for (let i = g * size; i < (g + 1) * size; i++) {
        c += this.counts[i];
        f = Math.min(f, this.first[i]);
      }
      if (c > bestCount || (c === bestCount && f < bestFirst)) [best, bestCount, bestFirst] = [g, c, f];
    }
    return best;
  }
}
