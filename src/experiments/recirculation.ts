/**
 * `recirculation`: science.md claim 4, "recirculation is STDP with the sign flipped" (Hinton & McClelland 1988).
 *
 * 1. Rate algorithm (src/learning/recirculation/rate.ts) on each encoder (4-2-4, 8-3-8) and lambda: `rate.seeds`
 *    seeds (stream `rate/<n>-<m>/<lambda>/<seed>`), success when every pattern is reconstructed within `tolerance`,
 *    checked after each sweep, at most `max_sweeps`.
 * 2. Spiking 4-2-4 (recirculation-spiking.ts), for each learning rule in `spiking.rules` (the gated symmetric
 *    window; the ungated antisymmetric window with sign -1, the literal claim; and with sign +1, the control):
 *    the mean first update over `first_update_trials` against the rate rule (recirculation-first-update.ts), and
 *    `spiking.seeds` training runs (success: each pattern's own group in the probe fires at least `ratio` times as
 *    much as every other group, from the top-down path alone).
 * Everything runs in this thread, in a fixed order: results do not depend on --workers.
 * metrics.pass: each criterion { value, threshold, ok }; a failed criterion is a result, not an error.
 */
import { z } from 'zod';
import { count, positive } from '../schema-fields.js';
import type { Experiment, FigureSpec, RunResult } from '../scenario/experiment.js';
import type { Scenario } from '../scenario/schema.js';
import { parseSettings } from '../scenario/settings.js';
import { createRng } from '../kernel/rng.js';
import { Recirculation, encoderPatterns, trainUntilReconstructed } from '../learning/recirculation/rate.js';
import { SpikingRecirculation, trainSpiking, type SpikingRecirculationOptions } from './recirculation-spiking.js';
import { firstUpdate } from './recirculation-first-update.js';
import { baseSpec, WIDTH } from '../report/vl.js';

const pos = positive;
const int = count;
const rule = z.strictObject({ name: z.string(), rule: z.enum(['gated', 'ungated']), sign: z.union([z.literal(1), z.literal(-1)]).default(-1) });

export const recirculationSettings = z.strictObject({
  rate: z.strictObject({
    encoders: z.array(z.tuple([int, int])).default([[4, 2], [8, 3]]),
    lambdas: z.array(z.number().gte(0).lt(1)).default([0, 0.5, 0.75, 0.9]),
    seeds: int.default(100),
    eps: pos.default(3),
    init: pos.default(0.5),
  }).prefault({}),
  tolerance: pos.default(0.2),
  max_sweeps: int.default(2000),
  spiking: z.strictObject({
    seeds: int.default(20),
    first_update_trials: int.default(100),
    check_every: int.default(20),
    ratio: pos.default(2),
    rules: z.array(rule).default([
      { name: 'gated', rule: 'gated', sign: -1 },
      { name: 'ungated_sign_minus', rule: 'ungated', sign: -1 },
      { name: 'ungated_sign_plus', rule: 'ungated', sign: 1 },
    ]),
    units_per_group: int.default(4),
    lambda: z.number().gte(0).lt(1).default(0.75),
    input_rate_hz: pos.default(800),
    input_weight_mv: pos.default(1),
    bias_size: int.default(4),
    bias_rate_hz: pos.default(50),
    vis_bias_mv: z.number().default(17),
    hid_bias_mv: z.number().default(19),
    noise_rate_hz: z.number().gte(0).default(500),
    noise_mv: z.number().gte(0).default(1.5),
    t_warmup_ms: z.number().gte(0).default(30),
    t_pass_ms: pos.default(50),
    t_test_ms: pos.default(100),
    init_vh_mv: z.number().gte(0).default(5),
    init_hv_mv: z.number().gte(0).default(2),
    a_bottom_up: z.number().gte(0).default(0.005),
    a_top_down: z.number().gte(0).default(0.05),
    tau_ms: pos.default(20),
    w_bound_mv: pos.default(30),
    /** Gated rule: the second pass "continue"s from the first's end, or "replay"s from its start with the same
     * spike streams (recirculation-spiking.ts). */
    second_pass: z.enum(['continue', 'replay']).default('continue'),
  }).prefault({}),
});
export type RecirculationSettings = z.output<typeof recirculationSettings>;

interface RateRow { encoder: string; lambda: number; seeds: number; succeeded: number; success_rate: number; mean_sweeps: number | null; sweeps: (number | null)[] }

