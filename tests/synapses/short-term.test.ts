/**
 * Tsodyks-Markram short-term plasticity (src/synapses/short-term/). What each spike delivers is read from the target's
 * exponential current, sampled at every input time: the jump at arrival k is i(t_k) - i(t_{k-1}) e^{-(t_k - t_{k-1})/tau_s}.
 * Oracles, written here:
 * - the model as an ODE with jumps, stepped from spike to spike in its own algebra (u and x relax between arrivals;
 *   at an arrival u += U (1 - u), the synapse delivers w u x^-, x -= u x^-), against the code's closed-form update;
 * - for a periodic train, the closed-form steady state u* = U / (1 - (1 - U) e^{-T/tau_fac}),
 *   x* = (1 - e^{-T/tau_rec}) / (1 - (1 - u*) e^{-T/tau_rec});
 * - with STDP on the same projection: each delivery is the weight after that arrival's STDP update (a brute-force
 *   pair sum over the recorded spikes) times u x, and the final weight is the pair sum (short-term plasticity leaves
 *   the stored weights alone).
 */
import { describe, expect, test } from 'vitest';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import { loadScenario } from '../../src/scenario/load.js';
import { problemsOf } from '../fixtures/problems.js';
import { runNet, spikeTimes } from '../helpers.js';

const TAU_S = 5;
const DELAY = 1;

/** Spike times with bursts and pauses (a fixed list, so that nothing here depends on chronoprop's streams). */
function irregularTrain(): number[] {
  const gaps = [3, 4, 5, 2.5, 40, 7, 6, 120, 1.5, 2, 2.2, 300, 15, 15, 15, 15, 60, 9, 3.3, 500, 8, 8, 8, 25];
  let t = 10;
  return gaps.map((g) => (t += g));
}

/** One source neuron onto one LIF neuron that never fires; its excitatory current sampled at every arrival. */
function stpScenario(times: number[], w: number, shortTerm: Record<string, unknown>): ScenarioInput {
  return {
    name: 'stp', seed: 1, duration_ms: times.at(-1)! + 10,
    populations: [
      { name: 'src', model: 'spike_source', size: 1, params: { spike_times_ms: [times] } },
      { name: 'n', model: 'lif', size: 1, params: { v_th_mv: 1e6, tau_syn_exc_ms: TAU_S } },
    ],
    projections: [
      { name: 'p', from: 'src', to: 'n', receptor: 'exc', connect: { rule: 'all_to_all' }, weight_mv: w, delay_ms: DELAY, short_term: { rule: 'tsodyks_markram', ...shortTerm } as never },
    ],
    record: { state: [{ population: 'n', neurons: [0], vars: ['i_exc_mv'], times_ms: times.map((t) => t + DELAY) }] },
  };
}

/** What each arrival delivered, from the current samples at the arrival times. */
function deliveredJumps(times: number[], current: number[]): number[] {
  return times.map((t, k) => current[k] - (k === 0 ? 0 : current[k - 1] * Math.exp(-(t - times[k - 1]) / TAU_S)));
}

/** The model as an ODE with jumps (see the header): the factor u x^- each arrival delivers. */
function odeEfficacies(times: number[], U: number, tauRec: number, tauFac: number): number[] {
  let u = 0;
  let x = 1;
  let last = -Infinity;
  return times.map((t) => {
    const h = t - last;
    const uMinus = tauFac > 0 ? u * Math.exp(-h / tauFac) : 0; // u relaxes to 0
    const xMinus = 1 - (1 - x) * Math.exp(-h / tauRec); // x recovers to 1
    u = uMinus + U * (1 - uMinus);
    const delivered = u * xMinus;
    x = xMinus - u * xMinus;
    last = t;
    return delivered;
  });
}

function recordedCurrent(net: ReturnType<typeof runNet>): number[] {
  return Array.from(net.state[0].trace(0, 0));
}

describe('Tsodyks-Markram: each delivery against the ODE-with-jumps recursion, within 1e-12 relative', () => {
  test.each([
    ['depression (U 0.5, tau_rec 800, no facilitation)', { U: 0.5, tau_rec_ms: 800, tau_fac_ms: 0 }],
    ['facilitation (U 0.1, tau_rec 100, tau_fac 1000)', { U: 0.1, tau_rec_ms: 100, tau_fac_ms: 1000 }],
    ['both (U 0.3, tau_rec 200, tau_fac 50)', { U: 0.3, tau_rec_ms: 200, tau_fac_ms: 50 }],
  ])('%s', (_, stp) => {
    const times = irregularTrain();
    const w = 2;
    const net = runNet(stpScenario(times, w, stp));
    const got = deliveredJumps(times, recordedCurrent(net)).map((j) => j / w);
    const want = odeEfficacies(times, stp.U, stp.tau_rec_ms, stp.tau_fac_ms);
    expect(got.length).toBe(times.length);
    got.forEach((g, k) => expect(Math.abs(g - want[k])).toBeLessThan(1e-12 * Math.max(1, Math.abs(want[k]))));
    // The first arrival after silence delivers U w, and the efficacy moves (depresses or facilitates) afterwards.
    expect(got[0]).toBeCloseTo(stp.U, 12);
    expect(new Set(got.map((g) => g.toFixed(6))).size).toBeGreaterThan(10);
  });

  test('defaults are NEST tsodyks2_synapse\'s: U 0.5, tau_rec 800 ms, no facilitation', () => {
    const sc = loadScenario(stpScenario([1], 1, {}));
    expect(sc.projections[0].short_term).toEqual({ rule: 'tsodyks_markram', U: 0.5, tau_rec_ms: 800, tau_fac_ms: 0 });
  });
});

