/**
 * One network in partitions (scenario/windowed.ts), run from sources: the partitions run one after another in this
 * thread, window by window, which is the protocol the threads run (tests/cli/threads.test.ts runs the threads).
 *
 * Oracles: (1) the classic one-thread loop (no partitions, every spike's arrivals queued when it fires), which the
 * windowed protocol must reproduce bit for bit where the two are the same computation: a network with no exact ties
 * between arrivals, over less than 16 tau_m (before the classic loop first moves its LIF epoch at an input); (2) the
 * partitions against each other, 1 against 2, 3 and 5, on networks where the protocol's two guards matter: exact ties
 * (voltage jumps, grid-timed sources, delays on one grid) and runs long enough to move the epoch several times.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { Network } from '../../src/scenario/network.js';
import type { Scenario, ScenarioInput } from '../../src/scenario/schema.js';
import { runThreaded } from '../../src/scenario/threads.js';
import { threadsObstacle, windowOf, MIN_WINDOW_MS } from '../../src/scenario/windowed.js';
import type { SynapseTable } from '../../src/scenario/partition-synapses.js';

/** Every spike as "population:neuron@t", sorted by time, then population, then neuron (the run's order is not). */
function listed(net: Network): string[] {
  const all: [number, number, number, string][] = [];
  let rank = 0;
  for (const [name, rec] of net.spikes) {
    const { neuron, t } = rec.sorted();
    for (let k = 0; k < t.length; k++) all.push([t[k], rank, neuron[k], `${name}:${neuron[k]}@${t[k]}`]);
    rank++;
  }
  all.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  return all.map((x) => x[3]);
}

/** The plastic projections' final synapses as (pre, post, weight) rows, by name. */
type Weights = Record<string, number[][]>;
const rows = (t: SynapseTable) => Array.from(t.weight, (w, k) => [t.pre[k], t.post[k], w]);

function classic(sc: Scenario): { spikes: string[]; delivered: number; weights: Weights } {
  const net = new Network(sc);
  net.run(sc.duration_ms);
  const weights: Weights = {};
  for (const name of net.rules.keys()) {
    const p = net.projections.get(name)!;
    weights[name] = rows({ pre: p.synapsePre(), post: p.post, weight: p.weight });
  }
  return { spikes: listed(net), delivered: net.deliveredCount, weights };
}

async function partitioned(sc: Scenario, count: number): Promise<{ spikes: string[]; delivered: number; weights: Weights; epochs: number[] }> {
  const r = await runThreaded(sc, count, windowOf(sc).ms);
  const epochs = [...r.net.populations.values()].map((p) => (p.group as unknown as { epoch: number }).epoch);
  const weights: Weights = {};
  for (const [name, t] of r.plastic) weights[name] = rows(t);
  return { spikes: listed(r.net), delivered: r.delivered, weights, epochs };
}

const lif = (tauExc: number, tauInh: number, vRest: number) => ({
  tau_m_ms: 20, v_rest_mv: vRest, v_reset_mv: -60, v_th_mv: -50, t_ref_ms: 2, tau_syn_exc_ms: tauExc, tau_syn_inh_ms: tauInh,
});

/** STDP on ee (pair, all-to-all, additive; tau_plus 20 ms, tau_minus 40 ms), strong enough to move weights far. */
const STDP = { rule: 'stdp', a_plus: 0.05, a_minus: 0.055, tau_plus_ms: 20, tau_minus_ms: 40, w_min_mv: 0, w_max_mv: 4 } as const;

/** The tonic network with pair STDP on its excitatory recurrent projection. */
function plastic(duration: number): ScenarioInput {
  const sc = tonic(duration);
  sc.projections![0].plasticity = { ...STDP };
  return sc;
}

/**
 * The tonic network with triplet STDP on its recurrent excitation: the visual cortex fit's time constants (all to all)
 * and about 30 times its amplitudes, so that weights move in a short run.
 */
function triplet(duration: number): ScenarioInput {
  const sc = tonic(duration);
  sc.projections![0].plasticity = { rule: 'triplet_stdp', a2_plus: 0, a3_plus: 0.19, a2_minus: 0.21, a3_minus: 0.007, w_min_mv: 0, w_max_mv: 4 };
  return sc;
}

