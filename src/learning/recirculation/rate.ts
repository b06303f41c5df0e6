/**
 * Recirculation (Hinton & McClelland 1988, "Learning representations by recirculation"), the rate-coded algorithm
 * of science claim 4. A visible -> hidden -> visible loop of logistic units f(a) = 1 / (1 + e^-a), with biases:
 *
 *     h1 = f(W_hv v0 + b_h)                                  hidden, driven by the input v0
 *     v2 = lambda v0 + (1 - lambda) f(W_vh h1 + b_v)         visible again: the reconstruction, regressed toward v0
 *     h3 = f(W_hv v2 + b_h)                                  hidden, driven by the reconstruction
 *
 *     dW_vh = eps (v0 - v2) h1^T,   db_v = eps (v0 - v2)     (top-down weights: earlier minus later visible)
 *     dW_hv = eps (h1 - h3) v2^T,   db_h = eps (h1 - h3)     (bottom-up weights: earlier minus later hidden)
 *
 * Each update is presynaptic activity times (earlier minus later) postsynaptic activity: minus the rate of change
 * of the postsynaptic unit across the loop, reversed STDP. The regression lambda keeps v2 near v0 so that h3 - h1
 * is small and acts as a derivative. Weights change after every pattern; a sweep presents every pattern once, in
 * order. A pattern counts as reconstructed when every unit of f(W_vh h1 + b_v) (the reconstruction without
 * regression) is within `tolerance` of v0.
 *
 * Storage: W_hv is [visible][hidden] (W_hv[i * nh + j]: visible i -> hidden j), W_vh is [hidden][visible].
 */
import type { Rng } from '../../kernel/rng.js';
import { sigmoid } from '../mlp.js';

export interface RecirculationOptions {
  /** Learning rate eps. */
  eps: number;
  /** Regression of the reconstruction toward the input, in [0, 1). */
  lambda: number;
  /** Initial weights uniform in +-init (biases 0). */
  init: number;
}

export class Recirculation {
  readonly Whv: Float64Array;
  readonly Wvh: Float64Array;
  readonly bh: Float64Array;
  readonly bv: Float64Array;
  /** Activities of the last loop (h1, v2, h3) and the reconstruction without regression (r). */
  readonly h1: Float64Array;
  readonly v2: Float64Array;
  readonly h3: Float64Array;
  readonly r: Float64Array;

  constructor(readonly nv: number, readonly nh: number, readonly opts: RecirculationOptions, rng: Rng) {
    this.Whv = Float64Array.from({ length: nv * nh }, () => (2 * rng.uniform() - 1) * opts.init);
    this.Wvh = Float64Array.from({ length: nh * nv }, () => (2 * rng.uniform() - 1) * opts.init);
    this.bh = new Float64Array(nh);
    this.bv = new Float64Array(nv);
    this.h1 = new Float64Array(nh);
    this.v2 = new Float64Array(nv);
    this.h3 = new Float64Array(nh);
    this.r = new Float64Array(nv);
  }

  /** h = f(W_hv v + b_h). */
  private up(v: ArrayLike<number>, h: Float64Array): void {
    const { nv, nh, Whv, bh } = this;
    for (let j = 0; j < nh; j++) {
      let a = bh[j];
      for (let i = 0; i < nv; i++) a += Whv[i * nh + j] * v[i];
      h[j] = sigmoid(a);
    }
  }

  /** r = f(W_vh h + b_v). */
  private down(h: ArrayLike<number>, r: Float64Array): void {
    const { nv, nh, Wvh, bv } = this;
    for (let i = 0; i < nv; i++) {
      let a = bv[i];
      for (let j = 0; j < nh; j++) a += Wvh[j * nv + i] * h[j];
      r[i] = sigmoid(a);
    }
  }

  /** Runs the loop for v0 (h1, r, v2, h3), without learning. */
  loop(v0: ArrayLike<number>): void {
    const { lambda } = this.opts;
    this.up(v0, this.h1);
    this.down(this.h1, this.r);
    for (let i = 0; i < this.nv; i++) this.v2[i] = lambda * v0[i] + (1 - lambda) * this.r[i];
    this.up(this.v2, this.h3);
  }

  /** One loop and its weight update (the published rule). */
  learn(v0: ArrayLike<number>): void {
    this.loop(v0);
    const { nv, nh, Whv, Wvh, bh, bv, h1, v2, h3 } = this;
    const eps = this.opts.eps;
    for (let i = 0; i < nv; i++) {
      const e = eps * (v0[i] - v2[i]);
      bv[i] += e;
      for (let j = 0; j < nh; j++) Wvh[j * nv + i] += e * h1[j];
    }
    for (let j = 0; j < nh; j++) {
      const d = eps * (h1[j] - h3[j]);
      bh[j] += d;
      for (let i = 0; i < nv; i++) Whv[i * nh + j] += d * v2[i];
    }
  }

  /** Whether every pattern's reconstruction (no regression) is within `tolerance` of it in every unit. */
  reconstructs(patterns: ArrayLike<number>[], tolerance: number): boolean {
    for (const p of patterns) {
      this.loop(p);
      for (let i = 0; i < this.nv; i++) if (Math.abs(this.r[i] - p[i]) >= tolerance) return false;
    }
    return true;
  }
}

/** The n-m-n encoder's patterns: the n one-hot vectors. */
export function encoderPatterns(n: number): Float64Array[] {
  return Array.from({ length: n }, (_, k) => Float64Array.from({ length: n }, (_, i) => (i === k ? 1 : 0)));
}

/** Sweeps until every pattern is reconstructed within `tolerance` (checked after each sweep), at most `maxSweeps`;
 * returns the number of sweeps, or null when it did not succeed. */
export function trainUntilReconstructed(net: Recirculation, patterns: ArrayLike<number>[], tolerance: number, maxSweeps: number): number | null {
  for (let s = 1; s <= maxSweeps; s++) {
    for (const p of patterns) net.learn(p);
    if (net.reconstructs(patterns, tolerance)) return s;
  }
  return null;
}
