/**
 * `song2000`: competitive Hebbian learning through STDP (Song, Miller & Abbott 2000). One LIF neuron receives many
 * Poisson inputs through plastic synapses with additive, hard-bounded STDP whose depression slightly outweighs
 * potentiation (a_minus tau_minus > a_plus tau_plus). Inputs that happen to cause spikes are potentiated, the rest
 * depressed: the weights split into a group near 0 and a group near w_max (bimodal), and the output rate settles
 * at a value set by the balance of causal and acausal pairs, nearly independent of the input rate. With
 * multiplicative (soft-bound) dependence the distribution is unimodal instead (van Rossum, Bi & Turrigiano 2000).
 *
 * Runs the scenario's network as `network` does, then reports for the plastic projection named by
 * `settings.projection` the fractions of weights below 0.1 w_max and above 0.9 w_max, a 20-bin histogram, and the
 * output rate of `settings.population` in consecutive windows of `settings.window_ms`.
 */
import { z } from 'zod';
import { positive } from '../schema-fields.js';
import type { Experiment } from '../scenario/experiment.js';
import type { Scenario } from '../scenario/schema.js';
import { parseSettings } from '../scenario/settings.js';
import { simulateNetwork } from '../scenario/run-network.js';
import { ScenarioError } from '../scenario/errors.js';

const settingsSchema = z.strictObject({
  projection: z.string().default('input'),
  population: z.string().default('neuron'),
  window_ms: positive.default(10_000),
});

/** The settings against the scenario: a spiking run, a plastic projection, a population whose spikes are recorded. */
function check(sc: Scenario): string[] {
  const st = parseSettings(settingsSchema, sc);
  const problems: string[] = [];
  if (sc.mode !== 'spiking') problems.push(`mode must be "spiking" for experiment song2000, got ${JSON.stringify(sc.mode)}`);
  if (!sc.projections.find((p) => p.name === st.projection)?.plasticity) problems.push(`settings.projection must name a plastic projection, got ${JSON.stringify(st.projection)}`);
  if (!sc.populations.some((p) => p.name === st.population)) problems.push(`settings.population must name a population, got ${JSON.stringify(st.population)}`);
  else if (sc.record.spikes !== 'all' && !sc.record.spikes.includes(st.population)) {
    problems.push(`settings.population must name a population whose spikes are recorded (record.spikes: ${JSON.stringify(sc.record.spikes)}), got ${JSON.stringify(st.population)}`);
  }
  return problems;
}

export const song2000Experiment: Experiment = {
  summary: 'competitive STDP: weight distribution and output rate of one neuron under many plastic Poisson inputs',
  settings: settingsSchema,
  check,
  async run(sc, ctx) {
    const st = parseSettings(settingsSchema, sc);
    const problems = check(sc);
    if (problems.length > 0) throw new ScenarioError(problems);
    const spec = sc.projections.find((p) => p.name === st.projection)!;
    if (!spec.plasticity) throw new Error('unreachable: checked');
    const { net, result } = simulateNetwork(sc, ctx);
    const w = net.projections.get(st.projection)!.weight;
    const { w_min_mv: lo, w_max_mv: hi } = spec.plasticity;
    const bins = new Array(20).fill(0);
    let low = 0, high = 0;
    for (const x of w) {
      const u = (x - lo) / (hi - lo);
      if (u < 0.1) low++;
      if (u > 0.9) high++;
      bins[Math.min(19, Math.floor(u * 20))]++;
    }
    const tr = net.spikes.get(st.population)!.sorted();
    const nWin = Math.ceil(sc.duration_ms / st.window_ms);
    const counts = new Array(nWin).fill(0);
    for (const t of tr.t) counts[Math.floor(t / st.window_ms)]++;
    const size = net.emitters.get(st.population)!.size;
    const rates = counts.map((c, k) => c / size / ((Math.min(sc.duration_ms, (k + 1) * st.window_ms) - k * st.window_ms) / 1000));
    const metrics = {
      ...result.metrics,
      weights: {
        fraction_below_0_1_wmax: low / w.length,
        fraction_above_0_9_wmax: high / w.length,
        mean_mv: w.reduce((a, b) => a + b, 0) / w.length,
        histogram: { edges_mv: bins.map((_, k) => lo + ((hi - lo) * k) / 20), counts: bins },
      },
      output_rate_hz_per_window: rates,
      window_ms: st.window_ms,
    };
    // No figures of its own: the report's weights-hist-<projection> and rate figures draw the same data.
    return { ...result, metrics };
  },
};