/** CUBA-like, exponential currents, tonic (v_rest above threshold), delays of 1 ms and more: no exact ties. */
function tonic(duration: number): ScenarioInput {
  const pop = (name: string, size: number) => ({ name, model: 'lif', size, params: lif(5, 10, -49), init: { v_mv: { uniform: [-60, -50] as [number, number] } } });
  const proj = (name: string, from: string, to: string, receptor: 'exc' | 'inh', n: number, w: number, delay: number | { uniform: [number, number] }) => ({
    name, from, to, receptor, connect: { rule: 'fixed_indegree' as const, n }, weight_mv: w, delay_ms: delay,
  });
  return {
    name: 'tonic', seed: 3, duration_ms: duration,
    populations: [pop('exc', 240), pop('inh', 60)],
    projections: [
      proj('ee', 'exc', 'exc', 'exc', 16, 1.62, { uniform: [1, 3] }),
      proj('ei', 'exc', 'inh', 'exc', 16, 1.62, 1),
      proj('ie', 'inh', 'exc', 'inh', 4, -9, 1.5),
      proj('ii', 'inh', 'inh', 'inh', 4, -9, 1),
    ],
    record: { spikes: 'all' },
  };
}

/**
 * Excitation by voltage jumps (a crossing at the input's own time), inhibition by exponential currents, delays on a
 * 0.5 ms grid, tonic neurons (v_rest above threshold: crossings between inputs at times that depend on every bit of
 * the currents), driven by a grid-timed source and a Poisson one: many arrivals reach a neuron at exactly the same
 * time, from spikes of both populations and from the sources, and the order in which they are summed shows.
 */
function tied(duration: number): ScenarioInput {
  const pop = (name: string, size: number) => ({ name, model: 'lif', size, params: lif(0, 5, -49.5), init: { v_mv: { uniform: [-60, -50] as [number, number] } } });
  const proj = (name: string, from: string, to: string, receptor: 'exc' | 'inh', w: number, delay: number) => ({
    name, from, to, receptor, connect: { rule: 'fixed_probability' as const, p: 0.1 }, weight_mv: w, delay_ms: delay,
  });
  const grid = Array.from({ length: 8 }, (_, i) => Array.from({ length: Math.floor(duration / 5) }, (_, k) => 5 * k + (i % 4) * 0.5));
  return {
    name: 'tied', seed: 5, duration_ms: duration,
    populations: [
      pop('exc', 120), pop('inh', 40), pop('exc2', 40),
      { name: 'out', model: 'lif', size: 20, params: lif(5, 5, -49.5), init: { v_mv: { uniform: [-60, -50] as [number, number] } } },
      { name: 'clock', model: 'spike_source', size: 8, params: { spike_times_ms: grid } },
      { name: 'kick', model: 'poisson_source', size: 50, params: { rate_hz: 40 } },
    ],
    projections: [
      proj('ee', 'exc', 'exc', 'exc', 1.37, 0.5),
      proj('ei', 'exc', 'inh', 'exc', 1.37, 1),
      proj('ie', 'inh', 'exc', 'inh', -6.1, 0.5),
      proj('ii', 'inh', 'inh', 'inh', -6.1, 1.5),
      // A second excitatory population onto the same receptors with the same delays: simultaneous spikes of two
      // populations reach one neuron's one variable at one time, summed in the canonical order.
      proj('xe', 'exc2', 'exc', 'exc', 0.93, 0.5),
      proj('xi', 'exc2', 'inh', 'exc', 0.93, 1),
      proj('ex', 'exc', 'exc2', 'exc', 1.37, 0.5),
      // A readout with exponential currents, out of the clock's reach (so not refractory when those volleys come).
      { name: 'eo', from: 'exc', to: 'out', receptor: 'exc', connect: { rule: 'fixed_indegree', n: 12 }, weight_mv: 0.71, delay_ms: 1 },
      { name: 'xo', from: 'exc2', to: 'out', receptor: 'exc', connect: { rule: 'fixed_indegree', n: 12 }, weight_mv: 0.43, delay_ms: 1 },
      { name: 'clock_e', from: 'clock', to: 'exc', receptor: 'exc', connect: { rule: 'fixed_indegree', n: 2 }, weight_mv: 5, delay_ms: 0.5 },
      { name: 'clock_x', from: 'clock', to: 'exc2', receptor: 'exc', connect: { rule: 'fixed_indegree', n: 2 }, weight_mv: 5, delay_ms: 0.5 },
      { name: 'clock_i', from: 'clock', to: 'inh', receptor: 'exc', connect: { rule: 'fixed_indegree', n: 2 }, weight_mv: 5 },
      { name: 'kick_e', from: 'kick', to: 'exc', receptor: 'exc', connect: { rule: 'fixed_indegree', n: 3 }, weight_mv: 4 },
    ],
    record: { spikes: 'all' },
  };
}

