/**
 * Per-neuron parameters (scenario/neuron-params.ts, neurons/partitioned-group.ts). Oracles:
 * - statistics with stated bounds: the moments of the drawn values against the distribution's own, the truncated
 *   normal's computed here by quadrature of the normal density (not by the code's formula), 5 standard errors;
 * - closed forms: LIF neurons driven by a constant bias above threshold fire at
 *   t_k = tau ln((v_inf - v_rest)/(v_inf - v_th)) + k (t_ref + tau ln((v_inf - v_reset)/(v_inf - v_th))), each with
 *   its own tau_m and bias;
 * - separate populations: a population with per-neuron values spikes as the same neurons each in a population of its
 *   own, with its values as plain numbers, on the same input spikes and weights (lif, and adaptive_lif on the linear
 *   machinery). Required within 1e-9 ms; measured: identical to the bit (each part computes what a population of its
 *   own computes), 189 and 69 spikes.
 */
import { describe, expect, test } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { Network } from '../../src/scenario/network.js';
import { resolveNeuronParams } from '../../src/scenario/neuron-params.js';
import { problemsOf } from '../fixtures/problems.js';
import { lif } from '../../models/lif.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import { runNet, spikeTimes } from '../helpers.js';

/** Moments of the standard normal density over [a, b] by Simpson's rule: [mass, mean, variance, 4th central moment]. */
function truncatedMoments(a: number, b: number): [number, number, number, number] {
  const lo = Math.max(a, -12);
  const hi = Math.min(b, 12);
  const n = 20000;
  const h = (hi - lo) / n;
  const m = [0, 0, 0, 0, 0];
  for (let k = 0; k <= n; k++) {
    const z = lo + k * h;
    const w = (k === 0 || k === n ? 1 : k % 2 ? 4 : 2) * (h / 3) * (Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI));
    for (let p = 0; p <= 4; p++) m[p] += w * z ** p;
  }
  const mean = m[1] / m[0];
  const e = (p: number) => m[p] / m[0];
  const c2 = e(2) - mean * mean;
  const c4 = e(4) - 4 * mean * e(3) + 6 * mean * mean * e(2) - 3 * mean ** 4;
  return [m[0], mean, c2, c4];
}

function moments(a: Float64Array): { mean: number; variance: number } {
  const mean = a.reduce((s, x) => s + x, 0) / a.length;
  const variance = a.reduce((s, x) => s + (x - mean) ** 2, 0) / (a.length - 1);
  return { mean, variance };
}

const N = 20000;
const draws = (given: Record<string, unknown>, key: string, seed = 3) =>
  resolveNeuronParams(lif, given, N, seed, 'n')[key] as Float64Array;

describe('drawn values, with stated statistical bounds (n = 20000, 5 standard errors)', () => {
  test('uniform [10, 30]: mean 20, variance 400/12, every value in [10, 30)', () => {
    const a = draws({ tau_m_ms: { uniform: [10, 30] } }, 'tau_m_ms');
    const c2 = 400 / 12;
    const c4 = 20 ** 4 / 80;
    const { mean, variance } = moments(a);
    expect(Math.abs(mean - 20)).toBeLessThan(5 * Math.sqrt(c2 / N));
    expect(Math.abs(variance - c2)).toBeLessThan(5 * Math.sqrt((c4 - c2 * c2) / N));
    expect(a.every((x) => x >= 10 && x < 30)).toBe(true);
  });

  test('normal [20, 5] truncated to [12, 26]: the truncated moments, every value inside, both ends reached', () => {
    const a = draws({ tau_m_ms: { normal: [20, 5], min: 12, max: 26 } }, 'tau_m_ms');
    const [, m, c2, c4] = truncatedMoments((12 - 20) / 5, (26 - 20) / 5);
    const { mean, variance } = moments(a);
    expect(Math.abs(mean - (20 + 5 * m))).toBeLessThan(5 * 5 * Math.sqrt(c2 / N));
    expect(Math.abs(variance - 25 * c2)).toBeLessThan(5 * 25 * Math.sqrt((c4 - c2 * c2) / N));
    expect(Math.min(...a)).toBeGreaterThanOrEqual(12);
    expect(Math.max(...a)).toBeLessThanOrEqual(26);
    // About 0.11% of the mass lies within 0.05 of each end: the ends are reached, not cut short.
    expect(Math.min(...a)).toBeLessThan(12.05);
    expect(Math.max(...a)).toBeGreaterThan(25.95);
  });

  test('a bounded parameter without "min" is truncated at its bound: tau_m_ms normal [2, 2] stays > 0', () => {
    const a = draws({ tau_m_ms: { normal: [2, 2] } }, 'tau_m_ms');
    const [mass, m, c2] = truncatedMoments(-1, Infinity);
    expect(mass).toBeCloseTo(0.8413, 4);
    expect(a.every((x) => x > 0)).toBe(true);
    const { mean } = moments(a);
    // The untruncated mean, 2, is 33 standard errors away: the truncation is what the draws follow.
    expect(Math.abs(mean - (2 + 2 * m))).toBeLessThan(5 * 2 * Math.sqrt(c2 / N));
    // t_ref_ms (>= 0) likewise.
    expect(draws({ t_ref_ms: { normal: [0.5, 1] } }, 't_ref_ms').every((x) => x >= 0)).toBe(true);
  });

  test('each parameter draws from its own stream: adding one changes no other, and seeds differ', () => {
    const alone = draws({ tau_m_ms: { uniform: [10, 30] } }, 'tau_m_ms');
    const withOther = draws({ tau_m_ms: { uniform: [10, 30] }, v_th_mv: { normal: [-50, 1] } }, 'tau_m_ms');
    expect(withOther).toEqual(alone);
    expect(draws({ tau_m_ms: { uniform: [10, 30] } }, 'tau_m_ms', 4)).not.toEqual(alone);
  });

  test('values that come out equal are one number (the model group itself, no partition)', () => {
    const p = resolveNeuronParams(lif, { tau_m_ms: [15, 15, 15], v_th_mv: { normal: [-50, 0] }, t_ref_ms: { uniform: [1, 1] } }, 3, 1, 'n');
    expect([p.tau_m_ms, p.v_th_mv, p.t_ref_ms]).toEqual([15, -50, 1]);
  });
});

