/**
 * Triplet STDP (src/synapses/plasticity/triplet-stdp.ts) against sums over spike pairs and triplets written here, on a
 * network run: 3 presynaptic trains onto 2 LIF neurons (all to all, a delay of its own per synapse), each LIF made to
 * fire at chosen times by a large voltage jump. The oracles take the recorded spikes (arrival = emission + the
 * synapse's delay; postsynaptic spikes at emission) and, per synapse:
 * - all-to-all: dw = sum over post j, pre i <= j of e^{-(t_j - t_i)/tau_plus} [a2_plus + a3_plus sum over post k < j of
 *   e^{-(t_j - t_k)/tau_y}] - sum over pre i, post j < i of e^{-(t_i - t_j)/tau_minus} [a2_minus + a3_minus sum over
 *   pre k < i of e^{-(t_i - t_k)/tau_x}]: one term per pair and per triplet;
 * - nearest: the same with each sum over earlier spikes replaced by the latest one only;
 * - soft bounds: a replay in time order (arrivals before spikes at equal times) with the traces as those sums.
 * Also: with a3 = 0 the rule equals the pair rule (stdp), and the published visual-cortex set is what it defaults to.
 */
import { describe, expect, test } from 'vitest';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import { loadScenario } from '../../src/scenario/load.js';
import { problemsOf } from '../fixtures/problems.js';
import { VISUAL_CORTEX } from '../../src/synapses/plasticity/spec.js';
import type { Network } from '../../src/scenario/network.js';
import { runNet, spikeTimes } from '../helpers.js';

const T = 3000;

