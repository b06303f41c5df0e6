/**
 * Passive state recorder: samples state variables of chosen neurons at chosen times, in Phase.SAMPLE, i.e. after
 * every delivery and spike at that time (a neuron that fires at t is seen already reset). Sampling advances the
 * neuron with its closed form, which changes no trajectory: the state is exact at every time.
 *
 * The samples are the records of a SampledRecorder (sampled.ts): their times, and n x vars float64 values per sample,
 * neuron-major (neuron a's variable v at a * vars + v). Spilling keeps at most one chunk of samples in memory
 * (sampleChunk, 8 MiB by default); the outputs are written by streaming over them (scenario/record-files.ts).
 */
import type { Simulation } from '../kernel/simulation.js';
import type { Population } from '../neurons/population.js';
import { SampledRecorder } from './sampled.js';

export class StateRecorder extends SampledRecorder {
  /** Values per sample: neurons x vars. */
  readonly width: number;
  private readonly scratch: Float64Array;
  private readonly varIndex: number[];

  constructor(
    sim: Simulation,
    readonly pop: Population,
    readonly neurons: number[],
    readonly vars: string[],
    private readonly sampleTimes: (k: number) => number,
  ) {
    super(sim, `state recorder ${pop.name}`, 'samples', neurons.length * vars.length);
    this.width = neurons.length * vars.length;
    const names = Object.keys(pop.model.state);
    this.varIndex = vars.map((v) => names.indexOf(v));
    this.scratch = new Float64Array(names.length);
  }

  start(): void {
    const t = this.sampleTimes(0);
    if (t < Infinity) this.scheduleAt(t);
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

  handleEvent(t: number): void {
    let o = this.addRecord(t) * this.width;
    const values = this.record.cols[1]; // after addRecord, which may grow the columns
    const { group } = this.pop;
    const out = this.scratch;
    const vars = this.varIndex;
    for (const i of this.neurons) {
      group.sample(i, t, out);
      for (let v = 0; v < vars.length; v++) values[o++] = out[vars[v]];
    }
    const next = this.sampleTimes(++this.k);
    if (next < Infinity) this.scheduleAt(next);
  }
}
