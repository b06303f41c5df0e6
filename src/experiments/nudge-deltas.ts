/**
 * `nudge-deltas`: science.md claim 2, "an error derivative can be the rate of change of a neuron's output".
 *
 * A 784 -> H LIF -> K LIF network (Poisson pixel sources, delta synapses, fixed weights) sees digits from the
 * validation split train[50000:60000]. For each digit and feedback (`settings.feedback`: symmetric, random,
 * shuffled; nudge-deltas-measure.ts), paired trials from the same state with the same input spikes run one copy free
 * and one nudged copy per teacher gain beta (nudge-deltas-copies.ts). The hidden layer's rate change between a nudged
 * copy and the free one, over windows [t1, t1 + w) after the nudge starts (an early window: the slope dr/dt; the
 * whole phase: the change), is compared by its cosine with backprop's hidden deltas for the same digit and weights,
 * from the rate-coded twin (nudge-deltas-twin.ts); the twin's own nudge response is compared the same way.
 *
 * Reported: each digit's cosine, the median over digits per feedback, beta and window, and metrics.pass (each
 * criterion { value, threshold, ok }, fixed before the first full run; a failed criterion is a result, not an error):
 *   rate twin, symmetric, smallest beta: median cosine >= 0.98
 *   spiking, symmetric, smallest beta, whole phase: median cosine >= 0.8
 *   spiking, symmetric, whole phase: the median falls as beta grows (largest beta's minus smallest's < 0)
 *   spiking, shuffled, whole phase: median cosine <= 0.15 at every beta
 *   spiking, random: reported, no bar (feedback alignment's starting point)
 * Everything runs in this thread in a fixed order, each trial on its own named streams: results do not depend on
 * --workers.
 */
import { z } from 'zod';
import { count, nonNegative, positive } from '../schema-fields.js';
import type { Experiment, RunResult } from '../scenario/experiment.js';
import type { Scenario } from '../scenario/schema.js';
import { parseSettings } from '../scenario/settings.js';
import { ScenarioError } from '../scenario/errors.js';
import { createRng } from '../kernel/rng.js';
import { loadMnist, mnistPixels } from '../data/mnist.js';
import { shuffled } from '../learning/trainer.js';
import { NudgeMeasure, type DigitResult, type FeedbackKind } from './nudge-deltas-measure.js';
import { nudgeFigures } from './nudge-deltas-figures.js';
import { summarize, type SummaryRow } from './nudge-deltas-summary.js';
import { median } from '../math/vector-stats.js';

const pos = positive;
const nonNeg = nonNegative;
const int = count;
const kinds = z.enum(['symmetric', 'random', 'shuffled']);

/** The validation split: train[50000:60000]. */
export const VALIDATION_START = 50000;
export const VALIDATION_COUNT = 10000;

export const nudgeDeltasSettings = z.strictObject({
  /** Digits, drawn without replacement from the validation split (stream `nudge/digits`). */
  examples: int.max(VALIDATION_COUNT).default(20),
  /** Paired trials per digit (and feedback). */
  trials: int.default(100),
  data_dir: z.string().optional(),
  input_rate_hz: pos.default(100),
  feedback: z.union([kinds, z.array(kinds).min(1)]).default(['symmetric', 'random', 'shuffled']).transform((f) => (typeof f === 'string' ? [f] : f)),
  kappa: pos.default(0.5),
  /** Teacher gains, ascending: teacher rate (Hz) per Hz of output error. */
  betas: z.array(pos).min(1).default([100, 400, 1600]).refine((b) => b.every((x, i) => i === 0 || x > b[i - 1]), { message: 'must be ascending' }),
  target_hi_hz: nonNeg.default(60),
  target_lo_hz: nonNeg.default(10),
  /** The output rate the teacher compares with the target: the twin's ("twin", noise-free) or the free window's. */
  teacher_error: z.enum(['twin', 'measured']).default('twin'),
  t_warmup_ms: nonNeg.default(50),
  t_free_ms: pos.default(50),
  t_nudge_ms: pos.default(400),
  /** Early windows after the nudge starts (ms, ascending, < t_nudge_ms); the whole phase is always added. */
  windows_ms: z.array(pos).default([10, 25, 50, 100, 200]),
});
export type NudgeDeltasSettings = z.output<typeof nudgeDeltasSettings>;

const POPS = ['in', 'hid', 'out', 'teach_exc', 'teach_inh'];
const PROJS: Record<string, [string, string, string]> = {
  in_hid: ['in', 'hid', 'all_to_all'], hid_out: ['hid', 'out', 'all_to_all'], out_hid: ['out', 'hid', 'all_to_all'],
  teach_exc_out: ['teach_exc', 'out', 'one_to_one'], teach_inh_out: ['teach_inh', 'out', 'one_to_one'],
};

