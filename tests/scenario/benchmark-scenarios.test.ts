/**
 * The benchmark scenarios (scenarios/brette-b4.json, cuba-stdp.json, scaling.json, scaling-stdp.json) say what
 * their descriptions and the task say: checked on the built networks by counting synapses, not by rerunning code.
 */
import { describe, expect, it } from 'vitest';
import { listBuiltins, loadScenario } from '../../src/scenario/load.js';
import { Network } from '../../src/scenario/network.js';
import type { Projection } from '../../src/synapses/projection.js';

/** For each target neuron, its presynaptic partners (sorted), from the projection's CSR arrays. */
function partners(p: Projection): number[][] {
  const pre = p.synapsePre();
  const out: number[][] = Array.from({ length: p.target.size }, () => []);
  for (let s = 0; s < p.count; s++) out[p.post[s]].push(pre[s]);
  return out.map((l) => l.sort((a, b) => a - b));
}

describe('built-in scenarios', () => {
  it('all validate and carry a description', () => {
    for (const b of listBuiltins()) {
      expect(() => loadScenario(b.file)).not.toThrow();
      expect(b.description.length).toBeGreaterThan(80);
    }
  });
});

describe('brette-b4', () => {
  const net = new Network(loadScenario('brette-b4'));

  it('has delta synapses with jumps of +0.25 and -2.25 mV', () => {
    for (const name of ['exc', 'inh']) {
      const p = net.scenario.populations.find((x) => x.name === name)!;
      expect(p.params).toMatchObject({ tau_syn_exc_ms: 0, tau_syn_inh_ms: 0, v_rest_mv: -49, v_th_mv: -50, v_reset_mv: -60 });
    }
    for (const name of ['ee', 'ei']) expect([...new Set(net.projections.get(name)!.weight)]).toEqual([0.25]);
    for (const name of ['ie', 'ii']) expect([...new Set(net.projections.get(name)!.weight)]).toEqual([-2.25]);
  });

  it('gives every neuron one private 10 mV kick train', () => {
    for (const [proj, target] of [['kick_e', 'exc'], ['kick_i', 'inh']] as const) {
      const p = net.projections.get(proj)!;
      expect(p.target.name).toBe(target);
      const ps = partners(p);
      // Exactly one source neuron per target, and no source neuron shared: a private train each.
      expect(ps.every((l) => l.length === 1)).toBe(true);
      expect(new Set(ps.map((l) => `${p.source.name}/${l[0]}`)).size).toBe(p.target.size);
      expect([...new Set(p.weight)]).toEqual([10]);
    }
    expect(net.projections.get('kick_e')!.source).not.toBe(net.projections.get('kick_i')!.source);
  });
});

describe('scaling', () => {
  const sized = (file: string, n: number) =>
    new Network(loadScenario(file, { set: [`populations.exc.size=${(n * 4) / 5}`, `populations.inh.size=${n / 5}`] }));

  it('gives every neuron exactly 64 distinct excitatory and 16 distinct inhibitory partners, no autapse', () => {
    const net = sized('scaling', 8000);
    for (const [name, from, k] of [['ee', 'exc', 64], ['ei', 'exc', 64], ['ie', 'inh', 16], ['ii', 'inh', 16]] as const) {
      const p = net.projections.get(name)!;
      expect(p.source.name).toBe(from);
      const ps = partners(p);
      expect(ps.length).toBe(name[1] === 'e' ? 6400 : 1600);
      for (let j = 0; j < ps.length; j++) {
        expect(new Set(ps[j]).size).toBe(k);
        if (p.source === p.target) expect(ps[j]).not.toContain(j);
      }
    }
  });

  it('has a plastic twin that differs only by STDP on exc -> exc', () => {
    const a = loadScenario('scaling');
    const b = loadScenario('scaling-stdp');
    expect(b.populations).toEqual(a.populations);
    expect(b.projections.map((p) => ({ ...p, plasticity: undefined }))).toEqual(a.projections.map((p) => ({ ...p, plasticity: undefined })));
    expect(b.projections.filter((p) => p.plasticity).map((p) => p.name)).toEqual(['ee']);
  });
});

describe('cuba-stdp', () => {
  it('is cuba with small additive STDP on exc -> exc only (a_minus / a_plus = 1.05, w in [0, 2 w0])', () => {
    const cuba = loadScenario('cuba');
    const sc = loadScenario('cuba-stdp');
    expect(sc.populations).toEqual(cuba.populations);
    const plastic = sc.projections.filter((p) => p.plasticity);
    expect(plastic.map((p) => p.name)).toEqual(['ee']);
    const pl = plastic[0].plasticity!;
    if (pl.rule !== 'stdp') throw new Error(`expected the pair rule, got ${pl.rule}`);
    expect(pl.a_minus / pl.a_plus).toBeCloseTo(1.05, 12);
    expect(pl).toMatchObject({ weight_dependence: 'additive', pairing: 'all_to_all', w_min_mv: 0, w_max_mv: 2 * 1.62 });
    expect(sc.projections.map((p) => ({ ...p, plasticity: undefined }))).toEqual(cuba.projections);
  });
});
