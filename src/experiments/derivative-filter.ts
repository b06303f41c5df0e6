/**
 * `derivative-filter`: STDP as a derivative filter (science.md, claim 3; Xie & Seung 2000; Bengio et al. 2015).
 *
 * Each trial is one plastic synapse from a presynaptic Poisson neuron at a constant rate r_pre onto a postsynaptic
 * neuron whose rate ramps linearly, r_post(u) = r_post_hz + slope (u - t_mid), independent of the presynaptic train.
 * With a balanced antisymmetric window (a_plus tau_plus = a_minus tau_minus) the mean weight change is
 *
 *     E[dw] = r_pre (t1 - t0) slope (a_plus tau_plus^2 + a_minus tau_minus^2)      (design 1)
 *
 * i.e. presynaptic activity times the rate of change of postsynaptic activity. Trial designs:
 * - design 1 (clean): presynaptic spikes only in [t0, t1]; the postsynaptic ramp runs from t0 - margin to
 *   t1 + margin, so no pair within several window widths is cut off;
 * - design 2: both trains confined to [t0, t1]; the slope then acts only through the edges.
 * For both, the exact expectation (the double integral of the window against the two rates,
 * analysis/window-integrals.ts) is reported beside each measurement.
 *
 * Variants of the postsynaptic neuron:
 * - `poisson`: an inhomogeneous Poisson train (a LIF neuron made to fire at a Poisson teacher's spike times);
 * - `lif`: a LIF neuron driven by a Poisson input whose rate is shaped so that the rate-coded model (Siegert with
 *   the Fourcaud-Brunel correction, rate/lif-transfer.ts) predicts the linear ramp; the plastic synapse is far too
 *   weak to drive it. The rate-coded twin of this scenario is that prediction. The default input synapse is fast
 *   (tau_syn 1 ms) because the Fourcaud-Brunel correction is first order in sqrt(tau_syn / tau_m): with 5 ms the
 *   LIF fired about 7% faster than predicted, with 1 ms within about 3%.
 * `mode: "rate"` runs the rate-coded twin only: the exact expectations, no spikes.
 *
 * Trials run in chunks of `chunk_trials`, each with its own random streams, in worker threads when --workers > 1;
 * results do not depend on the number of workers. Metrics: points[] {slope_hz_per_s, mean_dw, sem_dw, theory_dw},
 * fit {slope, slope_ci95, intercept, r2} (weighted least squares, per Hz/s), theory {slope, intercept}.
 */
import type { Experiment, RunResult } from '../scenario/experiment.js';
import type { Scenario } from '../scenario/schema.js';
import { parseSettings } from '../scenario/settings.js';
import { ScenarioError } from '../scenario/errors.js';
import { runChunks } from '../parallel/pool.js';
import { expectedDw, expectedDwFirstOrder, windowMoments } from '../analysis/window-integrals.js';
import type { WindowSpec } from '../analysis/stdp-theory.js';
import { weightedLinearFit } from '../analysis/linear-fit.js';
import { derivativeFigure, convergenceFigure } from './figures.js';
import { driveProfile } from './derivative-filter-drive.js';
import { derivativeFilterChunk, type DerivativeChunk, type DerivativeChunkResult } from './derivative-filter-chunk.js';
import { derivativeSettings, trialGeometry, rampFor, type DerivativeSettings } from './derivative-filter-trial.js';

export { derivativeSettings, trialGeometry, rampFor, type DerivativeSettings };

