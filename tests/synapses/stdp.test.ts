/**
 * STDP against independent references. Presynaptic spike sources and postsynaptic LIF neurons forced to fire at
 * chosen times (a delta-synapse teacher input of 100 mV), so every pre/post time is known exactly. References:
 * - additive, unbounded: the O(n_pre * n_post) sum of the window W over all pairs (all-to-all), or over each spike's
 *   latest partner (nearest), computed directly from the spike lists;
 * - multiplicative and bounded: the same updates replayed in time order with brute-force trace sums.
 * Conventions under test: s = t_post - (t_pre + delay); s = 0 counts as causal (arrivals precede threshold events).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/kernel/rng.js';
import { runNet } from '../helpers.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';

interface Rule {
  a_plus: number; a_minus: number; tau_plus_ms: number; tau_minus_ms: number;
  pairing?: 'all_to_all' | 'nearest'; weight_dependence?: 'additive' | 'multiplicative';
  window?: 'antisymmetric' | 'symmetric'; sign?: 1 | -1; w_min_mv?: number; w_max_mv: number;
}

function scenario(pre: number[][], post: number[][], rule: Rule, delay: number, w0: number): ScenarioInput {
  return {
    name: 'stdp', seed: 1, duration_ms: 1000,
    populations: [
      { name: 'pre', model: 'spike_source', size: pre.length, params: { spike_times_ms: pre } },
      { name: 'teacher', model: 'spike_source', size: post.length, params: { spike_times_ms: post } },
      { name: 'post', model: 'lif', size: post.length, params: { t_ref_ms: 0, tau_syn_exc_ms: 0, tau_syn_inh_ms: 10, v_th_mv: -55, v_reset_mv: -70 } },
    ],
    projections: [
      { name: 'teach', from: 'teacher', to: 'post', receptor: 'exc', connect: { rule: 'one_to_one' }, weight_mv: 100 },
      { name: 'plastic', from: 'pre', to: 'post', receptor: 'inh', connect: { rule: 'all_to_all' }, weight_mv: w0, delay_ms: delay, plasticity: { rule: 'stdp', ...rule } },
    ],
  };
}

function randomTrains(seed: number, n: number, count: number, T: number): number[][] {
  const rng = createRng(seed, 'trains');
  return Array.from({ length: n }, () => {
    const ts = new Set<number>();
    while (ts.size < count) ts.add(Math.round(rng.uniform() * T * 100) / 100); // 0.01 ms grid: exact ties happen
    return [...ts].sort((a, b) => a - b);
  });
}

/** Final weights from the run, as w[pre][post]. */
function finalWeights(net: ReturnType<typeof runNet>, nPre: number, nPost: number): number[][] {
  const p = net.projections.get('plastic')!;
  const pre = p.synapsePre();
  const w = Array.from({ length: nPre }, () => new Array(nPost).fill(NaN));
  for (let s = 0; s < p.count; s++) w[pre[s]][p.post[s]] = p.weight[s];
  return w;
}

/** Sum of W over pairs; `nearest` keeps each spike's latest partner only. */
function pairSum(pre: number[], post: number[], r: Rule, d: number): number {
  const kDep = (r.window ?? 'antisymmetric') === 'antisymmetric' ? -1 : 1;
  const sign = r.sign ?? 1;
  const arr = pre.map((t) => t + d);
  let dw = 0;
  if ((r.pairing ?? 'all_to_all') === 'all_to_all') {
    for (const a of arr) for (const b of post) {
      const s = b - a;
      dw += s >= 0 ? r.a_plus * Math.exp(-s / r.tau_plus_ms) : kDep * r.a_minus * Math.exp(s / r.tau_minus_ms);
    }
  } else {
    for (const b of post) {
      const a = Math.max(...arr.filter((x) => x <= b));
      if (Number.isFinite(a)) dw += r.a_plus * Math.exp(-(b - a) / r.tau_plus_ms);
    }
    for (const a of arr) {
      const b = Math.max(...post.filter((x) => x < a));
      if (Number.isFinite(b)) dw += kDep * r.a_minus * Math.exp(-(a - b) / r.tau_minus_ms);
    }
  }
  return sign * dw;
}

