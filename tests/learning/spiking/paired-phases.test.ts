/**
 * Paired phases (spiking-fa.ts: nudge_input "replay", nudge_from "free_start"): the nudged phase starts from the
 * free phase's starting state and sees the same input spikes. Its only difference from the free phase is then the
 * teacher and what the feedback carries down, so (the oracles):
 * - with no feedback (out_hid zero) the hidden spikes of the two phases are the same, and the contrastive hidden
 *   update, -1 x (free-phase pair sum) + 1 x (the same pair sum), is zero: the hidden weights stay where they are to
 *   rounding, even weights sitting at a bound (the additive rule clips at consolidation, gated-stdp.ts);
 * - with the random feedback the same examples do move them (the control: the comparison can fail).
 */
import { describe, expect, it } from 'vitest';
import { SpikingFa } from '../../../src/learning/spiking/spiking-fa.js';
import { createRng } from '../../../src/kernel/rng.js';
import { toyScenario, protocol } from './toy.js';

function learner(feedback: 'none' | 'random') {
  const sc = toyScenario({ seed: 4, nIn: 30, nHid: 12, nOut: 3, wIn: [0.2, 0.6], wOut: [0.5, 0.5], b: 3, a: 0.002, hidBias: 16, outBias: 16, window: 'symmetric', bound: 1 });
  for (const p of sc.projections) if (p.plasticity) p.plasticity.weight_dependence = 'additive';
  return new SpikingFa(sc, protocol({ gating: 'contrastive', consolidation: 'example', t_warmup_ms: 20, between: 'none', feedback, nudge_input: 'replay', nudge_from: 'free_start', teacher_mode: 'error', target_hi_hz: 80, target_lo_hz: 5, teacher_gain: 5 }));
}

describe('paired free and nudged phases', { timeout: 30_000 }, () => {
  const rng = createRng(5, 'paired-examples');
  const xs = Array.from({ length: 8 }, () => Float64Array.from({ length: 30 }, () => rng.uniform()));

  it('no feedback: the hidden spikes of both phases agree and the hidden weights do not move, even at a bound', () => {
    const l = learner('none');
    const w0 = l.inHid.weight.slice();
    const atBound = Array.from(w0).filter((w) => Math.abs(w) >= 1).length;
    let hidSpikes = 0;
    for (let n = 0; n < xs.length; n++) {
      const r = l.present(xs[n], n % 3, true);
      expect(Array.from(r.hidNudge)).toEqual(Array.from(r.hidFree));
      hidSpikes += r.hidFree.reduce((a, b) => a + b, 0);
    }
    expect(hidSpikes).toBeGreaterThan(100);
    expect(atBound).toBeGreaterThan(10); // N(0.2, 0.6) clipped to [-1, 1]: some weights start at a bound
    let worst = 0;
    for (let k = 0; k < w0.length; k++) worst = Math.max(worst, Math.abs(l.inHid.weight[k] - w0[k]));
    expect(worst).toBeLessThan(1e-12);
    // The output layer still learns from its teacher.
    expect(Array.from(l.hidOut.weight).some((w, k) => w !== learner('none').hidOut.weight[k])).toBe(true);
  });

  it('random feedback: the same examples move the hidden weights', () => {
    const l = learner('random');
    const w0 = l.inHid.weight.slice();
    for (let n = 0; n < xs.length; n++) l.present(xs[n], n % 3, true);
    let worst = 0;
    for (let k = 0; k < w0.length; k++) worst = Math.max(worst, Math.abs(l.inHid.weight[k] - w0[k]));
    expect(worst).toBeGreaterThan(1e-3);
  });
});