export function runRate(st: RecirculationSettings): RateRow[] {
  const rows: RateRow[] = [];
  for (const [n, m] of st.rate.encoders) {
    const patterns = encoderPatterns(n);
    for (const lambda of st.rate.lambdas) {
      const sweeps: (number | null)[] = [];
      for (let s = 1; s <= st.rate.seeds; s++) {
        const net = new Recirculation(n, m, { eps: st.rate.eps, lambda, init: st.rate.init }, createRng(s, `rate/${n}-${m}/${lambda}`));
        sweeps.push(trainUntilReconstructed(net, patterns, st.tolerance, st.max_sweeps));
      }
      const ok = sweeps.filter((x): x is number => x !== null);
      rows.push({ encoder: `${n}-${m}-${n}`, lambda, seeds: sweeps.length, succeeded: ok.length, success_rate: ok.length / sweeps.length, mean_sweeps: ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : null, sweeps });
    }
  }
  return rows;
}

export function spikingOptions(st: RecirculationSettings, r: { rule: 'gated' | 'ungated'; sign: 1 | -1 }): SpikingRecirculationOptions {
  const { seeds: _s, first_update_trials: _f, check_every: _c, ratio: _r, rules: _rs, ...o } = st.spiking;
  return { ...o, nv: 4, nh: 2, rule: r.rule, sign: r.sign };
}

interface SpikingRow {
  name: string; rule: string; sign: number;
  first_update: { cosine_all: number; cosine_bottom_up: number; cosine_top_down: number; trials: number };
  seeds: number; solved: number; sweeps: (number | null)[]; mean_sweeps: number | null;
}

function runSpiking(st: RecirculationSettings, seed: number, onProgress?: (d: number, n: number, unit: string) => void): SpikingRow[] {
  const sp = st.spiking;
  const patterns = encoderPatterns(4);
  const total = sp.rules.length * (sp.seeds + 1);
  let done = 0;
  return sp.rules.map((r) => {
    const o = spikingOptions(st, r);
    const fu = firstUpdate(o, seed, patterns[0], sp.first_update_trials);
    onProgress?.(++done, total, 'runs');
    const sweeps: (number | null)[] = [];
    for (let s = 1; s <= sp.seeds; s++) {
      const net = new SpikingRecirculation(o, seed * 1000 + s);
      sweeps.push(trainSpiking(net, patterns, seed * 1000 + s, st.max_sweeps, sp.check_every, sp.ratio).sweeps);
      onProgress?.(++done, total, 'runs');
    }
    const ok = sweeps.filter((x): x is number => x !== null);
    return {
      name: r.name, rule: r.rule, sign: r.sign,
      first_update: { cosine_all: fu.cosine_all, cosine_bottom_up: fu.cosine_bottom_up, cosine_top_down: fu.cosine_top_down, trials: fu.trials },
      seeds: sweeps.length, solved: ok.length, sweeps, mean_sweeps: ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : null,
    };
  });
}

type Criterion = { value: number | null; threshold: string; ok: boolean };

export function passCriteria(st: RecirculationSettings, rate: RateRow[], spiking: SpikingRow[]): Record<string, Criterion> {
  const pass: Record<string, Criterion> = {};
  const r = rate.find((x) => x.encoder === '4-2-4' && x.lambda === 0.75);
  if (r) pass['rate 4-2-4 lambda 0.75: fraction of seeds succeeding'] = { value: r.success_rate, threshold: '>= 0.9', ok: r.success_rate >= 0.9 };
  const frac = (x: SpikingRow) => x.solved / x.seeds;
  for (const x of spiking) {
    if (x.sign === -1) {
      pass[`spiking ${x.name}: first-update cosine with the rate rule`] = { value: x.first_update.cosine_all, threshold: '>= 0.8', ok: x.first_update.cosine_all >= 0.8 };
      pass[`spiking ${x.name}: fraction of seeds solving 4-2-4`] = { value: frac(x), threshold: '>= 0.8 (16 of 20)', ok: frac(x) >= 0.8 };
    } else {
      pass[`spiking ${x.name} (control): fraction of seeds solving 4-2-4`] = { value: frac(x), threshold: '<= 0.2 (4 of 20)', ok: frac(x) <= 0.2 };
    }
  }
  return pass;
}

