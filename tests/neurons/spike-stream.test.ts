/**
 * spike_source as one merged stream (neurons/spike-stream.ts) against the way it worked before: one kernel event per
 * neuron, the next one queued when the previous one is handled. That implementation is kept here only, as the
 * reference (ReferenceSpikeSource). Networks with spike sources full of ties (inputs on a grid that the LIF check
 * grid meets, repeated times, several sources, zero and nonzero delays, STDP) must give every spike of every
 * population in the same order, the same final state and weights, and the same event count. Also: the merge's
 * order at ties, by hand; and a checkpoint taken mid-run continues exactly.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Network } from '../../src/scenario/network.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import { sourceKinds } from '../../src/neurons/source-kinds.js';
import { SpikeEmitter } from '../../src/neurons/emitter.js';
import { Phase } from '../../src/kernel/event-queue.js';
import { Simulation, type EventReceiver } from '../../src/kernel/simulation.js';
import { SpikeSource } from '../../src/neurons/sources.js';
import { mergeTrains } from '../../src/neurons/spike-stream.js';
import { readBack, StateWriter, type StateReader, type StateWriter as W } from '../../src/kernel/state-io.js';
import { createRng } from '../../src/kernel/rng.js';

/** The previous SpikeSource: each neuron's next spike queued on its own when its previous one is handled. */
class ReferenceSpikeSource extends SpikeEmitter implements EventReceiver {
  private readonly times: Float64Array[];
  private readonly cursor: Int32Array;
  private readonly targetId: number;
  constructor(private readonly sim: Simulation, name: string, spikeTimesMs: number[][]) {
    super(name, spikeTimesMs.length);
    this.times = spikeTimesMs.map((ts) => Float64Array.from(ts).sort());
    this.cursor = new Int32Array(this.size);
    this.targetId = sim.register(this);
  }
  start(t: number): void {
    for (let i = 0; i < this.size; i++) {
      const ts = this.times[i];
      let c = 0;
      while (c < ts.length && ts[c] < t) c++;
      this.cursor[i] = c;
      if (c < ts.length) this.sim.schedule(ts[c], Phase.SPIKE, this.targetId, i, 0);
    }
  }
  saveState(_w: W): void {}
  loadState(_r: StateReader): void {}
  handleEvent(t: number, i: number): void {
    this.emit(i, t);
    const ts = this.times[i];
    const c = ++this.cursor[i];
    if (c < ts.length) this.sim.schedule(ts[c], Phase.SPIKE, this.targetId, i, 0);
  }
}

afterEach(() => vi.restoreAllMocks());

/** Builds the network, with the reference spike source if asked, and logs every spike of every emitter in order. */
function build(sc: ScenarioInput, reference: boolean): { net: Network; log: string[] } {
  if (reference) {
    vi.spyOn(sourceKinds.spike_source, 'build').mockImplementation((sim, name, _size, p) => new ReferenceSpikeSource(sim, name, p.spike_times_ms as number[][]));
  }
  const net = new Network(loadScenario(sc));
  vi.restoreAllMocks();
  const log: string[] = [];
  for (const [name, e] of net.emitters) e.addListener({ onSpike: (i, t) => log.push(`${name} ${i} ${t}`) });
  return { net, log };
}

/** What a run leaves behind: the spike log, every neuron's state, every weight, the events handled. */
function outcome(net: Network, log: string[]) {
  const state: Record<string, number[]> = {};
  for (const [name, pop] of net.populations) {
    for (const [v, col] of Object.entries(pop.group.state)) state[`${name}.${v}`] = Array.from({ length: pop.size }, (_, i) => col.get(i));
  }
  const weights: Record<string, number[]> = {};
  for (const [name, pr] of net.projections) weights[name] = Array.from(pr.weight);
  return { log, state, weights, events: net.sim.eventsHandled };
}

/** Bernoulli trains on a grid (with ties everywhere), some times repeated, some lists unsorted. */
function gridTrains(seed: string, n: number, p: number, grid: number, T: number): number[][] {
  const rng = createRng(1, seed);
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const ts: number[] = [];
    for (let k = 0; k * grid < T; k++) {
      if (rng.uniform() < p) ts.push(Math.round(k * grid * 1e9) / 1e9);
      if (rng.uniform() < 0.02) ts.push(Math.round(k * grid * 1e9) / 1e9); // a repeated time
    }
    out.push(rng.uniform() < 0.3 ? ts.reverse() : ts);
  }
  return out;
}

const LIF = { tau_m_ms: 20, v_rest_mv: -70, v_reset_mv: -70, v_th_mv: -55, t_ref_ms: 2, tau_syn_exc_ms: 5, tau_syn_inh_ms: 10 };

