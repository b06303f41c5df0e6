/**
 * A population of model neurons wired to the kernel.
 *
 * The model group answers "when does neuron i next need attention?": an exact threshold crossing, or a check time
 * (a lower bound on it). The population keeps those times in its own queue (one entry per neuron, moved in place,
 * never stale; times on the model's check grid in buckets, the rest in a heap: DueQueue) and holds a single event in
 * the kernel's queue, at the population's earliest time:
 * - an input that brings a neuron's time earlier moves it in the queue; only if it becomes the population's
 *   earliest is a new kernel event queued (the previous one is then superseded, recognised by its stamp);
 * - an input that delays it (inhibition) moves nothing: the earlier time comes, v is found below threshold, and
 *   the re-predicted time goes back into the queue.
 * Threshold events run in Phase.SPIKE, after every synaptic arrival at the same time: simultaneous inputs are summed
 * before the threshold is tested. Neurons due at the same instant are handled in index order. When the next due
 * neuron comes strictly before every other queued event, it is handled at once instead of being queued and popped.
 */
import type { Simulation, EventReceiver } from '../kernel/simulation.js';
import { Phase } from '../kernel/event-queue.js';
import { DueQueue } from '../kernel/due-queue.js';
import type { NeuronGroup, NeuronModel, Params, Receptor } from './model.js';
import { SpikeEmitter, type SpikeListener } from './emitter.js';
import { createGroup, perNeuronKeys, type NeuronParams } from './neuron-params.js';
import type { StateReader, StateWriter } from '../kernel/state-io.js';

export class Population extends SpikeEmitter implements EventReceiver {
  readonly group: NeuronGroup;
  /**
   * One value per parameter. A parameter that varies per neuron has none: reading it here throws (code that needs
   * one value per population must not silently get one neuron's); its values are in `values`.
   */
  readonly params: Params;
  /** Every parameter: one number, or one value per neuron (neuron-params.ts). */
  readonly values: NeuronParams;
  /** Next time each neuron needs attention (Infinity: none); the queue's keys. */
  readonly pending: Float64Array;
  private readonly due: DueQueue;
  private readonly targetId: number;
  /** Time and stamp of the population's one live event in the kernel queue. */
  private queuedTime = Infinity;
  private stamp = 0;
  /** Synaptic inputs received (deliveries to a target). */
  deliveries = 0;
  /** Scratch for inputMany: the neurons whose crossing moved earlier, and their new times (grown on demand). */
  private changed = new Int32Array(256);
  private changedAt = new Float64Array(256);
  /**
   * Neurons [ownedFrom, ownedTo) are simulated here (all, unless a threaded run gave the population a block of them,
   * scenario/windowed.ts); the others are never started and receive no input.
   */
  ownedFrom = 0;
  ownedTo: number;
  /**
   * Where spikes go when they are held back (a threaded run): the listeners then hear of them only when the window's
   * spikes of every partition are merged (release). Null: the listeners are called at each spike.
   */
  private outbox: SpikeOutbox | null = null;
  /** With an outbox: neuron i's spikes are held under key keyBase + i (SpikeOutbox). */
  private keyBase = 0;
  /** With an outbox: the listeners told at once (SpikeListener.local) and at release; split at start(). */
  private atOnce: SpikeListener[] = [];
  private atRelease: SpikeListener[] = [];

  constructor(
    private readonly sim: Simulation,
    name: string,
    size: number,
    readonly model: NeuronModel,
    values: NeuronParams,
  ) {
    super(name, size);
    this.values = values;
    this.params = scalarView(name, values);
    this.group = createGroup(model, size, values);
    this.due = new DueQueue(size, this.group.checkGridMs ?? 0);
    this.pending = this.due.key;
    this.targetId = sim.register(this);
    this.ownedTo = size;
  }

  /**
   * A threaded run's partition: only neurons [from, to) are simulated here, and neuron i's spikes go to `outbox`
   * under key keyBase + i until released (release()). Before start().
   */
  partition(from: number, to: number, outbox: SpikeOutbox, keyBase: number): void {
    this.ownedFrom = from;
    this.ownedTo = to;
    this.outbox = outbox;
    this.keyBase = keyBase;
  }

  /**
   * A spike held in an outbox, now merged with every partition's: it is counted, and the listeners that were not
   * told at once (SpikeListener.local) hear of it.
   */
  release(i: number, t: number): void {
    this.emitTo(this.atRelease, i, t);
  }

  /** Queues the first crossing of every owned neuron from its current state at time t (after initialization). */
  start(t: number): void {
    this.atOnce = this.listeners.filter((l) => l.local === true);
    this.atRelease = this.listeners.filter((l) => l.local !== true);
    for (let i = this.ownedFrom; i < this.ownedTo; i++) {
      this.group.advance(i, t);
      this.due.set(i, this.group.predict(i, t));
    }
    this.requeue();
  }

