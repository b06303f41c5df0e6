/**
 * Plasticity rules by name (a projection's `plasticity.rule`): each with a one-line summary, its spec (spec.ts: fields
 * with units, defaults and meanings) and its constructor. `attachPlasticity` wires one to a projection and to its
 * target's spikes.
 */
import type { z } from 'zod';
import type { Projection } from '../projection.js';
import { stdpSpec, tripletStdpFields, type PlasticitySpec } from './spec.js';
import type { PlasticRule } from './rule.js';
import { StdpRule } from './stdp.js';
import { TripletStdpRule } from './triplet-stdp.js';

export interface PlasticityRuleEntry {
  summary: string;
  spec: z.ZodObject;
  create(p: Projection, spec: PlasticitySpec): PlasticRule;
}

export const plasticityRules: Readonly<Record<string, PlasticityRuleEntry>> = {
  stdp: {
    summary: 'Pair-based STDP with exponential windows, at exact spike times (traces; all-to-all or nearest pairing)',
    spec: stdpSpec,
    create: (p, spec) => new StdpRule(p, spec),
  },
  triplet_stdp: {
    summary: 'Triplet STDP (Pfister & Gerstner 2006), all-to-all or nearest, defaults fitted to visual cortex',
    spec: tripletStdpFields,
    create: (p, spec) => new TripletStdpRule(p, spec),
  },
};

export function attachPlasticity(p: Projection, spec: PlasticitySpec): PlasticRule {
  const rule = plasticityRules[spec.rule].create(p, spec);
  p.plasticity = rule;
  p.target.addListener(rule);
  return rule;
}
