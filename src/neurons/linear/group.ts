/**
 * A group of neurons of a linear model (x' = A x + c, system.ts), integrated exactly.
 *
 * State: one record of n + 2 doubles per neuron: x_0 .. x_{n-1} at tLast, then tLast, then refEnd (the end of the
 * refractory period). Between events the state follows the closed form of its regime (flow.ts): free, or refractory
 * (the threshold variable held at its reset value, the others evolving with it held). Threshold crossings: the
 * threshold variable's trajectory minus theta is an exponential polynomial, whose first root is isolated by Rolle
 * elimination and refined to CROSSING_TOL_MS (src/math/exp-poly.ts); a cheap upper bound over all future times
 * (each term at its peak) first rules out neurons that cannot cross at all. When every rate is an integer multiple
 * (<= 8) of the slowest, r0, and none is repeated, the trajectory is a polynomial in z = e^{-r0 h} and its root is
 * found as lif finds its own in that case (src/math/poly-root.ts): no exponential per evaluation.
 *
 * Inputs: a receptor jumps its variable by w. For each receptor the response kernel of the threshold variable,
 * K_r(h) = [e^{A h}]_{th, r}, is checked once for a sign over all h >= 0: if K_r >= 0, an input of w > 0 can only
 * bring the crossing earlier (only (t, tPending] is searched) and w < 0 only later (nothing is solved: the stale,
 * earlier event re-checks when it pops), as for `lif`. Kernels of no fixed sign (adaptation, dendritic coupling
 * with undershoot) re-predict after every input. Inputs to the threshold variable during the refractory period are
 * discarded; inputs to the others accumulate.
 *
 * When the free regime can grow without bound (an eigenvalue > 0, or a repeated 0: a perfect integrator driven by a
 * constant), the search runs over windows of `Flow.horizon` ms and the end of a window is returned as a check time.
 *
 * Check times (as `lif`'s): when the free regime decays to a fixed point, a lower bound on the crossing that costs no
 * solve (bounds.ts) comes first. If it puts the crossing at or after the pending time, the input changes nothing; if
 * it is more than NEAR_FRACTION of the fastest time constant away, that bound, rounded down to the check grid
 * (CHECK_GRID_TAU times the threshold variable's time constant), is queued as a check time, and the neuron is looked
 * at again then; only nearer is the crossing solved for, from the bound on. `exact` records which of the two the
 * neuron's queued time is: the threshold test allows rounding slack for a solved crossing only.
 */
import type { NeuronGroup, StateColumn } from '../model.js';
import { StridedColumn } from '../strided.js';
import { CHECK_GRID_TAU, CROSSING_TOL_MS, THRESHOLD_SLACK_MV, nextTime } from '../../kernel/units.js';
import { firstExpPolyCrossing, expPolySignRange, evalExpPoly } from '../../math/exp-poly.js';
import { firstRootDown } from '../../math/poly-root.js';
import { Flow } from './flow.js';
import type { StateReader, StateWriter } from '../../kernel/state-io.js';
import { augmented, type LinearSystem } from './system.js';
import { CrossingBounds } from './bounds.js';

/**
 * Solve for the crossing only when the bound puts it within this fraction of the fastest time constant (lif's
 * NEAR_FRACTION, models/lif/layout.ts): nearer, the bounds are loose and one more check would follow almost at once.
 */
const NEAR_FRACTION = 0.05;

export class LinearGroup implements NeuronGroup {
  readonly state: Readonly<Record<string, StateColumn>>;
  private readonly n: number;
  private readonly stride: number;
  private readonly rec: Float64Array;
  private readonly free: Flow;
  private readonly refractory: Flow;
  private readonly th: number;
  private readonly theta: number;
  private readonly tRef: number;
  /** Reset statements flattened: per statement target, n coefficients, constant. */
  private readonly resetOps: Float64Array;
  private readonly nReset: number;
  private readonly receptorTarget: Int32Array;
  /** Per receptor: +1 if the threshold kernel is >= 0 for all h >= 0, -1 if <= 0, 0 if neither or not known. */
  private readonly kernelSign: Int8Array;
  private readonly tmp: Float64Array;
  private readonly tmp2: Float64Array;
  /** Lower bounds on the crossing (null when the free regime does not decay to a fixed point: always solve). */
  private readonly bounds: CrossingBounds | null;
  /** 1 if the neuron's queued time is a solved crossing, 0 if a check time (a strict lower bound). */
  private readonly exact: Uint8Array;
  /** Whether crossing() last returned a solved crossing (1) or a check time (0); the caller stores it when queued. */
  private lastExact = 1;
  /** Solve exactly only within this many ms of the bound (see the header). */
  private readonly nearMs: number;
  /** Check times are multiples of this (ms), when it is > 0. */
  readonly checkGridMs: number;