/** What the protocol relies on (see nudge-deltas-copies.ts): names, sizes, rules, delta synapses, subthreshold bias. */
export function checkScenario(sc: Scenario, st: NudgeDeltasSettings): void {
  const problems: string[] = [];
  for (const n of POPS) if (!sc.populations.some((p) => p.name === n)) problems.push(`populations must include "${n}" for the nudge-deltas experiment, got ${sc.populations.map((p) => p.name).join(', ')}`);
  for (const [n, [from, to, rule]] of Object.entries(PROJS)) {
    const p = sc.projections.find((q) => q.name === n);
    if (!p) problems.push(`projections must include "${n}" (${from} -> ${to}) for the nudge-deltas experiment`);
    else if (p.from !== from || p.to !== to || p.connect.rule !== rule) problems.push(`projections.${n} must connect ${from} -> ${to} with rule ${rule}, got ${p.from} -> ${p.to} with ${p.connect.rule}`);
  }
  const pop = (n: string) => sc.populations.find((p) => p.name === n);
  if (pop('in') && pop('in')!.size !== 784) problems.push(`populations.in.size must be 784 (one source per MNIST pixel), got ${pop('in')!.size}`);
  for (const n of ['out', 'teach_exc', 'teach_inh']) if (pop(n) && pop(n)!.size !== 10) problems.push(`populations.${n}.size must be 10 (one per digit class), got ${pop(n)!.size}`);
  for (const n of ['in', 'teach_exc', 'teach_inh']) if (pop(n) && pop(n)!.model !== 'poisson_source') problems.push(`populations.${n}.model must be poisson_source, got ${pop(n)!.model}`);
  for (const n of ['hid', 'out']) {
    const p = pop(n);
    if (!p) continue;
    if (p.model !== 'lif') problems.push(`populations.${n}.model must be lif, got ${p.model}`);
    const q = p.params as Record<string, number>;
    for (const key of ['tau_syn_exc_ms', 'tau_syn_inh_ms']) if (q[key] !== 0) problems.push(`populations.${n}.params.${key} must be 0 (delta synapses: the rate twin and the paired copies assume them), got ${q[key] ?? 'the default'}`);
    const vInf = (q.v_rest_mv ?? -70) + (q.i_bias_mv ?? 0);
    if (!(vInf < (q.v_th_mv ?? -50))) problems.push(`populations.${n}.params: v_rest_mv + i_bias_mv must be below v_th_mv (silent without input, so paired copies re-align between trials), got ${vInf}`);
  }
  for (const p of sc.projections) if (p.plasticity) problems.push(`projections.${p.name}.plasticity must be absent: nudge-deltas measures fixed weights`);
  if (st.windows_ms.some((w, i) => w >= st.t_nudge_ms || (i > 0 && w <= st.windows_ms[i - 1]))) problems.push(`settings.windows_ms must be ascending and each < settings.t_nudge_ms (${st.t_nudge_ms}), got [${st.windows_ms}]`);
  if (problems.length) throw new ScenarioError(problems);
}

type Criterion = { value: number; threshold: string; ok: boolean };

export function passCriteria(st: NudgeDeltasSettings, rows: SummaryRow[], windows: number[]): Record<string, Criterion> {
  const pass: Record<string, Criterion> = {};
  const last = windows.length - 1;
  const b0 = st.betas[0];
  const bN = st.betas[st.betas.length - 1];
  const row = (f: FeedbackKind, beta: number) => rows.find((r) => r.feedback === f && r.beta === beta)!;
  const whole = `whole nudge (${windows[last]} ms)`;
  if (st.feedback.includes('symmetric')) {
    const v = row('symmetric', b0).twin_median;
    pass[`rate twin, symmetric feedback, beta ${b0}: median cosine with backprop's hidden deltas`] = { value: v, threshold: '>= 0.98', ok: v >= 0.98 };
    const s = row('symmetric', b0).spiking_median[last];
    pass[`spiking, symmetric feedback, beta ${b0}, ${whole}: median cosine`] = { value: s, threshold: '>= 0.8', ok: s >= 0.8 };
    if (st.betas.length > 1) {
      const drop = row('symmetric', bN).spiking_median[last] - s;
      pass[`spiking, symmetric feedback, ${whole}: median cosine at beta ${bN} minus at beta ${b0} (falls as beta grows)`] = { value: drop, threshold: '< 0', ok: drop < 0 };
    }
  }
  if (st.feedback.includes('shuffled')) {
    const v = Math.max(...st.betas.map((b) => row('shuffled', b).spiking_median[last]));
    pass[`spiking, shuffled feedback, ${whole}: largest median cosine over beta`] = { value: v, threshold: '<= 0.15', ok: v <= 0.15 };
  }
  if (st.feedback.includes('random')) {
    const v = row('random', b0).spiking_median[last];
    pass[`spiking, fixed random feedback, beta ${b0}, ${whole}: median cosine (reported, no bar: feedback alignment's starting point)`] = { value: v, threshold: 'none (reported only)', ok: true };
  }
  return pass;
}

