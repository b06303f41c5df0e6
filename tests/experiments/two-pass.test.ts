/**
 * The two-pass experiment's spiking half (two-pass-spiking.ts) and a tiny run of the experiment:
 * - paired passes share their streams: with the top unmoved (beta = 0) both passes are the same spike for spike,
 *   so the gated STDP change (-1 in pass 1, +1 in pass 2) is zero (to rounding), and the counts equal;
 * - moving the top changes the learned tags in the direction of the rate two-pass update: cosine well above 0 on a
 *   small stack whose decoders carry a strong signal (expected about 0.8 at these settings; chance about 0);
 * - a tiny run writes metrics.pass with value, threshold and ok for every criterion;
 * - the criteria's directions and edges, on hand-made numbers;
 * - bad data settings (a shift outside the image, templates that cannot differ) are one line naming the field.
 */
import { describe, expect, test } from 'vitest';
import { createRng } from '../../src/kernel/rng.js';
import { layer, type StackLayer } from '../../src/learning/two-pass/stack.js';
import { SpikingTwoPass } from '../../src/experiments/two-pass-spiking.js';
import { spikingCosines, spikingFinetune } from '../../src/experiments/two-pass-spiking-measure.js';
import { bottomUp, cloneLayers, topError } from '../../src/learning/two-pass/stack.js';
import { buildStacks, passCriteria, twoPassExperiment, twoPassSettings, type AccuracyRow, type CosineRow } from '../../src/experiments/two-pass.js';
import { scenarioSchema } from '../../src/scenario/schema.js';

const so = { rate_max_hz: 100, units_per_group: 2, bias_size: 4, gain_mv: 8, i_bias_mv: 19, offset_mv: 3, t_gap_ms: 5, noise_rate_hz: 500, noise_mv: 1.5, t_warmup_ms: 20, t_pass_ms: 100, a_mv: 0.001, tau_ms: 20 };

function randomStack(sizes: number[], seed: number, scale: number): StackLayer[] {
  const rng = createRng(seed, 'test');
  return sizes.slice(1).map((n, k) => {
    const l = layer(sizes[k], n);
    for (const a of [l.W, l.D]) for (let i = 0; i < a.length; i++) a[i] = scale * (2 * rng.uniform() - 1);
    return l;
  });
}

