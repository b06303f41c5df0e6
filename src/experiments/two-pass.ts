/**
 * `two-pass`: science.md claim 5, "two top-down passes give backprop in a stack of autoencoders".
 *
 * Data (learning/two-pass/data.ts): 8 x 8 binary images of `templates` templates at `shifts` (label and pose
 * known), pixels flipped with probability `flip`; training and held-out sets drawn apart. A stack 64-32-16 trained
 * bottom-up by recirculation, with a top of 4 label + 4 pose units (or the label alone), its encoder trained toward
 * the one-hot target and its decoder to reconstruct the layer below from it (learning/two-pass/pretrain.ts).
 * Measured (learning/two-pass/compare.ts, stack.ts):
 *   1. per encoder, the cosine between the two-pass update (pre activity times the difference of the layer's
 *      activity between a top-down pass from the predicted top and one from the top moved by beta toward the
 *      label, over beta) and backprop's gradient, for exact decoders (tied, and reproducing the bottom-up state),
 *      random decoders (control), learned decoders with label + pose and with the label alone;
 *   2. held-out accuracy of training the stack with backprop, with two-pass updates, and with the lower stack
 *      frozen (top encoder only);
 *   3. spiking (two-pass-spiking.ts): the top-down passes in LIF neurons and the update by gated STDP in the
 *      kernel: its cosine with the rate two-pass update, and the accuracy of training with it.
 * Everything runs in this thread in a fixed order, each random draw from a named stream: results do not depend on
 * --workers. metrics.pass: each criterion { value, threshold, ok }, written before the first full run.
 */
import { z } from 'zod';
import { count, positive, probability } from '../schema-fields.js';
import type { Experiment, RunResult } from '../scenario/experiment.js';
import type { Scenario } from '../scenario/schema.js';
import { parseSettings } from '../scenario/settings.js';
import { createRng } from '../kernel/rng.js';
import { dataProblems, makeExamples, makeTemplates, type Example } from '../learning/two-pass/data.js';
import { pretrainLower, trainTop } from '../learning/two-pass/pretrain.js';
import { finetune, layerCosines, type LayerCosine, type Method } from '../learning/two-pass/compare.js';
import { cloneLayers, type StackLayer } from '../learning/two-pass/stack.js';
import { spikingCosines, spikingFinetune, type SpikingCosine } from './two-pass-spiking-measure.js';
import { twoPassFigures, type AccuracyRow, type CosineRow } from './two-pass-figures.js';
export type { AccuracyRow, CosineRow } from './two-pass-figures.js';

const pos = positive;
const int = count;

export const twoPassSettings = z.strictObject({
  data: z.strictObject({
    templates: int.default(4),
    template_size: int.max(8).default(5),
    shifts: z.array(z.tuple([z.number().int().gte(0), z.number().int().gte(0)])).min(1).default([[0, 0], [3, 0], [0, 3], [3, 3]]),
    flip: probability.default(0.1),
    train_per_class: int.default(50),
    test_per_class: int.default(50),
    /**
     * What the held-out measures (cosines, accuracies) use: "test", the held-out set of the results, or "validation",
     * as many examples drawn from a stream of their own (`two-pass/validation`), for choosing settings without
     * touching the test examples.
     */
    held_out: z.enum(['test', 'validation']).default('test'),
  }).prefault({}),
  hidden: z.array(int).min(1).default([32, 16]),
  recirculation: z.strictObject({ eps: pos.default(0.2), lambda: z.number().gte(0).lt(1).default(0.75), init: pos.default(0.3), sweeps: int.default(20) }).prefault({}),
  top: z.strictObject({ eps: pos.default(0.2), sweeps: int.default(20) }).prefault({}),
  /** How far the second pass's top moves toward the label, as a fraction of the error (rate measurements). */
  beta: pos.max(1).default(0.01),
  /** Held-out examples for the cosines (the first n). */
  cosine_examples: int.default(100),
  finetune: z.strictObject({ eps: pos.default(0.1), epochs: int.default(20), decoder_eps: z.number().gte(0).default(0) }).prefault({}),
  spiking: z.strictObject({
    enabled: z.boolean().default(true),
    beta: pos.max(1).default(0.5),
    examples: int.default(20),
    trials: int.default(50),
    epochs: int.default(5),
    /** Paired trials per training example, their STDP changes averaged (the cosines use `trials`). */
    train_trials: int.default(1),
    rate_max_hz: pos.default(100),
    units_per_group: int.default(4),
    bias_size: int.default(10),
    gain_mv: pos.default(12),
    i_bias_mv: z.number().lt(20).default(19),
    offset_mv: z.number().default(5),
    t_gap_ms: pos.default(5),
    noise_rate_hz: z.number().gte(0).default(500),
    noise_mv: z.number().gte(0).default(1.5),
    t_warmup_ms: z.number().gte(0).default(20),
    t_pass_ms: pos.default(100),
    a_mv: pos.default(0.001),
    tau_ms: pos.default(20),
  }).prefault({}),
});
export type TwoPassSettings = z.output<typeof twoPassSettings>;

