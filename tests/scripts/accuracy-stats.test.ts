/**
 * The helpers of the accuracy-against-cost comparison (scripts/peer/accuracy-stats.ts). Oracles: spike lists and
 * curves written by hand, whose errors, first differences and interpolated values are worked out in the comments.
 */
import { describe, expect, it } from 'vitest';
import { byNeuron, firstDivergence, logLogAt, logLogSolve, median, trainErrors } from '../../scripts/peer/accuracy-stats.js';
import { cheaperAt, readDecreasing } from '../../scripts/peer/accuracy-report.js';

const f = (...xs: number[]) => Float64Array.from(xs);

describe('byNeuron', () => {
  it('splits a time-ordered spike list by neuron', () => {
    const tr = { neuron: new Int32Array([1, 0, 1, 2]), t: f(0.5, 1, 2, 3) };
    expect(byNeuron(tr, 4).map((a) => Array.from(a))).toEqual([[1], [0.5, 2], [3], []]);
  });
});

describe('trainErrors', () => {
  it('pairs spikes within the window and counts the rest as missed or extra', () => {
    // Neuron 0: 10 -> 10.05 (+0.05), 20 -> 20.01 (+0.01); 30 missed. Neuron 1: 5 -> 4.98 (-0.02); 7 extra.
    const ref = [f(10, 20, 30), f(5)];
    const test = [f(10.05, 20.01), f(4.98, 7)];
    const e = trainErrors(ref, test, 1);
    expect(e.matched).toBe(3);
    expect(e.missed).toBe(1);
    expect(e.extra).toBe(1);
    expect(e.mean_abs_ms).toBeCloseTo(0.08 / 3, 12);
    expect(e.median_abs_ms).toBeCloseTo(0.02, 12);
    expect(e.max_abs_ms).toBeCloseTo(0.05, 12);
    expect(e.mean_signed_ms).toBeCloseTo(0.04 / 3, 12);
  });

  it('does not pair a spike with a later one of the other run once one is skipped', () => {
    // 10 has no partner (11.5 is 1.5 away); 12 pairs with 11.5 (-0.5).
    const e = trainErrors([f(10, 12)], [f(11.5)], 1);
    expect([e.matched, e.missed, e.extra]).toEqual([1, 1, 0]);
    expect(e.mean_abs_ms).toBeCloseTo(0.5, 12);
  });

  it('gives NaN errors when nothing matches, and refuses different sizes', () => {
    expect(trainErrors([f()], [f(1)], 1).mean_abs_ms).toBeNaN();
    expect(() => trainErrors([f()], [], 1)).toThrow();
  });
});

describe('firstDivergence', () => {
  it('is the earlier time of the first pair apart by more than the tolerance', () => {
    // Neuron 0 differs at its second spike (20 vs 20.02): 20. Neuron 1 agrees up to 8.
    expect(firstDivergence([f(10, 20, 30), f(8)], [f(10.005, 20.02, 30), f(8.001)], 0.01)).toBe(20);
  });

  it('counts a spike only one run has', () => {
    expect(firstDivergence([f(10), f(3)], [f(10), f(3, 4.5)], 0.01)).toBe(4.5);
    expect(firstDivergence([f(10, 11)], [f(10)], 0.01)).toBe(11);
  });

  it('is null when every spike agrees within the tolerance', () => {
    expect(firstDivergence([f(1, 2)], [f(1.005, 2)], 0.01)).toBeNull();
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });
});

describe('log-log interpolation', () => {
  // cost = 1 / dt through (0.01, 100) and (0.1, 10); error = dt / 2 through (0.01, 0.005) and (0.1, 0.05).
  const cost: [number, number][] = [[0.1, 10], [0.01, 100], [0.001, 1000]];
  it('reads a power law exactly between points and refuses to extrapolate', () => {
    expect(logLogAt(cost, 0.03)).toBeCloseTo(1 / 0.03, 9);
    expect(logLogAt(cost, 0.1)).toBeCloseTo(10, 12);
    expect(logLogAt(cost, 0.2)).toBeNull();
    expect(logLogAt(cost, 0.0005)).toBeNull();
  });

  it('solves for x, and gives null outside the measured range', () => {
    expect(logLogSolve(cost, 50)).toBeCloseTo(0.02, 12);
    expect(logLogSolve(cost, 1000)).toBeCloseTo(0.001, 12);
    expect(logLogSolve(cost, 5)).toBeNull();
    expect(logLogSolve([[0.01, 0.005], [0.1, 0.05]], 0.01)).toBeCloseTo(0.02, 12);
  });
});

describe('reading the bar off a measured curve (accuracy-report.ts)', () => {
  // Brian2-like: cost 1/dt, error dt/2, as (cost, error) points at dt 0.1, 0.01, 0.001.
  const costErr: [number, number][] = [[10, 0.05], [100, 0.005], [1000, 0.0005]];
  it('gives a value inside the range and a bound outside it', () => {
    const mid = readDecreasing(costErr, 100 / 3); // dt 0.03: error 0.015
    expect(mid.rel).toBe('=');
    expect(mid.y).toBeCloseTo(0.015, 12);
    expect(readDecreasing(costErr, 5)).toEqual({ rel: '>', y: 0.05 });
    expect(readDecreasing(costErr, 5000)).toEqual({ rel: '<', y: 0.0005 });
  });

  it('says cheaper only when the cost, or a bound on the right side, shows it', () => {
    expect(cheaperAt({ rel: '=', y: 2 }, 1)).toBe('yes');
    expect(cheaperAt({ rel: '=', y: 2 }, 3)).toBe('no');
    expect(cheaperAt({ rel: '>', y: 2 }, 1)).toBe('yes');
    expect(cheaperAt({ rel: '>', y: 2 }, 3)).toBe('undetermined');
    expect(cheaperAt({ rel: '<', y: 2 }, 3)).toBe('no');
    expect(cheaperAt({ rel: '<', y: 2 }, 1)).toBe('undetermined');
  });
});