describe('spiking two-pass', () => {
  test('an unmoved top: both passes spike alike and the STDP change is zero', () => {
    const layers = randomStack([6, 5, 4, 3], 1, 2);
    const sp = new SpikingTwoPass([6, 5, 4, 3], so);
    sp.setDecoders(layers);
    const y = [0.9, 0.2, 0.5];
    const h = [Float64Array.from([1, 0, 1, 1, 0, 1]), Float64Array.from([0.3, 0.8, 0.5, 0.6, 0.1])];
    sp.retag();
    sp.pairedTrial(y, y, h, 1, 'same');
    for (let l = 0; l < 2; l++) expect(Array.from(sp.counts[1][l])).toEqual(Array.from(sp.counts[0][l]));
    expect(sp.counts[0][0].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    // Zero up to rounding: the two passes' spike times differ by the passes' offset, so the traces' exponentials
    // round differently (a single pair contributes about a_mv = 1e-3).
    for (const l of [1, 2]) for (const v of sp.tags(l)) expect(Math.abs(v)).toBeLessThan(1e-12);
  });

  test('a moved top: the mean STDP change points along the rate two-pass update', () => {
    const layers = randomStack([6, 5, 4, 3], 2, 2);
    const examples = [{ x: Float64Array.from([1, 0, 1, 1, 0, 1]), label: 0, pose: 0 }];
    const c = spikingCosines(layers, examples, 3, 1, 20, so, 1);
    for (const x of c) expect(x.median).toBeGreaterThan(0.5);
  });

  test('train_trials: the encoders move by the mean of the paired trials\' STDP changes (oracle: the trials run by hand)', () => {
    const sizes = [6, 5, 4, 3];
    const start = randomStack(sizes, 3, 2);
    const ex = { x: Float64Array.from([1, 0, 1, 1, 0, 1]), label: 1, pose: 0 };
    const o = { eps: 0.1, epochs: 1, beta: 0.5, nLabel: 3 };
    const two = spikingFinetune(start, [ex], [ex], { ...o, trials: 2 }, so, 7).layers;
    const one = spikingFinetune(start, [ex], [ex], { ...o, trials: 1 }, so, 7).layers;
    // By hand: the same example's two paired trials on their streams, tags averaged, scaled by eps / beta / scale.
    const sp = new SpikingTwoPass(sizes, so);
    sp.setDecoders(start);
    const bu = bottomUp(start, ex.x);
    const y = bu.h[3];
    const e = topError(y, ex.label, o.nLabel);
    const moved = y.map((v, k) => v + o.beta * e[k]);
    const mean = [1, 2].map((l) => new Float64Array(sp.tags(l).length));
    for (const stream of ['finetune/0/0', 'finetune/0/0/1']) {
      sp.retag();
      sp.pairedTrial(y, moved, bu.h.slice(0, 2), 7, stream);
      for (const l of [1, 2]) sp.tags(l).forEach((v, i) => (mean[l - 1][i] += v / 2));
    }
    const expected = cloneLayers(start);
    const k = o.eps / o.beta / sp.scale();
    for (const l of [1, 2]) {
      const enc = expected[l - 1];
      enc.W.forEach((w, s) => (enc.W[s] = w + k * mean[l - 1][s]));
      enc.b.forEach((b, j) => (enc.b[j] = b + k * mean[l - 1][enc.W.length + j]));
    }
    let moves = 0;
    for (const l of [0, 1]) {
      for (const key of ['W', 'b'] as const) {
        two[l][key].forEach((v, i) => expect(v).toBeCloseTo(expected[l][key][i], 12));
        two[l][key].forEach((v, i) => (moves += Math.abs(v - start[l][key][i])));
      }
    }
    expect(moves).toBeGreaterThan(1e-3); // the trials did move the encoders
    // One trial is a different update (the second trial counts), and its stream is the two-trial run's first.
    expect(one[0].W.some((v, i) => Math.abs(v - two[0].W[i]) > 1e-9)).toBe(true);
  });

  test('a tiny run writes metrics.pass with value, threshold and ok for every criterion', async () => {
    const sc = scenarioSchema.parse({
      name: 'two-pass-tiny', seed: 1, duration_ms: 1, experiment: 'two-pass',
      settings: {
        data: { train_per_class: 3, test_per_class: 3 }, recirculation: { sweeps: 2 }, top: { sweeps: 2 }, cosine_examples: 5, finetune: { epochs: 1 },
        spiking: { examples: 1, trials: 2, epochs: 1, t_pass_ms: 20, units_per_group: 1 },
      },
    });
    const r = await twoPassExperiment.run(sc, { workers: 1 });
    const pass = r.metrics.pass as Record<string, { value: number; threshold: string; ok: boolean }>;
    expect(Object.keys(pass).length).toBe(9);
    for (const c of Object.values(pass)) {
      expect(typeof c.value).toBe('number');
      expect(typeof c.threshold).toBe('string');
      expect(typeof c.ok).toBe('boolean');
    }
    expect(twoPassSettings.safeParse({ beta: 0 }).success).toBe(false);
  });

  test('held_out "validation" draws the held-out examples from their own stream; training and the stacks are unchanged', () => {
    const st = (held_out: string) => twoPassSettings.parse({ data: { train_per_class: 5, test_per_class: 5, held_out }, recirculation: { sweeps: 2 }, top: { sweeps: 2 } });
    const a = buildStacks(st('test'), 1);
    const b = buildStacks(st('validation'), 1);
    expect(b.train).toEqual(a.train);
    expect(b.labelPose).toEqual(a.labelPose);
    expect(b.test.map((e) => [e.label, e.pose])).toEqual(a.test.map((e) => [e.label, e.pose]));
    // Fresh noise: at 10% flips on 64 pixels, 80 examples identical in every pixel would be a shared stream.
    const same = a.test.filter((e, i) => e.x.every((v, k) => v === b.test[i].x[k])).length;
    expect(same).toBeLessThan(a.test.length / 2);
  });

  test('bad data settings: one line naming the field, before anything runs', () => {
    const sc = (data: object) => scenarioSchema.parse({ name: 'x', seed: 1, duration_ms: 1, experiment: 'two-pass', settings: { data } });
    expect(twoPassExperiment.check!(sc({ shifts: [[0, 0], [4, 0]] }))).toEqual(['settings.data.shifts[1]: (4, 0) puts a 5 x 5 template outside the 8 x 8 image']);
    expect(twoPassExperiment.check!(sc({ templates: 4, template_size: 1 }))[0]).toMatch(/^settings.data: no 4 templates of 1 x 1 pixels/);
    expect(twoPassExperiment.check!(sc({}))).toEqual([]);
  });
});

describe('two-pass criteria', () => {
  const row = (decoders: string, top: string, m1: number, m2: number): CosineRow => ({
    decoders, top, cosines: [m1, m2, 1].map((median, k) => ({ layer: k + 1, median, batch: median, per_example: [] })),
  });
  const acc = (method: AccuracyRow['method'], end: number, beta: number | null = null): AccuracyRow => ({ top: 'label + pose', method, beta, accuracy: [0.5, end] });
  test('each criterion met on its side of the threshold (edges included where the issue says "at least")', () => {
    const cos = [row('exact (tied)', 'label + pose', 0.99, 0.98), row('learned', 'label + pose', 0.7, 0.5), row('learned', 'label only', 0.65, 0.5)];
    const accs = [acc('backprop', 0.95), acc('two-pass', 0.93, 0.01), acc('frozen', 0.83)];
    const spk = { cosines: [{ layer: 1, median: 0.6, per_example: [], gain: 1, mean_rate: 0, mean_rate_twin: 0 }, { layer: 2, median: 0.59, per_example: [], gain: 1, mean_rate: 0, mean_rate_twin: 0 }], rate: acc('two-pass', 0.9, 0.5), spiking: acc('two-pass (spiking)', 0.84, 0.5) };
    const p = passCriteria(cos, accs, spk);
    const ok = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v.ok]));
    expect(ok).toEqual({
      'rate, exact tied decoders: median cosine with backprop, encoder 1': true,
      'rate, exact tied decoders: median cosine with backprop, encoder 2': false,
      'rate, learned decoders, label + pose: median cosine with backprop, encoder 1': true,
      'rate, learned decoders: encoder 1 cosine, label + pose minus label only': false,
      'rate, label + pose: held-out accuracy, backprop minus two-pass (points)': true,
      'rate, label + pose: held-out accuracy, two-pass minus frozen lower stack (points)': true,
      'spiking: median cosine with the rate two-pass update, encoder 1': true,
      'spiking: median cosine with the rate two-pass update, encoder 2': false,
      'spiking: held-out accuracy, rate two-pass (same beta and epochs) minus spiking (points)': false,
    });
    expect(p['rate, label + pose: held-out accuracy, backprop minus two-pass (points)'].value).toBeCloseTo(2, 12);
  });
});
