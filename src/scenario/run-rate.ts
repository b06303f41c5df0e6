/**
 * The `network` experiment in rate mode: builds the rate-coded twin (rate-network.ts), integrates
 * [0, duration_ms), and writes rates/<population>.csv (t_ms,rate_hz: population mean), rates/<population>.final.csv
 * (neuron,rate_hz) and weights/<projection>.csv for plastic projections, in the same folder layout as a spiking
 * run so the two can be compared (chronoprop compare).
 */
import { RateNetwork } from './rate-network.js';
import type { Scenario } from './schema.js';
import type { ExperimentContext, OutputFile, RunResult } from './experiment.js';
import { tableCsv } from './csv.js';
import { requireFinite, requireFiniteMetrics } from './finite.js';

export function simulateRateNetwork(sc: Scenario, ctx: ExperimentContext): { net: RateNetwork; result: RunResult } {
  const t0 = performance.now();
  const net = new RateNetwork(sc);
  const t1 = performance.now();
  net.run(sc.duration_ms, ctx.onProgress ? (now) => ctx.onProgress!(now, sc.duration_ms, 'ms') : undefined);
  const t2 = performance.now();
  const files: OutputFile[] = [];
  const populations: Record<string, unknown> = {};
  const times = Float64Array.from(net.recordTimes);
  for (const [name, pop] of net.pops) {
    const series = Float64Array.from(net.recordRates.get(name)!);
    requireFinite(series, `rate recorder ${name}: rate_hz`, (k) => `at t = ${times[k]} ms`);
    requireFinite(pop.r, `rate population ${name}: final rate`, (k) => `for neuron ${k}`);
    files.push({ path: `rates/${name}.csv`, data: tableCsv(['t_ms', 'rate_hz'], [times, series]) });
    const ids = Float64Array.from({ length: pop.size }, (_, i) => i);
    files.push({ path: `rates/${name}.final.csv`, data: tableCsv(['neuron', 'rate_hz'], [ids, pop.r.map((r) => r * 1e3)]) });
    let mean = 0;
    for (const r of series) mean += r / series.length;
    populations[name] = { neurons: pop.size, rate_hz: mean, final_rate_hz: series[series.length - 1] ?? 0 };
  }
  for (const pr of net.projections) {
    if (!pr.plasticity) continue;
    requireFinite(pr.weight, `final weights of projection ${pr.name}: weight_mv`, (k) => `for synapse ${pr.pre[k]} -> ${pr.post[k]}`);
    files.push({ path: `weights/${pr.name}.csv`, data: tableCsv(['pre', 'post', 'weight_mv'], [pr.pre, pr.post, pr.weight]) });
  }
  requireFiniteMetrics(populations, 'metrics.populations');
  return {
    net,
    result: {
      metrics: { mode: 'rate', populations },
      counts: { spikes: 0, synaptic_events: 0 },
      timing: { build_s: (t1 - t0) / 1e3, simulate_s: (t2 - t1) / 1e3 },
      files,
    },
  };
}
