/**
 * Simulation.claimNext (a population or a spike source handles its next due event at once instead of queueing and
 * popping it; claimNextReserved, a source's spike at the time of the queue's head that comes first by its reserved
 * insertion number) and deliveries at once (a projection from a spike source handles a zero-delay arrival inside the
 * source's emit: Projection.onSpike) against the plain queue: the same networks run with claimNext refusing every
 * claim and every projection queueing its arrivals, so that every event goes through the kernel's heap and pops in
 * (time, phase, seq) order (claimNextReserved refuses too). Both ways must handle the same number of events (a claim or an arrival at once counts as
 * one). Not produced here: a population's due time landing exactly on a source neuron's next spike time, the tie for
 * which sources take that spike's insertion number before emitting (sources.ts); that keeps the queue's order of
 * insertion numbers by construction. The networks are the ones where a tie matters: zero-delay
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
function spikes(sc: ScenarioInput, plain: boolean, cuts: number[] = [], events?: number[], tiedClaims?: number[]): string[] {
  type Claims = {
    claimNext(t: number): boolean;
    claimNextReserved(t: number, phase: number, seq: number): boolean;
  };
  const proto = Simulation.prototype as unknown as Claims;
  const { claimNext, claimNextReserved } = proto;
  let tied = 0;
  if (plain) {
    proto.claimNext = () => false;
    proto.claimNextReserved = () => false;
  } else {
    // Count the claims made at the time of the queue's head (the ones claimNext alone would refuse).
    proto.claimNextReserved = function (this: Simulation, t: number, phase: number, seq: number): boolean {
      const atHead = t === this.queue.peekTime();
      const ok = claimNextReserved.call(this, t, phase, seq);
      if (ok && atHead) tied++;
      return ok;
    };
  }
  try {
    const net = new Network(loadScenario(sc));
    if (plain) for (const p of net.projections.values()) (p as unknown as { atOnce: boolean }).atOnce = false;
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
    events?.push(net.sim.eventsHandled);
    tiedClaims?.push(tied);
    return out;
  } finally {
    proto.claimNext = claimNext;
    proto.claimNextReserved = claimNextReserved;
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

/**
 * Single LIF neurons with exponential currents, each driven by its own spike source neurons on a 0.3 ms grid (the
 * accuracy comparison's case, scripts/peer/accuracy-cases.ts), two excitatory and one inhibitory: many inputs share
 * a time, and the sources' streams are long runs that claims take without the heap.
 */
function gridInputs(n: number): ScenarioInput {
  const train = (k: number, every: number) => Array.from({ length: 300 }, (_, j) => j).filter((j) => (j * 7 + k * 3) % every === 0).map((j) => Math.round(j * 0.3 * 1e12) / 1e12);
  const ids = Array.from({ length: n }, (_, i) => i);
  return {
    name: 'grid', seed: 1, duration_ms: 90,
    populations: [
      { name: 'exc', model: 'spike_source', size: 2 * n, params: { spike_times_ms: ids.flatMap((i) => [train(2 * i, 2), train(2 * i + 1, 3)]) } },
      { name: 'inh', model: 'spike_source', size: n, params: { spike_times_ms: ids.map((i) => train(i, 5)) } },
      { name: 'neuron', model: 'lif', size: n, params: lifParams(5, 10) },
      { name: 'out', model: 'lif', size: 2, params: lifParams(0, 0) },
    ],
    projections: [
      { name: 'e', from: 'exc', to: 'neuron', receptor: 'exc', weight_mv: 4, connect: { rule: 'pairs', pre: ids.flatMap((i) => [2 * i, 2 * i + 1]), post: ids.flatMap((i) => [i, i]) } },
      { name: 'i', from: 'inh', to: 'neuron', receptor: 'inh', weight_mv: -4, connect: { rule: 'pairs', pre: ids, post: ids } },
      // The same source also on a delay, and onto a second layer through a zero-delay projection from the first.
      { name: 'e_late', from: 'exc', to: 'neuron', receptor: 'exc', weight_mv: 1, delay_ms: 0.3, connect: { rule: 'pairs', pre: ids.map((i) => 2 * i), post: ids } },
      { name: 'relay', from: 'neuron', to: 'out', receptor: 'exc', weight_mv: 8, connect: { rule: 'all_to_all' } },
    ],
  };
}

describe('claimNext and deliveries at once keep the queue order', () => {
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
    const counts: number[] = [];
    const plain = spikes(sc, true, [], counts);
    expect(plain.length).toBeGreaterThan(300);
    // Simultaneous spikes of the network's neurons (not only of the kick) occur, so ties are tested.
    const times = plain.filter((s) => !s.startsWith('kick')).map((s) => s.split('@')[1]);
    expect(times.length - new Set(times).size).toBeGreaterThan(10);
    expect(spikes(sc, false, [], counts)).toEqual(plain);
    expect(counts[1]).toBe(counts[0]);
    // Cut at every third time a network neuron fires.
    const cuts = [...new Set(times)].map(Number).filter((_, k) => k % 3 === 0);
    expect(spikes(sc, false, cuts)).toEqual(plain);
  });

  it('gives grid-driven neurons with exponential currents the same spikes, also cut into pieces', () => {
    const sc = gridInputs(6);
    const counts: number[] = [];
    const plain = spikes(sc, true, [], counts);
    const own = plain.filter((x) => x.startsWith('neuron'));
    expect(own.length).toBeGreaterThan(30);
    expect(plain.filter((x) => x.startsWith('out')).length).toBeGreaterThan(5);
    const tied: number[] = [];
    expect(spikes(sc, false, [], counts, tied)).toEqual(plain);
    expect(counts[1]).toBe(counts[0]);
    // Two sources share the grid, so spikes are claimed at the time of the other source's queued head.
    expect(tied[0]).toBeGreaterThan(50);
    const cuts = own.map((x) => Number(x.split('@')[1])).filter((_, k) => k % 4 === 0);
    expect(spikes(sc, false, cuts)).toEqual(plain);
  });
});