  constructor(readonly size: number, sys: LinearSystem) {
    const n = (this.n = sys.vars.length);
    this.stride = n + 2;
    this.rec = new Float64Array(size * this.stride);
    for (let i = 0; i < size; i++) {
      this.rec.set(sys.initial, i * this.stride);
      this.rec[i * this.stride + n + 1] = -Infinity;
    }
    this.state = Object.fromEntries(sys.vars.map((v, k) => [v, new StridedColumn(this.rec, k, this.stride, size)]));
    this.th = sys.th;
    this.theta = sys.theta;
    this.tRef = sys.refractoryMs;
    this.free = new Flow(augmented(sys, false), sys.th);
    this.refractory = new Flow(augmented(sys, true), sys.th);
    this.nReset = sys.reset.length;
    this.resetOps = new Float64Array(this.nReset * (n + 2));
    sys.reset.forEach((r, s) => this.resetOps.set([r.target, ...r.coef, r.constant], s * (n + 2)));
    this.receptorTarget = Int32Array.from(sys.receptorTarget);
    this.kernelSign = Int8Array.from(sys.receptorTarget, (v) => this.signOfKernel(v));
    this.tmp = new Float64Array(n);
    this.tmp2 = new Float64Array(n);
    this.exact = new Uint8Array(size).fill(1);
    this.bounds = this.free.decays && this.free.horizon > 0 ? new CrossingBounds(this.free, sys.A, sys.th, sys.theta) : null;
    const fastest = Math.max(...this.free.rate.map(Math.abs));
    this.nearMs = NEAR_FRACTION / fastest;
    const own = sys.A[sys.th][sys.th];
    this.checkGridMs = this.bounds ? CHECK_GRID_TAU * (own < 0 ? -1 / own : this.free.horizon / 700) : 0;
  }

  /** The records (state, tLast, refEnd): all that changes in a run (checkpoints). */
  saveState(w: StateWriter): void {
    w.array('rec', this.rec);
    w.array('exact', this.exact);
  }

  loadState(r: StateReader): void {
    r.into('rec', this.rec);
    r.into('exact', this.exact);
  }

  /** +1, -1 or 0 (kernelSign), from the extremes of the kernel over its critical points (exp-poly.ts). */
  private signOfKernel(v: number): number {
    const f = this.free;
    if (!f.decays) return 0;
    const hi = f.horizon;
    f.loadThreshold(this.rec, 0, 0, v);
    const range = new Float64Array(2);
    expPolySignRange(0, hi, range);
    // Rounding: a kernel that starts at 0 (a current into the membrane) may evaluate to -1e-20 there.
    const tol = 1e-12 * (Math.abs(range[0]) + Math.abs(range[1]) + Math.abs(evalExpPoly(0)));
    if (range[0] >= -tol) return 1;
    if (range[1] <= tol) return -1;
    return 0;
  }

  /** The state of neuron i's record projected from tLast to t into dst (t >= tLast), through the refractory part. */
  private project(i: number, t: number, dst: Float64Array, d0: number): void {
    const o = i * this.stride;
    const n = this.n;
    let tl = this.rec[o + n];
    const re = this.rec[o + n + 1];
    const src = this.rec;
    if (dst !== src || d0 !== o) for (let k = 0; k < n; k++) dst[d0 + k] = src[o + k];
    if (re > tl) {
      const tt = t < re ? t : re;
      if (tt > tl) this.refractory.propagate(dst, d0, tt - tl, dst, d0);
      tl = tt;
    }
    if (t > tl) this.free.propagate(dst, d0, t - tl, dst, d0);
  }

  advance(i: number, t: number): void {
    const o = i * this.stride;
    if (!(t > this.rec[o + this.n])) return;
    this.project(i, t, this.rec, o);
    this.rec[o + this.n] = t;
  }

  sample(i: number, t: number, out: Float64Array): void {
    this.project(i, t, this.tmp, 0);
    for (let k = 0; k < this.n; k++) out[k] = this.tmp[k];
  }

  atThreshold(i: number, t: number): boolean {
    this.advance(i, t);
    const o = i * this.stride;
    if (this.rec[o + this.n + 1] > t) return false;
    // Rounding slack only for a solved crossing: a check time is a strict lower bound of the crossing.
    return this.rec[o + this.th] >= (this.exact[i] ? this.theta - THRESHOLD_SLACK_MV : this.theta);
  }

  predict(i: number, t: number): number {
    this.advance(i, t);
    const re = this.rec[i * this.stride + this.n + 1];
    const tc = this.crossing(i, re > t ? re : t, Infinity);
    this.exact[i] = this.lastExact;
    return tc;
  }

