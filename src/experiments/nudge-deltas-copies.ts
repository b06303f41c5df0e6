/**
 * Paired copies of one spiking network for the nudge-deltas experiment: copy 0 runs free, copies 1..n are nudged,
 * each with its own teacher gain, and all see the same input spikes.
 *
 * The copies are separate Network instances built from the same scenario, driven in lockstep through the same calls
 * at the same simulated times, with the same input stream. The kernel is deterministic, so they are bit for bit the
 * same network until a teacher fires (checked: every copy's counts before the nudge must agree, or the trial
 * throws). One paired trial, starting at t0:
 *
 *   1. every LIF population to rest (reset.ts); the input source draws from the trial's stream
 *      (`useStream(createRng(seed, stream))`), so every copy gets the same input spikes;
 *   2. warm-up [t0, t0 + warmup): the input on, nothing counted (the onset from rest);
 *   3. free window [.., t1): counted; its output counts give the teacher its view of the output rates;
 *   4. nudge [t1, t1 + t_nudge): copy c's teachers fire at rates set by the caller from those counts (copy 0: none);
 *      hidden and output spikes counted in windows [t1, t1 + w) for each w in `windows`;
 *   5. silence: inputs and teachers off for `gapMs` (longer than every delay and refractory period), so that no
 *      spike from this trial reaches the next one and every neuron is out of its refractory period when it starts.
 * With subthreshold biases and delta synapses nothing fires in the silence once the last delayed spike has
 * arrived, so the copies enter the next trial identical again.
 */
import { Network } from '../scenario/network.js';
import type { Scenario } from '../scenario/schema.js';
import type { Population } from '../neurons/population.js';
import type { PoissonSource } from '../neurons/sources.js';
import type { Projection } from '../synapses/projection.js';
import type { SpikeListener } from '../neurons/emitter.js';
import { resetPopulation } from '../neurons/reset.js';
import { createRng } from '../kernel/rng.js';

/** Counts each neuron's spikes in the windows [t1, t1 + ends[w]) (w = 0..), from `begin(t1, ...)` on. */
class WindowCounts implements SpikeListener {
  counts: Int32Array;
  private t1 = Infinity;
  private ends: number[] = [];
  constructor(readonly size: number) {
    this.counts = new Int32Array(0);
  }
  begin(t1: number, ends: number[]): void {
    this.t1 = t1;
    this.ends = ends;
    this.counts = new Int32Array(ends.length * this.size);
  }
  onSpike(i: number, t: number): void {
    const dt = t - this.t1;
    if (!(dt >= 0)) return;
    for (let w = 0; w < this.ends.length; w++) if (dt < this.ends[w]) this.counts[w * this.size + i]++;
  }
}

interface Copy {
  net: Network;
  input: PoissonSource;
  teachExc: PoissonSource;
  teachInh: PoissonSource;
  hid: Population;
  out: Population;
  hidCounts: WindowCounts;
  outCounts: WindowCounts;
}

export interface TrialTiming {
  warmupMs: number;
  freeMs: number;
  nudgeMs: number;
  /** Window lengths (ms, ascending, the last <= nudgeMs). */
  windows: number[];
}

export interface TrialResult {
  /** Free-window counts (the same in every copy). */
  hidFree: Int32Array;
  outFree: Int32Array;
  /** Per copy: counts in the nudge windows, window-major ([w * size + i]). */
  hid: Int32Array[];
  out: Int32Array[];
}

/** Sets copy c's teacher rates (Hz) from the free output counts; copy 0 is never asked. */
export type Teacher = (copy: number, outFree: Int32Array, exc: Float64Array, inh: Float64Array) => void;

export class NudgeCopies {
  readonly copies: Copy[];
  /** Simulated time (ms), the same in every copy. */
  t = 0;
  readonly gapMs: number;
  private readonly zerosIn: Float64Array;
  private readonly zerosOut: Float64Array;

