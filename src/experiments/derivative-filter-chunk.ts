/**
 * One chunk of derivative-filter trials: `trials` independent synapses simulated side by side in one network
 * (trial i is neuron i of each population, joined one_to_one). Random streams are named by slope index and chunk,
 * so a chunk's result depends only on its payload. The scenario is built here, valid by construction: it is parsed
 * for defaults only, which keeps the worker threads free of the experiment registry.
 */
import { Network } from '../scenario/network.js';
import { scenarioSchema, type ScenarioInput } from '../scenario/schema.js';
import { rampFor, trialGeometry, type DerivativeSettings } from './derivative-filter-trial.js';
import type { DriveProfile } from './derivative-filter-drive.js';
import type { ChunkFunction } from '../parallel/pool.js';

export interface DerivativeChunk {
  seed: number;
  slopeIndex: number;
  chunk: number;
  trials: number;
  slope: number;
  settings: DerivativeSettings;
  drive: DriveProfile | null;
}

export interface DerivativeChunkResult {
  slopeIndex: number;
  chunk: number;
  dw: Float64Array;
  psth: Float64Array;
  spikes: number;
  events: number;
}

export function runDerivativeChunk(c: DerivativeChunk): DerivativeChunkResult {
  const st = c.settings;
  const g = trialGeometry(st);
  const ramp = rampFor(st, c.slope);
  const tag = `s${c.slopeIndex}c${c.chunk}`;
  const n = c.trials;
  const rate = (u: number) => (ramp.alpha + ramp.beta * u) * 1e3;
  const postPop = `post_${tag}`;
  const populations: ScenarioInput['populations'] = [
    { name: `pre_${tag}`, model: 'poisson_source', size: n, params: { rate_hz: st.r_pre_hz, start_ms: g.p0, stop_ms: g.p1 } },
  ];
  const projections: ScenarioInput['projections'] = [];
  if (st.variant === 'poisson') {
    // A puppet LIF fires exactly at each teacher spike (a 100 mV jump from rest, no refractory period).
    populations.push(
      { name: `teacher_${tag}`, model: 'poisson_source', size: n, params: { rate_hz: { times_ms: [g.q0, g.q1], rates_hz: [rate(g.q0), rate(g.q1)] }, start_ms: g.q0, stop_ms: g.q1 } },
      { name: postPop, model: 'lif', size: n, params: { t_ref_ms: 0, tau_syn_exc_ms: 0, tau_syn_inh_ms: 5 } },
    );
    projections.push({ name: 'teach', from: `teacher_${tag}`, to: postPop, receptor: 'exc', connect: { rule: 'one_to_one' }, weight_mv: 100 });
  } else {
    const p = st.lif;
    populations.push(
      { name: `drive_${tag}`, model: 'poisson_source', size: n, params: { rate_hz: c.drive!, start_ms: g.q0, stop_ms: g.q1 } },
      { name: postPop, model: 'lif', size: n, params: { tau_m_ms: p.tau_m_ms, v_rest_mv: p.v_rest_mv, v_reset_mv: p.v_reset_mv, v_th_mv: p.v_th_mv, t_ref_ms: p.t_ref_ms, tau_syn_exc_ms: p.tau_syn_exc_ms, tau_syn_inh_ms: 5 } },
    );
    projections.push({ name: 'drive', from: `drive_${tag}`, to: postPop, receptor: 'exc', connect: { rule: 'one_to_one' }, weight_mv: p.input_weight_mv });
  }
  projections.push({
    name: 'plastic', from: `pre_${tag}`, to: postPop, receptor: 'inh', connect: { rule: 'one_to_one' }, weight_mv: 0,
    plasticity: { rule: 'stdp', a_plus: st.a_plus, a_minus: st.a_minus, tau_plus_ms: st.tau_plus_ms, tau_minus_ms: st.tau_minus_ms, pairing: 'all_to_all', window: st.window, sign: st.sign, w_min_mv: -1e9, w_max_mv: 1e9 },
  });
  const end = g.q1 + 5 * Math.max(st.tau_plus_ms, st.tau_minus_ms, st.lif.tau_m_ms);
  const net = new Network(scenarioSchema.parse({ name: 'derivative-filter', seed: c.seed, duration_ms: end, populations, projections, record: { spikes: [postPop] } }));
  net.run(end);
  const nBins = Math.ceil((g.q1 - g.q0) / st.psth_bin_ms);
  const psth = new Float64Array(nBins);
  const tr = net.spikes.get(postPop)!.sorted();
  for (const t of tr.t) {
    const b = Math.floor((t - g.q0) / st.psth_bin_ms);
    if (b >= 0 && b < nBins) psth[b]++;
  }
  return {
    slopeIndex: c.slopeIndex,
    chunk: c.chunk,
    dw: Float64Array.from(net.projections.get('plastic')!.weight),
    psth,
    spikes: net.spikeCount,
    events: net.deliveredCount,
  };
}

/** runDerivativeChunk under the name the worker threads know it by (src/registry.ts). */
export const derivativeFilterChunk: ChunkFunction<DerivativeChunk, DerivativeChunkResult> = { name: 'derivative-filter', run: runDerivativeChunk };
