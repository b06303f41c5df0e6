/**
 * Anything that emits spikes: a neuron population or a spike source. Listeners (outgoing projections, plasticity,
 * recorders) are called synchronously at each spike, in the order they were added.
 */
import type { StateReader, StateWriter } from '../kernel/state-io.js';

export interface SpikeListener {
  onSpike(neuron: number, t: number): void;
  /**
   * True for a listener that changes only state belonging to the spiking neuron (a plasticity rule's updates of the
   * synapses onto it): in a threaded run it hears a population's spikes at once, in the partition that owns the
   * neuron; every other listener hears them at the window's end (neurons/population.ts, scenario/windowed.ts).
   */
  readonly local?: boolean;
}

export abstract class SpikeEmitter {
  readonly listeners: SpikeListener[] = [];
  spikeCount = 0;
  /**
   * True when a listener may act on a spike at once, inside emit(), as it would when an event it queued at the
   * spike's own time popped: the emitter has then taken every insertion number its handler takes (Simulation.reserve
   * or schedule) before emitting, and is never itself the receiver of what the listener does. Spike sources are;
   * populations are not (a delivery at once could re-enter the population's own handler). See Projection.onSpike.
   */
  readonly actsAtOnce: boolean = false;
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
    this.emitTo(this.listeners, i, t);
  }

  /** A spike counted, and told to the listeners of `ls` (a subset of listeners, in their order). */
  protected emitTo(ls: readonly SpikeListener[], i: number, t: number): void {
    this.spikeCount++;
    for (let k = 0; k < ls.length; k++) ls[k].onSpike(i, t);
  }
}
