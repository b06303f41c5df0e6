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

  /**
   * In a threaded run (scenario/windowed.ts): the neurons sampled here (those this partition owns), and where their
   * values go until the window's end, when partition 0 assembles whole records (WindowSamples). Null: records are
   * written at once.
   */
  private window: WindowSamples | null = null;

  /** Samples go to `window` (see there) instead of records; before the run. */
  partition(window: WindowSamples): void {
    this.window = window;
  }

  handleEvent(t: number): void {
    if (this.window !== null) {
      this.window.sample(this, t);
      const next = this.sampleTimes(++this.k);
      if (next < Infinity) this.scheduleAt(next);
      return;
    }
    const o = this.addRecord(t) * this.width;
    const values = this.record.cols[1] as Float64Array; // after addRecord, which may grow the columns
    const nv = this.varIndex.length;
    const neurons = this.neurons;
    for (let a = 0; a < neurons.length; a++) this.sampleInto(neurons[a], t, values, o + a * nv);
    const next = this.sampleTimes(++this.k);
    if (next < Infinity) this.scheduleAt(next);
  }

  /** Appends a whole record: time t and its `width` values from values[from ...] (WindowSamples at a window's end). */
  append(t: number, values: Float64Array, from: number): void {
    const o = this.addRecord(t) * this.width;
    this.record.cols[1].set(values.subarray(from, from + this.width), o);
  }

  /** Neuron i's variables, in `vars` order, at t into out[from ...] (WindowSamples). */
  sampleInto(i: number, t: number, out: Float64Array, from: number): void {
    this.pop.group.sample(i, t, this.scratch);
    for (let v = 0; v < this.varIndex.length; v++) out[from + v] = this.scratch[this.varIndex[v]];
  }
}

/** Where a threaded run's state samples go during a window (scenario/window-samples.ts). */
export interface WindowSamples {
  sample(rec: StateRecorder, t: number): void;
}