/** Replays the updates in time order with brute-force traces, soft or hard bounds (all-to-all). */
function replay(pre: number[], post: number[], r: Rule, d: number, w0: number): number {
  const lo = r.w_min_mv ?? 0, hi = r.w_max_mv;
  const kDep = (r.window ?? 'antisymmetric') === 'antisymmetric' ? -1 : 1;
  const sign = r.sign ?? 1;
  const events = [...pre.map((t) => ({ t: t + d, pre: true })), ...post.map((t) => ({ t, pre: false }))]
    .sort((x, y) => x.t - y.t || (x.pre === y.pre ? 0 : x.pre ? -1 : 1));
  let w = w0;
  const apply = (dv: number) => {
    if (r.weight_dependence === 'multiplicative') dv *= (dv > 0 ? hi - w : w - lo) / (hi - lo);
    w = Math.min(hi, Math.max(lo, w + dv));
  };
  for (const e of events) {
    if (e.pre) {
      const y = post.filter((b) => b < e.t).reduce((s, b) => s + Math.exp(-(e.t - b) / r.tau_minus_ms), 0);
      if (y > 0) apply(sign * kDep * r.a_minus * y);
    } else {
      const x = pre.map((a) => a + d).filter((a) => a <= e.t).reduce((s, a) => s + Math.exp(-(e.t - a) / r.tau_plus_ms), 0);
      if (x > 0) apply(sign * r.a_plus * x);
    }
  }
  return w;
}

const pre = randomTrains(1, 6, 25, 900);
const post = randomTrains(2, 4, 25, 900);
post[0] = [...new Set([...post[0], ...pre[0].slice(0, 5).map((t) => t + 2)])].sort((a, b) => a - b); // exact s = 0 pairs
const base: Rule = { a_plus: 0.01, a_minus: 0.012, tau_plus_ms: 16.8, tau_minus_ms: 33.7, w_min_mv: -1e6, w_max_mv: 1e6 };

describe('stdp: exact pair sums (additive, no bound reached)', () => {
  const variants: [string, Partial<Rule>][] = [
    ['all-to-all', {}],
    ['nearest', { pairing: 'nearest' }],
    ['reversed sign (anti-STDP)', { sign: -1 }],
    ['symmetric window', { window: 'symmetric' }],
    ['symmetric nearest, reversed', { window: 'symmetric', pairing: 'nearest', sign: -1 }],
  ];
  for (const [name, v] of variants) {
    it(`${name}: every weight equals the brute-force sum over pairs to 1e-12 relative`, () => {
      const rule = { ...base, ...v };
      const net = runNet(scenario(pre, post, rule, 2, 0));
      const w = finalWeights(net, pre.length, post.length);
      for (let i = 0; i < pre.length; i++) {
        for (let j = 0; j < post.length; j++) {
          const want = pairSum(pre[i], post[j], rule, 2);
          expect(Math.abs(w[i][j] - want)).toBeLessThanOrEqual(1e-12 * Math.max(1e-3, Math.abs(want)));
        }
      }
    });
  }

  it('the teacher makes the post neurons fire exactly at the requested times', () => {
    const net = runNet(scenario(pre, post, base, 2, 0));
    const tr = net.spikes.get('post')!.sorted();
    const got = post.map((_, j) => [...tr.t].filter((_, k) => tr.neuron[k] === j));
    expect(got).toEqual(post);
  });

  it('counts a pre arrival simultaneous with a post spike as causal (s = 0 gives +a_plus)', () => {
    const net = runNet(scenario([[10]], [[13]], { ...base, a_minus: 0 }, 3, 0));
    expect(finalWeights(net, 1, 1)[0][0]).toBe(0.01);
  });

  it('applies the axonal delay to the presynaptic time: s = t_post - (t_pre + d)', () => {
    const net = runNet(scenario([[10]], [[20]], base, 4, 0));
    expect(Math.abs(finalWeights(net, 1, 1)[0][0] - 0.01 * Math.exp(-6 / 16.8))).toBeLessThan(1e-15);
    const net2 = runNet(scenario([[10]], [[12]], base, 4, 0)); // arrives at 14 > 12: acausal
    expect(Math.abs(finalWeights(net2, 1, 1)[0][0] + 0.012 * Math.exp(-2 / 33.7))).toBeLessThan(1e-15);
  });
});