const N_LABEL = 4;

interface Built {
  train: Example[];
  test: Example[];
  nPose: number;
  /** The stack with label + pose at the top, and with the label alone (same lower layers). */
  labelPose: StackLayer[];
  labelOnly: StackLayer[];
}

export function buildStacks(st: TwoPassSettings, seed: number): Built {
  const d = st.data;
  const o = { templates: d.templates, template_size: d.template_size, shifts: d.shifts as [number, number][], flip: d.flip };
  const templates = makeTemplates(o, createRng(seed, 'two-pass/templates'));
  const train = makeExamples(templates, o, d.train_per_class, createRng(seed, 'two-pass/train'));
  const test = makeExamples(templates, o, d.test_per_class, createRng(seed, `two-pass/${d.held_out}`));
  const po = { hidden: st.hidden, recirculation: st.recirculation, top: st.top };
  const lower = pretrainLower(train, po, createRng(seed, 'two-pass/init'));
  const nPose = d.shifts.length;
  const labelPose = [...cloneLayers(lower), trainTop(lower, train, N_LABEL, nPose, true, po, createRng(seed, 'two-pass/top'))];
  const labelOnly = [...cloneLayers(lower), trainTop(lower, train, N_LABEL, nPose, false, po, createRng(seed, 'two-pass/top'))];
  return { train, test, nPose, labelPose, labelOnly };
}

/** Decoders replaced: `tied` D_l = W_l^T, or `random` (uniform +-init, stream `two-pass/random-decoders`). */
export function withDecoders(layers: StackLayer[], kind: 'tied' | 'random', seed: number, init: number): StackLayer[] {
  const rng = createRng(seed, 'two-pass/random-decoders');
  return cloneLayers(layers).map((l) => {
    for (let i = 0; i < l.nIn; i++) for (let j = 0; j < l.nOut; j++) l.D[i * l.nOut + j] = kind === 'tied' ? l.W[j * l.nIn + i] : (2 * rng.uniform() - 1) * init;
    return l;
  });
}

type Criterion = { value: number | null; threshold: string; ok: boolean };


export interface SpikingResult {
  cosines: SpikingCosine[];
  /** Training with spiking two-pass updates, and the rate two-pass run at the same beta and epochs. */
  spiking: AccuracyRow;
  rate: AccuracyRow;
}

