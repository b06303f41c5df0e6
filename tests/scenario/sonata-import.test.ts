/**
 * Import of a SONATA circuit written by hand (tests/scenario/tiny-sonata.ts, h5wasm directly, not chronoprop's
 * exporter). Oracle: the values the circuit was written with, converted by NEST's equations worked here by hand
 * (C_m 250 pF, tau_m 25 ms: 10 pA per mV; I_e 100 pA is 10 mV; NEST's stdp_synapse: w_max = Wmax / 10,
 * a_plus = lambda w_max, a_minus = alpha a_plus), against the network chronoprop builds from the imported scenario.
 */
import { afterAll, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';
import { importSonata } from '../../src/scenario/sonata-import.js';
import { validateScenario } from '../../src/scenario/validate.js';
import { Network } from '../../src/scenario/network.js';
import { projectionEdges } from '../../src/scenario/sonata-export.js';
import { TINY, writeTinySonata } from './tiny-sonata.js';

const TMP = mkdtempSync(join(tmpdir(), 'chronoprop-sonata-in-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** (pre, post, weight mV, delay ms) per edge, sorted, from what the circuit was written with. */
const expected = (e: { pre: number[]; post: number[]; syn: number[]; delay: number[] }) =>
  e.pre.map((p, k) => `${p}>${e.post[k]} ${e.syn[k] / 10} ${e.delay[k]}`).sort();

test('a hand-written circuit: populations, parameters, every edge, weight and delay, the input spikes', async () => {
  const dir = await writeTinySonata(mkdtempSync(join(TMP, 'x-')));
  const imp = await importSonata(dir);
  const sc = validateScenario(imp.scenario);
  // No chronoprop block: named by the circuit's folder, seed 1; the run's length from run.tstop.
  expect([sc.name, sc.seed]).toEqual([basename(dir), 1]);
  expect(sc.duration_ms).toBe(TINY.tstop);
  expect(sc.populations.map((p) => [p.name, p.model, p.size])).toEqual([['stim', 'spike_source', 2], ['cells', 'lif', 3]]);
  const c = TINY.cells;
  expect(sc.populations[1].params).toEqual({
    tau_m_ms: c.tau_m, v_rest_mv: c.E_L, v_reset_mv: c.V_reset, v_th_mv: c.V_th, t_ref_ms: c.t_ref,
    i_bias_mv: 10, tau_syn_exc_ms: c.tau_syn_ex, tau_syn_inh_ms: c.tau_syn_in,
  });
  // Input spikes per node, in time order.
  expect(sc.populations[0].params).toEqual({ spike_times_ms: [[5, 40], [3, 12.5]] });

  const net = new Network(sc);
  expect([0, 1, 2].map((i) => net.populations.get('cells')!.group.state.v_mv.get(i))).toEqual(TINY.vm);
  for (const [name, e] of [['input', TINY.input], ['inhib', TINY.inhib], ['recur', TINY.recur]] as const) {
    const b = projectionEdges(net, name);
    const got = [...b.pre].map((p, k) => `${p}>${b.post[k]} ${b.weight[k]} ${b.delay[k]}`).sort();
    expect(got, name).toEqual(expected(e));
  }
  // No receptor column: the sign picks it, as NEST does.
  expect(sc.projections.map((p) => [p.name, p.from, p.to, p.receptor])).toEqual([
    ['input', 'stim', 'cells', 'exc'], ['inhib', 'cells', 'cells', 'inh'], ['recur', 'cells', 'cells', 'exc'],
  ]);
  const pl = sc.projections[2].plasticity!;
  expect(pl).toMatchObject({ rule: 'stdp', tau_plus_ms: 16.8, tau_minus_ms: c.tau_minus, w_min_mv: 0, w_max_mv: 4, weight_dependence: 'additive', pairing: 'all_to_all' });
  expect(pl.a_plus).toBe(0.02);
  expect((pl as { a_minus: number }).a_minus).toBeCloseTo(0.022, 15);
  expect(sc.projections[0].plasticity).toBeUndefined();
}, 60_000);

test('parameters missing from dynamics_params take NEST defaults; mu = 1 is multiplicative', async () => {
  const dir = await writeTinySonata(mkdtempSync(join(TMP, 'x-')), (f) => {
    f.cellsJson = { tau_m: 25, tau_minus: 30 };
    f.stdpJson = { Wmax: 40, mu_plus: 1, mu_minus: 1 };
  });
  const sc = validateScenario((await importSonata(dir)).scenario);
  // NEST 3: C_m 250, E_L -70, V_reset -70, V_th -55, t_ref 2, tau_syn 2 / 2, I_e 0; stdp_synapse lambda 0.01, alpha 1, tau_plus 20.
  expect(sc.populations[1].params).toEqual({ tau_m_ms: 25, v_rest_mv: -70, v_reset_mv: -70, v_th_mv: -55, t_ref_ms: 2, i_bias_mv: 0, tau_syn_exc_ms: 2, tau_syn_inh_ms: 2 });
  expect(sc.projections[2].plasticity).toMatchObject({ weight_dependence: 'multiplicative', w_max_mv: 4, a_plus: 0.04, a_minus: 0.04, tau_plus_ms: 20 });
}, 60_000);
