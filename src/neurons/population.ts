/**
 * A population of model neurons wired to the kernel.
 *
 * The model group answers "when does neuron i next cross threshold?"; the population keeps one queued threshold
 * event per neuron at most that matters (time `pending[i]`, stamp `version[i]`):
 * - an input that brings the crossing earlier bumps the stamp and queues the new time; the later event goes stale;
 * - an input that delays it (inhibition) queues nothing: the earlier event pops, finds v below threshold and
 *   queues the re-predicted crossing. Fewer heap operations, same exact spike times.
 * Threshold events run in Phase.SPIKE, after every synaptic arrival at the same time: simultaneous inputs are summed
 * before the threshold is tested.
 */
import type { Simulation, EventReceiver } from '../kernel/simulation.js';
import { Phase } from '../kernel/event-queue.js';
import type { NeuronGroup, NeuronModel, Params, Receptor } from './model.js';
import { SpikeEmitter } from './emitter.js';

export class Population extends SpikeEmitter implements EventReceiver {
  readonly group: NeuronGroup;
  readonly pending: Float64Array;
  readonly version: Int32Array;
  private readonly targetId: number;
  /** Synaptic inputs received (deliveries to a target). */
  deliveries = 0;

  constructor(
    private readonly sim: Simulation,
    name: string,
    size: number,
    readonly model: NeuronModel,
    readonly params: Params,
  ) {
    super(name, size);
    this.group = model.create(size, params);
    this.pending = new Float64Array(size).fill(Infinity);
    this.version = new Int32Array(size);
    this.targetId = sim.register(this);
  }

  /** Queues the first crossing of every neuron from its current state at time t (after initialization). */
  start(t: number): void {
    for (let i = 0; i < this.size; i++) {
      this.group.advance(i, t);
      this.schedule(i, this.group.predict(i, t));
    }
  }

  /** A synaptic input of weight w (mV) on a receptor, at time t. */
  input(i: number, t: number, receptor: Receptor, w: number): void {
    this.deliveries++;
    const tNew = this.group.input(i, t, receptor, w, this.pending[i]);
    if (tNew < this.pending[i]) this.schedule(i, tNew);
  }

  handleEvent(t: number, i: number, version: number): void {
    if (version !== this.version[i]) return; // superseded by an earlier prediction
    this.pending[i] = Infinity;
    if (this.group.atThreshold(i, t)) {
      this.emit(i, t);
      this.schedule(i, this.group.fire(i, t));
    } else {
      this.schedule(i, this.group.predict(i, t));
    }
  }

  private schedule(i: number, t: number): void {
    if (t === Infinity) return;
    this.pending[i] = t;
    this.sim.schedule(t, Phase.SPIKE, this.targetId, i, ++this.version[i]);
  }
}
