/**
 * Passive weight recorder: snapshots every weight of a projection every `every_ms` (Phase.SAMPLE, after the
 * plasticity of that instant), in the projection's synapse order.
 */
import type { Simulation, EventReceiver } from '../kernel/simulation.js';
import { Phase } from '../kernel/event-queue.js';
import type { Projection } from '../synapses/projection.js';
import { GrowableF64 } from './growable.js';
import type { StateReader, StateWriter } from '../kernel/state-io.js';

export class WeightRecorder implements EventReceiver {
  readonly times = new GrowableF64();
  readonly values = new GrowableF64();
  private readonly targetId: number;
  private k = 0;

  constructor(private readonly sim: Simulation, readonly projection: Projection, private readonly everyMs: number) {
    this.targetId = sim.register(this);
  }

  start(): void {
    this.sim.schedule(0, Phase.SAMPLE, this.targetId, 0, 0);
  }

  /** The snapshots so far and the index of the next (checkpoints). */
  saveState(w: StateWriter): void {
    w.num('k', this.k);
    w.array('times', this.times.view());
    w.array('values', this.values.view());
  }

  loadState(r: StateReader): void {
    this.k = r.num('k');
    this.times.load(r.like('times', new Float64Array(0)));
    this.values.load(r.like('values', new Float64Array(0)));
  }

  handleEvent(t: number): void {
    this.times.push(t);
    const w = this.projection.weight;
    for (let s = 0; s < w.length; s++) this.values.push(w[s]);
    this.sim.schedule(++this.k * this.everyMs, Phase.SAMPLE, this.targetId, 0, 0);
  }
}
