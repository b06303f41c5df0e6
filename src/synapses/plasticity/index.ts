/** Plasticity rules by name; `attachPlasticity` wires one to a projection and to its target's spikes. */
import type { Projection } from '../projection.js';
import type { PlasticitySpec } from './spec.js';
import type { PlasticRule } from './rule.js';
import { StdpRule } from './stdp.js';

export const plasticityRules: Readonly<Record<string, (p: Projection, spec: PlasticitySpec) => PlasticRule>> = {
  stdp: (p, spec) => new StdpRule(p, spec),
};

export function attachPlasticity(p: Projection, spec: PlasticitySpec): PlasticRule {
  const rule = plasticityRules[spec.rule](p, spec);
  p.plasticity = rule;
  p.target.addListener(rule);
  return rule;
}
