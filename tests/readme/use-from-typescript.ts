import { loadScenario, simulateNetwork, runScenario, Network } from 'chronoprop';

// A built-in scenario (or a .json/.yaml path), with the same overrides as the command line's --seed and --set.
const scenario = loadScenario('single-neuron', { seed: 7, set: ['duration_ms=100'] });

// Simulate in memory. Metrics are typed: one PopulationStats per population.
const { result } = simulateNetwork(scenario, { workers: 1 });
const input = result.metrics.populations.input;
console.log(`input: ${input.spikes} spikes, ${input.rate_hz} Hz`);

// Or build the network yourself, run it part of the way and look at its state (columns by variable, in mV, each
// neuron's value at its last update; toArray() copies a column out).
const net = new Network(scenario);
net.run(50);
const v = net.populations.get('neuron')!.group.state.v_mv;
console.log(`first 50 ms: ${net.spikeCount} spikes, v = ${v.get(0).toFixed(3)} mV`);

// Or write a results folder as `chronoprop run` does: CSV, NPY, spikes.h5, report.html and run.json.
const summary = await runScenario(scenario, 'results/single-neuron-seed7', { workers: 1 });
console.log(`report: ${summary.out}/report.html (scenario ${summary.runJson.scenario_sha256.slice(0, 12)})`);
