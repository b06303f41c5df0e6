/**
 * Simulation.claimNext (a population handles its next due neuron at once instead of queueing and popping it) against
 * the plain queue: the same networks run with claimNext refusing every claim, so that every due time goes through the
 * kernel's heap and pops in (time, phase, seq) order. The networks are the ones where a tie matters: zero-delay
 * recurrent edges (a spike's arrivals come at the spike's own time, in Phase.DELIVER, before the next threshold test)
 * and simultaneous crossings (voltage jumps that reach threshold at the input's time, a source hitting many neurons
 * at once, zero-delay cascades). Every spike of the run is compared, in the order it was emitted across populations,
 * also with the run cut into pieces that end at spike times (a claim must not reach a piece's end).
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/kernel/simulation.js';
import { loadScenario } from '../../src/scenario/load.js';
import { Network } from '../../src/scenario/network.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';

/**
 * Every spike as "population:neuron@t", in the order emitted; with `plain`, claimNext never claims. With `cuts`
 * (increasing times), the run is cut into runUntil calls that end there: a neuron due exactly at a piece's end must
 * wait for the next piece, since a run covers [now, tEnd).
 */
function spikes(sc: ScenarioInput, plain: boolean, cuts: number[] = []): string[] {
  const proto = Simulation.prototype as unknown as { claimNext(t: number): boolean };
  const claimNext = proto.claimNext;
  if (plain) proto.claimNext = () => false;
  try {
    const net = new Network(loadScenario(sc));
    const out: string[] = [];
    const end = net.scenario.duration_ms;
    let pieceEnd = end;
    const onSpike = (name: string) => (i: number, t: number) => {
      // [now, tEnd) is half-open: a spike at a piece's end belongs to the next piece.
      out.push(t < pieceEnd ? `${name}:${i}@${t}` : `${name}:${i}@${t} (at or after the piece's end)`);
    };
    for (const [name, e] of net.emitters) e.addListener({ onSpike: onSpike(name) });
    for (const t of cuts) net.run((pieceEnd = t));
    net.run((pieceEnd = end));
    return out;
  } finally {
    proto.claimNext = claimNext;
  }
}

const lifParams = (tauExc: number, tauInh: number, vRest = -70) => ({
  tau_m_ms: 20, v_rest_mv: vRest, v_reset_mv: -70, v_th_mv: -55, t_ref_ms: 2, tau_syn_exc_ms: tauExc, tau_syn_inh_ms: tauInh,
});

/**
 * A layer of n neurons with zero-delay lateral inhibition, driven by one source that fires at the given times to all
 * of them with voltage jumps that reach threshold at once: every neuron crosses at the same instant, and the first
 * to fire (the lowest index) must silence the others before their threshold is tested.
 */
function lateral(n: number, times: number[]): ScenarioInput {
  return {
    name: 'lateral', seed: 1, duration_ms: 100,
    populations: [
      { name: 'src', model: 'spike_source', size: 1, params: { spike_times_ms: [times] } },
      { name: 'layer', model: 'lif', size: n, params: lifParams(0, 0) },
    ],
    projections: [
      { name: 'drive', from: 'src', to: 'layer', receptor: 'exc', connect: { rule: 'all_to_all' }, weight_mv: 20 },
      { name: 'wta', from: 'layer', to: 'layer', receptor: 'inh', connect: { rule: 'all_to_all' }, weight_mv: -30 },
    ],
  };
}

/**
 * A recurrent excitatory and inhibitory network with zero delays throughout (some projections also on a 0.5 ms
 * delay, so that arrivals of different spikes share times), kicked by Poisson sources.
 * Excitation is a voltage jump (a crossing at the input's own time, so zero-delay cascades cross simultaneously);
 * inhibition a jump too, or an exponential current (tauInh > 0) that bends the trajectories after it.
 */
function recurrent(seed: number, tauInh: number, w: number, mixed: boolean): ScenarioInput {
  const pop = (name: string, size: number) => ({
    name, model: 'lif', size, params: lifParams(0, tauInh, -54), init: { v_mv: { uniform: [-70, -55] as [number, number] } },
  });
  const proj = (name: string, from: string, to: string, receptor: 'exc' | 'inh', weight: number, delay: number) => ({
    name, from, to, receptor, connect: { rule: 'fixed_probability' as const, p: 0.1 }, weight_mv: weight, delay_ms: delay,
  });
  return {
    name: 'recurrent', seed, duration_ms: 150,
    populations: [
      pop('exc', 160), pop('inh', 40),
      { name: 'kick', model: 'poisson_source', size: 200, params: { rate_hz: 80, stop_ms: 40 } },
    ],
    projections: [
      proj('ee', 'exc', 'exc', 'exc', w, 0),
      proj('ei', 'exc', 'inh', 'exc', w, mixed ? 0.5 : 0),
      proj('ie', 'inh', 'exc', 'inh', -4 * w, 0),
      proj('ii', 'inh', 'inh', 'inh', -4 * w, mixed ? 0.5 : 0),
      { name: 'kick_e', from: 'kick', to: 'exc', receptor: 'exc', connect: { rule: 'fixed_indegree', n: 3 }, weight_mv: 12 },
      { name: 'kick_i', from: 'kick', to: 'inh', receptor: 'exc', connect: { rule: 'fixed_indegree', n: 3 }, weight_mv: 12 },
    ],
  };
}

describe('claimNext keeps the queue order', () => {
  it('with zero-delay lateral inhibition, one neuron of a layer fires per simultaneous drive, as in the queue', () => {
    const sc = lateral(8, [10, 30, 50, 70]);
    const plain = spikes(sc, true);
    expect(plain).toEqual(['src:0@10', 'layer:0@10', 'src:0@30', 'layer:0@30', 'src:0@50', 'layer:0@50', 'src:0@70', 'layer:0@70']);
    expect(spikes(sc, false)).toEqual(plain);
  });

  it.each([
    ['voltage jumps, zero delays', 1, 0, 1.5, false],
    ['voltage jumps, zero and 0.5 ms delays', 2, 0, 1.5, true],
    ['inhibitory currents, zero delays', 3, 5, 1.5, false],
    ['inhibitory currents, zero and 0.5 ms delays', 4, 5, 1.5, true],
  ] as const)('gives a recurrent network (%s) the same spikes in the same order', (_label, seed, tauInh, w, mixed) => {
    const sc = recurrent(seed, tauInh, w, mixed);
    const plain = spikes(sc, true);
    expect(plain.length).toBeGreaterThan(300);
    // Simultaneous spikes of the network's neurons (not only of the kick) occur, so ties are tested.
    const times = plain.filter((s) => !s.startsWith('kick')).map((s) => s.split('@')[1]);
    expect(times.length - new Set(times).size).toBeGreaterThan(10);
    expect(spikes(sc, false)).toEqual(plain);
    // Cut at every third time a network neuron fires.
    const cuts = [...new Set(times)].map(Number).filter((_, k) => k % 3 === 0);
    expect(spikes(sc, false, cuts)).toEqual(plain);
  });
});
