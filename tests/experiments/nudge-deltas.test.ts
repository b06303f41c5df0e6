/**
 * nudge-deltas (claim 2), in miniature: the rate twin's nudge response against backprop's deltas, the exactness of
 * the paired copies, and a tiny run in which symmetric feedback must beat shuffled feedback by a wide margin.
 */
import { describe, expect, test } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { loadMnist, mnistPixels } from '../../src/data/mnist.js';
import { NudgeMeasure } from '../../src/experiments/nudge-deltas-measure.js';
import { NudgeCopies } from '../../src/experiments/nudge-deltas-copies.js';
import { fixedPoint, backpropDeltas, teacherRates } from '../../src/experiments/nudge-deltas-twin.js';
import { cosine } from '../../src/math/vector-stats.js';
import { nudgeDeltasExperiment, checkScenario, nudgeDeltasSettings } from '../../src/experiments/nudge-deltas.js';
import { ScenarioError } from '../../src/scenario/errors.js';

const sc = loadScenario('nudge-deltas');
const train = loadMnist('train');
const DIGIT = 50001;
const pixels = mnistPixels(train, DIGIT, new Float64Array(784));
const timing = { warmupMs: 30, freeMs: 30, nudgeMs: 100, windows: [20, 100] };

describe('nudge-deltas rate twin', () => {
  // With a weak loop (small kappa) and a small nudge, the fixed point's hidden change is backprop's delta to first
  // order: an oracle independent of backpropDeltas' formula (finite differences of the whole loop). A wrong slope,
  // transposed W or sign would fail; with shuffled feedback the same change points elsewhere.
  test.each([['symmetric', 0.995, 1], ['shuffled', -1, 0.6]] as const)('%s feedback, kappa 0.05, beta 10: cosine of the nudge response with delta in [%s, %s]', (kind, lo, hi) => {
    const m = new NudgeMeasure(sc, { kappa: 0.05, betas: [10], targetHiHz: 60, targetLoHz: 10, teacherError: 'twin', inputRateHz: 100, trials: 1, timing });
    const B = m.feedback(kind, DIGIT, sc.seed);
    const w = m.twinWeights(B);
    const { hid, out } = m;
    const input = pixels.map((x) => 100 * x);
    const z = new Float64Array(10);
    const free = fixedPoint(hid, out, w, input, z, z);
    const target = Float64Array.from({ length: 10 }, (_, k) => (k === train.labels[DIGIT] ? 60 : 10));
    const exc = new Float64Array(10), inh = new Float64Array(10);
    teacherRates(10, target, free.rO, exc, inh);
    const nudged = fixedPoint(hid, out, w, input, exc, inh, free);
    const c = cosine(nudged.rH.map((r, h) => r - free.rH[h]), backpropDeltas(hid, out, w, free, target).hid);
    expect(c).toBeGreaterThanOrEqual(lo);
    expect(c).toBeLessThanOrEqual(hi);
  });
});

describe('nudge-deltas paired copies', () => {
  test('with no teacher the copies stay identical spike for spike; with one they differ only after the nudge starts', () => {
    const cp = new NudgeCopies(sc, 3, 1);
    const input = pixels.map((x) => 100 * x);
    for (let tr = 0; tr < 2; tr++) {
      // Copy 1: no teacher; copy 2: a strong one.
      const r = cp.trial(input, timing, `test/${tr}`, (c, _free, exc, inh) => {
        exc.fill(c === 2 ? 2000 : 0);
        inh.fill(0);
      });
      expect(Array.from(r.hid[1])).toEqual(Array.from(r.hid[0]));
      expect(Array.from(r.out[1])).toEqual(Array.from(r.out[0]));
      expect(r.out[2].reduce((a, b) => a + b, 0)).toBeGreaterThan(r.out[0].reduce((a, b) => a + b, 0));
      expect(r.hidFree.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    }
  });
});

describe('nudge-deltas experiment', () => {
  test('refuses a network the protocol cannot pair exactly', () => {
    const st = nudgeDeltasSettings.parse({});
    const bad = loadScenario('nudge-deltas', { set: ['populations.hid.params.tau_syn_exc_ms=5', 'populations.out.params.i_bias_mv=25'] });
    expect(() => checkScenario(bad, st)).toThrow(ScenarioError);
    try {
      checkScenario(bad, st);
    } catch (e) {
      expect((e as ScenarioError).problems).toEqual([
        'populations.hid.params.tau_syn_exc_ms must be 0 (delta synapses: the rate twin and the paired copies assume them), got 5',
        'populations.out.params: v_rest_mv + i_bias_mv must be below v_th_mv (silent without input, so paired copies re-align between trials), got -45',
      ]);
    }
  });

  test('a tiny run: symmetric feedback points along backprop\'s deltas, shuffled feedback does not; metrics.pass filled', async () => {
    const tiny = loadScenario('nudge-deltas', {
      set: ['settings.examples=2', 'settings.trials=15', 'settings.betas=[400]', 'settings.feedback=["symmetric","shuffled"]', 'settings.t_nudge_ms=200', 'settings.windows_ms=[25]'],
    });
    const res = await nudgeDeltasExperiment.run(tiny, { workers: 1 });
    const rows = res.metrics.summary as { feedback: string; spiking_median: number[]; twin_median: number }[];
    const sym = rows.find((r) => r.feedback === 'symmetric')!;
    const shu = rows.find((r) => r.feedback === 'shuffled')!;
    expect(sym.spiking_median[1]).toBeGreaterThan(0.6);
    expect(Math.abs(shu.spiking_median[1])).toBeLessThan(0.3);
    expect(sym.twin_median).toBeGreaterThan(0.9);
    const pass = res.metrics.pass as Record<string, { value: number; threshold: string; ok: boolean }>;
    expect(Object.keys(pass)).toHaveLength(3);
    for (const c of Object.values(pass)) expect(typeof c.value === 'number' && typeof c.threshold === 'string' && typeof c.ok === 'boolean').toBe(true);
  });
});