/** The digits measured: `examples` drawn without replacement from the validation split. */
export function pickDigits(st: NudgeDeltasSettings, seed: number): Int32Array {
  return shuffled(VALIDATION_COUNT, createRng(seed, 'nudge/digits')).slice(0, st.examples).map((i) => VALIDATION_START + i);
}

function tables(st: NudgeDeltasSettings, digits: DigitResult[], windows: number[]): { cosines: string; changes: string } {
  const cos = ['feedback,digit,label,beta,window_ms,cosine_spiking,cosine_twin,cosine_spiking_vs_twin'];
  const chg = ['feedback,digit,beta,neuron,delta_backprop,dr_twin_hz,dr_spiking_hz'];
  for (const d of digits) {
    st.betas.forEach((beta, b) => {
      windows.forEach((w, k) => cos.push(`${d.feedback},${d.digit},${d.label},${beta},${w},${d.cos[b][k]},${d.twinCos[b]},${d.spikingTwinCos[b]}`));
      d.deltaH.forEach((x, h) => chg.push(`${d.feedback},${d.digit},${beta},${h},${x},${d.drTwin[b][h]},${d.drSpiking[b][h]}`));
    });
  }
  return { cosines: cos.join('\n') + '\n', changes: chg.join('\n') + '\n' };
}

export const nudgeDeltasExperiment: Experiment = {
  summary: 'Claim 2: the hidden rate change that a teacher nudge of the outputs causes, against backprop\'s hidden deltas (symmetric, random, shuffled feedback)',
  settings: nudgeDeltasSettings,
  async run(sc: Scenario, ctx): Promise<RunResult> {
    const st = parseSettings(nudgeDeltasSettings, sc);
    checkScenario(sc, st);
    const windows = [...st.windows_ms, st.t_nudge_ms];
    const tb = performance.now();
    const train = loadMnist('train', { dir: st.data_dir });
    const m = new NudgeMeasure(sc, {
      kappa: st.kappa, betas: st.betas, targetHiHz: st.target_hi_hz, targetLoHz: st.target_lo_hz, teacherError: st.teacher_error,
      inputRateHz: st.input_rate_hz, trials: st.trials,
      timing: { warmupMs: st.t_warmup_ms, freeMs: st.t_free_ms, nudgeMs: st.t_nudge_ms, windows },
    });
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const picked = pickDigits(st, sc.seed);
    const x = new Float64Array(784);
    const digits: DigitResult[] = [];
    const total = st.feedback.length * picked.length;
    for (const f of st.feedback) {
      for (const n of picked) {
        digits.push(m.digit(f, mnistPixels(train, n, x), n, train.labels[n], sc.seed));
        ctx.onProgress?.(digits.length, total, 'digits');
      }
    }
    const cpu = process.cpuUsage(cpu0);
    const t1 = performance.now();
    const summary = summarize(st.feedback, st.betas, digits, windows);
    const pass = passCriteria(st, summary, windows);
    const { cosines, changes } = tables(st, digits, windows);
    const nets = m.copies.copies.map((c) => c.net);
    return {
      metrics: {
        pass,
        windows_ms: windows,
        summary,
        digits: digits.map((d) => ({ feedback: d.feedback, digit: d.digit, label: d.label, twin_cosine: d.twinCos, spiking_cosine: d.cos, free_rate_correlation: d.freeRateCorr })),
        median_free_rate_correlation: median(digits.map((d) => d.freeRateCorr)),
        paired_copies: nets.length,
        measure_wall_s: (t1 - t0) / 1e3,
        measure_cpu_s: (cpu.user + cpu.system) / 1e6,
        settings: st,
      },
      counts: { spikes: nets.reduce((a, n) => a + n.spikeCount, 0), synaptic_events: nets.reduce((a, n) => a + n.deliveredCount, 0) },
      timing: { build_s: (t0 - tb) / 1e3, simulate_s: (t1 - t0) / 1e3 },
      figures: nudgeFigures(st.feedback, st.betas, summary, digits, windows),
      files: [{ path: 'cosines.csv', data: cosines }, { path: 'hidden-changes.csv', data: changes }],
    };
  },
};
