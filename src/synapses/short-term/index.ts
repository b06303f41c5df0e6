/**
 * Short-term plasticity rules by name (a projection's `short_term.rule`): each with a one-line summary, its spec
 * (spec.ts) and its constructor. `attachShortTerm` sets one on a projection, which then scales each delivery by the
 * rule's efficacy at that arrival (projection.ts).
 */
import type { z } from 'zod';
import type { Projection, ShortTermHook } from '../projection.js';
import { tsodyksMarkramSpec, type ShortTermSpec } from './spec.js';
import { TsodyksMarkram } from './tsodyks-markram.js';

export interface ShortTermRuleEntry {
  summary: string;
  spec: z.ZodObject;
  create(p: Projection, spec: ShortTermSpec): ShortTermHook;
}

export const shortTermRules: Readonly<Record<string, ShortTermRuleEntry>> = {
  tsodyks_markram: {
    summary: 'Tsodyks-Markram depression and facilitation: each delivery scaled by u x, evaluated exactly at arrivals',
    spec: tsodyksMarkramSpec,
    create: (p, spec) => new TsodyksMarkram(p.nGroups, spec),
  },
};

export function attachShortTerm(p: Projection, spec: ShortTermSpec): ShortTermHook {
  const rule = shortTermRules[spec.rule].create(p, spec);
  p.shortTerm = rule;
  return rule;
}
