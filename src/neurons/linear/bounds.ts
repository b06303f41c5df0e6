/**
 * Lower bounds on a linear neuron's time to threshold, from its state, with nothing solved: the general form of
 * `lif`'s bounds (models/lif/bounds.ts), for any system whose free regime decays to a fixed point x_inf.
 *
 * With d = x - x_inf and the threshold variable's response kernels K_j(h) = [e^{A h}]_{th, j},
 *
 *     x_th(h) - theta = (x_inf,th - theta) + sum_j d_j K_j(h),        K_j(0) = 1 if j = th, else 0.
 *
 * Each kernel is a fixed exponential polynomial, so its extremes and its slope's extremes over h >= 0 are found once
 * per population (at the critical points, src/math/exp-poly.ts). Then, per state, two bounds:
 *
 * - linear (no exponential): d_j (K_j(h) - K_j(0)) rises at most at rate S_j and by at most U_j in all (S_j, U_j:
 *   |d_j| times the kernel's steepest slope and largest excursion in the direction of d_j's sign), so
 *   x_th(h) - x_th(0) <= sum_j min(S_j h, U_j), a concave piecewise-linear bound, solved for the gap to theta; if
 *   sum_j U_j is short of the gap, the neuron never crosses.
 * - relaxation, when nothing depends on the threshold variable but itself (then K_th(h) = e^{-h/tau} exactly, as
 *   for `lif`'s membrane): x_th(h) - theta <= (x_inf,th - theta + P) + d_th e^{-h/tau} with P = sum_{j != th} U_j,
 *   each other part at its peak; with d_th < 0 it crosses no earlier than tau ln(|d_th| / (x_inf,th - theta + P)).
 *
 * The group takes the larger and, far from threshold, queues it as a check time instead of solving
 * (src/neurons/linear/group.ts). Kernel extremes are widened by KERNEL_MARGIN and the bound shortened by
 * BOUND_MARGIN, so rounding can only make it earlier (a check sooner, or a solve), never later than the crossing.
 */
import { expPolyRoots, evalExpPoly, EXP_POLY_MAX_TERMS } from '../../math/exp-poly.js';
import type { Flow } from './flow.js';

/** Relative widening of each kernel's extremes (found to the root finder's tolerance) and slopes. */
const KERNEL_MARGIN = 1e-9;
/** Relative shortening of a bound, as lif's BOUND_MARGIN: larger than the few ulps the bound's arithmetic can be off. */
const BOUND_MARGIN = 1e-12;

/** Precision (ms) of the kernels' critical points: their extremes are then exact to about 1e-24 relative. */
const CRITICAL_TOL_MS = 1e-12;
const roots = new Float64Array(EXP_POLY_MAX_TERMS * EXP_POLY_MAX_TERMS);

/**
 * The least and greatest values over h in [0, horizon] of the `order`-th derivative of K_j, into out: at the ends and
 * at the roots of the next derivative (past the horizon every term is below 1e-304 of its start).
 */