test('a periodic train settles at the closed-form steady state u* x*', () => {
  const T = 20;
  const times = Array.from({ length: 200 }, (_, k) => 5 + k * T);
  const stp = { U: 0.2, tau_rec_ms: 150, tau_fac_ms: 300 };
  const net = runNet(stpScenario(times, 1, stp));
  const got = deliveredJumps(times, recordedCurrent(net));
  const uStar = stp.U / (1 - (1 - stp.U) * Math.exp(-T / stp.tau_fac_ms));
  const xStar = (1 - Math.exp(-T / stp.tau_rec_ms)) / (1 - (1 - uStar) * Math.exp(-T / stp.tau_rec_ms));
  // 200 spikes = 4000 ms, 13 tau_fac and 27 tau_rec: the transient is below 1e-5 of it; then within rounding.
  expect(Math.abs(got.at(-1)! - uStar * xStar)).toBeLessThan(1e-10);
  expect(Math.abs(got[0] - stp.U)).toBeLessThan(1e-15);
});

describe('with STDP on the same projection', () => {
  test('each delivery is (weight after that arrival\'s STDP update) x u x; the final weight is the pair sum', () => {
    const pre = irregularTrain();
    const drive = [33.3, 118.1, 402.7, 511.9, 733.4, 1001.2, 1170.6];
    const stdp = { a_plus: 0.05, a_minus: 0.04, tau_plus_ms: 20, tau_minus_ms: 25 };
    const stp = { U: 0.3, tau_rec_ms: 200, tau_fac_ms: 50 };
    const w0 = 1;
    const arrivals = pre.map((t) => t + DELAY);
    const inputs = [...arrivals, ...drive.map((t) => t + DELAY)].sort((a, b) => a - b);
    const net = runNet({
      name: 'stp-stdp', seed: 1, duration_ms: 1300,
      populations: [
        { name: 'src', model: 'spike_source', size: 1, params: { spike_times_ms: [pre] } },
        { name: 'kick', model: 'spike_source', size: 1, params: { spike_times_ms: [drive] } },
        { name: 'n', model: 'lif', size: 1, params: { tau_syn_exc_ms: TAU_S, v_rest_mv: -70, v_th_mv: -50, v_reset_mv: -70 } },
      ],
      projections: [
        {
          name: 'p', from: 'src', to: 'n', receptor: 'exc', connect: { rule: 'all_to_all' }, weight_mv: w0, delay_ms: DELAY,
          plasticity: { rule: 'stdp', ...stdp, w_min_mv: -100, w_max_mv: 100 }, short_term: { rule: 'tsodyks_markram', ...stp },
        },
        { name: 'k', from: 'kick', to: 'n', receptor: 'exc', connect: { rule: 'all_to_all' }, weight_mv: 200, delay_ms: DELAY },
      ],
      record: { state: [{ population: 'n', neurons: [0], vars: ['i_exc_mv'], times_ms: inputs }] },
    });
    const post = spikeTimes(net, 'n');
    expect(post.length).toBeGreaterThanOrEqual(drive.length);
    // Brute-force pair sum: the weight just after the STDP update at arrival t (post spikes before t).
    const weightAt = (t: number, inclusive: boolean) => {
      let w = w0;
      for (const tp of arrivals) {
        if (tp > t || (!inclusive && tp === t)) continue;
        for (const tq of post) {
          if (tq < tp) w -= stdp.a_minus * Math.exp((tq - tp) / stdp.tau_minus_ms);
          else if (tq < t) w += stdp.a_plus * Math.exp(-(tq - tp) / stdp.tau_plus_ms);
        }
      }
      return w;
    };
    const current = recordedCurrent(net);
    const jumps = deliveredJumps(inputs, current);
    const eff = odeEfficacies(arrivals, stp.U, stp.tau_rec_ms, stp.tau_fac_ms);
    arrivals.forEach((t, k) => {
      const want = weightAt(t, true) * eff[k];
      expect(Math.abs(jumps[inputs.indexOf(t)] - want)).toBeLessThan(1e-11);
    });
    const final = net.projections.get('p')!.weight[0];
    expect(Math.abs(final - weightAt(Infinity, true))).toBeLessThan(1e-12);
    expect(Math.abs(final - w0)).toBeGreaterThan(0.01); // STDP did change it
  });
});

describe('bad short_term fields: one line each', () => {
  const problems = (short_term: unknown, mode?: 'rate'): string[] => {
    const sc = stpScenario([1], 1, {}) as Record<string, any>;
    sc.projections[0].short_term = short_term;
    if (mode) sc.mode = mode;
    sc.record = {};
    return problemsOf(() => loadScenario(sc));
  };
  test.each([
    ['U above 1', { rule: 'tsodyks_markram', U: 1.5 }, 'projections[0].short_term.U must be in (0, 1], got 1.5'],
    ['a negative recovery time', { rule: 'tsodyks_markram', tau_rec_ms: -1 }, 'projections[0].short_term.tau_rec_ms must be > 0, got -1'],
    ['an unknown rule', { rule: 'markov' }, 'projections[0].short_term.rule must be one of "tsodyks_markram", got "markov"'],
    ['an unknown field', { rule: 'tsodyks_markram', tau_d_ms: 5 }, 'projections[0].short_term has unknown field "tau_d_ms"'],
  ])('%s', (_, st, line) => {
    expect(problems(st)).toEqual([line]);
  });
  test('--mode rate refuses it', () => {
    expect(problems({ rule: 'tsodyks_markram' }, 'rate')).toEqual([
      'projections[0].short_term.rule has no rate-coded twin (--mode rate runs projections without short-term plasticity only), got "tsodyks_markram"',
    ]);
  });
});