describe('the windowed protocol against the classic loop', () => {
  it('gives the classic loop\'s spikes bit for bit on a network without ties, before any epoch moves (300 ms < 16 tau_m)', async () => {
    const sc = loadScenario(tonic(300));
    const ref = classic(sc);
    expect(ref.spikes.length).toBeGreaterThan(500);
    for (const count of [1, 3]) {
      const got = await partitioned(sc, count);
      expect(got.spikes).toEqual(ref.spikes);
      expect(got.delivered).toBe(ref.delivered);
    }
  });

  // Shorter than 16 times the least time constant (tau_m 20 ms; the triplet rule's tau_plus 16.8 ms), before the
  // classic loop first moves an epoch at an input.
  it.each([
    ['pair', '300 ms', plastic(300)],
    ['triplet', '260 ms', triplet(260)],
  ])('gives the classic loop\'s spikes and final %s STDP weights bit for bit, in the same synapse order (%s)', async (_rule, _span, input) => {
    const sc = loadScenario(input);
    const ref = classic(sc);
    // The weights moved (from 1.62 mV), both ways.
    const w = ref.weights.ee.map((r) => r[2]);
    expect(Math.min(...w)).toBeLessThan(1.5);
    expect(Math.max(...w)).toBeGreaterThan(1.7);
    for (const count of [1, 2, 3]) {
      const got = await partitioned(sc, count);
      expect(got.spikes).toEqual(ref.spikes);
      expect(got.weights).toEqual(ref.weights);
    }
  });
});