export function passCriteria(cos: CosineRow[], acc: AccuracyRow[], spiking: SpikingResult | null): Record<string, Criterion> {
  const pass: Record<string, Criterion> = {};
  const find = (dec: string, top: string) => cos.find((c) => c.decoders === dec && c.top === top)!;
  // The runs at the rate beta (the first of each top and method).
  const last = (top: string, m: string) => {
    const r = acc.find((a) => a.top === top && a.method === m);
    return r ? r.accuracy[r.accuracy.length - 1] : null;
  };
  const lowerLayers = find('exact (tied)', 'label + pose').cosines.slice(0, -1);
  for (const c of lowerLayers) pass[`rate, exact tied decoders: median cosine with backprop, encoder ${c.layer}`] = { value: c.median, threshold: '>= 0.99', ok: c.median >= 0.99 };
  const lp = find('learned', 'label + pose').cosines[0].median;
  const lo = find('learned', 'label only').cosines[0].median;
  pass['rate, learned decoders, label + pose: median cosine with backprop, encoder 1'] = { value: lp, threshold: '>= 0.7', ok: lp >= 0.7 };
  pass['rate, learned decoders: encoder 1 cosine, label + pose minus label only'] = { value: lp - lo, threshold: '>= 0.1', ok: lp - lo >= 0.1 };
  const bp = last('label + pose', 'backprop');
  const tp = last('label + pose', 'two-pass');
  const fr = last('label + pose', 'frozen');
  if (bp !== null && tp !== null) pass['rate, label + pose: held-out accuracy, backprop minus two-pass (points)'] = { value: 100 * (bp - tp), threshold: '<= 3', ok: 100 * (bp - tp) <= 3 };
  if (tp !== null && fr !== null) pass['rate, label + pose: held-out accuracy, two-pass minus frozen lower stack (points)'] = { value: 100 * (tp - fr), threshold: '>= 10', ok: 100 * (tp - fr) >= 10 };
  if (spiking) {
    for (const c of spiking.cosines) pass[`spiking: median cosine with the rate two-pass update, encoder ${c.layer}`] = { value: c.median, threshold: '>= 0.6', ok: c.median >= 0.6 };
    const end = (r: AccuracyRow) => r.accuracy[r.accuracy.length - 1];
    const d = 100 * (end(spiking.rate) - end(spiking.spiking));
    pass['spiking: held-out accuracy, rate two-pass (same beta and epochs) minus spiking (points)'] = { value: d, threshold: '<= 5', ok: d <= 5 };
  }
  return pass;
}

/** Shifts that fit and templates that can be drawn, checked when the scenario is loaded (one line each). */
function check(sc: Scenario): string[] {
  const r = twoPassSettings.safeParse(sc.settings);
  if (!r.success) return [];
  const d = r.data.data;
  const o = { templates: d.templates, template_size: d.template_size, shifts: d.shifts as [number, number][], flip: d.flip };
  const problems = dataProblems(o);
  if (problems.length > 0) return problems;
  try {
    makeTemplates(o, createRng(sc.seed, 'two-pass/templates'));
  } catch (e) {
    return [(e as Error).message];
  }
  return [];
}

