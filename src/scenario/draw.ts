/**
 * One value drawn from a ValueSpec (a number, `{uniform: [lo, hi]}` or `{normal: [mean, sd]}`): per synapse for
 * weights and delays (network.ts), per neuron for model parameters (neuron-params.ts). A number draws nothing.
 */
import type { Rng } from '../kernel/rng.js';
import type { ValueSpec } from '../synapses/connect.js';

/**
 * A ValueSpec draw; normal draws are redrawn until they fall in [min, max] (a truncated normal; the bounds apply to
 * normal draws only, a uniform range is checked to lie within them when the scenario is validated).
 */
export function draw(spec: ValueSpec, rng: Rng, min = -Infinity, max = Infinity): number {
  if (typeof spec === 'number') return spec;
  if ('uniform' in spec) return spec.uniform[0] + (spec.uniform[1] - spec.uniform[0]) * rng.uniform();
  for (;;) {
    const x = spec.normal[0] + spec.normal[1] * rng.normal();
    if (x >= min && x <= max) return x;
  }
}
