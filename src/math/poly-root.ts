/**
 * Exact root isolation for real polynomials of low degree,
 *
 *     p(z) = sum_{k=0..d} c_k z^k,     d <= MAX_DEGREE,
 *
 * the form the LIF trajectory takes in z = exp(-h / tau_m) when every synaptic time constant divides tau_m
 * (tau_m / tau_s = q integer: exp(-h / tau_s) = z^q; Brette 2007). Evaluating p costs d multiply-adds and no
 * exponential, where the same trajectory as an exponential polynomial (exp-sum.ts) costs one exponential per term.
 *
 * Method (Rolle, as in exp-sum.ts): the roots of p' cut an interval into pieces on which p is monotone, so each
 * piece holds at most one root of p, refined by safeguarded Newton on a sign-changing bracket. The roots of p' come
 * the same way from those of p'', down to a quadratic or linear derivative, whose roots have a closed form. Nothing
 * is sampled on a grid, so no root can be missed. Brackets are refined to a relative width, since callers map z back
 * to time by a logarithm (dh = tau dz / z).
 *
 * All scratch storage is preallocated: calls allocate nothing.
 */

export const MAX_DEGREE = 8;
const LEVELS = MAX_DEGREE + 1;

// Coefficients of p and of its derivatives: level L holds p^(L), of degree DEG - L.
const C = Array.from({ length: LEVELS }, () => new Float64Array(LEVELS));
// Roots of each level in the current search interval, in increasing order.
const R = Array.from({ length: LEVELS }, () => new Float64Array(LEVELS));
const NR = new Int32Array(LEVELS);
let DEG = 0;
/**
 * refine's registers: its arguments (a, b, fa, fb, relTol) in RG[0..4], its answer in RG[5]. Doubles passed to or
 * returned from a call V8 does not inline are boxed (allocated); refine is too large to inline.
 */
const RG = new Float64Array(6);
/** Relative precision of the critical points that split the search into monotone pieces. */
const CRITICAL_REL_TOL = 1e-10;

/** Loads p(z) = sum c_k z^k for k <= degree (leading zeros are dropped) and its derivatives. */
export function setPoly(c: ArrayLike<number>, degree: number): void {
  let d = degree;
  while (d > 0 && c[d] === 0) d--;
  if (d > MAX_DEGREE) throw new Error(`setPoly: degree ${d} > ${MAX_DEGREE}`);
  DEG = d;
  const c0 = C[0];
  for (let k = 0; k <= d; k++) c0[k] = c[k];
  for (let L = 1; L <= d; L++) {
    const prev = C[L - 1];
    const cur = C[L];
    for (let k = 0; k <= d - L; k++) cur[k] = (k + 1) * prev[k + 1];
  }
}

/** p^(L)(z) by Horner's rule. */
function evalLevel(L: number, z: number): number {
  const c = C[L];
  let s = c[DEG - L];
  for (let k = DEG - L - 1; k >= 0; k--) s = s * z + c[k];
  return s;
}

/** Value of the loaded p at z (for tests and callers that check a bracket). */
export function evalPoly(z: number): number {
  return evalLevel(0, z);
}

/**
 * Root of level L between a and b (either order), given fa = p^(L)(a) and fb = p^(L)(b) of opposite signs (or
 * fb === 0) and p^(L) monotone between them; (a, b, fa, fb, relTol) = RG[0..4]. Leaves in RG[5] the end of the final
 * bracket on b's side (where p^(L) has fb's sign or is 0), within relTol * |root| of the root.
 */