describe('neurons run with their own values', () => {
  test('constant bias: every spike at its closed-form time, per-neuron tau_m (list) and bias (uniform), within 1e-9 ms', () => {
    const tau = [5, 8.3, 13, 20, 20, 47.5];
    const net = runNet({
      name: 'bias', seed: 9, duration_ms: 300,
      populations: [{ name: 'n', model: 'lif', size: 6, params: { tau_m_ms: tau, i_bias_mv: { uniform: [22, 40] }, v_rest_mv: -70, v_reset_mv: -70, v_th_mv: -50, t_ref_ms: 2 } }],
    });
    const pop = net.populations.get('n')!;
    const bias = pop.values.i_bias_mv as Float64Array;
    expect(bias).toBeInstanceOf(Float64Array);
    let checked = 0;
    for (let i = 0; i < 6; i++) {
      const vInf = -70 + bias[i];
      const t0 = tau[i] * Math.log((vInf + 70) / (vInf + 50));
      const period = 2 + t0; // v_reset = v_rest: every interval after a spike starts from the same voltage
      const got = spikeTimes(net, 'n', i);
      const want = Array.from({ length: Math.floor((300 - t0) / period) + 1 }, (_, k) => t0 + k * period).filter((t) => t < 300);
      expect(got.length).toBe(want.length);
      got.forEach((t, k) => expect(Math.abs(t - want[k])).toBeLessThan(1e-9));
      checked += got.length;
    }
    expect(checked).toBeGreaterThan(60);
  });

  test('Population.params has no one value for a parameter that varies: reading it throws; values has them', () => {
    const net = new Network(loadScenario({
      name: 'p', seed: 1, duration_ms: 1, populations: [{ name: 'n', model: 'lif', size: 3, params: { tau_m_ms: [10, 20, 30] } }],
    }));
    const pop = net.populations.get('n')!;
    expect(pop.params.v_th_mv).toBe(-50);
    expect(() => pop.params.tau_m_ms).toThrow(/population n: parameter tau_m_ms varies per neuron/);
    expect(pop.values.tau_m_ms).toEqual(Float64Array.of(10, 20, 30));
  });
});

