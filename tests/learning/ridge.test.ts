/**
 * The ridge readout against its optimality condition, an oracle independent of how it is solved: at the minimum of
 * |F W - T|^2 + lambda n |W|^2 the gradient F^T (F W - T) + lambda n W is zero, for every class column.
 */
import { describe, it, expect } from 'vitest';
import { fitRidge, ridgeAccuracy } from '../../src/learning/ridge.js';
import { createRng } from '../../src/kernel/rng.js';

describe('ridge readout', () => {
  it('zeroes the gradient of the penalized squared error and classifies separable data', () => {
    const n = 200, d = 5, classes = 3, lambda = 0.01;
    const rng = createRng(1, 'ridge-test');
    const X = Float64Array.from({ length: n * d }, () => rng.normal());
    // Labels from a fixed linear score: separable, so the readout should classify nearly all.
    const label = (k: number) => {
      const s = [X[k * d] + 0.5 * X[k * d + 1], -X[k * d] + X[k * d + 2], 0.3 * X[k * d + 3]];
      return s.indexOf(Math.max(...s));
    };
    const feat = (k: number, out: Float64Array) => out.set(X.subarray(k * d, (k + 1) * d));
    const r = fitRidge(n, d, classes, feat, label, lambda);
    const f = new Float64Array(d + 1);
    const grad = new Float64Array((d + 1) * classes);
    for (let k = 0; k < n; k++) {
      feat(k, f);
      f[d] = 1;
      for (let c = 0; c < classes; c++) {
        let y = 0;
        for (let i = 0; i <= d; i++) y += f[i] * r.w[i * classes + c];
        const e = y - (label(k) === c ? 1 : 0);
        for (let i = 0; i <= d; i++) grad[i * classes + c] += f[i] * e;
      }
    }
    for (let i = 0; i < grad.length; i++) expect(Math.abs(grad[i] + lambda * n * r.w[i])).toBeLessThan(1e-9);
    expect(ridgeAccuracy(r, n, feat, label)).toBeGreaterThan(0.85);
  });
});
