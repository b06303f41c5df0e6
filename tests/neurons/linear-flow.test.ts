/**
 * Flow.propagate (src/neurons/linear/flow.ts: the nonzero entries of the spectral terms only, and z^q powers of one
 * exponential when the rates are integer multiples of the slowest) against mathjs `expm` of the augmented matrix, an
 * independent computation (Pade): random states, steps from 1e-3 to 300 ms, within 1e-10 relative. Both regimes
 * (the refractory one has the threshold row zeroed), commensurate rates (CUBA's 1/20, 1/10, 1/5), rates that are
 * not, Jordan chains, a coupled block and a perfect integrator.
 */
import { describe, expect, it } from 'vitest';
import { expm, matrix, type Matrix } from 'mathjs';
import { Flow } from '../../src/neurons/linear/flow.js';
import { createRng } from '../../src/kernel/rng.js';

const cases: [string, number[][], boolean][] = [
  ['CUBA LIF (commensurate: powers of one exponential)', [[-0.05, 0.05, 0.05, -2.45], [0, -0.2, 0, 0], [0, 0, -0.1, 0], [0, 0, 0, 0]], true],
  ['CUBA LIF, refractory regime (threshold row zeroed)', [[0, 0, 0, 0], [0, -0.2, 0, 0], [0, 0, -0.1, 0], [0, 0, 0, 0]], true],
  ['rates that are not multiples', [[-1 / 17.3, 1 / 17.3, 1 / 17.3, -3], [0, -1 / 3.1, 0, 0], [0, 0, -1 / 7.7, 0], [0, 0, 0, 0]], false],
  ['tau_syn = tau_m (Jordan block)', [[-0.05, 0.05, 0.05, -3], [0, -0.05, 0, 0], [0, 0, -0.05, 0], [0, 0, 0, 0]], true],
  ['alpha current, chain of 3, with a multiple rate', [[-0.05, 0.05, 0, 0.05, -3.5], [0, -0.05, Math.E / 20, 0, 0], [0, 0, -0.05, 0, 0], [0, 0, 0, -0.1, 0], [0, 0, 0, 0, 0]], true],
  ['adaptation (coupled 2x2 block)', [[-0.05, 0.05, -0.05, -3.5], [0, -0.2, 0, 0], [0.005, 0, -0.01, 0.35], [0, 0, 0, 0]], false],
  ['a perfect integrator (one decaying rate)', [[0, 1, 0.5], [0, -0.1, 0], [0, 0, 0]], true],
];

describe('Flow.propagate = the matrix exponential', () => {
  for (const [label, B, commensurate] of cases) {
    it(label, () => {
      const flow = new Flow(B, 0);
      expect((flow as unknown as { r0: number }).r0 > 0, 'one exponential per step').toBe(commensurate);
      const n = B.length - 1;
      const rng = createRng(5, label);
      const x = new Float64Array(n);
      const out = new Float64Array(n);
      let worst = 0;
      for (let k = 0; k < 40; k++) {
        for (let i = 0; i < n; i++) x[i] = (rng.uniform() - 0.5) * 100;
        const h = 10 ** (-3 + 5.5 * rng.uniform());
        const E = (expm(matrix(B.map((r) => r.map((v) => v * h)))) as Matrix).toArray() as number[][];
        const want = E.slice(0, n).map((row) => row.reduce((s, e, j) => s + e * (j < n ? x[j] : 1), 0));
        flow.propagate(x, 0, h, out, 0);
        const scale = Math.max(1, ...want.map(Math.abs), ...Array.from(x, Math.abs));
        for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(out[i] - want[i]) / scale);
        // In place, as the group advances its records.
        const y = Float64Array.from(x);
        flow.propagate(y, 0, h, y, 0);
        expect(Array.from(y)).toEqual(Array.from(out));
      }
      expect(worst).toBeLessThan(1e-10);
    });
  }
});
