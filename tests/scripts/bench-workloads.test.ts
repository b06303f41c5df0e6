import { describe, expect, it } from 'vitest';
import { selectWorkloads, workloads, findWorkload } from '../../scripts/perf/workloads.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import { loadScenario } from '../../src/scenario/load.js';
import { threadsObstacle, windowOf } from '../../src/scenario/windowed.js';

describe('bench workloads', () => {
  it('--quick drops exactly the 256k and 10 s workloads', () => {
    const quick = new Set(selectWorkloads({ quick: true }).map((w) => w.name));
    const dropped = workloads.filter((w) => !quick.has(w.name)).map((w) => w.name);
    expect(dropped.sort()).toEqual(['cuba-10s', 'scaling-256k', 'scaling-stdp-256k']);
  });

  it('--only takes names and prefixes, in suite order, and rejects unknown names', () => {
    expect(selectWorkloads({ only: ['scaling-stdp-*,cuba-1s'] }).map((w) => w.name)).toEqual([
      'cuba-1s', 'scaling-stdp-4k', 'scaling-stdp-16k', 'scaling-stdp-64k', 'scaling-stdp-256k',
      'scaling-stdp-64k-d1', 'scaling-stdp-64k-d1-t1', 'scaling-stdp-64k-d1-t2',
    ]);
    expect(() => selectWorkloads({ only: ['cuba'] })).toThrow(ScenarioError);
    expect(() => findWorkload('nope')).toThrow(ScenarioError);
  });

  it('sizes the scaling networks to N = 4k ... 256k at 4:1 and every workload validates', () => {
    const n = (name: string) => {
      const w = findWorkload(name);
      return loadScenario(w.scenario, { set: w.set }).populations.reduce((a, p) => a + p.size, 0);
    };
    expect(['4k', '16k', '64k', '256k'].map((k) => n(`scaling-${k}`))).toEqual([4000, 16000, 64000, 256000]);
    const sc = loadScenario('scaling-stdp', { set: findWorkload('scaling-stdp-64k').set });
    expect(sc.populations.map((p) => p.size)).toEqual([51200, 12800]);
    for (const w of workloads) expect(() => loadScenario(w.scenario, { set: w.set })).not.toThrow();
  });

  it('runs the threaded workloads in partitions, in windows of 1 ms', () => {
    const threaded = workloads.filter((w) => w.threads !== undefined);
    expect(threaded.map((w) => w.name)).toEqual(['scaling-64k-d1-t1', 'scaling-64k-d1-t2', 'scaling-stdp-64k-d1-t1', 'scaling-stdp-64k-d1-t2']);
    for (const w of threaded) {
      const sc = loadScenario(w.scenario, { set: w.set });
      expect(threadsObstacle(sc)).toBeNull();
      expect(windowOf(sc).ms).toBe(1);
    }
  });

  it('names only workloads of the suite as baselines, and writes cuba\'s LIF as equations with lif\'s parameters', () => {
    for (const w of workloads) if (w.baseline) expect(workloads.map((x) => x.name)).toContain(w.baseline);
    const lif = loadScenario('cuba', { set: findWorkload('cuba-1s').set });
    const eqs = loadScenario('cuba', { set: findWorkload('cuba-linear-1s').set });
    for (const [k, p] of eqs.populations.entries()) {
      const q = lif.populations[k];
      expect(p.model).toBe('linear');
      expect(p.init).toEqual(q.init);
      expect(p.refractory_ms).toBe(q.params.t_ref_ms);
      for (const [name, value] of Object.entries(p.params)) expect(value, name).toBe(q.params[name]);
    }
  });
});
