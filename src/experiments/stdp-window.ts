/**
 * `stdp-window`: the pairing protocol. For each offset s, one presynaptic source and one postsynaptic LIF neuron
 * forced to fire (a 100 mV delta input from a teacher source) so that every post spike falls s ms after a
 * presynaptic arrival, `pairings` times, one pairing every `period_ms`. All offsets run side by side in one network
 * (pair k: neuron k of each population, one_to_one). The measured total weight change of each synapse is compared
 * with the exact sum of the window over all its pairs (src/analysis/stdp-theory.ts), for each pairing scheme.
 *
 * Settings: offsets_ms {from, to, step}, pairings, period_ms, delay_ms, schemes, and the rule (a_plus, a_minus,
 * tau_plus_ms, tau_minus_ms, window, sign). Output: stdp_window.csv (scheme, s_ms, dw_mv, theory_mv).
 */
import { z } from 'zod';
import { count, nonNegative, positive } from '../schema-fields.js';
import type { Experiment, RunResult } from '../scenario/experiment.js';
import type { Scenario } from '../scenario/schema.js';
import { parseSettings } from '../scenario/settings.js';
import { ScenarioError } from '../scenario/errors.js';
import { validateScenario } from '../scenario/validate.js';
import { Network } from '../scenario/network.js';
import { pairedWeightChange, type WindowSpec } from '../analysis/stdp-theory.js';
import { stdpWindowFigure } from './figures.js';

const pos = positive;
const settingsSchema = z.strictObject({
  offsets_ms: z.strictObject({ from: z.number(), to: z.number(), step: pos }).default({ from: -100, to: 100, step: 2 }),
  pairings: count.default(60),
  period_ms: pos.default(1000),
  delay_ms: nonNegative.default(1),
  schemes: z.array(z.enum(['all_to_all', 'nearest'])).min(1).default(['all_to_all', 'nearest']),
  a_plus: pos.default(0.005),
  a_minus: pos.default(0.00525),
  tau_plus_ms: pos.default(20),
  tau_minus_ms: pos.default(20),
  window: z.enum(['antisymmetric', 'symmetric']).default('antisymmetric'),
  sign: z.union([z.literal(1), z.literal(-1)]).default(1),
}).superRefine((st, ctx) => {
  // The protocol holds offsets x pairings spike times twice (pre and teacher) in lists: bounded before anything
  // is built (offsets_ms.from = -1e10 once asked for 5e9 offsets and ended in V8's fatal out-of-memory error).
  const { from, to } = st.offsets_ms;
  if (!(to >= from)) ctx.addIssue({ code: 'custom', path: ['offsets_ms', 'to'], message: `must be >= from (${from})` });
  else if (offsetCount(st.offsets_ms) * st.pairings > MAX_PAIRINGS) {
    ctx.addIssue({
      code: 'custom', path: ['offsets_ms', 'step'],
      message: `must leave at most ${MAX_PAIRINGS} pairings in all (here ${offsetCount(st.offsets_ms)} offsets from ${from} to ${to} x ${st.pairings} pairings)`,
    });
  }
});

/** Most offsets x pairings (10^7: 160 MB of spike times). */
const MAX_PAIRINGS = 1e7;

/** Offsets from, from + step, ... up to to (within 1e-9 ms). */
function offsetCount(o: { from: number; to: number; step: number }): number {
  return Math.floor((o.to - o.from) / o.step + 1e-9) + 1;
}

