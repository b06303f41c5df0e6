/**
 * One regime of a linear model (free or refractory), precomputed for the hot path: the spectral terms of e^{B h}
 * (src/math/linear-flow.ts) flattened into typed arrays, and a propagator generated from them (propagator.ts), so
 * that advancing a neuron costs one exponential per distinct eigenvalue (or one in all) and the products of the
 * nonzero entries, and loading its threshold variable's trajectory into the root finder costs one dot product per
 * term. Nothing here allocates after construction.
 *
 * Term q = (k, j) stands for e^{lambda_k h} h^j C_kj; `termC` holds the C_kj row-major, one after the other.
 */
import { spectrum, type Spectrum } from '../../math/linear-flow.js';
import { setExpPoly, EXP_POLY_MAX_TERMS } from '../../math/exp-poly.js';
import { compilePropagator, type Propagate } from './propagator.js';
import { setPoly, MAX_DEGREE } from '../../math/poly-root.js';

/** Largest rate ratio taken as an integer power (lif's MAX_POWER, models/lif/layout.ts): up to four squarings. */
const MAX_POWER = 16;

export class Flow {
  /** State dimension n; the augmented one is n + 1. */
  readonly n: number;
  readonly spec: Spectrum;
  private readonly nTerms: number;
  private readonly termK: Int32Array;
  private readonly termJ: Int32Array;
  private readonly termC: Float64Array;
  /** Row `th` of each C_kj: the threshold variable's trajectory coefficients are thRow . y. */
  private readonly thRow: Float64Array;
  /** Per distinct eigenvalue: its rate m_k = -lambda_k and degree mult_k - 1, for the root finder. */
  readonly rate: Float64Array;
  readonly degree: Int32Array;
  /** sup_{h >= 0} h^j e^{lambda_k h} per term (Infinity where unbounded); used by the never-crosses bound. */
  private readonly peak: Float64Array;
  /** Index of the term (lambda = 0, j = 0), the constant, or -1. */
  private readonly constTerm: number;
  /**
   * True when every eigenvalue is < 0 except a simple 0 (the constant): past `horizon` ms every other term is below
   * the smallest double, so a trajectory that has not crossed by then never does.
   */
  readonly decays: boolean;
  /** See `decays`; otherwise the length of one search window (the neuron is looked at again at its end). */
  readonly horizon: number;
  /**
   * When the threshold variable's trajectory is a polynomial in z = e^{-r0 h} of degree <= MAX_DEGREE (every decaying
   * rate an integer multiple q_k of the slowest, r0, and no repeated eigenvalue): q_k per eigenvalue (0 for the
   * constant), so that its crossing is a polynomial root (loadThresholdPoly; lif's poly-root.ts). Else null.
   */
  readonly zPower: Int32Array | null;
  /** The r0 of zPower (0 when null). */
  readonly r0: number;
  /**
   * Advances the n state values at src[so ..] by h into dst[do_ ..] (the two may be the same place): x(h) is the
   * first n entries of e^{B h} [x; 1]. Generated once from the terms as straight-line code (propagator.ts): their
   * nonzero entries only, and one exponential per step when the rates are integer multiples of the slowest.
   */
  readonly propagate: Propagate;
  // Scratch.
  private readonly poly = new Float64Array(MAX_DEGREE + 1);
  private readonly y: Float64Array;
  private readonly coef: Float64Array;

