/** A scenario with every neuron parameter explicit, so that the Python side (Brian2) repeats no chronoprop default. */
import { resolveParams } from '../../src/scenario/params.js';
import { neuronModels } from '../../models/index.js';
import type { Scenario } from '../../src/scenario/schema.js';

export function resolvedScenario(sc: Scenario): Scenario {
  const out = structuredClone(sc);
  for (const p of out.populations) {
    const model = neuronModels[p.model];
    if (model) p.params = resolveParams(model.params, p.params);
  }
  return out;
}
