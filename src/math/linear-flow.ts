/**
 * The closed-form flow of a linear system with real eigenvalues, as a sum of exponentials times polynomials.
 *
 * For a square matrix B (the caller augments x' = A x + c to y = [x; 1], y' = B y with B = [[A, c], [0, 0]], so the
 * constant is just one more eigenvalue 0),
 *
 *     e^{B h} = sum_k e^{lambda_k h} sum_{j < m_k} h^j C_kj,     C_kj = (B - lambda_k I)^j P_k / j!,
 *
 * over the distinct eigenvalues lambda_k of algebraic multiplicity m_k, with P_k the spectral projector onto the
 * generalized eigenspace of lambda_k. P_k = q_k(B) for the polynomial q_k = 1 mod (x - lambda_k)^{m_k} and 0 mod
 * (x - lambda_l)^{m_l} (l != k): q_k = D_k s_k with D_k = prod_{l != k} (x - lambda_l)^{m_l} and s_k the Taylor
 * series of 1 / D_k at lambda_k, cut after degree m_k - 1. Repeated eigenvalues (equal time constants, alpha
 * synapses) give the t^j e^{lambda t} terms; nothing here assumes B diagonalizable.
 *
 * Eigenvalues: B is first put in block-triangular form (strongly connected components of its coupling graph, as
 * most neuron models are feed-forward chains: currents into the membrane). A 1 x 1 block's eigenvalue is its entry,
 * exactly, so equal time constants give equal eigenvalues bit for bit; a 2 x 2 block's are the roots of its
 * characteristic quadratic (cancellation-free form); larger blocks go to mathjs `eigs`. Eigenvalues closer than
 * CLUSTER_REL times the largest magnitude are merged into one of the summed multiplicity: the Jordan-form series
 * is then off by O((delta h)^2) where keeping them apart would lose eps / delta to cancellation. Complex
 * eigenvalues (damped oscillations) are refused: the first threshold crossing of an oscillating sum has no
 * Rolle-type bound on its number of roots, and this simulator only queues crossings it can prove first.
 *
 * The result is checked against mathjs `expm` (Pade) at one time step; a decomposition off by more than 1e-8
 * relative is refused rather than used.
 */
import type { Matrix } from 'mathjs';
import { mathjs } from './mathjs.js';

/** Eigenvalues within this fraction of the largest eigenvalue magnitude count as one (see the header). */
export const CLUSTER_REL = 1e-7;

export class ComplexEigenvalueError extends Error {
  constructor(readonly re: number, readonly im: number) {
    super(`has complex eigenvalues ${fmt(re)} +- ${fmt(Math.abs(im))}i per ms (damped oscillation)`);
  }
}

const fmt = (x: number) => Number(x.toPrecision(6)).toString();

export interface Spectrum {
  /** Dimension of B. */
  readonly n: number;
  /** Distinct eigenvalues lambda_k (per ms), in increasing order. */
  readonly lambda: number[];
  /** Multiplicity m_k of each. */
  readonly mult: number[];
  /** C[k][j]: the n x n matrix C_kj, row-major (see the header). */
  readonly C: Float64Array[][];
}

type Mat = number[][];

const zeros = (n: number): Mat => Array.from({ length: n }, () => new Array<number>(n).fill(0));
const identity = (n: number): Mat => zeros(n).map((r, i) => ((r[i] = 1), r));

function mul(a: Mat, b: Mat): Mat {
  const n = a.length;
  const out = zeros(n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) if (a[i][k] !== 0) for (let j = 0; j < n; j++) out[i][j] += a[i][k] * b[k][j];
  return out;
}

const shift = (b: Mat, l: number): Mat => b.map((r, i) => r.map((x, j) => (i === j ? x - l : x)));