export const stdpWindowExperiment: Experiment = {
  summary: 'STDP pairing protocol: measured weight change vs the exact window sum, per offset and pairing scheme',
  settings: settingsSchema,
  async run(sc: Scenario): Promise<RunResult> {
    const st = parseSettings(settingsSchema, sc);
    if (sc.mode !== 'spiking') throw new ScenarioError([`mode must be "spiking" for experiment stdp-window, got ${JSON.stringify(sc.mode)}`]);
    // By index, not by adding step up: a step below the rounding of from would never get past it.
    const offsets = Array.from({ length: offsetCount(st.offsets_ms) }, (_, k) => Math.round((st.offsets_ms.from + k * st.offsets_ms.step) * 1e9) / 1e9);
    const lead = Math.max(0, -Math.min(...offsets)) + st.delay_ms + 10;
    const emissions = Array.from({ length: st.pairings }, (_, n) => lead + n * st.period_ms);
    const duration = lead + st.pairings * st.period_ms + Math.max(0, ...offsets) + st.delay_ms + 10;
    const rows = { scheme: [] as number[], s: [] as number[], dw: [] as number[], theory: [] as number[] };
    const points: Record<string, unknown>[] = [];
    let maxRel = 0;
    let build = 0, sim = 0, spikes = 0, events = 0;
    for (const [schemeIndex, pairing] of st.schemes.entries()) {
      const rule: WindowSpec = { ...st, pairing };
      const post = offsets.map((s) => emissions.map((e) => e + st.delay_ms + s));
      const t0 = performance.now();
      const net = new Network(validateScenario({
        name: sc.name, seed: sc.seed, duration_ms: duration,
        populations: [
          { name: 'pre', model: 'spike_source', size: offsets.length, params: { spike_times_ms: offsets.map(() => emissions) } },
          { name: 'teacher', model: 'spike_source', size: offsets.length, params: { spike_times_ms: post } },
          { name: 'post', model: 'lif', size: offsets.length, params: { t_ref_ms: 0, tau_syn_exc_ms: 0, tau_syn_inh_ms: 5 } },
        ],
        projections: [
          { name: 'teach', from: 'teacher', to: 'post', receptor: 'exc', connect: { rule: 'one_to_one' }, weight_mv: 100 },
          {
            name: 'plastic', from: 'pre', to: 'post', receptor: 'inh', connect: { rule: 'one_to_one' }, weight_mv: 0, delay_ms: st.delay_ms,
            plasticity: { rule: 'stdp', a_plus: st.a_plus, a_minus: st.a_minus, tau_plus_ms: st.tau_plus_ms, tau_minus_ms: st.tau_minus_ms, pairing, window: st.window, sign: st.sign, w_min_mv: -1e9, w_max_mv: 1e9 },
          },
        ],
        record: { spikes: [] },
      }));
      const t1 = performance.now();
      net.run(duration);
      sim += (performance.now() - t1) / 1e3;
      build += (t1 - t0) / 1e3;
      spikes += net.spikeCount;
      events += net.deliveredCount;
      const proj = net.projections.get('plastic')!;
      offsets.forEach((s, k) => {
        const dw = proj.weight[k]; // one_to_one: synapse k joins pair k
        const theory = pairedWeightChange(rule, emissions.map((e) => e + st.delay_ms), post[k]);
        const rel = Math.abs(dw - theory) / Math.max(Math.abs(theory), 1e-300);
        maxRel = Math.max(maxRel, rel);
        rows.scheme.push(schemeIndex);
        rows.s.push(s);
        rows.dw.push(dw);
        rows.theory.push(theory);
        points.push({ scheme: pairing, s_ms: s, dw_mv: dw, theory_mv: theory });
      });
    }
    const csv = ['scheme,s_ms,dw_mv,theory_mv', ...rows.s.map((s, k) => `${st.schemes[rows.scheme[k]]},${s},${rows.dw[k]},${rows.theory[k]}`)].join('\n') + '\n';
    return {
      metrics: { points, max_relative_error: maxRel, pairings: st.pairings, delay_ms: st.delay_ms },
      counts: { spikes, synaptic_events: events },
      timing: { build_s: build, simulate_s: sim },
      files: [{ path: 'stdp_window.csv', data: csv }],
      figures: [stdpWindowFigure(points as never, st.window)],
    };
  },
};
