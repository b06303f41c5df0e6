/**
 * Weighted least-squares line y = intercept + slope x, solved with mathjs (normal equations).
 *
 * With weights w_i = 1 / sigma_i^2 from known standard errors (`knownVariance`), the coefficient covariance is
 * (X^T W X)^{-1}; otherwise it is scaled by the residual variance RSS_w / (n - 2). The 95% interval uses the normal
 * quantile 1.96 (appropriate for known variances; slightly narrow for few points with estimated variance).
 * r2 = 1 - RSS / TSS on the unweighted values.
 */
import type { Matrix } from 'mathjs';
import { mathjs } from '../math/mathjs.js';

export interface LineFit {
  slope: number;
  intercept: number;
  slopeSe: number;
  slopeCi95: [number, number];
  r2: number;
}

export function weightedLinearFit(x: number[], y: number[], w: number[], knownVariance = true): LineFit {
  const n = x.length;
  const { inv, multiply, transpose, matrix } = mathjs();
  const X = matrix(x.map((xi) => [1, xi]));
  const W = matrix(x.map((_, i) => x.map((__, j) => (i === j ? w[i] : 0))));
  const Xt = transpose(X);
  const XtW = multiply(Xt, W) as Matrix;
  const cov = inv(multiply(XtW, X) as Matrix) as Matrix;
  const beta = multiply(cov, multiply(XtW, matrix(y))) as Matrix;
  const [intercept, slope] = beta.toArray() as number[];
  let rssW = 0, rss = 0, tss = 0;
  const mean = y.reduce((a, b) => a + b, 0) / n;
  for (let i = 0; i < n; i++) {
    const r = y[i] - (intercept + slope * x[i]);
    rssW += w[i] * r * r;
    rss += r * r;
    tss += (y[i] - mean) ** 2;
  }
  const scale = knownVariance ? 1 : n > 2 ? rssW / (n - 2) : 0;
  const slopeSe = Math.sqrt((cov.get([1, 1]) as number) * scale);
  return { slope, intercept, slopeSe, slopeCi95: [slope - 1.96 * slopeSe, slope + 1.96 * slopeSe], r2: tss > 0 ? 1 - rss / tss : 1 };
}
