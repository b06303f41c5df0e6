/**
 * `npm run bench`: CUBA (Brette et al. 2007 Benchmark 2) for 1 s of biological time, on one core.
 * Prints build and simulate wall time, spikes, delivered synaptic events and events per second.
 * A benchmark, never a test: run it on a quiet machine and record the figures in the README.
 */
import { loadScenario } from '../src/scenario/load.js';
import { simulateNetwork } from '../src/scenario/run-network.js';

const names = process.argv.slice(2).length ? process.argv.slice(2) : ['cuba'];
for (const name of names) {
  const sc = loadScenario(name);
  const { result } = simulateNetwork(sc, { workers: 1 });
  const { build_s, simulate_s } = result.timing;
  const ev = result.counts.synaptic_events;
  console.log(
    `${name}: build ${build_s.toFixed(3)} s, simulate ${simulate_s.toFixed(3)} s for ${sc.duration_ms} ms, ` +
      `${result.counts.spikes} spikes, ${ev} synaptic events, ${(ev / simulate_s / 1e6).toFixed(2)} M events/s`,
  );
}
