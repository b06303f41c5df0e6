/**
 * The crossing bounds of the general linear machinery (src/neurons/linear/bounds.ts) are lower bounds: for random
 * states of LIF, adaptive (w coupled to v both ways), alpha-current and two-compartment systems, the bound is never
 * after the first time the threshold variable reaches theta, found here by brute force (the closed form sampled every
 * 0.05 ms, the first bracket bisected), and "never" is said only of trajectories that stay below theta over 1,000 ms.
 * The bound must also be useful: far from threshold it is mostly well after 0.
 */
import { describe, expect, it } from 'vitest';
import { CrossingBounds } from '../../src/neurons/linear/bounds.js';
import { Flow } from '../../src/neurons/linear/flow.js';
import { augmented, type LinearSystem } from '../../src/neurons/linear/system.js';
import { createRng } from '../../src/kernel/rng.js';

function system(A: number[][], c: number[], theta: number): LinearSystem {
  const n = A.length;
  return {
    vars: A.map((_, i) => `x${i}`), A, c, th: 0, theta, reset: [], refractoryMs: 0, receptorTarget: [], receptorNames: [],
    initial: new Array<number>(n).fill(0),
  };
}

const systems: [string, LinearSystem][] = [
  ['lif (CUBA)', system([[-1 / 20, 1 / 20, 1 / 20], [0, -1 / 5, 0], [0, 0, -1 / 10]], [-49 / 20, 0, 0], -50)],
  ['lif, tau_syn = tau_m', system([[-1 / 20, 1 / 20, 1 / 20], [0, -1 / 20, 0], [0, 0, -1 / 20]], [-53 / 20, 0, 0], -50)],
  ['adaptive, a = 0.5', system([[-1 / 20, 1 / 20, 1 / 20, -1 / 20], [0, -1 / 5, 0, 0], [0, 0, -1 / 10, 0], [0.5 / 100, 0, 0, -1 / 100]],
    [-40 / 20, 0, 0, (-0.5 * -40) / 100], -50)],
  ['adaptive, a = -0.3', system([[-1 / 20, 1 / 20, 1 / 20, -1 / 20], [0, -1 / 5, 0, 0], [0, 0, -1 / 10, 0], [-0.3 / 60, 0, 0, -1 / 60]],
    [-45 / 20, 0, 0, (0.3 * -45) / 60], -50)],
  ['alpha currents', system([[-1 / 20, 1 / 20, 0, 1 / 20, 0], [0, -1 / 2, Math.E / 2, 0, 0], [0, 0, -1 / 2, 0, 0], [0, 0, 0, -1 / 5, Math.E / 5], [0, 0, 0, 0, -1 / 5]],
    [-52 / 20, 0, 0, 0, 0], -50)],
  ['two compartments', system([[-2 / 20, 1 / 20, 1 / 20, 1 / 20, 0], [0.5 / 30, -1.5 / 30, 0, 0, 1 / 30], [0, 0, -1 / 5, 0, 0], [0, 0, 0, -1 / 10, 0], [0, 0, 0, 0, -1 / 5]],
    [-70 / 20, -40 / 30, 0, 0, 0], -50)],
];

/** The threshold variable's trajectory from x at h (closed form). */
function xth(flow: Flow, x: Float64Array, h: number, out: Float64Array): number {
  flow.propagate(x, 0, h, out, 0);
  return out[0];
}

/** First h in [0, T] at which x_th >= theta, by sampling every dt and bisecting the first bracket; Infinity if none. */
function bruteCrossing(flow: Flow, x: Float64Array, theta: number, T: number, dt = 0.05): number {
  const out = new Float64Array(x.length);
  let lo = 0;
  for (let h = dt; h <= T; h += dt) {
    if (xth(flow, x, h, out) >= theta) {
      let hi = h;
      for (let k = 0; k < 60; k++) {
        const mid = 0.5 * (lo + hi);
        if (xth(flow, x, mid, out) >= theta) hi = mid;
        else lo = mid;
      }
      return hi;
    }
    lo = h;
  }
  return Infinity;
}

const STATES = 200;

describe('crossing bounds of linear systems', () => {
  for (const [label, sys] of systems) {
    it(`${label}: never after the brute-force crossing; never "never" for a neuron that crosses`, () => {
      const flow = new Flow(augmented(sys, false), 0);
      const bounds = new CrossingBounds(flow, sys.A, 0, sys.theta);
      const rng = createRng(11, label);
      const n = sys.A.length;
      const x = new Float64Array(n);
      let crossing = 0;
      let useful = 0;
      let never = 0;
      for (let k = 0; k < STATES; k++) {
        x[0] = sys.theta - 25 * rng.uniform() - 1e-6;
        for (let j = 1; j < n; j++) x[j] = (rng.uniform() - 0.35) * (j === 3 && label.startsWith('adaptive') ? 10 : 30);
        const lb = bounds.lower(x, 0, Infinity);
        const tc = bruteCrossing(flow, x, sys.theta, 1000);
        if (tc < Infinity) {
          crossing++;
          expect(lb, `state ${Array.from(x).join(', ')}: bound ${lb}, crossing ${tc}`).toBeLessThanOrEqual(tc + 1e-9);
          if (lb > 0.2 * tc) useful++;
          // With the pending time at the crossing or later, the bound says "no crossing before it" only if so.
          expect(bounds.lower(x, 0, tc + 1e-6)).toBeLessThanOrEqual(tc + 1e-9);
        } else if (lb === Infinity) never++;
      }
      console.log(`${label}: ${crossing} of ${STATES} states cross; bound above 0.2 of the crossing for ${useful}; ${never} of the rest proved never`);
      expect(crossing).toBeGreaterThan(STATES / 10);
      expect(useful).toBeGreaterThan(crossing / 4);
    });
  }

  it('the relaxation bound is used only when nothing depends on the threshold variable but itself', () => {
    const tau = (sys: LinearSystem) => new CrossingBounds(new Flow(augmented(sys, false), 0), sys.A, 0, sys.theta).tauRelax;
    expect(tau(systems[0][1])).toBeCloseTo(20, 12);
    expect(tau(systems[2][1])).toBe(0); // w depends on v
    expect(tau(systems[5][1])).toBe(0); // the dendrite depends on the soma
  });
});
