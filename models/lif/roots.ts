/**
 * Root solving for a LIF neuron's first threshold crossing, once the bounds put it near: v(t0 + h) - v_th as an
 * exponential polynomial (src/math/exp-sum.ts), or, when every rate is an integer multiple of 1/tau_m, as a polynomial
 * in z = e^{-h/tau_m} (src/math/poly-root.ts).
 */
import { setExpSum, firstCrossing } from '../../src/math/exp-sum.js';
import { setPoly, firstRootDown, MAX_DEGREE } from '../../src/math/poly-root.js';
import { CROSSING_TOL_MS } from '../../src/kernel/units.js';
import { LifBounds } from './bounds.js';

/** Most terms of the exponential polynomial after merging equal rates: the constant, e^{-h/tau_m}, one per receptor. */
const MAX_TERMS = 4;
// Scratch for the exponential polynomial v(t0 + h) - v_th: amplitudes a, the factors b of h e^{-h/tau_m}, rates m.
const ta = new Float64Array(MAX_TERMS);
const tb = new Float64Array(MAX_TERMS);
const tm = new Float64Array(MAX_TERMS);
// Scratch coefficients of v - v_th as a polynomial in z = e^{-h/tau_m}.
const pc = new Float64Array(MAX_DEGREE + 1);

export class LifRoots extends LifBounds {
  /** First crossing in (hLow, hHi] by root isolation of the exponential polynomial (any time constants). */
  protected expSumCrossing(v0: number, ie0: number, ii0: number, hLow: number, hHi: number): number {
    this.loadPolynomial(v0, ie0, ii0);
    return firstCrossing(hLow, hHi, CROSSING_TOL_MS);
  }

  /**
   * The same in z = e^{-h/tau_m}, when the time constants allow (this.poly): with a_e = i_exc K_e, a_i = i_inh K_i,
   *     v(h) - v_th = (v_inf - v_th) + (v0 - v_inf - a_e - a_i) z + a_e z^{q_e} + a_i z^{q_i},
   * and the first crossing is the largest root z below e^{-hLow/tau_m}; h = -tau_m ln z.
   */
  protected polyCrossing(v0: number, ie0: number, ii0: number, hLow: number, hHi: number): number {
    const ae = this.deltaE ? 0 : ie0 * this.kE;
    const ai = this.deltaI ? 0 : ii0 * this.kI;
    pc.fill(0);
    pc[0] = this.vInf - this.vTh;
    pc[1] = v0 - this.vInf - ae - ai;
    if (ae !== 0) pc[this.qE] += ae;
    if (ai !== 0) pc[this.qI] += ai;
    setPoly(pc, MAX_DEGREE);
    const zLow = Math.exp(-hLow / this.tauM);
    const z = firstRootDown(zLow, Math.exp(-hHi / this.tauM), CROSSING_TOL_MS / this.tauM);
    if (z < 0) return Infinity;
    return z === zLow ? hLow : -this.tauM * Math.log(z);
  }

  /**
   * Loads v(t0 + h) - v_th = c0 + (a_m + b_m h) e^{-h/tau_m} + a_e e^{-h/tau_e} + a_i e^{-h/tau_i} into the root
   * finder (b_m only when a synaptic time constant equals tau_m; terms of equal rate merged). Returns the term count.
   */
  protected loadPolynomial(v0: number, ie0: number, ii0: number): number {
    let am = v0 - this.vInf;
    let bm = 0;
    let n = 1;
    ta[0] = this.vInf - this.vTh;
    tb[0] = 0;
    tm[0] = 0;
    const rm = 1 / this.tauM;
    if (ie0 !== 0) {
      if (this.kE === this.kE) {
        am -= ie0 * this.kE;
        n = this.addTerm(n, ie0 * this.kE, 1 / this.tauE);
      } else bm += ie0 * rm;
    }
    if (ii0 !== 0) {
      if (this.kI === this.kI) {
        am -= ii0 * this.kI;
        n = this.addTerm(n, ii0 * this.kI, 1 / this.tauI);
      } else bm += ii0 * rm;
    }
    n = this.addTerm(n, am, rm);
    for (let k = 1; k < n; k++) if (tm[k] === rm) tb[k] = bm;
    setExpSum(ta, tb, tm, n);
    return n;
  }

  /** Adds a e^{-r h} to the scratch polynomial, merging with a term of equal rate. */
  protected addTerm(n: number, a: number, r: number): number {
    for (let k = 1; k < n; k++) {
      if (tm[k] === r) {
        ta[k] += a;
        return n;
      }
    }
    ta[n] = a;
    tb[n] = 0;
    tm[n] = r;
    return n + 1;
  }}