export const derivativeFilterExperiment: Experiment = {
  summary: 'STDP as a derivative filter: mean weight change vs the slope of the postsynaptic rate, with exact theory',
  settings: derivativeSettings,
  threads: true,
  async run(sc: Scenario, ctx): Promise<RunResult> {
    const st = parseSettings(derivativeSettings, sc);
    const g = trialGeometry(st);
    if (!(g.q0 >= 0)) throw new ScenarioError([`settings.t0_ms must be >= margin_ms (${st.margin_ms}) for design 1, got ${st.t0_ms}`]);
    if (!(st.t1_ms > st.t0_ms)) throw new ScenarioError([`settings.t1_ms must be > t0_ms (${st.t0_ms}), got ${st.t1_ms}`]);
    for (const s of st.slopes_hz_per_s) {
      const r = rampFor(st, s);
      const lo = Math.min(r.alpha + r.beta * g.q0, r.alpha + r.beta * g.q1);
      if (lo < 0) throw new ScenarioError([`settings.slopes_hz_per_s: slope ${s} makes the post rate negative (${(lo * 1e3).toFixed(2)} Hz) within the ramp`]);
    }
    const rule: WindowSpec = { ...st, pairing: 'all_to_all' };
    const theory = st.slopes_hz_per_s.map((s) => expectedDw(rule, rampFor(st, s)));
    const firstOrder = st.slopes_hz_per_s.map((s) => expectedDwFirstOrder(rule, rampFor(st, s)));
    const { m0, m1 } = windowMoments(rule);
    const theoryFit = weightedLinearFit(st.slopes_hz_per_s, theory, theory.map(() => 1));
    const base = {
      settings: st,
      window_integrals: { integral_W: m0, integral_sW: m1 },
      theory: { slope: theoryFit.slope, intercept: theoryFit.intercept },
      first_order_theory_dw: firstOrder,
    };
    if (sc.mode === 'rate') {
      return {
        metrics: { ...base, mode: 'rate', points: st.slopes_hz_per_s.map((s, k) => ({ slope_hz_per_s: s, theory_dw: theory[k], first_order_dw: firstOrder[k] })) },
        counts: { spikes: 0, synaptic_events: 0 },
        timing: { build_s: 0, simulate_s: 0 },
        figures: [derivativeFigure(st.slopes_hz_per_s.map((s, k) => ({ slope_hz_per_s: s, theory_dw: theory[k] })))],
        files: [{ path: 'derivative_filter.csv', data: ['slope_hz_per_s,theory_dw,first_order_dw', ...st.slopes_hz_per_s.map((s, k) => `${s},${theory[k]},${firstOrder[k]}`)].join('\n') + '\n' }],
      };
    }
    // Chunks: fixed size, fixed streams, independent of the number of workers.
    const payloads: DerivativeChunk[] = [];
    const drives = st.variant === 'lif' ? st.slopes_hz_per_s.map((s) => driveProfile(st, rampFor(st, s))) : null;
    st.slopes_hz_per_s.forEach((s, k) => {
      for (let c = 0, first = 0; first < st.trials; c++, first += st.chunk_trials) {
        payloads.push({ seed: sc.seed, slopeIndex: k, chunk: c, trials: Math.min(st.chunk_trials, st.trials - first), settings: st, slope: s, drive: drives ? drives[k] : null });
      }
    });
    const t0 = performance.now();
    const results = await runChunks(derivativeFilterChunk, payloads, ctx.workers, (d, n) => ctx.onProgress?.(d, n, 'chunks'));
    const simulate = (performance.now() - t0) / 1e3;
    return summarize(st, results, theory, firstOrder, base, simulate);
  },
};