export const twoPassExperiment: Experiment = {
  summary: 'Two top-down passes (claim 5): the two-pass update against backprop in a stack of autoencoders, rate and spiking (STDP)',
  settings: twoPassSettings,
  check,
  async run(sc: Scenario, ctx): Promise<RunResult> {
    const st = parseSettings(twoPassSettings, sc);
    const seed = sc.seed;
    const t0 = performance.now();
    const b = buildStacks(st, seed);
    const probe = b.test.slice(0, st.cosine_examples);
    const cos: CosineRow[] = [
      { decoders: 'exact (tied)', top: 'label + pose', cosines: layerCosines(withDecoders(b.labelPose, 'tied', seed, st.recirculation.init), probe, N_LABEL, st.beta, 'exact') },
      { decoders: 'exact (random)', top: 'label + pose', cosines: layerCosines(withDecoders(b.labelPose, 'random', seed, st.recirculation.init), probe, N_LABEL, st.beta, 'exact') },
      { decoders: 'learned', top: 'label + pose', cosines: layerCosines(b.labelPose, probe, N_LABEL, st.beta, 'learned') },
      { decoders: 'learned', top: 'label only', cosines: layerCosines(b.labelOnly, probe, N_LABEL, st.beta, 'learned') },
    ];
    const sp = st.spiking;
    // The same at the spiking version's beta (a larger move, for the spike counts), against backprop.
    if (sp.enabled) cos.push({ decoders: `learned (beta ${sp.beta})`, top: 'label + pose', cosines: layerCosines(b.labelPose, probe, N_LABEL, sp.beta, 'learned') });
    const ft = st.finetune;
    const acc: AccuracyRow[] = [];
    for (const [top, stack] of [['label + pose', b.labelPose], ['label only', b.labelOnly]] as const) {
      for (const method of ['backprop', 'two-pass', 'frozen'] as const) {
        const r = finetune(stack, b.train, b.test, { method, eps: ft.eps, epochs: ft.epochs, beta: st.beta, nLabel: N_LABEL, nPose: b.nPose, withPose: top === 'label + pose', decoder_eps: ft.decoder_eps });
        acc.push({ top, method, beta: method === 'two-pass' ? st.beta : null, accuracy: r.accuracy });
      }
    }
    const t1 = performance.now();
    let spiking: SpikingResult | null = null;
    if (sp.enabled) {
      const so = { rate_max_hz: sp.rate_max_hz, units_per_group: sp.units_per_group, bias_size: sp.bias_size, gain_mv: sp.gain_mv, i_bias_mv: sp.i_bias_mv, offset_mv: sp.offset_mv, t_gap_ms: sp.t_gap_ms, noise_rate_hz: sp.noise_rate_hz, noise_mv: sp.noise_mv, t_warmup_ms: sp.t_warmup_ms, t_pass_ms: sp.t_pass_ms, a_mv: sp.a_mv, tau_ms: sp.tau_ms };
      const total = sp.examples * sp.trials + sp.epochs * b.train.length;
      let done = 0;
      const tick = () => {
        if (++done % 50 === 0) ctx.onProgress?.(done, total, 'paired trials');
      };
      const cosines = spikingCosines(b.labelPose, b.test.slice(0, sp.examples), N_LABEL, sp.beta, sp.trials, so, seed, tick);
      const rateRun = finetune(b.labelPose, b.train, b.test, { method: 'two-pass', eps: ft.eps, epochs: sp.epochs, beta: sp.beta, nLabel: N_LABEL, nPose: b.nPose, withPose: true, decoder_eps: 0 });
      const rate: AccuracyRow = { top: 'label + pose', method: 'two-pass', beta: sp.beta, accuracy: rateRun.accuracy };
      const spk: AccuracyRow = { top: 'label + pose', method: 'two-pass (spiking)', beta: sp.beta, accuracy: spikingFinetune(b.labelPose, b.train, b.test, { eps: ft.eps, epochs: sp.epochs, beta: sp.beta, nLabel: N_LABEL, trials: sp.train_trials }, so, seed, tick).accuracy };
      acc.push(rate, spk);
      spiking = { cosines, rate, spiking: spk };
    }
    const t2 = performance.now();
    const pass = passCriteria(cos, acc, spiking);
    const csv = ['decoders,top,encoder,example,cosine', ...cos.flatMap((r) => r.cosines.flatMap((c) => c.per_example.map((v, k) => `${r.decoders},${r.top},${c.layer},${k},${v}`)))];
    if (spiking) csv.push(...spiking.cosines.flatMap((c) => c.per_example.map((v, k) => `spiking vs rate two-pass (beta ${sp.beta}),label + pose,${c.layer},${k},${v}`)));
    const acsv = ['top,method,beta,epoch,accuracy', ...acc.flatMap((r) => r.accuracy.map((v, e) => `${r.top},${r.method},${r.beta ?? ''},${e},${v}`))];
    return {
      metrics: {
        pass,
        cosines: cos.map((r) => ({ decoders: r.decoders, top: r.top, per_encoder: r.cosines.map(({ per_example: _, ...c }) => c) })),
        spiking_cosines: spiking?.cosines.map(({ per_example: _, ...c }) => c) ?? null,
        accuracy: acc.map((r) => ({ top: r.top, method: r.method, beta: r.beta, initial: r.accuracy[0], final: r.accuracy[r.accuracy.length - 1] })),
        seconds: { rate: (t1 - t0) / 1e3, spiking: (t2 - t1) / 1e3 },
        settings: st,
      },
      counts: { spikes: 0, synaptic_events: 0 },
      timing: { build_s: 0, simulate_s: (t2 - t0) / 1e3 },
      figures: twoPassFigures(cos, acc, spiking?.cosines ?? null),
      files: [{ path: 'cosines.csv', data: csv.join('\n') + '\n' }, { path: 'accuracy.csv', data: acsv.join('\n') + '\n' }],
    };
  },
};