describe('partitions give the same bits whatever their number', () => {
  it.each([
    ['exponential currents, delays of 1-3 ms, 1,000 ms (three epoch moves)', tonic(1000)],
    ['voltage jumps and inhibitory currents, grid sources and delays on a 0.5 ms grid: exact ties, 700 ms', tied(700)],
    ['pair STDP on the recurrent excitation (tau_plus 20, tau_minus 40 ms), 1,500 ms (trace epochs move too)', plastic(1500)],
    ['triplet STDP on the recurrent excitation, 1,500 ms', triplet(1500)],
  ])('%s', async (_label, input) => {
    const sc = loadScenario(input);
    const one = await partitioned(sc, 1);
    expect(one.spikes.length).toBeGreaterThan(2000);
    // The epochs moved at window ends (to 320 ms and on), so the guard against input-timed moves was needed.
    for (const e of one.epochs) expect(e).toBeGreaterThan(320);
    for (const count of [2, 3, 5]) {
      const got = await partitioned(sc, count);
      expect(got.spikes).toEqual(one.spikes);
      expect(got.delivered).toBe(one.delivered);
      expect(got.weights).toEqual(one.weights);
    }
  });

  it('records state as one thread does: the classic loop\'s samples bit for bit over 300 ms, 1 against 3 partitions over 900 ms', async () => {
    const withState = (duration: number): Scenario => {
      const input = tonic(duration);
      // Neurons of every partition of 3, in no particular order, and one twice; sampled on a grid and at listed times.
      input.record = {
        spikes: 'all',
        state: [
          { population: 'exc', neurons: [239, 0, 120, 77, 0, 181], vars: ['v_mv', 'i_exc_mv'], every_ms: 0.7 },
          { population: 'inh', neurons: [59, 3], vars: ['i_inh_mv'], times_ms: [0.5, 1, 1.25, 250, 299.9, 600] },
        ],
      };
      return loadScenario(input);
    };
    const traces = (net: Network) => net.state.map((r) => [Array.from(r.times()), ...r.neurons.flatMap((_, a) => r.vars.map((_, v) => Array.from(r.trace(a, v))))]);
    const short = withState(300);
    expect(threadsObstacle(short)).toBeNull();
    const ref = new Network(short);
    ref.run(short.duration_ms);
    const want = traces(ref);
    expect(want[0][0].length).toBe(429); // samples at 0, 0.7, ... < 300
    expect((await runThreaded(short, 3, 1)).net.state.map((r) => r.count)).toEqual([429, 5]);
    expect(traces((await runThreaded(short, 3, 1)).net)).toEqual(want);
    const long = withState(900);
    expect(traces((await runThreaded(long, 3, 1)).net)).toEqual(traces((await runThreaded(long, 1, 1)).net));
  });

  it('short-term depression and facilitation (per delay group): 1 against 3 partitions, and the classic loop over 300 ms', async () => {
    const input = tonic(900);
    input.projections![0].short_term = { rule: 'tsodyks_markram', U: 0.3, tau_rec_ms: 200, tau_fac_ms: 50 };
    const sc = loadScenario(input);
    expect(threadsObstacle(sc)).toBeNull();
    const one = await partitioned(sc, 1);
    const three = await partitioned(sc, 3);
    expect(one.spikes.length).toBeGreaterThan(1000);
    expect(three.spikes).toEqual(one.spikes);
    const short = loadScenario({ ...input, duration_ms: 300 });
    expect((await partitioned(short, 3)).spikes).toEqual(classic(short).spikes);
  });

  it.each([
    ['adaptive_lif', { tau_w_ms: 100, a: 0.2, b_mv: 1, i_bias_mv: 6 }],
    ['alpha_lif', { i_bias_mv: 4 }],
    ['two_compartment', { i_bias_mv: 4 }],
  ])('%s populations (the linear models\' group): 1 against 3 partitions over 600 ms', async (model, extra) => {
    const input = tonic(600);
    for (const p of input.populations!) {
      const params = p.params as Record<string, number>;
      p.model = model;
      p.params = { tau_m_ms: 20, v_rest_mv: -52, v_reset_mv: -60, v_th_mv: -50, t_ref_ms: 2, ...extra };
      if (model === 'alpha_lif') Object.assign(p.params, { tau_syn_exc_ms: 2, tau_syn_inh_ms: 5 });
      else Object.assign(p.params, { tau_syn_exc_ms: params.tau_syn_exc_ms, tau_syn_inh_ms: params.tau_syn_inh_ms });
    }
    const sc = loadScenario(input);
    expect(threadsObstacle(sc)).toBeNull();
    const one = await partitioned(sc, 1);
    expect(one.spikes.length).toBeGreaterThan(300);
    const three = await partitioned(sc, 3);
    expect(three.spikes).toEqual(one.spikes);
    expect(three.delivered).toBe(one.delivered);
  });

  it('has exact ties in the tied network: arrivals at one time from several spikes', async () => {
    const sc = loadScenario(tied(200));
    const { spikes } = await partitioned(sc, 1);
    const times = spikes.filter((s) => s.startsWith('exc') || s.startsWith('inh')).map((s) => s.split('@')[1]);
    expect(times.length - new Set(times).size).toBeGreaterThan(50);
    // Some of them in both excitatory populations at once.
    const exc = new Set(spikes.filter((s) => s.startsWith('exc:')).map((s) => s.split('@')[1]));
    expect(spikes.filter((s) => s.startsWith('exc2:') && exc.has(s.split('@')[1])).length).toBeGreaterThan(20);
  });
});

describe('what runs in partitions', () => {
  const base = () => tonic(100);
  it('finds nothing against the tonic network, and its window is the least delay', () => {
    const sc = loadScenario(base());
    expect(threadsObstacle(sc)).toBeNull();
    expect(windowOf(sc)).toEqual({ ms: 1, projection: 'ee' });
  });

  it.each([
    ['a zero delay', (s: ScenarioInput) => (s.projections![2].delay_ms = 0), /least delay between neuron populations is 0 ms \(projection ie\)/],
    ['a delay under the least window', (s: ScenarioInput) => (s.projections![3].delay_ms = MIN_WINDOW_MS / 2), /is 0.05 ms \(projection ii\), under 0.1 ms/],
    ['normal delays (truncated at 0)', (s: ScenarioInput) => (s.projections![1].delay_ms = { normal: [2, 0.5] }), /is 0 ms \(projection ei\)/],
    ['weight recording', (s: ScenarioInput) => (s.record = { spikes: 'all', weights: [{ projection: 'ee', every_ms: 10 }] }), /record.weights/],
    ['rate mode', (s: ScenarioInput) => (s.mode = 'rate'), /rate-coded twin/],
  ])('names %s', (_label, change, why) => {
    const s = base();
    change(s);
    expect(threadsObstacle(loadScenario(s))).toMatch(why);
  });
});