function summarize(
  st: DerivativeSettings,
  results: DerivativeChunkResult[],
  theory: number[],
  firstOrder: number[],
  base: Record<string, unknown>,
  simulate: number,
): RunResult {
  const n = st.slopes_hz_per_s.length;
  const sum = new Float64Array(n), sum2 = new Float64Array(n), cnt = new Float64Array(n);
  const g = trialGeometry(st);
  const nBins = Math.ceil((g.q1 - g.q0) / st.psth_bin_ms);
  const psth = Array.from({ length: n }, () => new Float64Array(nBins));
  let spikes = 0, events = 0;
  const perTrial: string[] = ['slope_hz_per_s,chunk,trial,dw'];
  const steepest = st.slopes_hz_per_s.reduce((b, s, k) => (Math.abs(s) > Math.abs(st.slopes_hz_per_s[b]) ? k : b), 0);
  const steepestDw: number[] = [];
  for (const r of results) {
    const k = r.slopeIndex;
    for (let i = 0; i < r.dw.length; i++) {
      const x = r.dw[i];
      sum[k] += x;
      sum2[k] += x * x;
      cnt[k]++;
      perTrial.push(`${st.slopes_hz_per_s[k]},${r.chunk},${i},${x}`);
      if (k === steepest) steepestDw.push(x);
    }
    for (let b = 0; b < nBins; b++) psth[k][b] += r.psth[b];
    spikes += r.spikes;
    events += r.events;
  }
  const mean = Array.from(sum, (s, k) => s / cnt[k]);
  const sem = Array.from(sum2, (s2, k) => Math.sqrt(Math.max(0, s2 / cnt[k] - mean[k] ** 2) / (cnt[k] - 1)));
  const fit = weightedLinearFit(st.slopes_hz_per_s, mean, sem.map((s) => 1 / (s * s)));
  // Measured post-rate slope per condition, from the PSTH over the presynaptic interval (Hz/s).
  const binCentres = Array.from({ length: nBins }, (_, b) => g.q0 + (b + 0.5) * st.psth_bin_ms);
  const postSlopes = psth.map((h, k) => {
    const xs: number[] = [], ys: number[] = [];
    binCentres.forEach((c, b) => {
      if (c >= g.p0 && c <= g.p1 && g.q0 + (b + 1) * st.psth_bin_ms <= g.q1) {
        xs.push(c);
        ys.push((h[b] / cnt[k] / st.psth_bin_ms) * 1e3);
      }
    });
    return weightedLinearFit(xs, ys, ys.map(() => 1)).slope * 1e3;
  });
  const points = st.slopes_hz_per_s.map((s, k) => ({
    slope_hz_per_s: s,
    mean_dw: mean[k],
    sem_dw: sem[k],
    theory_dw: theory[k],
    first_order_dw: firstOrder[k],
    z: (mean[k] - theory[k]) / sem[k],
    trials: cnt[k],
    measured_post_slope_hz_per_s: postSlopes[k],
  }));
  const pointsCsv = ['slope_hz_per_s,mean_dw,sem_dw,theory_dw,first_order_dw,measured_post_slope_hz_per_s',
    ...points.map((p) => `${p.slope_hz_per_s},${p.mean_dw},${p.sem_dw},${p.theory_dw},${p.first_order_dw},${p.measured_post_slope_hz_per_s}`)].join('\n') + '\n';
  const psthCsv = ['slope_hz_per_s,t_ms,rate_hz', ...psth.flatMap((h, k) => binCentres.map((c, b) => `${st.slopes_hz_per_s[k]},${c},${(h[b] / cnt[k] / st.psth_bin_ms) * 1e3}`))].join('\n') + '\n';
  return {
    metrics: {
      ...base,
      mode: 'spiking',
      points,
      fit: { slope: fit.slope, slope_ci95: fit.slopeCi95, intercept: fit.intercept, r2: fit.r2 },
      theory_inside_ci95: (base.theory as { slope: number }).slope >= fit.slopeCi95[0] && (base.theory as { slope: number }).slope <= fit.slopeCi95[1],
      max_abs_z: Math.max(...points.map((p) => Math.abs(p.z))),
    },
    counts: { spikes, synaptic_events: events },
    timing: { build_s: 0, simulate_s: simulate },
    figures: [derivativeFigure(points, fit), convergenceFigure(st.slopes_hz_per_s[steepest], steepestDw, theory[steepest])],
    files: [
      { path: 'derivative_filter.csv', data: pointsCsv },
      { path: 'trials.csv', data: perTrial.join('\n') + '\n' },
      { path: 'post_psth.csv', data: psthCsv },
    ],
  };
}
