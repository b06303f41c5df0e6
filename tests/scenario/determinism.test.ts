/** Same scenario and seed: byte-identical output files; another seed: different spikes. */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { simulateNetwork } from '../../src/scenario/run-network.js';

const small = (seed: number) =>
  loadScenario('cuba', {
    seed,
    set: ['duration_ms=200', 'populations.exc.size=800', 'populations.inh.size=200', 'projections.ee.connect.p=0.08',
      'projections.ei.connect.p=0.08', 'projections.ie.connect.p=0.08', 'projections.ii.connect.p=0.08'],
  });

describe('determinism', () => {
  it('gives identical files for the same seed and different ones for another seed', () => {
    const a = simulateNetwork(small(3), { workers: 1 }).result.files;
    const b = simulateNetwork(small(3), { workers: 1 }).result.files;
    const c = simulateNetwork(small(4), { workers: 1 }).result.files;
    expect(a.map((f) => f.path)).toEqual(b.map((f) => f.path));
    a.forEach((f, k) => expect(Buffer.from(f.data).equals(Buffer.from(b[k].data))).toBe(true));
    expect(a.find((f) => f.path === 'spikes/exc.csv')!.data).not.toEqual(c.find((f) => f.path === 'spikes/exc.csv')!.data);
    expect((a.find((f) => f.path === 'spikes/exc.csv')!.data as string).split('\n').length).toBeGreaterThan(100);
  });
});
