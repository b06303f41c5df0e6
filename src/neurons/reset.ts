/**
 * Resets a population between independent trials (e.g. one image after another) without rebuilding the network:
 * at time t, every neuron is advanced to t, its state variables are set to the given values (e.g. v_mv = resting
 * potential, synaptic currents 0), and its next threshold crossing is predicted afresh from that state
 * (`Population.start`, which supersedes any crossing already queued by bumping its version stamp). The refractory
 * clock is left as it is. Inputs already in flight (axonal delays) still arrive: silence the sources and let them
 * drain first, or use zero delays.
 */
import type { Population } from './population.js';

export function resetPopulation(pop: Population, t: number, values: Readonly<Record<string, number>>): void {
  const { group } = pop;
  const entries = Object.entries(values);
  for (const [name] of entries) {
    if (!(name in group.state)) throw new Error(`resetPopulation: ${pop.name} has no state variable ${name} (known: ${Object.keys(group.state).join(', ')})`);
  }
  for (let i = 0; i < pop.size; i++) {
    group.advance(i, t);
    for (const [name, v] of entries) group.state[name].set(i, v);
  }
  pop.start(t);
}