function refine(L: number): void {
  let a = RG[0];
  let b = RG[1];
  const fa = RG[2];
  const fb = RG[3];
  const relTol = RG[4];
  RG[5] = b;
  if (fb === 0) return;
  const aNeg = fa < 0;
  let t = a - (fa * (b - a)) / (fb - fa); // regula falsi start
  if (!(t > Math.min(a, b) && t < Math.max(a, b))) t = 0.5 * (a + b);
  let stepOld = Math.abs(b - a);
  for (let iter = 0; iter < 200; iter++) {
    const tol = relTol * Math.min(Math.abs(a), Math.abs(b));
    if (Math.abs(b - a) <= tol) break;
    // p^(L)(t) and p^(L+1)(t) by Horner, written out: evalLevel returns a double, boxed when not inlined.
    const cl = C[L];
    let ft = cl[DEG - L];
    for (let k = DEG - L - 1; k >= 0; k--) ft = ft * t + cl[k];
    if (ft === 0) {
      RG[5] = t;
      return;
    }
    const onA = ft < 0 === aNeg;
    if (onA) a = t;
    else b = t;
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    if (hi - lo <= relTol * Math.min(Math.abs(a), Math.abs(b))) break;
    // Safeguarded Newton: bisect when the step leaves the bracket or does not halve the last step.
    const cd = C[L + 1];
    let d = cd[DEG - L - 1];
    for (let k = DEG - L - 2; k >= 0; k--) d = d * t + cd[k];
    const step = d !== 0 ? ft / d : Infinity;
    const next = t - step;
    if (!(next > lo && next < hi) || Math.abs(2 * step) > stepOld) {
      stepOld = hi - lo;
      t = 0.5 * (lo + hi);
    } else if (Math.abs(step) < tol) {
      // Converged: the root is within tol of t; one probe just past it, toward the other end, closes the bracket.
      const towardB = b > a ? tol : -tol;
      t = onA ? t + towardB : t - towardB;
      if (!(t > lo && t < hi)) t = 0.5 * (lo + hi);
    } else {
      stepOld = Math.abs(step);
      t = next;
    }
  }
  RG[5] = b;
}

/** Roots (sign changes and touches) of level L in the open interval (lo, hi), increasing, into R[L]. */
function rootsOf(L: number, lo: number, hi: number): void {
  NR[L] = 0;
  const d = DEG - L;
  if (d <= 0) return;
  const c = C[L];
  if (d === 1) {
    const z = -c[0] / c[1];
    if (z > lo && z < hi) R[L][NR[L]++] = z;
    return;
  }
  if (d === 2) {
    // Closed form, in the cancellation-free pair q / c2 and c0 / q (a double root is a touch: no sign change).
    const disc = c[1] * c[1] - 4 * c[2] * c[0];
    if (!(disc > 0)) return;
    const q = -0.5 * (c[1] + (c[1] < 0 ? -Math.sqrt(disc) : Math.sqrt(disc)));
    let z1 = q / c[2];
    let z2 = c[0] / q;
    if (z2 < z1) {
      const x = z1;
      z1 = z2;
      z2 = x;
    }
    if (z1 > lo && z1 < hi) R[L][NR[L]++] = z1;
    if (z2 > lo && z2 < hi) R[L][NR[L]++] = z2;
    return;
  }
  rootsOf(L + 1, lo, hi);
  let l = lo;
  let fl = evalLevel(L, l);
  for (let p = 0; p <= NR[L + 1]; p++) {
    const r = p < NR[L + 1] ? R[L + 1][p] : hi;
    if (!(r > l)) continue;
    const fr = evalLevel(L, r);
    if (fr === 0) {
      if (r < hi) R[L][NR[L]++] = r;
    } else if ((fl < 0 && fr > 0) || (fl > 0 && fr < 0)) {
      RG[0] = l;
      RG[1] = r;
      RG[2] = fl;
      RG[3] = fr;
      RG[4] = CRITICAL_REL_TOL;
      refine(L);
      R[L][NR[L]++] = RG[5];
    }
    l = r;
    fl = fr;
  }
}

/**
 * Scanning z downward from zStart to zEnd (0 <= zEnd < zStart): the first, i.e. largest, z in [zEnd, zStart] with
 * p(z) >= 0, given the loaded p. -1 if none. The answer is within relTol * z below the true root, never above it,
 * so that with z = exp(-h / tau) the time h it stands for is never before the crossing (up to the rounding of the
 * logarithm).
 */
export function firstRootDown(zStart: number, zEnd: number, relTol: number): number {
  let fa = evalLevel(0, zStart);
  if (fa >= 0) return zStart;
  if (DEG === 0) return -1;
  // Critical points split [zEnd, zStart] into pieces where p changes sign at most once; take them from the top.
  rootsOf(1, zEnd, zStart);
  let a = zStart;
  for (let p = NR[1]; p >= 0; p--) {
    const b = p > 0 ? R[1][p - 1] : zEnd;
    if (!(b < a)) continue;
    const fb = evalLevel(0, b);
    if (fb >= 0) {
      RG[0] = a;
      RG[1] = b;
      RG[2] = fa;
      RG[3] = fb;
      RG[4] = relTol;
      refine(0);
      return RG[5];
    }
    a = b;
    fa = fb;
  }
  return -1;
}