  constructor(sc: Scenario, n: number, private readonly seed: number) {
    // No plasticity (the weights stay as they are during the measurement) and no recording (the copies count).
    const base = { ...sc, projections: sc.projections.map(({ plasticity: _, ...p }) => p), record: { spikes: [], state: [], weights: [] } };
    this.copies = Array.from({ length: n }, () => {
      const net = new Network(base);
      const hid = net.populations.get('hid')!;
      const out = net.populations.get('out')!;
      const hidCounts = new WindowCounts(hid.size);
      const outCounts = new WindowCounts(out.size);
      hid.addListener(hidCounts);
      out.addListener(outCounts);
      net.start();
      return {
        net, hid, out, hidCounts, outCounts,
        input: net.emitters.get('in') as PoissonSource,
        teachExc: net.emitters.get('teach_exc') as PoissonSource,
        teachInh: net.emitters.get('teach_inh') as PoissonSource,
      };
    });
    const c0 = this.copies[0];
    let maxDelay = 0;
    for (const p of c0.net.projections.values()) for (const d of p.groupDelay) maxDelay = Math.max(maxDelay, d);
    this.gapMs = maxDelay + Math.max(c0.hid.params.t_ref_ms, c0.out.params.t_ref_ms) + 1;
    this.zerosIn = new Float64Array(c0.input.size);
    this.zerosOut = new Float64Array(c0.out.size);
  }

  projection(copy: number, name: string): Projection {
    return this.copies[copy].net.projections.get(name)!;
  }

  /** Writes the same weights (storage order) into projection `name` of every copy. */
  setWeights(name: string, weight: ArrayLike<number>): void {
    for (const c of this.copies) c.net.projections.get(name)!.weight.set(weight);
  }

  private runAll(t: number): void {
    for (const c of this.copies) c.net.run(t);
  }

  /** One paired trial (see the header); input rates in Hz, stream names for the input and the teachers. */
  trial(inputHz: Float64Array, timing: TrialTiming, stream: string, teacher: Teacher): TrialResult {
    const t0 = this.t;
    const tw = t0 + timing.warmupMs;
    const t1 = tw + timing.freeMs;
    const t2 = t1 + timing.nudgeMs;
    for (const c of this.copies) {
      for (const pop of [c.hid, c.out]) resetPopulation(pop, t0, { v_mv: pop.params.v_rest_mv, i_exc_mv: 0, i_inh_mv: 0 });
      c.input.useStream(createRng(this.seed, `${stream}/input`));
      c.input.setRates(inputHz, t0);
    }
    this.runAll(tw);
    for (const c of this.copies) {
      c.hidCounts.begin(tw, [timing.freeMs]);
      c.outCounts.begin(tw, [timing.freeMs]);
    }
    this.runAll(t1);
    const hidFree = this.copies[0].hidCounts.counts;
    const outFree = this.copies[0].outCounts.counts;
    for (const c of this.copies) {
      if (!sameCounts(c.hidCounts.counts, hidFree) || !sameCounts(c.outCounts.counts, outFree)) throw new Error(`nudge-deltas: the paired copies diverged before the nudge (stream ${stream})`);
    }
    const exc = new Float64Array(this.zerosOut.length);
    const inh = new Float64Array(this.zerosOut.length);
    this.copies.forEach((c, k) => {
      c.hidCounts.begin(t1, timing.windows);
      c.outCounts.begin(t1, timing.windows);
      if (k === 0) return;
      teacher(k, outFree, exc, inh);
      c.teachExc.useStream(createRng(this.seed, `${stream}/teacher/exc`));
      c.teachInh.useStream(createRng(this.seed, `${stream}/teacher/inh`));
      c.teachExc.setRates(exc, t1);
      c.teachInh.setRates(inh, t1);
    });
    this.runAll(t2);
    for (const c of this.copies) {
      c.input.setRates(this.zerosIn, t2);
      c.teachExc.setRates(this.zerosOut, t2);
      c.teachInh.setRates(this.zerosOut, t2);
    }
    this.t = t2 + this.gapMs;
    this.runAll(this.t);
    return { hidFree, outFree, hid: this.copies.map((c) => c.hidCounts.counts), out: this.copies.map((c) => c.outCounts.counts) };
  }
}

function sameCounts(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