/** Input times per neuron: a Poisson-like train from a small LCG (independent of chronoprop's streams). */
function trains(n: number, rateHz: number, T: number, seed: number): number[][] {
  let s = seed;
  const u = () => ((s = (s * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
  return Array.from({ length: n }, () => {
    const out: number[] = [];
    for (let t = -Math.log(u()) * (1000 / rateHz); t < T; t += -Math.log(u()) * (1000 / rateHz)) out.push(t);
    return out;
  });
}

interface SplitCase {
  label: string;
  model: string;
  /** Per-neuron values, as lists, and shared ones. */
  lists: Record<string, number[]>;
  shared: Record<string, number>;
  wExc: number;
  wInh: number;
}

/**
 * One population of n neurons with per-neuron values and the same neurons as n populations of one: each neuron gets
 * its own excitatory train (one_to_one, one shared weight), its own inhibitory train, and every neuron one common
 * train through synapses of per-synapse weights (one delivery group across all the parts). The separate run takes
 * the weights the joint run drew.
 */
function splitRuns(c: SplitCase, T: number): { joint: number[][]; apart: number[][] } {
  const n = Object.values(c.lists)[0].length;
  const exc = trains(n, 40, T, 11);
  const inh = trains(n, 20, T, 12);
  const common = trains(1, 30, T, 13)[0];
  const joint: ScenarioInput = {
    name: 'joint', seed: 5, duration_ms: T,
    populations: [
      { name: 'n', model: c.model, size: n, params: { ...c.shared, ...c.lists } },
      { name: 'e', model: 'spike_source', size: n, params: { spike_times_ms: exc } },
      { name: 'i', model: 'spike_source', size: n, params: { spike_times_ms: inh } },
      { name: 'c', model: 'spike_source', size: 1, params: { spike_times_ms: [common] } },
    ],
    projections: [
      { name: 'pe', from: 'e', to: 'n', receptor: 'exc', connect: { rule: 'one_to_one' }, weight_mv: c.wExc, delay_ms: 0.5 },
      { name: 'pi', from: 'i', to: 'n', receptor: 'inh', connect: { rule: 'one_to_one' }, weight_mv: c.wInh, delay_ms: 0.5 },
      { name: 'pc', from: 'c', to: 'n', receptor: 'exc', connect: { rule: 'all_to_all' }, weight_mv: { uniform: [0.5 * c.wExc, 1.5 * c.wExc] }, delay_ms: 1 },
    ],
  };
  const jointNet = runNet(joint);
  const pc = jointNet.projections.get('pc')!;
  const wOf = new Map<number, number>();
  pc.post.forEach((j, s) => wOf.set(j, pc.weight[s]));
  const apart: ScenarioInput = { name: 'apart', seed: 5, duration_ms: T, populations: [], projections: [] };
  for (let k = 0; k < n; k++) {
    const own = Object.fromEntries(Object.entries(c.lists).map(([key, v]) => [key, v[k]]));
    apart.populations!.push(
      { name: `n${k}`, model: c.model, size: 1, params: { ...c.shared, ...own } },
      { name: `s${k}`, model: 'spike_source', size: 3, params: { spike_times_ms: [exc[k], inh[k], common] } },
    );
    apart.projections!.push(
      { name: `e${k}`, from: `s${k}`, to: `n${k}`, receptor: 'exc', connect: { rule: 'pairs', pre: [0], post: [0] }, weight_mv: c.wExc, delay_ms: 0.5 },
      { name: `i${k}`, from: `s${k}`, to: `n${k}`, receptor: 'inh', connect: { rule: 'pairs', pre: [1], post: [0] }, weight_mv: c.wInh, delay_ms: 0.5 },
      { name: `c${k}`, from: `s${k}`, to: `n${k}`, receptor: 'exc', connect: { rule: 'pairs', pre: [2], post: [0] }, weight_mv: wOf.get(k)!, delay_ms: 1 },
    );
  }
  const apartNet = runNet(apart);
  return {
    joint: Array.from({ length: n }, (_, k) => spikeTimes(jointNet, 'n', k)),
    apart: Array.from({ length: n }, (_, k) => spikeTimes(apartNet, `n${k}`, 0)),
  };
}

describe('a population with per-neuron values spikes as separate populations with each value', () => {
  const cases: SplitCase[] = [
    {
      label: 'lif, tau_m_ms and t_ref_ms per neuron (two neurons share a value set)', model: 'lif',
      lists: { tau_m_ms: [8, 12.5, 20, 20, 33.3, 50], t_ref_ms: [1, 2, 2, 2, 0.5, 3] },
      shared: { v_rest_mv: -60, v_th_mv: -50, v_reset_mv: -60, i_bias_mv: 12 }, wExc: 2.5, wInh: -3,
    },
    {
      label: 'adaptive_lif (linear machinery), tau_w_ms and b_mv per neuron', model: 'adaptive_lif',
      lists: { tau_w_ms: [50, 100, 100, 200], b_mv: [0.5, 2, 2, 4] },
      shared: { v_rest_mv: -60, v_th_mv: -50, v_reset_mv: -60, a: 0.2, i_bias_mv: 14 }, wExc: 3, wInh: -3,
    },
  ];
  test.each(cases)('$label: the same spikes within 1e-9 ms', (c) => {
    const { joint, apart } = splitRuns(c, 1000);
    joint.forEach((ts, k) => {
      expect(ts.length, `neuron ${k}`).toBe(apart[k].length);
      expect(ts.length, `neuron ${k}`).toBeGreaterThanOrEqual(5);
      ts.forEach((t, m) => expect(Math.abs(t - apart[k][m])).toBeLessThan(1e-9));
    });
    // Different values give different trains (the values reach the neurons).
    expect(joint[0]).not.toEqual(joint[joint.length - 1]);
  });
});

describe('bad per-neuron values: one line naming the field, the expected form and the value found', () => {
  const base = (params: Record<string, unknown>, extra: Partial<ScenarioInput> = {}): ScenarioInput => ({
    name: 'bad', seed: 1, duration_ms: 10, populations: [{ name: 'n', model: 'lif', size: 3, params }], ...extra,
  });
  const problems = (sc: ScenarioInput): string[] => {
    return problemsOf(() => loadScenario(sc));
  };
  test.each([
    ['a list of the wrong length', { tau_m_ms: [10, 20] }, 'populations[0].params.tau_m_ms must list one value per neuron (size 3), a list of 2, got [10,20]'],
    ['a list entry out of bounds', { tau_m_ms: [10, -1, 20] }, 'populations[0].params.tau_m_ms[1] must be > 0, got -1'],
    ['a list entry not a number', { v_th_mv: [-50, 'x', -50] }, 'populations[0].params.v_th_mv[1] must be a finite number in mV, got "x"'],
    ['a uniform range reaching the bound', { tau_m_ms: { uniform: [0, 10] } }, 'populations[0].params.tau_m_ms.uniform[0] must be > 0, got 0'],
    ['a uniform range upside down', { tau_m_ms: { uniform: [10, 5] } }, 'populations[0].params.tau_m_ms.uniform[1] must be >= the lower end 10, got 5'],
    ['a truncation below the bound', { t_ref_ms: { normal: [2, 1], min: -1 } }, 'populations[0].params.t_ref_ms.min must be >= 0, got -1'],
    ['max below min', { v_th_mv: { normal: [-50, 1], min: -49, max: -51 } }, 'populations[0].params.v_th_mv.max must be >= min (-49), got -51'],
    ['a truncation that keeps almost nothing', { tau_m_ms: { normal: [20, 1], min: 30 } }, 'populations[0].params.tau_m_ms.normal must keep at least 0.001 of its mass within [30, Infinity] (draws outside are redrawn), keeps 7.62e-24, got [20,1]'],
    ['a negative sd', { tau_m_ms: { normal: [20, -1] } }, 'populations[0].params.tau_m_ms.normal[1] must be >= 0, got -1'],
    ['an unknown form', { tau_m_ms: { lognormal: [1, 1] } }, 'populations[0].params.tau_m_ms must be a number, {"uniform": [lo, hi]}, {"normal": [mean, sd], "min": lo, "max": hi} or a list of one value per neuron, got {"lognormal":[1,1]}'],
    ['a model rule broken by one neuron', { v_reset_mv: [-70, -45, -70] }, 'populations[0].params.v_reset_mv must be < v_th_mv (-50) at neuron 1, got -45'],
  ])('%s', (_, params, line) => {
    expect(problems(base(params))).toEqual([line]);
  });

  test('a drawn value that breaks a model rule names the first such neuron', () => {
    const [line] = problems({ ...base({ v_reset_mv: { uniform: [-70, -45] } }), populations: [{ name: 'n', model: 'lif', size: 50, params: { v_reset_mv: { uniform: [-70, -45] } } }] });
    expect(line).toMatch(/^populations\[0\]\.params\.v_reset_mv must be < v_th_mv \(-50\) at neuron \d+, got -4[5-9]\.\d+$/);
  });

  test('--mode rate takes one number per parameter', () => {
    expect(problems(base({ tau_m_ms: [10, 20, 30] }, { mode: 'rate' }))).toEqual([
      'populations[0].params.tau_m_ms must be one number with --mode rate (the rate twin takes one value per population), got [10,20,30]',
    ]);
  });

  test('an equation model refused for one neuron\'s values (complex eigenvalues) names the neuron', () => {
    const [line] = problems({ ...base({}), populations: [{ name: 'n', model: 'adaptive_lif', size: 3, params: { a: [0.1, 0.2, 5] } }] });
    expect(line).toMatch(/^populations\[0\]\.equations has complex eigenvalues .* \(with the parameters at neuron 2\)$/);
  });
});
