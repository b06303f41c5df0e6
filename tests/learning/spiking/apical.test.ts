/**
 * Feedback onto an apical dendrite (apical.ts). Oracles:
 * - the apical potential against its closed form, a brute-force sum over the recorded output spikes;
 * - the modulated STDP weight change against a brute-force sum over every recorded pre/post pair, each pair's window
 *   times the apical factor at its later spike (computed from the closed form, not from the rule's traces);
 * - the somas never see the feedback: the hidden spikes are those of the same network with the feedback removed;
 * - with paired phases, "frozen" and "none" run exactly the same spikes (the feedback no longer moves them);
 * - one nudged example moves the hidden weights along r_j (B dr_out)_j, the FA update gated by the post rate, and
 *   shuffled feedback does not.
 */
import { describe, expect, it } from 'vitest';
import { SpikingFa } from '../../../src/learning/spiking/spiking-fa.js';
import { denseWeights } from '../../../src/learning/spiking/dense.js';
import type { SpikeEmitter } from '../../../src/neurons/emitter.js';
import { createRng } from '../../../src/kernel/rng.js';
import { toyScenario, protocol, corr } from './toy.js';

/** Every spike of an emitter, as [neuron, time]. */
function recorder(e: SpikeEmitter): Array<[number, number]> {
  const spikes: Array<[number, number]> = [];
  e.addListener({ onSpike: (i, t) => spikes.push([i, t]) });
  return spikes;
}

const TAU = 15;
const SCALE = 3;
const toy = (seed: number, nIn = 20, nHid = 8, nOut = 3) => {
  const sc = toyScenario({ seed, nIn, nHid, nOut, wIn: [0.6, 0.4], wOut: [1, 1], b: 4, a: 0.002, hidBias: 16, outBias: 16, window: 'symmetric', bound: 100 });
  for (const p of sc.projections) if (p.plasticity) p.plasticity.weight_dependence = 'additive';
  return sc;
};
const apical = { feedback_target: 'apical' as const, apical_tau_ms: TAU, apical_scale_mv: SCALE };

/** u_j(t) by brute force: every output spike strictly before t, weighted by B_kj ([out][hid] dense). */
function apicalAt(j: number, t: number, outSpikes: Array<[number, number]>, B: Float64Array, nHid: number): number {
  let u = 0;
  for (const [k, tk] of outSpikes) if (tk < t) u += B[k * nHid + j] * Math.exp(-(t - tk) / TAU);
  return u;
}

