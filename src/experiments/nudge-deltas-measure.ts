/**
 * One digit of the nudge-deltas experiment: the feedback matrix, the rate twin's free and nudged states and
 * backprop's deltas, the spiking paired trials, and the cosines between them.
 *
 * Feedback out -> hid (B, [out][hid], mV), from the forward output weights W (hid_out, [hid][out]):
 *   symmetric   B_kh = kappa W_hk                    (kappa times the transpose)
 *   random      B_kh = kappa R_hk, R an independent draw from hid_out's weight distribution (stream
 *               `nudge/feedback/random`), fixed for the run: feedback alignment's starting point
 *   shuffled    B_kh = kappa W_{pi(h) k}: each hidden neuron gets another one's feedback (a fresh permutation pi per
 *               digit, stream `nudge/feedback/shuffle/<digit>`): the right sizes, the wrong credit
 * B is fixed while a digit is measured; nothing learns.
 *
 * Per digit and feedback: the twin's free fixed point gives the output rates r and backprop's delta_h
 * (nudge-deltas-twin.ts). Each paired trial (nudge-deltas-copies.ts) runs a free copy and one nudged copy per beta,
 * the teacher firing at beta (t_k - r_k) (r: the twin's free output rate, or with `teacher_error: "measured"` the
 * output rate the copies showed in the free window). The hidden rate change of a copy is its count minus the free
 * copy's, per window [t1, t1 + w), divided by w, averaged over the trials; its cosine with delta_h is the measurement.
 * Trial streams are `nudge/<digit>/<trial>`: the same input spikes for every feedback and beta.
 */
import type { Scenario } from '../scenario/schema.js';
import { draw } from '../scenario/draw.js';
import type { ValueSpec } from '../synapses/connect.js';
import type { Projection } from '../synapses/projection.js';
import { createRng } from '../kernel/rng.js';
import { shuffled } from '../learning/trainer.js';
import { denseWeights } from '../learning/spiking/dense.js';
import { cosine } from '../math/vector-stats.js';
import { NudgeCopies, type TrialTiming } from './nudge-deltas-copies.js';
import { fixedPoint, backpropDeltas, teacherRates, type LifUnitParams, type TwinWeights } from './nudge-deltas-twin.js';

export type FeedbackKind = 'symmetric' | 'random' | 'shuffled';

export interface MeasureOptions {
  kappa: number;
  betas: number[];
  targetHiHz: number;
  targetLoHz: number;
  teacherError: 'twin' | 'measured';
  inputRateHz: number;
  trials: number;
  timing: TrialTiming;
}

export interface DigitResult {
  feedback: FeedbackKind;
  digit: number;
  label: number;
  /** Per beta: the twin's cosine (nudged minus free hidden rates vs delta_h). */
  twinCos: number[];
  /** Per beta, per window: the spiking cosine. */
  cos: number[][];
  /** Per beta: cosine of the spiking hidden change (whole nudge) with the twin's. */
  spikingTwinCos: number[];
  /** Per beta: cosine of the spiking output change (whole nudge) with the twin's. */
  outputCos: number[];
  /** Free hidden rates: correlation of the spiking ones (free window) with the twin's. */
  freeRateCorr: number;
  deltaH: Float64Array;
  /** Per beta (Hz): the twin's hidden change and the spiking one (whole nudge). */
  drTwin: Float64Array[];
  drSpiking: Float64Array[];
}

export class NudgeMeasure {
  readonly copies: NudgeCopies;
  readonly H: number;
  readonly K: number;
  readonly hid: LifUnitParams;
  readonly out: LifUnitParams;
  private readonly W: Float64Array;
  private readonly R: Float64Array;
  private readonly twinBase: Omit<TwinWeights, 'outHid'>;
  private readonly fbPre: Int32Array;
  private readonly fbPost: Int32Array;

  constructor(sc: Scenario, private readonly o: MeasureOptions) {
    this.copies = new NudgeCopies(sc, o.betas.length + 1, sc.seed);
    const c0 = this.copies.copies[0];
    this.hid = c0.hid.params as unknown as LifUnitParams;
    this.out = c0.out.params as unknown as LifUnitParams;
    this.H = c0.hid.size;
    this.K = c0.out.size;
    const proj = (n: string) => this.copies.projection(0, n);
    this.W = denseWeights(proj('hid_out'));
    const spec = sc.projections.find((p) => p.name === 'hid_out')!.weight_mv as ValueSpec;
    const rng = createRng(sc.seed, 'nudge/feedback/random');
    this.R = Float64Array.from({ length: this.H * this.K }, () => draw(spec, rng));
    const diag = (p: Projection) => {
      const m = denseWeights(p);
      return Float64Array.from({ length: this.K }, (_, k) => m[k * this.K + k]);
    };
    this.twinBase = {
      nIn: c0.input.size, nHid: this.H, nOut: this.K,
      inHid: denseWeights(proj('in_hid')), hidOut: this.W,
      teachExc: diag(proj('teach_exc_out')), teachInh: diag(proj('teach_inh_out')),
    };
    const fb = proj('out_hid');
    this.fbPre = fb.synapsePre();
    this.fbPost = fb.post;
  }