describe('stdp: bounds and weight dependence (time-ordered replay)', () => {
  for (const dep of ['additive', 'multiplicative'] as const) {
    it(`${dep}: matches the replay and never leaves [w_min, w_max]`, () => {
      const rule: Rule = { ...base, a_plus: 0.3, a_minus: 0.3, w_min_mv: 0, w_max_mv: 1, weight_dependence: dep };
      const net = runNet(scenario(pre, post, rule, 1, 0.5));
      const w = finalWeights(net, pre.length, post.length);
      let atBound = 0;
      for (let i = 0; i < pre.length; i++) {
        for (let j = 0; j < post.length; j++) {
          expect(w[i][j]).toBeGreaterThanOrEqual(0);
          expect(w[i][j]).toBeLessThanOrEqual(1);
          expect(Math.abs(w[i][j] - replay(pre[i], post[j], rule, 1, 0.5))).toBeLessThan(1e-12);
          if (w[i][j] === 0 || w[i][j] === 1) atBound++;
        }
      }
      if (dep === 'additive') expect(atBound).toBeGreaterThan(0); // the hard bounds were exercised
      else expect(atBound).toBe(0); // soft bounds approach but never reach them
    });
  }
});

describe('stdp: traces', () => {
  it('decay lazily: one update per event, value x * exp(-dt / tau) between events', async () => {
    const { Traces } = await import('../../src/synapses/plasticity/trace.js');
    const tr = new Traces(1, 20, false);
    tr.bump(0, 5);
    tr.bump(0, 15);
    expect(Math.abs(tr.at(0, 40) - (Math.exp(-35 / 20) + Math.exp(-25 / 20)))).toBeLessThan(1e-15);
    const nearest = new Traces(1, 20, true);
    nearest.bump(0, 5);
    nearest.bump(0, 15);
    expect(Math.abs(nearest.at(0, 40) / Math.exp(-25 / 20) - 1)).toBeLessThan(1e-14);
  });

  it('scaleInto multiplies by the traces read at t times a constant: closed form, and the bits of out * (at(k) * c)', async () => {
    const { Traces } = await import('../../src/synapses/plasticity/trace.js');
    const tr = new Traces(4, 20, false);
    tr.add(0, 1, 2.5);
    tr.add(2, 3, -1.25);
    tr.bump(3, 4);
    const idx = Int32Array.of(3, 0, 2, 1, 0);
    const out = Float64Array.of(1, 2, 3, 4, 5);
    const t = 30;
    const c = 1 / 12;
    const want = Array.from(idx, (k, j) => out[j] * (tr.at(k, t) * c));
    const closed = [Math.exp(-26 / 20), 2.5 * Math.exp(-29 / 20), -1.25 * Math.exp(-27 / 20), 0, 2.5 * Math.exp(-29 / 20)];
    tr.scaleInto(idx, 0, idx.length, t, c, out);
    expect(Array.from(out)).toEqual(want);
    for (let j = 0; j < idx.length; j++) expect(Math.abs(out[j] - (j + 1) * closed[j] * c)).toBeLessThan(1e-15);
  });

  it('clear() forgets every earlier spike: afterwards a trace holds only the spikes that follow', async () => {
    const { Traces } = await import('../../src/synapses/plasticity/trace.js');
    const tr = new Traces(3, 20, false);
    tr.bump(0, 5);
    tr.bump(2, 7);
    tr.clear();
    for (let k = 0; k < 3; k++) expect(tr.at(k, 10)).toBe(0);
    tr.bump(2, 12);
    expect(Math.abs(tr.at(2, 32) / Math.exp(-20 / 20) - 1)).toBeLessThan(1e-14);
  });

  it('keep their closed-form values over long runs (the scaled storage is rebased, never overflows)', async () => {
    const { Traces } = await import('../../src/synapses/plasticity/trace.js');
    // Spikes spread over 1e6 ms (50,000 tau): each read is checked against the sum of e^{-(t - t_spike)/tau} over
    // the spikes of the last 40 tau (older ones are below 1e-17 of a unit trace).
    const tau = 20;
    const tr = new Traces(2, tau, false);
    const spikes: number[] = [];
    let t = 0;
    for (let n = 0; n < 2000; n++) {
      t += 1 + 997 * ((n * 7919) % 1000) / 1000; // 1 to 998 ms apart, sometimes many tau, sometimes a fraction
      tr.bump(1, t);
      spikes.push(t);
      const q = t + 3.7;
      let want = 0;
      for (const s of spikes) if (q - s < 40 * tau) want += Math.exp(-(q - s) / tau);
      expect(Math.abs(tr.at(1, q) - want)).toBeLessThan(1e-13 * Math.max(want, 1e-3));
      expect(tr.at(0, q)).toBe(0);
    }
  });
});
