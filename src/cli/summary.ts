/** The one-screen summary printed after a run. */
import type { RunSummary } from '../scenario/runner.js';
import type { PopulationStats } from '../analysis/spike-stats.js';

export function printSummary(s: RunSummary, where: string): void {
  const { result, runJson } = s;
  const timing = runJson.timing;
  console.log(`chronoprop ${runJson.version}: ${runJson.name} (seed ${runJson.seed})`);
  const pops = (result.metrics.populations ?? {}) as Record<string, PopulationStats>;
  for (const [name, st] of Object.entries(pops)) {
    const cv = st.cv_isi == null ? '-' : st.cv_isi.toFixed(2);
    console.log(`  ${name.padEnd(12)} ${String(st.neurons).padStart(7)} neurons ${st.rate_hz.toFixed(2).padStart(9)} Hz   CV ${cv}`);
  }
  const ev = result.counts.synaptic_events;
  const rate = timing.simulate_s > 0 ? ` (${(ev / timing.simulate_s / 1e6).toFixed(2)} M/s)` : '';
  console.log(`  spikes ${result.counts.spikes}, synaptic events ${ev}${rate}`);
  console.log(`  build ${timing.build_s.toFixed(3)} s, simulate ${timing.simulate_s.toFixed(3)} s, total ${timing.total_s.toFixed(3)} s`);
  console.log(`  files${s.reported ? ' and report' : ''} ${s.output_s.toFixed(3)} s`);
  const parts = [...new Set([...(result.streamed ?? []), ...result.files].map((f) => f.path.replace(/\/.*$/, '/')))];
  if (result.spikes?.size) parts.push('spikes.h5');
  console.log(`results: ${where}/ (${s.reported ? 'report.html, ' : ''}run.json${parts.length ? ', ' + parts.join(', ') : ''})`);
}
