/**
 * Saves a population's state at one time and restores it at a later one, so that a second trial can start from the
 * very state the first one started from (paired trials: the same network state, then two different treatments).
 *
 * save(pop, t): every neuron is advanced to t; its state variables and the time left in its refractory period are
 * kept. restore(pop, t'): every neuron is advanced to t', its state variables are set to the saved values, its
 * refractory period ends at t' + (saved end - t), and its next threshold crossing is predicted afresh from that
 * state (Population.start). A model without a refractory clock (no refractoryEnd) restores its state variables only.
 * Inputs in flight (axonal delays) are not part of the state: with non-zero delays, silence the sources first.
 */
import type { Population } from './population.js';

export class PopulationSnapshot {
  private readonly names: string[];
  private readonly values: Float64Array;
  /** Refractory time left after the saved moment (ms; <= 0 when not refractory). */
  private readonly refLeft: Float64Array;
  private savedAt = NaN;

  constructor(readonly pop: Population) {
    this.names = Object.keys(pop.group.state);
    this.values = new Float64Array(pop.size * this.names.length);
    this.refLeft = new Float64Array(pop.size);
  }

  save(t: number): void {
    const { group } = this.pop;
    const m = this.names.length;
    for (let i = 0; i < this.pop.size; i++) {
      group.advance(i, t);
      for (let k = 0; k < m; k++) this.values[i * m + k] = group.state[this.names[k]].get(i);
      this.refLeft[i] = group.refractoryEnd ? group.refractoryEnd(i) - t : 0;
    }
    this.savedAt = t;
  }

  restore(t: number): void {
    if (!(t >= this.savedAt)) throw new Error(`PopulationSnapshot.restore: ${this.pop.name} restored at ${t} ms, before it was saved (${this.savedAt} ms)`);
    const { group } = this.pop;
    const m = this.names.length;
    for (let i = 0; i < this.pop.size; i++) {
      group.advance(i, t);
      for (let k = 0; k < m; k++) group.state[this.names[k]].set(i, this.values[i * m + k]);
      if (group.setRefractoryEnd) group.setRefractoryEnd(i, this.refLeft[i] > 0 ? t + this.refLeft[i] : -Infinity);
    }
    this.pop.start(t);
  }
}
