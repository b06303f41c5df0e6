/**
 * Anything that emits spikes: a neuron population or a spike source. Listeners (outgoing projections, plasticity,
 * recorders) are called synchronously at each spike, in the order they were added.
 */
import type { StateReader, StateWriter } from '../kernel/state-io.js';

export interface SpikeListener {
  onSpike(neuron: number, t: number): void;
}

export abstract class SpikeEmitter {
  readonly listeners: SpikeListener[] = [];
  spikeCount = 0;
  constructor(readonly name: string, readonly size: number) {}

  /** Queues the emitter's first events, from time t on. */
  abstract start(t: number): void;

  /** Everything about the emitter that changes in a run, its spike count included (checkpoints). */
  abstract saveState(w: StateWriter): void;
  abstract loadState(r: StateReader): void;

  addListener(l: SpikeListener): void {
    this.listeners.push(l);
  }

  protected emit(i: number, t: number): void {
    this.spikeCount++;
    const ls = this.listeners;
    for (let k = 0; k < ls.length; k++) ls[k].onSpike(i, t);
  }
}