  fire(i: number, t: number): number {
    this.advance(i, t);
    const { n, rec, resetOps } = this;
    const o = i * this.stride;
    for (let s = 0; s < this.nReset; s++) {
      const b = s * (n + 2);
      let v = resetOps[b + n + 1];
      for (let k = 0; k < n; k++) v += resetOps[b + 1 + k] * rec[o + k];
      rec[o + resetOps[b]] = v;
    }
    const re = t + this.tRef;
    rec[o + n + 1] = re;
    if (this.tRef === 0 && rec[o + this.th] >= this.theta) {
      throw new Error(`linear model: the reset leaves the threshold variable at ${rec[o + this.th]}, at or above the threshold ${this.theta}, with no refractory period`);
    }
    const tc = this.crossing(i, re, Infinity);
    this.exact[i] = this.lastExact;
    return tc;
  }

  input(i: number, t: number, receptor: number, w: number, tPending: number): number {
    return this.inputAt(i, t, receptor, w, tPending);
  }

  /** An input; the new time if it is before tPending (its kind then in exact[i]), else Infinity. */
  private inputAt(i: number, t: number, receptor: number, w: number, tPending: number): number {
    this.advance(i, t);
    const o = i * this.stride;
    const v = this.receptorTarget[receptor];
    const re = this.rec[o + this.n + 1];
    let tc = Infinity;
    if (re > t) {
      if (v === this.th) return Infinity; // held: discarded
      this.rec[o + v] += w;
      tc = this.crossing(i, re, tPending);
    } else {
      this.rec[o + v] += w;
      if (this.rec[o + this.th] >= this.theta) {
        this.exact[i] = 1;
        return t;
      }
      const sign = this.kernelSign[receptor];
      // A kernel of fixed sign: an input against it can only delay the crossing (the pending event re-checks).
      if (sign !== 0 && sign * w <= 0) return Infinity;
      tc = this.crossing(i, t, tPending);
    }
    if (tc < tPending) this.exact[i] = this.lastExact;
    return tc;
  }

  inputMany(
    post: Int32Array, w: Float64Array, s0: number, s1: number, t: number, receptor: number,
    pending: Float64Array, changed: Int32Array, changedAt: Float64Array,
  ): number {
    let n = 0;
    const shared = w.length === 1;
    for (let s = s0; s < s1; s++) {
      const i = post[s];
      const tp = n > 0 && changed[n - 1] === i ? changedAt[n - 1] : pending[i];
      const tNew = this.inputAt(i, t, receptor, shared ? w[0] : w[s], tp);
      if (tNew < tp) {
        changed[n] = i;
        changedAt[n] = tNew;
        n++;
      }
    }
    return n;
  }

  /**
   * First time in [t0, tUpper) at which the threshold variable reaches theta, from neuron i's state projected to t0
   * (t0 >= tLast and t0 >= refEnd), or a check time before it (see header); Infinity if none before tUpper. Which of
   * the two in lastExact.
   */
  private crossing(i: number, t0: number, tUpper: number): number {
    const f = this.free;
    this.project(i, t0, this.tmp2, 0);
    this.lastExact = 1;
    if (this.tmp2[this.th] >= this.theta) return t0;
    const span = tUpper - t0;
    let hLow = 0;
    if (this.bounds) {
      hLow = this.bounds.lower(this.tmp2, 0, span);
      if (hLow === Infinity) return Infinity;
      if (hLow > this.nearMs) {
        // Far: a check time, rounded down to the grid unless that is not after t0 (as lif's).
        this.lastExact = 0;
        const tb = t0 + hLow;
        const tq = Math.floor(tb / this.checkGridMs) * this.checkGridMs;
        return tq > t0 ? tq : tb > t0 ? tb : nextTime(t0);
      }
    }
    const hi = span < f.horizon ? span : f.horizon;
    if (!(hi > hLow)) return Infinity;
    let h = Infinity;
    if (f.zPower) {
      // A polynomial in z = e^{-r0 h} (lif's form when its time constants divide tau_m): its largest root below
      // e^{-r0 hLow}, never above the true one, so h is never before the crossing (poly-root.ts, as models/lif/roots.ts).
      f.loadThresholdPoly(this.tmp2, 0, this.theta);
      const zLow = Math.exp(-f.r0 * hLow);
      const z = firstRootDown(zLow, Math.exp(-f.r0 * hi), CROSSING_TOL_MS * f.r0);
      if (z >= 0) h = z === zLow ? hLow : -Math.log(z) / f.r0;
    } else {
      if (f.loadThreshold(this.tmp2, 0, this.theta) < 0) return Infinity;
      h = firstExpPolyCrossing(hLow, hi, CROSSING_TOL_MS);
    }
    // The threshold variable is below theta at t0, so the answer must be after t0, even where t0 + h rounds to t0 (a
    // steep rise): queuing t0 again would look at the neuron at t0 forever (nextTime; models/lif.ts does the same).
    if (h !== Infinity) return t0 + h > t0 ? t0 + h : nextTime(t0);
    if (f.decays || hi === span) return Infinity;
    this.lastExact = 0;
    return t0 + hi > t0 ? t0 + hi : nextTime(t0);
  }
}