function scenario(delayExc: number, stdp: boolean): ScenarioInput {
  const T = 300;
  return {
    name: 'stream', seed: 3, duration_ms: T,
    populations: [
      { name: 'a', model: 'spike_source', size: 40, params: { spike_times_ms: gridTrains('a', 40, 0.15, 0.5, T) } },
      { name: 'b', model: 'spike_source', size: 20, params: { spike_times_ms: gridTrains('b', 20, 0.1, 1, T) } },
      { name: 'n', model: 'lif', size: 10, params: LIF },
    ],
    projections: [
      { name: 'an', from: 'a', to: 'n', receptor: 'exc', weight_mv: { uniform: [1, 4] }, delay_ms: delayExc,
        connect: { rule: 'fixed_probability', p: 0.4 },
        ...(stdp ? { plasticity: { rule: 'stdp', a_plus: 0.01, a_minus: 0.012, tau_plus_ms: 20, tau_minus_ms: 20, w_min_mv: 0, w_max_mv: 6 } } : {}) },
      { name: 'bn', from: 'b', to: 'n', receptor: 'inh', weight_mv: -3, delay_ms: 0, connect: { rule: 'fixed_probability', p: 0.3 } },
      { name: 'nn', from: 'n', to: 'n', receptor: 'exc', weight_mv: 0.5, delay_ms: 0.5, connect: { rule: 'fixed_probability', p: 0.3 } },
    ],
    record: { spikes: 'all', state: [], weights: [] },
  } as ScenarioInput;
}

describe('spike_source stream: the same run as one event per neuron', () => {
  for (const [delay, stdp] of [[0, false], [0.5, false], [0, true], [1, true]] as const) {
    it(`delay ${delay} ms${stdp ? ', STDP' : ''}: same spikes in the same order, same state, weights and event count`, () => {
      const sc = scenario(delay, stdp);
      const ref = build(sc, true);
      ref.net.run(sc.duration_ms);
      const now = build(sc, false);
      now.net.run(sc.duration_ms);
      const a = outcome(ref.net, ref.log);
      const b = outcome(now.net, now.log);
      expect(a.log.length).toBeGreaterThan(1000);
      expect(a.log.filter((l) => l.startsWith('n ')).length).toBeGreaterThan(20);
      expect(b).toEqual(a);
    });
  }

  it('a run cut in two by a checkpoint, loaded into a fresh network, continues exactly', () => {
    const sc = scenario(0, true);
    const whole = build(sc, false);
    whole.net.run(sc.duration_ms);
    const first = build(sc, false);
    first.net.run(137.5);
    const w = new StateWriter();
    first.net.saveState(w);
    const second = build(sc, false);
    second.net.loadState(readBack(w));
    second.net.run(sc.duration_ms);
    const a = outcome(whole.net, whole.log);
    const b = outcome(second.net, [...first.log, ...second.log]);
    expect(b).toEqual(a);
  });
});

describe('mergeTrains', () => {
  it('orders ties by insertion: first spikes by neuron, later ones as their predecessors were handled', () => {
    const times = [[1, 2, 2], [0.5, 2], [2], [3]].map((ts) => Float64Array.from(ts));
    const s = mergeTrains(times, 0);
    // At t = 2: neuron 2's first spike (inserted at the start), then neuron 1 (its 0.5 handled before neuron 0's 1),
    // then neuron 0, then neuron 0's repeated 2 (inserted when its first 2 is handled).
    expect(Array.from(s.neuron)).toEqual([1, 0, 2, 1, 0, 0, 3]);
    expect(Array.from(s.t)).toEqual([0.5, 1, 2, 2, 2, 2, 3]);
  });

  it('from t0 on: earlier spikes are left out, and the first spike of each neuron from t0 counts as inserted at the start', () => {
    const times = [[1, 2], [0.5, 2]].map((ts) => Float64Array.from(ts));
    const s = mergeTrains(times, 1);
    expect(Array.from(s.neuron)).toEqual([0, 1, 0]);
    expect(Array.from(s.t)).toEqual([1, 2, 2]);
  });

  it('a source merged from 0 (its trains then dropped) loads a checkpoint of one started at 1, rebuilding them from its stream', () => {
    const lists = [[1, 2, 2], [0.5, 2], [2], [3]];
    const sourceSim = (startMs: number) => {
      const sim = new Simulation();
      const src = new SpikeSource(sim, 's', lists);
      const log: string[] = [];
      src.addListener({ onSpike: (i, t) => log.push(`${i} ${t}`) });
      src.start(startMs);
      return { sim, src, log };
    };
    const whole = sourceSim(1);
    whole.sim.runUntil(10);
    expect(whole.log).toEqual(['0 1', '1 2', '2 2', '0 2', '0 2', '3 3']);
    const first = sourceSim(1);
    first.sim.runUntil(1.5);
    const w = new StateWriter();
    first.sim.saveState(w.scope('kernel'));
    first.src.saveState(w.scope('source'));
    const second = sourceSim(0);
    const r = readBack(w);
    second.sim.loadState(r.scope('kernel'));
    second.src.loadState(r.scope('source'));
    second.sim.runUntil(10);
    expect([...first.log, ...second.log]).toEqual(whole.log);
  });
});