/** Strongly connected components of the graph i -> j for b[i][j] != 0 (Tarjan). */
function components(b: Mat): number[][] {
  const n = b.length;
  const index = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const on = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  const out: number[][] = [];
  let next = 0;
  const visit = (v: number) => {
    index[v] = low[v] = next++;
    stack.push(v);
    on[v] = true;
    for (let w = 0; w < n; w++) {
      if (w === v || b[v][w] === 0) continue;
      if (index[w] < 0) {
        visit(w);
        low[v] = Math.min(low[v], low[w]);
      } else if (on[w]) low[v] = Math.min(low[v], index[w]);
    }
    if (low[v] === index[v]) {
      const comp: number[] = [];
      let w: number;
      do {
        w = stack.pop()!;
        on[w] = false;
        comp.push(w);
      } while (w !== v);
      out.push(comp);
    }
  };
  for (let v = 0; v < n; v++) if (index[v] < 0) visit(v);
  return out;
}

/** Eigenvalues of one diagonal block (indices idx of b); throws ComplexEigenvalueError. */
function blockEigenvalues(b: Mat, idx: number[]): number[] {
  if (idx.length === 1) return [b[idx[0]][idx[0]]];
  if (idx.length === 2) {
    const [p, q] = idx;
    const a = b[p][p], bb = b[p][q], c = b[q][p], d = b[q][q];
    const half = (a - d) / 2;
    const disc = half * half + bb * c;
    const mid = (a + d) / 2;
    if (disc < 0) throw new ComplexEigenvalueError(mid, Math.sqrt(-disc));
    const s = Math.sqrt(disc);
    const l1 = mid + (mid >= 0 ? s : -s); // the larger in magnitude, without cancellation
    const det = a * d - bb * c;
    const l2 = l1 !== 0 ? det / l1 : mid - (mid >= 0 ? s : -s);
    return [l1, l2];
  }
  const sub = idx.map((i) => idx.map((j) => b[i][j]));
  const values = mathjs().eigs(mathjs().matrix(sub), { eigenvectors: false }).values as unknown;
  const list = ((values as Matrix).toArray ? (values as Matrix).toArray() : values) as Array<number | { re: number; im: number }>;
  const scale = Math.max(...sub.flat().map(Math.abs), 1e-300);
  return list.map((v) => {
    if (typeof v === 'number') return v;
    if (Math.abs(v.im) > 1e-12 * scale) throw new ComplexEigenvalueError(v.re, v.im);
    return v.re;
  });
}

/** Eigenvalues grouped into clusters: [value, multiplicity], increasing. */
function clusters(values: number[]): [number, number][] {
  const sorted = [...values].sort((x, y) => x - y);
  const tol = CLUSTER_REL * Math.max(...sorted.map(Math.abs), 0);
  const out: { sum: number; n: number; first: number }[] = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last && v - last.first <= tol) {
      last.sum += v;
      last.n++;
    } else out.push({ sum: v, n: 1, first: v });
  }
  // A cluster of equal values keeps the value exactly (the mean of equal doubles can round); one holding 0 (the
  // augmented constant) stays exactly 0, so that the constant remains a term of its own.
  return out.map((c) => {
    const members = sorted.filter((v) => v >= c.first && v - c.first <= tol);
    const exact = members.includes(0) ? 0 : members.every((v) => v === c.first) ? c.first : c.sum / c.n;
    return [exact, c.n];
  });
}

/** Taylor coefficients (degree < terms) at u = 0 of prod_l (u + d_l)^{-m_l}. */
function inverseSeries(d: number[], m: number[], terms: number): number[] {
  let s = new Array<number>(terms).fill(0);
  s[0] = 1;
  d.forEach((dl, l) => {
    // (u + d)^{-m} = d^{-m} sum_j binom(-m, j) (u/d)^j
    const f = new Array<number>(terms).fill(0);
    let coef = Math.pow(dl, -m[l]);
    for (let j = 0; j < terms; j++) {
      f[j] = coef;
      coef *= (-m[l] - j) / (j + 1) / dl;
    }
    const prod = new Array<number>(terms).fill(0);
    for (let i = 0; i < terms; i++) for (let j = 0; i + j < terms; j++) prod[i + j] += s[i] * f[j];
    s = prod;
  });
  return s;
}

