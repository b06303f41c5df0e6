/**
 * Delivery: every synapse of every presynaptic spike arrives once, at exactly t_spike + its delay, in time order,
 * with heterogeneous (and zero) delays; one queue entry per spike and distinct delay.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { Network } from '../../src/scenario/network.js';

describe('projection delivery', () => {
  it('delivers each synapse at spike time + delay, in time order (heterogeneous and zero delays)', () => {
    const sc = loadScenario({
      name: 'delays', seed: 4, duration_ms: 20,
      populations: [
        { name: 'src', model: 'spike_source', size: 2, params: { spike_times_ms: [[0, 0.5, 1.0, 7], [0.25, 3]] } },
        { name: 'n', model: 'lif', size: 5, params: { tau_syn_exc_ms: 0, tau_syn_inh_ms: 0 } },
      ],
      projections: [
        { name: 'p', from: 'src', to: 'n', receptor: 'exc', connect: { rule: 'all_to_all' }, weight_mv: 0.001, delay_ms: { uniform: [0, 3] } },
        { name: 'z', from: 'src', to: 'n', receptor: 'exc', connect: { rule: 'one_to_one' }, weight_mv: 0.002, delay_ms: 0 },
      ],
    });
    const net = new Network(sc);
    const log: { t: number; i: number; w: number }[] = [];
    const pop = net.populations.get('n')!;
    // Projections deliver a whole delay group per call; log each synapse of it (w of length 1: one shared weight).
    const orig = pop.inputMany.bind(pop);
    pop.inputMany = (post, w, s0, s1, t, r) => {
      for (let s = s0; s < s1; s++) log.push({ t, i: post[s], w: w.length === 1 ? w[0] : w[s] });
      orig(post, w, s0, s1, t, r);
    };
    net.run(20);
    // Expected deliveries, computed independently from the stored synapses and the spike lists.
    const spikes = [[0, 0.5, 1.0, 7], [0.25, 3]];
    const expected: string[] = [];
    for (const proj of net.projections.values()) {
      const pre = proj.synapsePre();
      for (let g = 0; g < proj.nGroups; g++) {
        for (let s = proj.groupStart[g]; s < proj.groupStart[g + 1]; s++) {
          for (const ts of spikes[pre[s]]) expected.push(`${ts + proj.groupDelay[g]}|${proj.post[s]}|${proj.weight[s]}`);
        }
      }
    }
    const got = log.map((e) => `${e.t}|${e.i}|${e.w}`);
    expect(got.slice().sort()).toEqual(expected.sort());
    for (let k = 1; k < log.length; k++) expect(log[k].t).toBeGreaterThanOrEqual(log[k - 1].t);
    // Uniform delays are distinct per synapse: 10 all-to-all synapses + 2 zero-delay one-to-one ones.
    expect(net.projections.get('p')!.nGroups).toBe(10);
    expect(net.projections.get('z')!.nGroups).toBe(2);
  });

  it('queues one event per spike and delay group, not one per synapse', () => {
    const sc = loadScenario({
      name: 'groups', seed: 1, duration_ms: 10,
      populations: [
        { name: 'src', model: 'spike_source', size: 1, params: { spike_times_ms: [[1]] } },
        { name: 'n', model: 'lif', size: 1000, params: {} },
      ],
      projections: [{ name: 'p', from: 'src', to: 'n', receptor: 'exc', connect: { rule: 'all_to_all' }, weight_mv: 0.1, delay_ms: 1.5 }],
    });
    const net = new Network(sc);
    net.run(10);
    expect(net.projections.get('p')!.delivered).toBe(1000);
    // 1 source spike event + 1 delivery event; the 1000 neurons at rest have no threshold event.
    expect(net.sim.eventsHandled).toBe(2);
  });
});

describe('a weight shared by every synapse', () => {
  const cuba = (seed: number) => {
    const sc = loadScenario('cuba', { set: ['duration_ms=300'], seed });
    sc.record = { spikes: ['exc', 'inh'], state: [], weights: [] };
    return new Network(sc);
  };

  it('is stored once for a scalar weight_mv, and delivers the same spikes, bit for bit, as one weight per synapse', () => {
    const shared = cuba(3);
    const expanded = cuba(3);
    for (const p of shared.projections.values()) expect(p.sharedWeight).toBe(true);
    for (const p of expanded.projections.values()) expect(p.weight.length).toBe(p.count); // reading expands them
    for (const p of expanded.projections.values()) expect(p.sharedWeight).toBe(false);
    for (const net of [shared, expanded]) {
      net.start();
      net.run(300);
    }
    for (const pop of ['exc', 'inh']) {
      const a = shared.spikes.get(pop)!.sorted();
      const b = expanded.spikes.get(pop)!.sorted();
      expect(a.t.length).toBeGreaterThan(100);
      expect(Array.from(a.neuron)).toEqual(Array.from(b.neuron));
      expect(Array.from(a.t)).toEqual(Array.from(b.t));
    }
  });

  it('is delivered from the array that reading `weight` returns, so writing to it changes what is delivered', () => {
    const net = (zero: boolean) => {
      const n = new Network(
        loadScenario({
          name: 'write', seed: 1, duration_ms: 10,
          populations: [
            { name: 'src', model: 'spike_source', size: 2, params: { spike_times_ms: [[1], [2]] } },
            { name: 'n', model: 'lif', size: 3, params: { tau_syn_exc_ms: 0, tau_syn_inh_ms: 0 } },
          ],
          projections: [{ name: 'p', from: 'src', to: 'n', receptor: 'exc', connect: { rule: 'all_to_all' }, weight_mv: 30 }],
          record: { spikes: ['n'] },
        }),
      );
      if (zero) n.projections.get('p')!.weight.fill(0);
      n.start();
      n.run(10);
      return n.spikes.get('n')!.sorted().t.length;
    };
    expect(net(false)).toBe(3); // the first input's 30 mV jump crosses threshold (20 mV above rest)
    expect(net(true)).toBe(0);
  });
});
