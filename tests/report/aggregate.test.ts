import { describe, expect, test } from 'vitest';
import { cvPerNeuron, decimate, histogram, intervals, niceStep, quantileSorted } from '../../src/report/aggregate.js';
import { spikeStats } from '../../src/analysis/spike-stats.js';
import { createRng } from '../../src/kernel/rng.js';

test('niceStep gives the next 1, 2 or 5 times a power of ten', () => {
  expect([0.3, 1, 1.1, 2.5, 4.9, 5, 8.33, 99, 1e-4].map(niceStep)).toEqual([0.5, 1, 2, 5, 5, 5, 10, 100, 1e-4]);
});

test('histogram counts in half-open bins and counts what falls outside', () => {
  const h = histogram([0, 0.99, 1, 2.5, 3, -1], 0, 1, 3);
  expect(Array.from(h.counts)).toEqual([2, 1, 1]);
  expect(h.outside).toBe(2);
});

test('quantiles match the brute-force order-statistic definition', () => {
  const v = Float64Array.from([3, 1, 4, 1, 5, 9, 2, 6]).sort();
  // numpy.quantile(v, 0.3): h = 7 * 0.3 = 2.1 -> v[2] + 0.1 * (v[3] - v[2]) = 2 + 0.1 * 1
  expect(quantileSorted(v, 0.3)).toBeCloseTo(2.1, 12);
  expect(quantileSorted(v, 0)).toBe(1);
  expect(quantileSorted(v, 1)).toBe(9);
  expect(quantileSorted(new Float64Array(0), 0.5)).toBeNaN();
});

describe('decimate', () => {
  test('keeps short series whole', () => {
    expect(decimate([1, 2, 3], 10)).toEqual([0, 1, 2]);
  });
  test('keeps the first, the last, every bucket extreme, in time order, within the budget', () => {
    const n = 100_000;
    const v = Array.from({ length: n }, (_, k) => Math.sin(k / 500) + (k === 54_321 ? 50 : 0) - (k === 777 ? 40 : 0));
    const keep = decimate(v, 2000);
    expect(keep.length).toBeLessThanOrEqual(2002);
    expect(keep[0]).toBe(0);
    expect(keep[keep.length - 1]).toBe(n - 1);
    expect(keep).toContain(54_321); // a spike-like peak survives
    expect(keep).toContain(777);
    for (let k = 1; k < keep.length; k++) expect(keep[k]).toBeGreaterThan(keep[k - 1]);
  });
});

test('ISIs and per-neuron CVs agree with analysis/spike-stats on random trains', () => {
  const rng = createRng(9, 'test/aggregate');
  const size = 30;
  const events: [number, number][] = [];
  for (let i = 0; i < size; i++) for (let t = rng.exponential(40); t < 2000; t += 2 + rng.exponential(30 + i)) events.push([i, t]);
  events.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  const neuron = Int32Array.from(events.map((e) => e[0]));
  const t = Float64Array.from(events.map((e) => e[1]));
  const { isi, perNeuron } = intervals(neuron, t, size);
  expect(isi.length).toBe(events.length - size); // every neuron fired at least once here
  expect(perNeuron.reduce((a, b) => a + b, 0)).toBe(events.length);
  const cv = cvPerNeuron(neuron, t, size);
  const mean = cv.reduce((a, b) => a + b, 0) / cv.length;
  expect(mean).toBeCloseTo(spikeStats({ neuron, t }, size, 0, 2000).cv_isi!, 12);
});