function figures(rate: RateRow[], spiking: SpikingRow[]): FigureSpec[] {
  const rv = rate.map((r) => ({ encoder: r.encoder, lambda: String(r.lambda), success_rate: r.success_rate, mean_sweeps: r.mean_sweeps }));
  const sv = spiking.map((s) => ({ rule: s.name, solved: s.solved / s.seeds, cosine: s.first_update.cosine_all }));
  return [
    {
      name: 'recirculation_rate', title: 'Rate recirculation: fraction of seeds reconstructing every pattern, and mean sweeps of those that did',
      spec: {
        ...baseSpec('Rate recirculation', 'Rate recirculation: the fraction of seeds that reconstruct every pattern (left) and the mean sweeps to success of those that did (right), per encoder (color) and lambda.', rv),
        usermeta: { order: 0 },
        hconcat: [
          { width: WIDTH / 2 - 60, height: 240, mark: 'bar', encoding: { x: { field: 'lambda', type: 'nominal', title: 'lambda' }, xOffset: { field: 'encoder' }, y: { field: 'success_rate', type: 'quantitative', title: 'fraction of seeds', scale: { domain: [0, 1] } }, color: { field: 'encoder', type: 'nominal', title: 'encoder' } } },
          { width: WIDTH / 2 - 60, height: 240, mark: 'bar', encoding: { x: { field: 'lambda', type: 'nominal', title: 'lambda' }, xOffset: { field: 'encoder' }, y: { field: 'mean_sweeps', type: 'quantitative', title: 'mean sweeps to success' }, color: { field: 'encoder', type: 'nominal' } } },
        ],
      },
    },
    {
      name: 'recirculation_spiking', title: 'Spiking 4-2-4: fraction of seeds solved and the first-update cosine with the rate rule, per STDP rule',
      spec: {
        ...baseSpec('Spiking recirculation', 'Spiking 4-2-4: the fraction of seeds solved (left) and the cosine of the first weight update with the rate rule\'s (right), per STDP rule.', sv),
        usermeta: { order: 1 },
        hconcat: [
          { width: WIDTH / 2 - 60, height: 240, mark: 'bar', encoding: { x: { field: 'rule', type: 'nominal' }, y: { field: 'solved', type: 'quantitative', title: 'fraction of seeds solved', scale: { domain: [0, 1] } } } },
          { width: WIDTH / 2 - 60, height: 240, mark: 'bar', encoding: { x: { field: 'rule', type: 'nominal' }, y: { field: 'cosine', type: 'quantitative', title: 'first-update cosine', scale: { domain: [-1, 1] } } } },
        ],
      },
    },
  ];
}

export const recirculationExperiment: Experiment = {
  summary: 'Recirculation (claim 4): the rate algorithm on 4-2-4 and 8-3-8, and its spiking version learning by gated or reversed STDP',
  settings: recirculationSettings,
  async run(sc: Scenario, ctx): Promise<RunResult> {
    const st = parseSettings(recirculationSettings, sc);
    const t0 = performance.now();
    const rate = runRate(st);
    const t1 = performance.now();
    const spiking = runSpiking(st, sc.seed, ctx.onProgress);
    const t2 = performance.now();
    const pass = passCriteria(st, rate, spiking);
    const csv = ['encoder,lambda,seed,sweeps', ...rate.flatMap((r) => r.sweeps.map((s, k) => `${r.encoder},${r.lambda},${k + 1},${s ?? ''}`))].join('\n') + '\n';
    const scsv = ['rule,seed,sweeps', ...spiking.flatMap((r) => r.sweeps.map((s, k) => `${r.name},${k + 1},${s ?? ''}`))].join('\n') + '\n';
    return {
      metrics: {
        pass,
        rate: rate.map(({ sweeps: _, ...r }) => r),
        spiking: spiking.map(({ sweeps: _, ...r }) => r),
        seconds: { rate: (t1 - t0) / 1e3, spiking: (t2 - t1) / 1e3 },
        settings: st,
      },
      counts: { spikes: 0, synaptic_events: 0 },
      timing: { build_s: 0, simulate_s: (t2 - t0) / 1e3 },
      figures: figures(rate, spiking),
      files: [{ path: 'rate_sweeps.csv', data: csv }, { path: 'spiking_sweeps.csv', data: scsv }],
    };
  },
};
