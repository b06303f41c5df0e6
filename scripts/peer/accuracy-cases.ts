/**
 * The two cases of the accuracy-against-cost comparison (scripts/peer/accuracy.ts), as resolved scenarios that
 * chronoprop and Brian2 (brian_model.py) both read, so that neither side repeats the other's parameters.
 *
 * Case 1, `single`: N independent copies of the single-neuron case (scenarios/single-neuron.json's neuron: tau_m
 * 20 ms, threshold 15 mV above rest, reset to rest, t_ref 2 ms, exponential currents of 5 and 10 ms), each driven
 * by its own fixed input spike trains: two excitatory and one inhibitory source per neuron, Bernoulli trains on a
 * grid of INPUT_GRID_MS (0.3 ms, a multiple of every Brian2 dt compared: 0.1, 0.03, 0.01, 0.001 ms), so that Brian2
 * receives exactly the same input times as chronoprop and its error is that of its own integration (the threshold
 * checked once per step, the reset and refractory period on the grid), not of rounding its inputs. Synapses have no
 * delay. The trains are drawn once (seed SINGLE_SEED) and written into the scenario: "recorded" inputs.
 *
 * Case 2, `cuba`: scenarios/cuba.json (Brette et al. 2007 Benchmark 2), whose network chronoprop builds and exports
 * for Brian2 (perf/network-files.ts, brian_run.py --network): the same connectivity, weights and initial v in both,
 * and no external input, so the runs differ only by integration.
 */
import { loadScenario } from '../../src/scenario/load.js';
import { createRng } from '../../src/kernel/rng.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { resolvedScenario } from './resolved-scenario.js';

/** Input times lie on this grid: 0.3 ms = 3 x 0.1 = 10 x 0.03 = 30 x 0.01 = 300 x 0.001 ms. */
export const INPUT_GRID_MS = 0.3;
export const SINGLE_SEED = 19;

export interface SingleCase {
  neurons: number;
  duration_ms: number;
  /** Rate of each of the two excitatory sources of a neuron, and of its inhibitory source (Hz). */
  exc_rate_hz: number;
  inh_rate_hz: number;
  w_exc_mv: number;
  w_inh_mv: number;
}

export const SINGLE_NEURON = {
  tau_m_ms: 20, v_rest_mv: -70, v_reset_mv: -70, v_th_mv: -55, t_ref_ms: 2, i_bias_mv: 0, tau_syn_exc_ms: 5, tau_syn_inh_ms: 10,
};

/** A Bernoulli train on the input grid in [0, duration): each grid time k * INPUT_GRID_MS (k >= 1) with probability p. */
function gridTrain(rng: ReturnType<typeof createRng>, p: number, durationMs: number): number[] {
  const out: number[] = [];
  const steps = Math.ceil(durationMs / INPUT_GRID_MS);
  for (let k = 1; k < steps; k++) {
    // Rounded to 12 digits so that the JSON both simulators read holds 0.3, 0.6, 0.9, ... and not 0.8999999999999999.
    if (rng.uniform() < p) out.push(Math.round(k * INPUT_GRID_MS * 1e12) / 1e12);
  }
  return out;
}

export function singleScenario(c: SingleCase): Scenario {
  const rng = createRng(SINGLE_SEED, 'accuracy-inputs');
  const pe = (c.exc_rate_hz * INPUT_GRID_MS) / 1e3;
  const pi = (c.inh_rate_hz * INPUT_GRID_MS) / 1e3;
  if (!(pe < 1 && pi < 1)) throw new Error('input rate too high for one spike per grid step');
  const exc: number[][] = [];
  const inh: number[][] = [];
  for (let i = 0; i < c.neurons; i++) {
    exc.push(gridTrain(rng, pe, c.duration_ms), gridTrain(rng, pe, c.duration_ms));
    inh.push(gridTrain(rng, pi, c.duration_ms));
  }
  const ids = Array.from({ length: c.neurons }, (_, i) => i);
  const raw = {
    name: 'accuracy-single',
    description: 'Independent single LIF neurons with exponential currents, each driven by its own recorded grid-aligned input trains.',
    seed: SINGLE_SEED,
    duration_ms: c.duration_ms,
    populations: [
      { name: 'input_exc', model: 'spike_source', size: 2 * c.neurons, params: { spike_times_ms: exc } },
      { name: 'input_inh', model: 'spike_source', size: c.neurons, params: { spike_times_ms: inh } },
      { name: 'neuron', model: 'lif', size: c.neurons, params: { ...SINGLE_NEURON } },
    ],
    projections: [
      { name: 'exc_in', from: 'input_exc', to: 'neuron', receptor: 'exc', weight_mv: c.w_exc_mv,
        connect: { rule: 'pairs', pre: ids.flatMap((i) => [2 * i, 2 * i + 1]), post: ids.flatMap((i) => [i, i]) } },
      { name: 'inh_in', from: 'input_inh', to: 'neuron', receptor: 'inh', weight_mv: c.w_inh_mv,
        connect: { rule: 'pairs', pre: ids, post: ids } },
    ],
    record: { spikes: ['neuron'], state: [], weights: [] },
  };
  return resolvedScenario(loadScenario(raw));
}


export function cubaScenario(durationMs: number, seed = 1): Scenario {
  const sc = loadScenario('cuba', { set: [`duration_ms=${durationMs}`], seed });
  sc.record = { spikes: ['exc', 'inh'], state: [], weights: [] };
  return resolvedScenario(sc);
}
