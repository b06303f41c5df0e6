/**
 * A regime's propagator, x(h) = first n entries of e^{B h} [x; 1] = sum_q w_q(h) C_q [x; 1], generated once per
 * regime as straight-line code (new Function) from its spectral terms (flow.ts): the nonzero entries of each C_q
 * become numeric literals (shortest round-trip form, so the same doubles), zero entries and unused state variables
 * disappear, and the weights w_q = h^j e^{lambda_k h} are one exponential each, or, when every decaying rate is an
 * integer multiple q_k of the slowest r0, powers of one z = e^{-r0 h} by repeated squaring (as lif's tau_m / tau_s
 * powers). For CUBA's LIF the body is one exponential, two squarings and nine products.
 *
 * The sums are formed in the order a loop over terms and columns would form them (left to right), so the result is
 * the same as the dense matrix-vector product's, exact zeros aside. The generated source depends only on the terms:
 * the same system always gives the same function (tests/neurons/linear-flow.test.ts checks it against mathjs expm).
 */

/** Advances the n state values at src[so ..] by h into dst[d ..] (the two may be the same place). */
export type Propagate = (src: Float64Array, so: number, h: number, dst: Float64Array, d: number) => void;

export interface PropagatorTerms {
  /** State dimension (the augmented one is n + 1). */
  readonly n: number;
  /** Distinct eigenvalues. */
  readonly lambda: readonly number[];
  /** Per term q: its eigenvalue's index and its power of h (terms of one eigenvalue adjacent, j counting up). */
  readonly termK: Int32Array;
  readonly termJ: Int32Array;
  /** The C_q, (n + 1) x (n + 1) each, row-major, one after the other. */
  readonly termC: Float64Array;
  /** The slowest decaying rate when every decaying rate is an integer multiple of it, else 0; then power[k] = q_k. */
  readonly r0: number;
  readonly power: Int32Array;
}

/** A number as a source literal that reads back as the same double. */
function lit(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`propagator: coefficient ${x} is not finite`);
  return Object.is(x, -0) ? '(-0)' : x < 0 ? `(${String(x)})` : String(x);
}

/** The propagator's source: the body of a function (src, so, h, dst, d). */
export function propagatorSource(t: PropagatorTerms): string {
  const { n, lambda, termK, termJ, termC, r0, power } = t;
  const N = n + 1;
  const nTerms = termK.length;
  const used = new Set<number>();
  const rows: string[][] = Array.from({ length: n }, () => []);
  const weighted = new Set<number>();
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < nTerms; q++) {
      const parts: string[] = [];
      for (let j = 0; j < N; j++) {
        const c = termC[q * N * N + i * N + j];
        if (c === 0) continue;
        if (j < n) used.add(j);
        parts.push(j < n ? `${lit(c)} * y${j}` : lit(c));
      }
      if (parts.length === 0) continue;
      weighted.add(q);
      rows[i].push(`w${q} * (${parts.join(' + ')})`);
    }
  }
  const out: string[] = ['"use strict";'];
  for (const j of [...used].sort((a, b) => a - b)) out.push(`const y${j} = src[so + ${j}];`);
  // Weights: every term that a row uses, and the lower powers of h its chain builds on.
  const need = new Set<number>();
  for (const q of weighted) for (let p = q; p >= 0 && termK[p] === termK[q]; p--) need.add(p);
  const maxPower = Math.max(0, ...[...need].map((q) => (lambda[termK[q]] === 0 ? 0 : power[termK[q]])));
  if (r0 > 0 && maxPower > 0) {
    out.push(`const z1 = Math.exp(${lit(-r0)} * h);`);
    for (let p = 2; p <= maxPower; p *= 2) out.push(`const z${p} = z${p / 2} * z${p / 2};`);
  }
  for (let q = 0; q < nTerms; q++) {
    if (!need.has(q)) continue;
    const l = lambda[termK[q]];
    let w: string;
    if (termJ[q] > 0) w = `w${q - 1} * h`;
    else if (l === 0) w = '1';
    else if (r0 > 0) {
      // z^p from the squares, low bits first (what repeated squaring multiplies, in its order).
      const f: string[] = [];
      for (let p = power[termK[q]], b = 1; p > 0; p >>= 1, b *= 2) if (p & 1) f.push(`z${b}`);
      w = f.join(' * ');
    } else w = `Math.exp(${lit(l)} * h)`;
    out.push(`const w${q} = ${w};`);
  }
  for (let i = 0; i < n; i++) out.push(`dst[d + ${i}] = ${rows[i].length > 0 ? rows[i].join(' + ') : '0'};`);
  return out.join('\n');
}

/** The propagator as a function, compiled once (see the header). */
export function compilePropagator(t: PropagatorTerms): Propagate {
  // eslint-disable-next-line no-new-func -- generated from numbers only (lit), once per regime
  return new Function('src', 'so', 'h', 'dst', 'd', propagatorSource(t)) as Propagate;
}
