/**
 * Passive state recorder: samples state variables of chosen neurons at chosen times, in Phase.SAMPLE, i.e. after
 * every delivery and spike at that time (a neuron that fires at t is seen already reset). Sampling advances the
 * neuron with its closed form, which changes no trajectory: the state is exact at every time.
 *
 * The samples are records of a SpillBuffer (spill.ts): column 0 the sample times (float64), column 1 the values,
 * n x vars float64 per sample, neuron-major (neuron a's variable v at a * vars + v). In memory they grow by doubling;
 * a recorder that spills (`spillTo`, given by the runner) holds at most one chunk of samples (sampleChunk, 8 MiB
 * by default) and appends the rest to `<base>.t_ms.f64` and `<base>.values.f64`; the outputs are written by
 * streaming over them (scenario/record-files.ts), and checkpoints hold the spilled count and the tail.
 */
import type { Simulation, EventReceiver } from '../kernel/simulation.js';
import { Phase } from '../kernel/event-queue.js';
import type { Population } from '../neurons/population.js';
import { SpillBuffer } from './spill.js';
import type { StateReader, StateWriter } from '../kernel/state-io.js';

export class StateRecorder implements EventReceiver {
  /** The samples: column 0 the times, column 1 the values (see the header). */
  readonly record: SpillBuffer;
  /** Values per sample: neurons x vars. */
  readonly width: number;
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
    this.width = neurons.length * vars.length;
    this.record = new SpillBuffer(`state recorder ${pop.name}`, 'samples', [
      { key: 'times', suffix: '.t_ms.f64', type: 'f64', width: 1 },
      { key: 'values', suffix: '.values.f64', type: 'f64', width: this.width },
    ]);
    const names = Object.keys(pop.model.state);
    this.varIndex = vars.map((v) => names.indexOf(v));
    this.scratch = new Float64Array(names.length);
    this.targetId = sim.register(this);
  }

  start(): void {
    const t = this.sampleTimes(0);
    if (t < Infinity) this.sim.schedule(t, Phase.SAMPLE, this.targetId, 0, 0);
  }

  /** Samples so far. */
  get count(): number {
    return this.record.count;
  }

  /** Keeps at most `chunk` samples in memory and appends the rest to `<base>.t_ms.f64`, `<base>.values.f64`. */
  spillTo(base: string, chunk: number): void {
    this.record.spillTo(base, chunk);
  }

  /** The sample times, all of them in one array (in-memory use). */
  times(): Float64Array {
    return this.record.all(0) as Float64Array;
  }

  /** The trace of `neurons[a]`'s variable `vars[v]` over all samples, in one array (in-memory use). */
  trace(a: number, v: number): Float64Array {
    const out = new Float64Array(this.count);
    const at = a * this.vars.length + v;
    for (const s of this.record.slices()) {
      const values = s.cols[1];
      for (let k = 0; k < s.count; k++) out[s.first + k] = values[k * this.width + at];
    }
    return out;
  }

  /** The samples so far and the index of the next (checkpoints; the next sample's event is in the queue). */
  saveState(w: StateWriter): void {
    w.num('k', this.k);
    this.record.saveState(w);
  }

  loadState(r: StateReader): void {
    this.k = r.num('k');
    this.record.loadState(r);
  }

  handleEvent(t: number): void {
    const b = this.record;
    if (b.n === b.capacity) b.makeRoom();
    const row = b.n++;
    b.cols[0][row] = t;
    const values = b.cols[1];
    let o = row * this.width;
    const { group } = this.pop;
    const out = this.scratch;
    const vars = this.varIndex;
    for (const i of this.neurons) {
      group.sample(i, t, out);
      for (let v = 0; v < vars.length; v++) values[o++] = out[vars[v]];
    }
    const next = this.sampleTimes(++this.k);
    if (next < Infinity) this.sim.schedule(next, Phase.SAMPLE, this.targetId, 0, 0);
  }
}