  constructor(readonly B: number[][], readonly th: number) {
    const N = B.length;
    this.n = N - 1;
    if (N > EXP_POLY_MAX_TERMS) throw new Error(`has ${N - 1} state variables; at most ${EXP_POLY_MAX_TERMS - 1} are supported`);
    const s = (this.spec = spectrum(B));
    const K = s.lambda.length;
    this.nTerms = s.mult.reduce((a, b) => a + b, 0);
    this.termK = new Int32Array(this.nTerms);
    this.termJ = new Int32Array(this.nTerms);
    this.termC = new Float64Array(this.nTerms * N * N);
    this.thRow = new Float64Array(this.nTerms * N);
    this.peak = new Float64Array(this.nTerms);
    let q = 0;
    let constTerm = -1;
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < s.mult[k]; j++, q++) {
        this.termK[q] = k;
        this.termJ[q] = j;
        this.termC.set(s.C[k][j], q * N * N);
        this.thRow.set(s.C[k][j].subarray(th * N, th * N + N), q * N);
        const l = s.lambda[k];
        this.peak[q] = j === 0 ? (l <= 0 ? 1 : Infinity) : l < 0 ? Math.pow(j / (Math.E * -l), j) : Infinity;
        if (l === 0 && j === 0) constTerm = q;
      }
    }
    if (constTerm < 0) throw new Error('has no constant term (not an augmented matrix)');
    this.constTerm = constTerm;
    this.rate = Float64Array.from(s.lambda, (l) => -l);
    this.degree = Int32Array.from(s.mult, (m) => m - 1);
    const slowest = Math.min(...s.lambda.filter((l) => l < 0).map((l) => -l));
    const fastest = Math.max(...s.lambda.map(Math.abs));
    this.decays = s.lambda.every((l, k) => l < 0 || (l === 0 && s.mult[k] === 1));
    // e^{-700} is about 1e-304: past that a decaying term is below any constant it could offset.
    this.horizon = this.decays ? (slowest === Infinity ? 0 : 700 / slowest) : fastest > 0 ? 50 / fastest : 1000;
    // Rates that are integer multiples (<= MAX_POWER) of the slowest: one exponential per step (propagator.ts).
    const r0 = slowest === Infinity ? 0 : slowest;
    const ratio = s.lambda.map((l) => (l === 0 ? 0 : -l / r0));
    const commensurate = r0 > 0 && s.lambda.every((l, k) => l === 0 || (l < 0 && Number.isInteger(ratio[k]) && ratio[k] <= MAX_POWER));
    this.propagate = compilePropagator({
      n: this.n, lambda: s.lambda, termK: this.termK, termJ: this.termJ, termC: this.termC,
      r0: commensurate ? r0 : 0, power: Int32Array.from(ratio, (x) => (commensurate ? x : 0)),
    });
    const poly = commensurate && s.mult.every((m) => m === 1) && Math.max(...ratio) <= MAX_DEGREE;
    this.zPower = poly ? Int32Array.from(ratio) : null;
    this.r0 = poly ? r0 : 0;
    this.y = new Float64Array(N);
    this.coef = new Float64Array(K * EXP_POLY_MAX_TERMS);
  }

  /**
   * Loads the threshold variable's trajectory from the state src[so ..], minus theta, as the polynomial
   * sum_k a_k z^{q_k} in z = e^{-r0 h} into poly-root.ts (zPower must not be null).
   */
  loadThresholdPoly(src: Float64Array, so: number, theta: number): void {
    const { n, y, thRow, termK, nTerms, poly } = this;
    const N = n + 1;
    const zPower = this.zPower!;
    for (let i = 0; i < n; i++) y[i] = src[so + i];
    y[n] = 1;
    poly.fill(0);
    for (let q = 0; q < nTerms; q++) {
      let a = 0;
      for (let j = 0; j < N; j++) a += thRow[q * N + j] * y[j];
      if (q === this.constTerm) a -= theta;
      poly[zPower[termK[q]]] += a;
    }
    setPoly(poly, MAX_DEGREE);
  }

  /**
   * The fixed point x_inf (n values) of a system that `decays`: every trajectory tends to it, so it is the constant
   * term's matrix applied to [x; 1], whatever x (column n of C for lambda = 0).
   */
  fixedPoint(): Float64Array {
    const N = this.n + 1;
    const base = this.constTerm * N * N;
    return Float64Array.from({ length: this.n }, (_, i) => this.termC[base + i * N + this.n]);
  }

  /**
   * Loads the `order`-th derivative of the threshold variable's response kernel K_j(h) = [e^{A h}]_{th, j}
   * (loadThreshold with unitInput j) into the root finder: d/dh h^d e^{lambda h} = (d h^{d-1} + lambda h^d) e^{lambda h},
   * per eigenvalue a polynomial of the same degree.
   */
  loadKernelDerivative(j: number, order: number): void {
    this.loadThreshold(this.y, 0, 0, j);
    const { coef, degree } = this;
    const lambda = this.spec.lambda;
    for (let o = 0; o < order; o++) {
      for (let k = 0; k < degree.length; k++) {
        const b = k * EXP_POLY_MAX_TERMS;
        for (let d = 0; d <= degree[k]; d++) coef[b + d] = (d < degree[k] ? (d + 1) * coef[b + d + 1] : 0) + lambda[k] * coef[b + d];
      }
    }
    setExpPoly(this.rate, this.degree, coef, this.rate.length);
  }

  /**
   * Loads the threshold variable's trajectory from the state src[so ..] (at h = 0), minus theta, into the root finder
   * (src/math/exp-poly.ts): sum_k e^{-m_k h} sum_j (thRow_kj . y) h^j - theta. With `unitInput` >= 0 the state is
   * replaced by the unit vector of that index and no constant (the response kernel of an input there). Returns an
   * upper bound of the loaded function over all h >= 0 (Infinity if unbounded).
   */
  loadThreshold(src: Float64Array, so: number, theta: number, unitInput = -1): number {
    const { n, y, thRow, termK, termJ, nTerms, coef, peak } = this;
    const N = n + 1;
    if (unitInput >= 0) {
      y.fill(0);
      y[unitInput] = 1;
    } else {
      for (let i = 0; i < n; i++) y[i] = src[so + i];
      y[n] = 1;
    }
    coef.fill(0);
    let upper = 0;
    for (let q = 0; q < nTerms; q++) {
      let a = 0;
      for (let j = 0; j < N; j++) a += thRow[q * N + j] * y[j];
      if (q === this.constTerm) a -= unitInput >= 0 ? 0 : theta;
      coef[termK[q] * EXP_POLY_MAX_TERMS + termJ[q]] = a;
      if (q === this.constTerm) upper += a;
      else if (a > 0) upper += a * peak[q];
    }
    setExpPoly(this.rate, this.degree, coef, this.rate.length);
    return upper;
  }
}