/** The spectral decomposition of B (header); throws ComplexEigenvalueError, or Error if it fails its check. */
export function spectrum(B: Mat): Spectrum {
  const n = B.length;
  const values = components(B).flatMap((comp) => blockEigenvalues(B, comp));
  const cl = clusters(values);
  const lambda = cl.map((c) => c[0]);
  const mult = cl.map((c) => c[1]);
  const C = lambda.map((lk, k) => {
    const Mk = shift(B, lk);
    let Q = identity(n);
    lambda.forEach((ll, l) => {
      if (l === k) return;
      const Ml = shift(B, ll);
      for (let r = 0; r < mult[l]; r++) Q = mul(Q, Ml);
    });
    const others = lambda.map((ll) => lk - ll).filter((_, l) => l !== k);
    const sig = inverseSeries(others, mult.filter((_, l) => l !== k), mult[k]);
    let S = zeros(n);
    let Mp = identity(n);
    for (let j = 0; j < mult[k]; j++) {
      S = S.map((r, a) => r.map((x, b) => x + sig[j] * Mp[a][b]));
      Mp = mul(Mp, Mk);
    }
    const P = mul(Q, S);
    const out: Float64Array[] = [];
    let T = P;
    let fact = 1;
    for (let j = 0; j < mult[k]; j++) {
      out.push(Float64Array.from(T.flat(), (x) => x / fact));
      T = mul(Mk, T);
      fact *= j + 1;
    }
    return out;
  });
  const s: Spectrum = { n, lambda, mult, C };
  checkAgainstExpm(B, s);
  return s;
}

/** e^{B h} from the decomposition, row-major (for the check and for tests). */
export function flowMatrix(s: Spectrum, h: number): Float64Array {
  const out = new Float64Array(s.n * s.n);
  s.lambda.forEach((l, k) => {
    const e = Math.exp(l * h);
    let hj = 1;
    for (let j = 0; j < s.mult[k]; j++) {
      const Ckj = s.C[k][j];
      for (let q = 0; q < out.length; q++) out[q] += e * hj * Ckj[q];
      hj *= h;
    }
  });
  return out;
}

function checkAgainstExpm(B: Mat, s: Spectrum): void {
  const rate = Math.max(...s.lambda.map(Math.abs));
  const h = rate > 0 ? 1 / rate : 1;
  let ref: number[][];
  try {
    ref = (mathjs().expm(mathjs().matrix(B.map((r) => r.map((x) => x * h)))) as Matrix).toArray() as number[][];
  } catch (e) {
    // mathjs gives up on entries far out of scale ("Could not find acceptable parameters ..."), which said nothing
    // of which part of the scenario was at fault: a constant such as a bias of 1e17 mV sits in B's last column.
    const big = Math.max(...B.flat().map(Math.abs));
    throw new Error(`its system cannot be checked against the matrix exponential (mathjs: ${(e as Error).message}): its largest coefficient, ${Number(big.toPrecision(3)).toExponential()} per ms, is out of range; look for a parameter (a bias, a potential) of about that size times its time constant`);
  }
  const got = flowMatrix(s, h);
  const scale = Math.max(1, ...ref.flat().map(Math.abs));
  let err = 0;
  for (let i = 0; i < s.n; i++) for (let j = 0; j < s.n; j++) err = Math.max(err, Math.abs(got[i * s.n + j] - ref[i][j]));
  if (!(err <= 1e-8 * scale)) {
    throw new Error(`its closed-form solution is ill-conditioned (off by ${fmt(err / scale)} relative from the matrix exponential); eigenvalues ${s.lambda.map(fmt).join(', ')} per ms`);
  }
}