/** Poisson-like trains from a small LCG (independent of chronoprop's streams), with a least gap between spikes. */
function trains(n: number, rateHz: number, seed: number, minGap = 0): number[][] {
  let s = seed;
  const u = () => ((s = (s * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
  return Array.from({ length: n }, () => {
    const out: number[] = [];
    for (let t = 5 + 100 * u(); t < T - 20; t += minGap - Math.log(u()) * (1000 / rateHz)) out.push(t);
    return out;
  });
}

const PRE = trains(3, 20, 7);
const KICK = trains(2, 12, 8, 3);

function scenario(plasticity: Record<string, unknown>): ScenarioInput {
  return {
    name: 'triplet', seed: 4, duration_ms: T,
    populations: [
      { name: 'pre', model: 'spike_source', size: 3, params: { spike_times_ms: PRE } },
      { name: 'kick', model: 'spike_source', size: 2, params: { spike_times_ms: KICK } },
      { name: 'n', model: 'lif', size: 2, params: { tau_syn_exc_ms: 0, tau_syn_inh_ms: 0, t_ref_ms: 2 } },
    ],
    projections: [
      { name: 'p', from: 'pre', to: 'n', receptor: 'exc', connect: { rule: 'all_to_all' }, weight_mv: 0.5, delay_ms: { uniform: [0.5, 3] }, plasticity: plasticity as never },
      { name: 'k', from: 'kick', to: 'n', receptor: 'exc', connect: { rule: 'one_to_one' }, weight_mv: 100, delay_ms: 0.7 },
    ],
  };
}

interface Synapse {
  pre: number[]; // arrival times
  post: number[]; // spike times of the target
  w: number; // final weight
}

function synapses(net: Network): Synapse[] {
  const p = net.projections.get('p')!;
  const pre = p.synapsePre();
  const out: Synapse[] = [];
  for (let g = 0; g < p.nGroups; g++) {
    for (let s = p.groupStart[g]; s < p.groupStart[g + 1]; s++) {
      out.push({ pre: PRE[pre[s]].map((t) => t + p.groupDelay[g]), post: spikeTimes(net, 'n', p.post[s]), w: p.weight[s] });
    }
  }
  return out;
}

interface Params { a2_plus: number; a3_plus: number; a2_minus: number; a3_minus: number; tau_plus_ms: number; tau_minus_ms: number; tau_x_ms: number; tau_y_ms: number }

/** All-to-all: one term per pair and per triplet. Returns [dw, sum of |terms|]. */
function allToAllSum(syn: Synapse, p: Params): [number, number] {
  let dw = 0;
  let scale = 0;
  for (const tj of syn.post) {
    for (const ti of syn.pre) {
      if (ti > tj) continue; // arrivals come before spikes at equal times
      const pair = p.a2_plus * Math.exp(-(tj - ti) / p.tau_plus_ms);
      dw += pair;
      scale += pair;
      for (const tk of syn.post) {
        if (tk >= tj) continue;
        const triplet = p.a3_plus * Math.exp(-(tj - ti) / p.tau_plus_ms) * Math.exp(-(tj - tk) / p.tau_y_ms);
        dw += triplet;
        scale += triplet;
      }
    }
  }
  for (const ti of syn.pre) {
    for (const tj of syn.post) {
      if (!(tj < ti)) continue;
      const pair = p.a2_minus * Math.exp(-(ti - tj) / p.tau_minus_ms);
      dw -= pair;
      scale += pair;
      for (const tk of syn.pre) {
        if (tk >= ti) continue;
        const triplet = p.a3_minus * Math.exp(-(ti - tj) / p.tau_minus_ms) * Math.exp(-(ti - tk) / p.tau_x_ms);
        dw -= triplet;
        scale += triplet;
      }
    }
  }
  return [dw, scale];
}

/** The latest time in ts that is <= t (inclusive) or < t, or -Infinity. */
function latest(ts: number[], t: number, inclusive: boolean): number {
  let best = -Infinity;
  for (const x of ts) if ((inclusive ? x <= t : x < t) && x > best) best = x;
  return best;
}

/** Nearest: each post spike pairs with the latest arrival up to it and the latest earlier post spike; likewise. */
function nearestSum(syn: Synapse, p: Params): [number, number] {
  let dw = 0;
  let scale = 0;
  for (const tj of syn.post) {
    const ti = latest(syn.pre, tj, true);
    const tk = latest(syn.post, tj, false);
    const d = Math.exp(-(tj - ti) / p.tau_plus_ms) * (p.a2_plus + p.a3_plus * Math.exp(-(tj - tk) / p.tau_y_ms));
    dw += d;
    scale += d;
  }
  for (const ti of syn.pre) {
    const tj = latest(syn.post, ti, false);
    const tk = latest(syn.pre, ti, false);
    const d = Math.exp(-(ti - tj) / p.tau_minus_ms) * (p.a2_minus + p.a3_minus * Math.exp(-(ti - tk) / p.tau_x_ms));
    dw -= d;
    scale += d;
  }
  return [dw, scale];
}

/** Soft bounds, all-to-all: the events replayed in time order, the traces as sums over earlier spikes. */
function softBoundReplay(syn: Synapse, p: Params, w0: number, lo: number, hi: number): number {
  const events = [...syn.pre.map((t) => ({ t, pre: true })), ...syn.post.map((t) => ({ t, pre: false }))];
  events.sort((a, b) => a.t - b.t || (a.pre === b.pre ? 0 : a.pre ? -1 : 1));
  const sum = (ts: number[], t: number, tau: number, inclusive: boolean) =>
    ts.reduce((acc, x) => acc + ((inclusive ? x <= t : x < t) ? Math.exp(-(t - x) / tau) : 0), 0);
  let w = w0;
  for (const e of events) {
    if (e.pre) {
      const d = -sum(syn.post, e.t, p.tau_minus_ms, false) * (p.a2_minus + p.a3_minus * sum(syn.pre, e.t, p.tau_x_ms, false));
      w = Math.min(hi, Math.max(lo, w + d * (w - lo) / (hi - lo)));
    } else {
      const d = sum(syn.pre, e.t, p.tau_plus_ms, true) * (p.a2_plus + p.a3_plus * sum(syn.post, e.t, p.tau_y_ms, false));
      w = Math.min(hi, Math.max(lo, w + d * (hi - w) / (hi - lo)));
    }
  }
  return w;
}

const custom: Params = { a2_plus: 0.004, a3_plus: 0.01, a2_minus: 0.005, a3_minus: 0.003, tau_plus_ms: 16.8, tau_minus_ms: 33.7, tau_x_ms: 101, tau_y_ms: 125 };

describe('triplet STDP against the sum over spike pairs and triplets (within 1e-12 of the sum of |terms|)', () => {
  test.each([
    ['all-to-all, the published visual-cortex set (the defaults)', 'all_to_all', {}],
    ['all-to-all, pair and triplet terms of comparable size', 'all_to_all', custom],
    ['nearest, the published visual-cortex set (the defaults)', 'nearest', {}],
    ['nearest, pair and triplet terms of comparable size', 'nearest', { ...custom, tau_x_ms: 714, tau_y_ms: 40 }],
  ] as const)('%s', (_, pairing, given) => {
    const w0 = 0.5;
    const net = runNet(scenario({ rule: 'triplet_stdp', pairing, ...given, w_min_mv: -1e3, w_max_mv: 1e3 }));
    const p: Params = { ...VISUAL_CORTEX[pairing], ...given };
    const syns = synapses(net);
    expect(syns.length).toBe(6);
    let tripletShare = 0;
    for (const syn of syns) {
      expect(syn.post.length).toBeGreaterThan(20);
      const [dw, scale] = pairing === 'all_to_all' ? allToAllSum(syn, p) : nearestSum(syn, p);
      expect(Math.abs(syn.w - (w0 + dw))).toBeLessThan(1e-12 * Math.max(scale, 1e-300) + 1e-15);
      // The triplet terms matter here: without them the sum is off by far more than the tolerance.
      const [pairOnly] = pairing === 'all_to_all' ? allToAllSum(syn, { ...p, a3_plus: 0, a3_minus: 0 }) : nearestSum(syn, { ...p, a3_plus: 0, a3_minus: 0 });
      tripletShare = Math.max(tripletShare, Math.abs(dw - pairOnly) / scale);
    }
    expect(tripletShare).toBeGreaterThan(1e-3);
  });

  test('soft bounds: the time-ordered replay, within 1e-12', () => {
    const [lo, hi] = [0, 1];
    const net = runNet(scenario({ rule: 'triplet_stdp', ...custom, weight_dependence: 'multiplicative', w_min_mv: lo, w_max_mv: hi }));
    for (const syn of synapses(net)) expect(Math.abs(syn.w - softBoundReplay(syn, custom, 0.5, lo, hi))).toBeLessThan(1e-12);
  });
});

test('with a3_plus = a3_minus = 0 it is the pair rule (stdp with a_plus = a2_plus, a_minus = a2_minus)', () => {
  for (const pairing of ['all_to_all', 'nearest'] as const) {
    const pair = { a2_plus: custom.a2_plus, a2_minus: custom.a2_minus, tau_plus_ms: custom.tau_plus_ms, tau_minus_ms: custom.tau_minus_ms };
    const triplet = runNet(scenario({ rule: 'triplet_stdp', pairing, ...pair, a3_plus: 0, a3_minus: 0, w_min_mv: -1e3, w_max_mv: 1e3 }));
    const stdp = runNet(scenario({
      rule: 'stdp', pairing, a_plus: pair.a2_plus, a_minus: pair.a2_minus, tau_plus_ms: pair.tau_plus_ms, tau_minus_ms: pair.tau_minus_ms, w_min_mv: -1e3, w_max_mv: 1e3,
    }));
    const a = triplet.projections.get('p')!.weight;
    const b = stdp.projections.get('p')!.weight;
    a.forEach((w, s) => expect(Math.abs(w - b[s])).toBeLessThan(1e-14));
  }
});

describe('the spec', () => {
  test('defaults to the visual-cortex fit of its pairing; given values win', () => {
    const sc = (pl: Record<string, unknown>) => loadScenario(scenario(pl)).projections[0].plasticity;
    expect(sc({ rule: 'triplet_stdp', w_max_mv: 1 })).toMatchObject({ pairing: 'all_to_all', ...VISUAL_CORTEX.all_to_all, w_min_mv: 0 });
    expect(sc({ rule: 'triplet_stdp', pairing: 'nearest', w_max_mv: 1 })).toMatchObject(VISUAL_CORTEX.nearest);
    expect(sc({ rule: 'triplet_stdp', a3_plus: 0.1, w_max_mv: 1 })).toMatchObject({ ...VISUAL_CORTEX.all_to_all, a3_plus: 0.1 });
    expect(VISUAL_CORTEX.all_to_all).toEqual({ a2_plus: 5e-10, a3_plus: 6.2e-3, a2_minus: 7e-3, a3_minus: 2.3e-4, tau_plus_ms: 16.8, tau_minus_ms: 33.7, tau_x_ms: 101, tau_y_ms: 125 });
  });

  const problems = (pl: Record<string, unknown>, mode?: 'rate'): string[] => {
    const s = scenario(pl) as Record<string, any>;
    if (mode) s.mode = mode;
    return problemsOf(() => loadScenario(s));
  };
  test.each([
    ['a pair-rule field', { rule: 'triplet_stdp', a_plus: 0.1, w_max_mv: 1 }, 'projections[0].plasticity has unknown field "a_plus"'],
    ['a negative amplitude', { rule: 'triplet_stdp', a3_plus: -1, w_max_mv: 1 }, 'projections[0].plasticity.a3_plus must be >= 0, got -1'],
    ['a zero time constant', { rule: 'triplet_stdp', tau_y_ms: 0, w_max_mv: 1 }, 'projections[0].plasticity.tau_y_ms must be > 0, got 0'],
    ['no upper bound', { rule: 'triplet_stdp' }, 'projections[0].plasticity.w_max_mv is required, got nothing'],
  ])('%s: one line', (_, pl, line) => {
    expect(problems(pl)).toEqual([line]);
  });
  test('--mode rate refuses it', () => {
    expect(problems({ rule: 'triplet_stdp', w_max_mv: 1 }, 'rate')).toContain(
      'projections[0].plasticity.rule has no rate-coded twin (--mode rate supports rule stdp only), got "triplet_stdp"',
    );
  });
});