describe('apical dendrite', { timeout: 60_000 }, () => {
  const x = Float64Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? 1 : 0.4));

  it('holds the closed-form potential of the feedback spikes, and the somas never see it', () => {
    // A learning example (the teacher makes the outputs fire) with the hidden layer frozen, so that the networks
    // compared below differ only by where the feedback goes.
    const l = new SpikingFa(toy(3), protocol({ ...apical, hidden_learning: 'frozen' }));
    const out = recorder(l.out);
    const hid = recorder(l.hid);
    const B = denseWeights(l.outHid);
    l.present(x, 0, true);
    expect(out.length).toBeGreaterThan(5);
    const t = l.t + 0.5; // after the example: every spike of it is in the past
    let worst = 0;
    let largest = 0;
    for (let j = 0; j < 8; j++) {
      const want = apicalAt(j, t, out, B, 8);
      worst = Math.max(worst, Math.abs(l.apical!.potential(j, t) - want));
      largest = Math.max(largest, Math.abs(want));
    }
    expect(largest).toBeGreaterThan(0.1);
    expect(worst).toBeLessThan(1e-12 * Math.max(1, largest));
    // The same network with the feedback removed from the somas (weights 0) fires the same hidden spikes.
    const bare = new SpikingFa(toy(3), protocol({ feedback: 'none', hidden_learning: 'frozen' }));
    const hidBare = recorder(bare.hid);
    bare.present(x, 0, true);
    expect(hid).toEqual(hidBare);
    // ...and with the feedback on the somas, not (the comparison can fail).
    const soma = new SpikingFa(toy(3), protocol({ hidden_learning: 'frozen' }));
    const hidSoma = recorder(soma.hid);
    soma.present(x, 0, true);
    expect(hidSoma).not.toEqual(hid);
  });

  it.each([
    ['all-to-all', 'all_to_all'],
    ['nearest-spike (narrow-digits-apical\'s hidden rule)', 'nearest'],
  ] as const)('scales each %s STDP pair by the apical potential at its later spike (brute force over the pairs)', (_label, pairing) => {
    // Plain gain 1 in both phases (gating "always"), updates at once, bounds far away: the weight change is exactly
    // the sum over the rule's pairs of W(s) u_j(t_later) / scale. All-to-all: every pre/post pair. Nearest: each
    // input arrival with the latest hidden spike strictly before it, each hidden spike with the latest arrival at or
    // before it (an arrival and a spike at the same time count as causal).
    const sc = toy(5);
    for (const p of sc.projections) if (p.plasticity) p.plasticity.pairing = pairing;
    const l = new SpikingFa(sc, protocol({ ...apical, gating: 'always', consolidation: 'spike' }));
    const inp = recorder(l.input);
    const hid = recorder(l.hid);
    const out = recorder(l.out);
    const w0 = denseWeights(l.inHid); // [in][hid]
    const B = denseWeights(l.outHid);
    l.present(x, 1, true);
    const w1 = denseWeights(l.inHid);
    expect(hid.length).toBeGreaterThan(20);
    const a = 0.002;
    const window = (s: number) => (s >= 0 ? a * Math.exp(-s / 20) : a * Math.exp(s / 20));
    let worst = 0;
    let largest = 0;
    for (let i = 0; i < 20; i++) {
      const pre = inp.filter(([pi]) => pi === i).map(([, t]) => t);
      for (let j = 0; j < 8; j++) {
        const post = hid.filter(([hj]) => hj === j).map(([, t]) => t);
        const pairs: Array<[number, number]> = [];
        if (pairing === 'all_to_all') for (const tp of pre) for (const th of post) pairs.push([tp, th]);
        else {
          for (const tp of pre) {
            const before = post.filter((th) => th < tp);
            if (before.length) pairs.push([tp, before[before.length - 1]]);
          }
          for (const th of post) {
            const before = pre.filter((tp) => tp <= th);
            if (before.length) pairs.push([before[before.length - 1], th]);
          }
        }
        let want = 0;
        for (const [tp, th] of pairs) want += (window(th - tp) * apicalAt(j, Math.max(tp, th), out, B, 8)) / SCALE;
        const got = w1[i * 8 + j] - w0[i * 8 + j];
        worst = Math.max(worst, Math.abs(got - want));
        largest = Math.max(largest, Math.abs(want));
      }
    }
    expect(largest).toBeGreaterThan(1e-3);
    expect(worst).toBeLessThan(1e-10 * largest + 1e-15);
  });

  it('with paired phases, a frozen hidden layer and no feedback run exactly the same spikes', () => {
    const paired = { ...apical, gating: 'contrastive' as const, consolidation: 'example' as const, t_warmup_ms: 20, between: 'none' as const, nudge_input: 'replay' as const, nudge_from: 'free_start' as const, teacher_mode: 'error' as const, target_hi_hz: 80, target_lo_hz: 5, teacher_gain: 5 };
    const rng = createRng(6, 'apical-examples');
    const xs = Array.from({ length: 6 }, () => Float64Array.from({ length: 20 }, () => rng.uniform()));
    const run = (o: object) => {
      const l = new SpikingFa(toy(7), protocol({ ...paired, ...o }));
      const counts = xs.map((xi, n) => {
        const r = l.present(xi, n % 3, true);
        expect(Array.from(r.hidNudge)).toEqual(Array.from(r.hidFree)); // the feedback does not move the hidden spikes
        return [Array.from(r.hidFree), Array.from(r.outFree), Array.from(r.outNudge)];
      });
      return { counts, inHid: Array.from(l.inHid.weight), hidOut: Array.from(l.hidOut.weight) };
    };
    const frozen = run({ hidden_learning: 'frozen' });
    const none = run({ feedback: 'none' });
    const on = run({});
    expect(none.counts).toEqual(frozen.counts);
    expect(none.hidOut).toEqual(frozen.hidOut);
    expect(none.inHid).toEqual(frozen.inHid);
    expect(on.inHid).not.toEqual(frozen.inHid); // with the feedback the hidden layer learns
  });

  it('moves the hidden weights along r_j (B dr_out)_j; shuffled feedback does not', () => {
    const nIn = 40, nHid = 60, nOut = 4, trials = 80;
    const rng = createRng(2, 'toy-example');
    const xi = Float64Array.from({ length: nIn }, () => (rng.uniform() < 0.5 ? 1 : 0.2));
    const sc = (seed: number) => {
      const s = toyScenario({ seed, nIn, nHid, nOut, wIn: [0.1, 0.1], wOut: [0.05, 0.1], b: 4, a: 0.001, hidBias: 18, outBias: 12, window: 'symmetric' });
      for (const p of s.projections) if (p.plasticity) p.plasticity.weight_dependence = 'additive';
      return s;
    };
    const proto = (feedback: 'random' | 'shuffled') => protocol({ ...apical, gating: 'contrastive', consolidation: 'example', t_warmup_ms: 30, feedback, nudge_input: 'replay', nudge_from: 'free_start' });
    const ref = new SpikingFa(sc(1), proto('random'));
    const Bo = denseWeights(ref.outHid);
    const mean = (feedback: 'random' | 'shuffled') => {
      const proj = new Float64Array(nHid);
      const rate = new Float64Array(nHid);
      const dOut = new Float64Array(nOut);
      for (let s = 0; s < trials; s++) {
        const l = new SpikingFa(sc(100 + s), { ...proto(feedback), shuffle_seed: 500 + s });
        l.inHid.weight.set(ref.inHid.weight);
        l.hidOut.weight.set(ref.hidOut.weight);
        l.outHid.weight.set(ref.outHid.weight);
        const w0 = l.inHid.weight.slice();
        const pre = l.inHid.synapsePre();
        const r = l.present(xi, 0, true);
        for (let k = 0; k < l.inHid.count; k++) proj[l.inHid.post[k]] += ((l.inHid.weight[k] - w0[k]) * xi[pre[k]]) / trials;
        for (let j = 0; j < nHid; j++) rate[j] += r.hidFree[j] / trials;
        for (let k = 0; k < nOut; k++) dOut[k] += (r.outNudge[k] - r.outFree[k]) / trials;
      }
      const fa = Float64Array.from({ length: nHid }, (_, j) => {
        let h = 0;
        for (let k = 0; k < nOut; k++) h += Bo[k * nHid + j] * dOut[k];
        return rate[j] * h;
      });
      return { c: corr(proj, fa), dOut };
    };
    const fa = mean('random');
    const sh = mean('shuffled');
    expect(fa.dOut[0]).toBeGreaterThan(0);
    expect(fa.c).toBeGreaterThan(0.7);
    expect(Math.abs(sh.c)).toBeLessThan(0.3);
  });
});
