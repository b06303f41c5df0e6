/**
 * Delivery: every synapse of every presynaptic spike arrives once, at exactly t_spike + its delay, in time order,
 * with heterogeneous (and zero) delays; one queue entry per spike and distinct delay.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { Network } from '../../src/scenario/network.js';
import { Projection } from '../../src/synapses/projection.js';
import { createRng } from '../../src/kernel/rng.js';

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

describe('projection storage', () => {
  // Rows by presynaptic neuron, each sorted by (delay, post, input index), cut into runs of one delay. The oracle
  // sorts the input synapse list with Array.prototype.sort on those keys and lays it out again, independently.
  const build = (syn: { pre: number[]; post: number[]; weight: number[]; delay: number[] }) => {
    const net = new Network(
      loadScenario({
        name: 'storage', seed: 1, duration_ms: 1,
        populations: [
          { name: 'src', model: 'spike_source', size: 7, params: { spike_times_ms: [[], [], [], [], [], [], []] } },
          { name: 'n', model: 'lif', size: 9, params: {} },
        ],
        projections: [],
      }),
    );
    const proj = new Projection(net.sim, 'x', net.emitters.get('src')!, net.populations.get('n')!, 0, {
      pre: Int32Array.from(syn.pre), post: Int32Array.from(syn.post), weight: Float64Array.from(syn.weight),
      delay: Float64Array.from(syn.delay), count: syn.pre.length, // pre's length: weight and delay may have 1
    });
    const ids = syn.pre.map((_, k) => k);
    ids.sort((x, y) => syn.pre[x] - syn.pre[y] || syn.delay[x] - syn.delay[y] || syn.post[x] - syn.post[y] || x - y);
    return { proj, ids };
  };
  const randomSynapses = (n: number, delays: number[], sortedRow: number) => {
    const rng = createRng(5, 'storage');
    const syn = { pre: [] as number[], post: [] as number[], weight: [] as number[], delay: [] as number[] };
    for (let k = 0; k < n; k++) {
      let i = rng.int(7);
      if (i === 3) i = 4; // row 3 stays empty
      syn.pre.push(i);
      syn.post.push(rng.int(9)); // repeats: multapses
      syn.weight.push(rng.uniform());
      syn.delay.push(i === sortedRow ? delays[0] : delays[rng.int(delays.length)]);
    }
    // Row `sortedRow` arrives already in order (one delay, post ascending), as fixed_indegree makes rows.
    const rows = syn.pre.map((i, k) => k).filter((k) => syn.pre[k] === sortedRow);
    const posts = rows.map((k) => syn.post[k]).sort((a, b) => a - b);
    rows.forEach((k, q) => (syn.post[k] = posts[q]));
    return syn;
  };

  it('is a permutation of the input, rows sorted by (delay, post, input index), groups the runs of one delay', () => {
    const syn = randomSynapses(300, [0, 0.5, 1.5, 2], 5);
    const { proj, ids } = build(syn);
    expect(proj.sharedWeight).toBe(false);
    const pre = proj.synapsePre();
    expect(Array.from(pre)).toEqual(ids.map((k) => syn.pre[k]));
    expect(Array.from(proj.post)).toEqual(ids.map((k) => syn.post[k]));
    expect(Array.from(proj.weight)).toEqual(ids.map((k) => syn.weight[k]));
    // Groups: a new one wherever (pre, delay) changes along the sorted list, and nowhere else.
    const cut = (m: number) => syn.pre[ids[m - 1]] !== syn.pre[ids[m]] || syn.delay[ids[m - 1]] !== syn.delay[ids[m]];
    const starts = ids.flatMap((_, m) => (m === 0 || cut(m) ? [m] : []));
    expect(Array.from(proj.groupStart)).toEqual([...starts, ids.length]);
    expect(Array.from(proj.groupDelay)).toEqual(starts.map((m) => syn.delay[ids[m]]));
    expect(Array.from(proj.groupPre)).toEqual(starts.map((m) => syn.pre[ids[m]]));
    // Each presynaptic neuron's groups: groupPtr[i] .. groupPtr[i + 1] - 1 (none for the empty row 3).
    for (let i = 0; i < 7; i++) {
      const mine = starts.flatMap((m, g) => (syn.pre[ids[m]] === i ? [g] : []));
      const span = mine.length ? [mine[0], mine[mine.length - 1] + 1] : [proj.groupPtr[i], proj.groupPtr[i]];
      expect([proj.groupPtr[i], proj.groupPtr[i + 1]]).toEqual(span);
    }
    expect(proj.groupPtr[3 + 1] - proj.groupPtr[3]).toBe(0);
  });

  it('sorts rows by post when every synapse has the same delay, one group per row', () => {
    const syn = randomSynapses(200, [0.7], 6);
    const { proj, ids } = build(syn);
    expect(Array.from(proj.post)).toEqual(ids.map((k) => syn.post[k]));
    expect(Array.from(proj.weight)).toEqual(ids.map((k) => syn.weight[k]));
    expect(proj.nGroups).toBe(6); // 7 presynaptic neurons, row 3 empty
    expect(Array.from(proj.groupDelay)).toEqual(new Array(6).fill(0.7));
  });

  it('keeps one shared weight when every weight is equal, laid out as the others', () => {
    const syn = randomSynapses(120, [0.5, 1], 2);
    syn.weight.fill(0.25);
    const { proj, ids } = build(syn);
    expect(proj.sharedWeight).toBe(true);
    expect(Array.from(proj.post)).toEqual(ids.map((k) => syn.post[k]));
    expect(Array.from(proj.weight)).toEqual(ids.map(() => 0.25));
  });

  it('reads a weight or delay list of length 1 as one value for every synapse', () => {
    const syn = randomSynapses(150, [0.7], 6);
    syn.delay.fill(0.7);
    syn.weight.fill(0.25);
    const full = build(syn).proj;
    const one = build({ ...syn, weight: [0.25], delay: [0.7] }).proj;
    for (const key of ['post', 'groupStart', 'groupPtr', 'groupPre', 'groupDelay'] as const) {
      expect(Array.from(one[key])).toEqual(Array.from(full[key]));
    }
    expect(Array.from(one.weight)).toEqual(Array.from(full.weight));
  });
});
