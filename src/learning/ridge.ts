/**
 * The best linear readout of fixed features, by ridge regression onto one-hot targets:
 *
 *     W = (F^T F + lambda n I)^-1 F^T T,   F: n x (d + 1) features with a constant column, T: n x classes one-hot
 *
 * (the constant column is penalized too; lambda is per example, so it does not depend on n). Prediction: the class
 * with the largest readout. It is the ceiling of any output layer trained on those features with squared error,
 * which is what a frozen hidden layer can do at best.
 */
import type { Matrix } from 'mathjs';
import { mathjs } from '../math/mathjs.js';

export interface RidgeReadout {
  /** (d + 1) x classes, row d the bias. */
  w: Float64Array;
  d: number;
  classes: number;
}

/** Fits the readout; `features(k, out)` writes example k's d features into out. */
export function fitRidge(n: number, d: number, classes: number, features: (k: number, out: Float64Array) => void, label: (k: number) => number, lambda: number): RidgeReadout {
  const m = d + 1;
  const A = new Float64Array(m * m);
  const B = new Float64Array(m * classes);
  const f = new Float64Array(m);
  for (let k = 0; k < n; k++) {
    features(k, f);
    f[d] = 1;
    for (let i = 0; i < m; i++) {
      const fi = f[i];
      if (fi === 0) continue;
      for (let j = 0; j < m; j++) A[i * m + j] += fi * f[j];
      B[i * classes + label(k)] += fi;
    }
  }
  const rows: number[][] = [];
  for (let i = 0; i < m; i++) rows.push(Array.from(A.subarray(i * m, (i + 1) * m), (v, j) => v + (i === j ? lambda * n : 0)));
  const lu = mathjs().lup(rows);
  const w = new Float64Array(m * classes);
  for (let c = 0; c < classes; c++) {
    const col = (mathjs().lusolve(lu, Array.from({ length: m }, (_, i) => B[i * classes + c])) as Matrix).toArray() as number[][];
    for (let i = 0; i < m; i++) w[i * classes + c] = col[i][0];
  }
  return { w, d, classes };
}

/** Fraction of examples whose largest readout is their label. */
export function ridgeAccuracy(r: RidgeReadout, n: number, features: (k: number, out: Float64Array) => void, label: (k: number) => number): number {
  const f = new Float64Array(r.d + 1);
  let right = 0;
  for (let k = 0; k < n; k++) {
    features(k, f);
    f[r.d] = 1;
    let best = 0;
    let bestV = -Infinity;
    for (let c = 0; c < r.classes; c++) {
      let v = 0;
      for (let i = 0; i <= r.d; i++) v += f[i] * r.w[i * r.classes + c];
      if (v > bestV) {
        bestV = v;
        best = c;
      }
    }
    if (best === label(k)) right++;
  }
  return right / n;
}
