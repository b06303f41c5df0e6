/**
 * Passive state recorder: samples state variables of chosen neurons at chosen times, in Phase.SAMPLE, i.e. after
 * every delivery and spike at that time (a neuron that fires at t is seen already reset). Sampling advances the
 * neuron with its closed form, which changes no trajectory: the state is exact at every time.
 */
import type { Simulation, EventReceiver } from '../kernel/simulation.js';
import { Phase } from '../kernel/event-queue.js';
import type { Population } from '../neurons/population.js';
import { GrowableF64 } from './growable.js';
import type { StateReader, StateWriter } from '../kernel/state-io.js';

export class StateRecorder implements EventReceiver {
  readonly times = new GrowableF64();
  /** One growable column per (neuron, variable), neuron-major. */
  readonly columns: GrowableF64[];
  private readonly targetId: number;
  private k = 0;
  private readonly scratch: Float64Array;
  private readonly varIndex: number[];

  constructor(
    private readonly sim: Simulation,
    readonly pop: Population,
    readonly neurons: number[],
    readonly vars: string[],
    private readonly sampleTimes: (k: number) => number,
  ) {
    this.columns = neurons.flatMap(() => vars.map(() => new GrowableF64()));
    const names = Object.keys(pop.model.state);
    this.varIndex = vars.map((v) => names.indexOf(v));
    this.scratch = new Float64Array(names.length);
    this.targetId = sim.register(this);
  }

  start(): void {
    const t = this.sampleTimes(0);
    if (t < Infinity) this.sim.schedule(t, Phase.SAMPLE, this.targetId, 0, 0);
  }

  /** The samples so far and the index of the next (checkpoints; the next sample's event is in the queue). */
  saveState(w: StateWriter): void {
    w.num('k', this.k);
    w.array('times', this.times.view());
    this.columns.forEach((c, j) => w.array(`column${j}`, c.view()));
  }

  loadState(r: StateReader): void {
    this.k = r.num('k');
    this.times.load(r.like('times', new Float64Array(0)));
    this.columns.forEach((c, j) => c.load(r.like(`column${j}`, new Float64Array(0))));
  }

  handleEvent(t: number): void {
    this.times.push(t);
    const { group } = this.pop;
    const out = this.scratch;
    let c = 0;
    for (const i of this.neurons) {
      group.sample(i, t, out);
      for (const v of this.varIndex) this.columns[c++].push(out[v]);
    }
    const next = this.sampleTimes(++this.k);
    if (next < Infinity) this.sim.schedule(next, Phase.SAMPLE, this.targetId, 0, 0);
  }
}
