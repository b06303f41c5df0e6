/**
 * Spike sources against Poisson statistics: counts within 4 standard deviations of rate x time, ISI CV near 1,
 * thinning that follows a ramped rate bin by bin, and explicit spike lists delivered as given.
 */
import { describe, expect, it } from 'vitest';
import { runNet } from '../helpers.js';

function trains(net: ReturnType<typeof runNet>, pop: string) {
  return net.spikes.get(pop)!.sorted();
}

describe('poisson_source', () => {
  it('has the requested rate and an ISI CV of 1 (fixed seed, statistical bounds)', () => {
    const n = 200;
    const T = 10_000;
    const rate = 20;
    const net = runNet({ name: 'p', seed: 11, duration_ms: T, populations: [{ name: 's', model: 'poisson_source', size: n, params: { rate_hz: rate } }] });
    const tr = trains(net, 's');
    const mean = n * rate * (T / 1000);
    expect(Math.abs(tr.t.length - mean)).toBeLessThan(4 * Math.sqrt(mean));
    // ISIs pooled over neurons: exponential with mean 1000/rate ms, so CV = 1 (standard error ~ 1/sqrt(count)).
    const last = new Float64Array(n).fill(NaN);
    let s1 = 0, s2 = 0, c = 0;
    for (let k = 0; k < tr.t.length; k++) {
      const i = tr.neuron[k];
      if (!Number.isNaN(last[i])) {
        const d = tr.t[k] - last[i];
        s1 += d;
        s2 += d * d;
        c++;
      }
      last[i] = tr.t[k];
    }
    const m = s1 / c;
    const cv = Math.sqrt(s2 / c - m * m) / m;
    expect(Math.abs(m - 1000 / rate)).toBeLessThan(4 * (1000 / rate) / Math.sqrt(c));
    expect(Math.abs(cv - 1)).toBeLessThan(0.03);
  });

  it('follows a linear ramp by thinning: counts per bin match the integral of the rate', () => {
    const n = 400;
    const T = 2000;
    const net = runNet({
      name: 'ramp', seed: 5, duration_ms: T,
      populations: [{ name: 's', model: 'poisson_source', size: n, params: { rate_hz: { times_ms: [0, T], rates_hz: [5, 45] } } }],
    });
    const tr = trains(net, 's');
    const bins = 10;
    const counts = new Array(bins).fill(0);
    for (let k = 0; k < tr.t.length; k++) counts[Math.floor((tr.t[k] / T) * bins)]++;
    for (let b = 0; b < bins; b++) {
      const t0 = (b * T) / bins;
      const t1 = ((b + 1) * T) / bins;
      const r = (t: number) => 5 + (40 * t) / T;
      const expected = (n * ((r(t0) + r(t1)) / 2) * (t1 - t0)) / 1000;
      expect(Math.abs(counts[b] - expected)).toBeLessThan(4 * Math.sqrt(expected));
    }
  });

  it('emits nothing outside [start_ms, stop_ms)', () => {
    const net = runNet({ name: 'w', seed: 2, duration_ms: 300, populations: [{ name: 's', model: 'poisson_source', size: 50, params: { rate_hz: 200, start_ms: 100, stop_ms: 150 } }] });
    const tr = trains(net, 's');
    expect(tr.t.length).toBeGreaterThan(0);
    for (const t of tr.t) expect(t >= 100 && t < 150).toBe(true);
  });
});

describe('rate_source', () => {
  it('gives each neuron its own rate (counts within statistical bounds)', () => {
    const rates = [0, 10, 50, 100];
    const T = 20_000;
    const net = runNet({ name: 'r', seed: 9, duration_ms: T, populations: [{ name: 's', model: 'rate_source', size: 4, params: { rates_hz: rates } }] });
    const tr = trains(net, 's');
    const counts = [0, 0, 0, 0];
    for (const i of tr.neuron) counts[i]++;
    rates.forEach((r, i) => {
      const mean = (r * T) / 1000;
      expect(Math.abs(counts[i] - mean)).toBeLessThanOrEqual(4 * Math.sqrt(mean));
    });
  });
});

describe('spike_source', () => {
  it('emits exactly the listed times, sorted by time then neuron', () => {
    const net = runNet({ name: 's', seed: 1, duration_ms: 100, populations: [{ name: 's', model: 'spike_source', size: 3, params: { spike_times_ms: [[5, 1.25], [1.25], [99.999, 100]] } }] });
    const tr = trains(net, 's');
    expect([...tr.t]).toEqual([1.25, 1.25, 5, 99.999]);
    expect([...tr.neuron]).toEqual([0, 1, 0, 2]);
  });
});