function kernelRange(free: Flow, j: number, order: number, out: Float64Array): void {
  free.loadKernelDerivative(j, order + 1);
  const nr = expPolyRoots(0, free.horizon, CRITICAL_TOL_MS, roots);
  free.loadKernelDerivative(j, order);
  let lo = Math.min(evalExpPoly(0), evalExpPoly(free.horizon));
  let hi = Math.max(evalExpPoly(0), evalExpPoly(free.horizon));
  for (let k = 0; k < nr; k++) {
    const v = evalExpPoly(roots[k]);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  out[0] = lo;
  out[1] = hi;
}

export class CrossingBounds {
  readonly n: number;
  private readonly th: number;
  private readonly theta: number;
  private readonly xInf: Float64Array;
  /** Per variable j: steepest rise and fall of K_j (per ms), and its largest rise above and fall below K_j(0). */
  private readonly slopeUp: Float64Array;
  private readonly slopeDown: Float64Array;
  private readonly rise: Float64Array;
  private readonly fall: Float64Array;
  /** The threshold variable's own time constant when K_th is exactly e^{-h/tau} (relaxation bound), else 0. */
  readonly tauRelax: number;
  // Per state (scratch): each part's deviation d_j, then slope S_j; its excursion U_j and breakpoint U_j / S_j.
  private readonly S: Float64Array;
  private readonly U: Float64Array;
  private readonly bp: Float64Array;

  /** For the free regime `free` of a system (free.decays must hold), x' = A x + c, threshold x_th >= theta. */
  constructor(free: Flow, A: readonly (readonly number[])[], th: number, theta: number) {
    const n = (this.n = free.n);
    this.th = th;
    this.theta = theta;
    this.xInf = free.fixedPoint();
    this.slopeUp = new Float64Array(n);
    this.slopeDown = new Float64Array(n);
    this.rise = new Float64Array(n);
    this.fall = new Float64Array(n);
    const range = new Float64Array(2);
    const wide = 1 + KERNEL_MARGIN;
    for (let j = 0; j < n; j++) {
      const k0 = j === th ? 1 : 0;
      kernelRange(free, j, 0, range);
      this.rise[j] = Math.max(range[1] - k0, 0) * wide;
      this.fall[j] = Math.max(k0 - range[0], 0) * wide;
      kernelRange(free, j, 1, range);
      this.slopeUp[j] = Math.max(range[1], 0) * wide;
      this.slopeDown[j] = Math.max(-range[0], 0) * wide;
    }
    const alone = A.every((row, i) => i === th || row[th] === 0);
    this.tauRelax = alone && A[th][th] < 0 ? -1 / A[th][th] : 0;
    this.S = new Float64Array(n);
    this.U = new Float64Array(n);
    this.bp = new Float64Array(n);
  }

  /**
   * A lower bound on the time h >= 0 at which x_th(h) reaches theta, from the state x = src[so .. so + n) below
   * threshold; Infinity if it never does, or if the bound reaches `span` (no crossing before span: the caller's
   * pending time). The larger of the two bounds of the header, each checked against span before the next is taken.
   */
  lower(src: Float64Array, so: number, span: number): number {
    const { n, th, xInf, S, U } = this;
    const gap = this.theta - src[so + th];
    let total = 0; // sum of U_j: the most x_th can ever rise
    let others = 0; // the same without the threshold variable's own part (P of the header)
    for (let j = 0; j < n; j++) {
      const d = src[so + j] - xInf[j];
      const u = d > 0 ? d * this.rise[j] : -d * this.fall[j];
      S[j] = d; // the deviation, until linear() needs the slope (the relaxation test often settles it first)
      U[j] = u;
      total += u;
      if (j !== th) others += u;
    }
    if (total < gap) return Infinity;
    let h2 = 0;
    if (this.tauRelax > 0) {
      // Relaxation: crossing no earlier than tau ln X, X = |d_th| / c; first only "is tau ln X >= span?", with no log.
      // With d_th >= 0 the bound falls from its start: it says nothing about when.
      const dth = src[so + th] - xInf[th];
      const c = xInf[th] - this.theta + others;
      if (dth < 0) {
        if (!(c > 0)) return Infinity; // the other parts cannot lift the relaxing x_th to theta
        const X = -dth / c;
        if (span < Infinity && X >= Math.exp(span / this.tauRelax) * (1 + BOUND_MARGIN)) return Infinity;
        if (X > 1) h2 = this.tauRelax * Math.log(X);
      }
    }
    const h1 = this.linear(gap, n);
    const h = (h1 > h2 ? h1 : h2) * (1 - BOUND_MARGIN);
    return h >= span ? Infinity : h;
  }

  /**
   * First h at which sum_j min(S_j h, U_j) reaches gap (total U >= gap, checked by the caller), from the deviations
   * d_j in S and the U_j in U; S then holds the slopes S_j.
   */
  private linear(gap: number, n: number): number {
    const { S, U, bp } = this;
    let slope = 0;
    for (let j = 0; j < n; j++) {
      const d = S[j];
      // A part that can never rise above its start (U_j = 0) adds nothing, whatever its slope on the way back.
      const s = U[j] === 0 ? 0 : d > 0 ? d * this.slopeUp[j] : -d * this.slopeDown[j];
      S[j] = s;
      bp[j] = s > 0 ? U[j] / s : Infinity;
      slope += s;
    }
    let h = 0;
    let acc = 0;
    while (slope > 0) {
      // The next breakpoint: the part that saturates first after h.
      let next = Infinity;
      for (let j = 0; j < n; j++) if (bp[j] > h && bp[j] < next) next = bp[j];
      if (next === Infinity || acc + slope * (next - h) >= gap) return h + (gap - acc) / slope;
      acc += slope * (next - h);
      for (let j = 0; j < n; j++) if (bp[j] === next) slope -= S[j];
      h = next;
    }
    return Infinity;
  }
}
