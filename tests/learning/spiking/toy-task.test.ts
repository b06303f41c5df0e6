import { describe, it, expect } from 'vitest';
import { SpikingFa } from '../../../src/learning/spiking/spiking-fa.js';
import { frozen } from '../../../src/learning/spiking/spiking-digits.js';
import { createRng } from '../../../src/kernel/rng.js';
import { toyScenario, protocol } from './toy.js';

// The arrangement that learns: phase-gated ("contrastive") STDP with a symmetric window, gain -1 in the free phase
// and +1 in the nudged phase, after a 20 ms warm-up without plasticity (gated-stdp.ts). With plain STDP in both
// phases (gating "always", balanced antisymmetric window) the same toy stayed at chance (0.43 to 0.5; 0.47 with the
// warm-up): causal pre-post pairs potentiate every effective synapse, the same way for both classes.
// Measured with these seeds: 1.00 after 150 examples (seeds 2, 4, 5 of the exploration script: 1.00; seed 1: 0.97).
describe('spiking feedback alignment learns a 2-class toy problem', { timeout: 30_000 }, () => {
  it('reaches >= 90% on held-out noisy patterns after 150 examples (chance 50%)', () => {
    const nIn = 20;
    const sc = toyScenario({ seed: 3, nIn, nHid: 20, nOut: 2, wIn: [0.2, 0.1], wOut: [0.1, 0.2], b: 2, a: 0.003, hidBias: 16, outBias: 19, outReset: -56, window: 'symmetric' });
    const p = protocol({ input_rate_hz: 400, t_free_ms: 60, t_nudge_ms: 60, teacher_mode: 'error', target_hi_hz: 80, target_lo_hz: 10, gating: 'contrastive', t_warmup_ms: 20 });
    const learner = new SpikingFa(sc, p);
    const tester = new SpikingFa(frozen(sc), p);
    const rng = createRng(3, 'toy-patterns');
    // Class c: its own half of the inputs mostly on (0.8-1), the other half mostly off (0-0.3).
    const pattern = (c: number) => Float64Array.from({ length: nIn }, (_, i) => ((i < nIn / 2) === (c === 0) ? 0.8 + 0.2 * rng.uniform() : 0.3 * rng.uniform()));
    const accuracy = (n: number) => {
      tester.copyWeightsFrom(learner);
      let right = 0;
      for (let k = 0; k < n; k++) {
        const c = k % 2;
        if (tester.present(pattern(c), c, false).prediction === c) right++;
      }
      return right / n;
    };
    const before = accuracy(100);
    for (let k = 0; k < 150; k++) {
      const c = rng.uniform() < 0.5 ? 0 : 1;
      learner.present(pattern(c), c, true);
    }
    const after = accuracy(100);
    expect(before).toBeLessThan(0.7); // it starts near chance
    expect(after).toBeGreaterThanOrEqual(0.9);
  });
});