  /** B ([out][hid], mV) for a feedback kind and digit (see the header). */
  feedback(kind: FeedbackKind, digit: number, seed: number): Float64Array {
    const { H, K, W, R } = this;
    const kappa = this.o.kappa;
    const perm = kind === 'shuffled' ? shuffled(H, createRng(seed, `nudge/feedback/shuffle/${digit}`)) : null;
    const B = new Float64Array(K * H);
    for (let k = 0; k < K; k++) {
      for (let h = 0; h < H; h++) {
        const src = kind === 'random' ? R : W;
        B[k * H + h] = kappa * src[(perm ? perm[h] : h) * K + k];
      }
    }
    return B;
  }

  /** The twin's weights with feedback B. */
  twinWeights(B: Float64Array): TwinWeights {
    return { ...this.twinBase, outHid: B };
  }

  /** Measures one digit (pixels in [0, 1]) under one feedback. */
  digit(kind: FeedbackKind, pixels: Float64Array, digit: number, label: number, seed: number): DigitResult {
    const { H, K, o } = this;
    const B = this.feedback(kind, digit, seed);
    this.copies.setWeights('out_hid', Float64Array.from({ length: this.fbPre.length }, (_, s) => B[this.fbPre[s] * H + this.fbPost[s]]));
    const tw = this.twinWeights(B);
    const inputHz = pixels.map((x) => x * o.inputRateHz);
    const zero = new Float64Array(K);
    const target = Float64Array.from({ length: K }, (_, k) => (k === label ? o.targetHiHz : o.targetLoHz));
    const free = fixedPoint(this.hid, this.out, tw, inputHz, zero, zero);
    const delta = backpropDeltas(this.hid, this.out, tw, free, target);
    const nudged = o.betas.map((beta) => {
      const exc = new Float64Array(K);
      const inh = new Float64Array(K);
      teacherRates(beta, target, free.rO, exc, inh);
      return fixedPoint(this.hid, this.out, tw, inputHz, exc, inh, free);
    });
    const drTwin = nudged.map((s) => s.rH.map((r, h) => r - free.rH[h]));
    const drTwinOut = nudged.map((s) => s.rO.map((r, k) => r - free.rO[k]));
    const spk = this.trials(inputHz, digit, target, free.rO);
    const nW = o.timing.windows.length;
    const last = nW - 1;
    const cos = spk.dH.map((d) => Array.from({ length: nW }, (_, w) => cosine(d.subarray(w * H, (w + 1) * H), delta.hid)));
    return {
      feedback: kind, digit, label,
      twinCos: drTwin.map((d) => cosine(d, delta.hid)),
      cos,
      spikingTwinCos: spk.dH.map((d, b) => cosine(d.subarray(last * H), drTwin[b])),
      outputCos: spk.dO.map((d, b) => cosine(d.subarray(last * K), drTwinOut[b])),
      freeRateCorr: correlation(spk.hidFreeHz, free.rH),
      deltaH: delta.hid,
      drTwin,
      drSpiking: spk.dH.map((d) => d.slice(last * H)),
    };
  }

  /** The paired trials of one digit: mean rate changes (Hz) per beta, window-major, and the free hidden rates. */
  private trials(inputHz: Float64Array, digit: number, target: Float64Array, twinOut: Float64Array) {
    const { H, K, o } = this;
    const { timing } = o;
    const nW = timing.windows.length;
    const dH = o.betas.map(() => new Float64Array(nW * H));
    const dO = o.betas.map(() => new Float64Array(nW * K));
    const hidFreeHz = new Float64Array(H);
    const measured = new Float64Array(K);
    for (let tr = 0; tr < o.trials; tr++) {
      const r = this.copies.trial(inputHz, timing, `nudge/${digit}/${tr}`, (c, outFree, exc, inh) => {
        for (let k = 0; k < K; k++) measured[k] = (1000 * outFree[k]) / timing.freeMs;
        teacherRates(o.betas[c - 1], target, o.teacherError === 'twin' ? twinOut : measured, exc, inh);
      });
      for (let h = 0; h < H; h++) hidFreeHz[h] += (1000 * r.hidFree[h]) / timing.freeMs / o.trials;
      for (let b = 0; b < o.betas.length; b++) {
        for (let w = 0; w < nW; w++) {
          const f = 1000 / timing.windows[w] / o.trials;
          for (let i = w * H; i < (w + 1) * H; i++) dH[b][i] += (r.hid[b + 1][i] - r.hid[0][i]) * f;
          for (let i = w * K; i < (w + 1) * K; i++) dO[b][i] += (r.out[b + 1][i] - r.out[0][i]) * f;
        }
      }
    }
    return { dH, dO, hidFreeHz };
  }
}

/** Pearson correlation. */
function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  const ca = Float64Array.from({ length: n }, (_, i) => a[i] - ma);
  const cb = Float64Array.from({ length: n }, (_, i) => b[i] - mb);
  return cosine(ca, cb);
}
