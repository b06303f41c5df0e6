/**
 * Several output units per class (`units_per_class` K): unit u belongs to class floor(u / K); the teacher nudges
 * all of the label's units; the prediction is the class whose units fire most in all.
 */
import { describe, it, expect } from 'vitest';
import { SpikingFa } from '../../../src/learning/spiking/spiking-fa.js';
import { PhaseCounter } from '../../../src/learning/spiking/phase-counter.js';
import { frozen } from '../../../src/learning/spiking/spiking-digits.js';
import { createRng } from '../../../src/kernel/rng.js';
import { toyScenario, protocol } from './toy.js';

describe('units per class', () => {
  it('groupWinner picks the group with most spikes, ties by earliest first spike then lowest group', () => {
    const rng = createRng(7, 'group-winner');
    const counter = new PhaseCounter({ size: 12, addListener: () => {} } as never);
    for (let trial = 0; trial < 500; trial++) {
      const size = [1, 2, 3, 4][trial % 4];
      counter.clear();
      for (let i = 0; i < 12; i++) for (let n = rng.int(3); n > 0; n--) counter.onSpike(i, rng.int(5)); // many ties
      // Brute force: every group's (total, first), sorted by total desc, first asc, index asc.
      const groups = Array.from({ length: 12 / size }, (_, g) => {
        const idx = Array.from({ length: size }, (_, k) => g * size + k);
        return { g, total: idx.reduce((a, i) => a + counter.counts[i], 0), first: Math.min(...idx.map((i) => counter.first[i])) };
      }).sort((a, b) => b.total - a.total || a.first - b.first || a.g - b.g);
      expect(counter.groupWinner(size)).toBe(groups[0].g);
    }
  });

  it("the teacher drives all of the label's units (class floor(u / K)), and only them", () => {
    const sc = toyScenario({ seed: 2, nIn: 10, nHid: 10, nOut: 6, wIn: [0.2, 0.1], wOut: [0.05, 0.05], b: 0, a: 0, hidBias: 16, outBias: 10 });
    const fa = new SpikingFa(frozen(sc), protocol({ units_per_class: 2, teacher_mode: 'fixed', teacher_rate_hz: 2000 }));
    const r = fa.present(new Float64Array(10).fill(0.5), 1, true);
    // Class 1 is units 2 and 3: excited by 2000 Hz of 1 mV inputs (about 40 mV of drive), the others inhibited.
    expect(r.outNudge[2]).toBeGreaterThan(5);
    expect(r.outNudge[3]).toBeGreaterThan(5);
    for (const u of [0, 1, 4, 5]) expect(r.outNudge[u]).toBe(0);
  });

  it('rejects output populations that are not classes x K', () => {
    const sc = toyScenario({ seed: 2, nIn: 10, nHid: 10, nOut: 5, wIn: [0.2, 0.1], wOut: [0.05, 0.05], b: 0, a: 0, hidBias: 16, outBias: 10 });
    expect(() => new SpikingFa(sc, protocol({ units_per_class: 2 }))).toThrow('populations.out.size must be the number of classes x units_per_class (2) and equal for out, teach_exc and teach_inh, got 5');
  });
});