  /** The neurons' state, their queue and this population's one kernel event (checkpoints; the model must allow it). */
  saveState(w: StateWriter): void {
    if (!this.group.saveState) throw new Error(`population ${this.name}: model ${this.model.name} cannot be checkpointed`);
    this.group.saveState(w.scope('group'));
    this.due.saveState(w.scope('due'));
    w.num('queuedTime', this.queuedTime);
    w.num('stamp', this.stamp);
    w.num('deliveries', this.deliveries);
    w.num('spikeCount', this.spikeCount);
  }

  loadState(r: StateReader): void {
    this.group.loadState!(r.scope('group'));
    this.due.loadState(r.scope('due'));
    this.queuedTime = r.num('queuedTime');
    this.stamp = r.num('stamp');
    this.deliveries = r.num('deliveries');
    this.spikeCount = r.num('spikeCount');
  }

  /** True if its model can be checkpointed. */
  get checkpointable(): boolean {
    return this.group.saveState !== undefined;
  }

  /** A synaptic input of weight w (mV) on a receptor, at time t. */
  input(i: number, t: number, receptor: Receptor, w: number): void {
    this.deliveries++;
    const tNew = this.group.input(i, t, receptor, w, this.pending[i]);
    if (tNew < this.pending[i]) {
      this.due.set(i, tNew);
      if (tNew < this.queuedTime) this.requeue();
    }
  }

  /**
   * The inputs of one delivery group at time t: weight w[s] (mV) to neuron post[s] for s in [s0, s1) (or w[0] to
   * each when w has length 1), as input() one by one (NeuronGroup.inputMany), except that the kernel event is
   * requeued once, after all of them.
   */
  inputMany(post: Int32Array, w: Float64Array, s0: number, s1: number, t: number, receptor: Receptor): void {
    const n = s1 - s0;
    this.deliveries += n;
    if (n > this.changed.length) {
      this.changed = new Int32Array(2 * n);
      this.changedAt = new Float64Array(2 * n);
    }
    const { changed, changedAt, pending, due } = this;
    const k = this.group.inputMany(post, w, s0, s1, t, receptor, pending, changed, changedAt);
    let earliest = Infinity;
    for (let c = 0; c < k; c++) {
      const i = changed[c];
      const tNew = changedAt[c];
      if (tNew < pending[i]) {
        due.set(i, tNew);
        if (tNew < earliest) earliest = tNew;
      }
    }
    if (earliest < this.queuedTime) this.requeue();
  }

  handleEvent(t: number, _a: number, stamp: number): void {
    if (stamp !== this.stamp) return; // superseded by an earlier one
    this.queuedTime = Infinity;
    this.handleDue(t);
    // While the next due neuron comes before anything else in the queue, handle it at once (Simulation.claimNext).
    for (let tNext = this.due.topKey(); this.sim.claimNext(tNext); tNext = this.due.topKey()) this.handleDue(tNext);
    this.requeue();
  }

  /** The queue's earliest neuron, if due at t: it fires if at threshold, else its next time is predicted afresh. */
  private handleDue(t: number): void {
    const i = this.due.top();
    if (i >= 0 && this.pending[i] <= t) {
      if (this.group.atThreshold(i, t)) {
        if (this.outbox === null) this.emit(i, t);
        else {
          this.outbox.hold(this.keyBase + i, t);
          const ls = this.atOnce;
          for (let k = 0; k < ls.length; k++) ls[k].onSpike(i, t);
        }
        this.due.set(i, this.group.fire(i, t));
      } else {
        this.due.set(i, this.group.predict(i, t));
      }
    }
  }

  /** Queues the kernel event for the queue's earliest time (superseding any later one). */
  private requeue(): void {
    const t = this.due.topKey();
    if (t === Infinity) return;
    this.queuedTime = t;
    this.sim.schedule(t, Phase.SPIKE, this.targetId, 0, ++this.stamp);
  }
}

/**
 * Spikes held back until a window's end (a threaded run, scenario/windowed.ts), each under the key its population
 * was given for the neuron (Population.partition), which orders simultaneous spikes.
 */
export interface SpikeOutbox {
  hold(key: number, t: number): void;
}

/** The parameters as one number each, with a getter that throws for each that varies per neuron. */
function scalarView(pop: string, values: NeuronParams): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(values)) if (typeof v === 'number') out[k] = v;
  for (const k of perNeuronKeys(values)) {
    Object.defineProperty(out, k, {
      enumerable: true,
      get() {
        throw new Error(`population ${pop}: parameter ${k} varies per neuron (Population.values.${k}), so it has no one value here`);
      },
    });
  }
  return out;
}
