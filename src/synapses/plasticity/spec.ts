/**
 * A projection's `plasticity` field: the rule and its parameters, as a scenario file gives them (zod schemas, one per
 * rule, told apart by `rule`; the scenario schema, scenario/schema.ts, embeds them). Each field carries its unit and
 * meaning (`.meta`), which `chronoprop models`, the generated docs/models-table.md and the JSON Schema show. The specs
 * live with the rules, below the scenario layer, so that the rules, the STDP theory (analysis/) and the rate twin read
 * one spec without importing scenario/.
 */
import { z } from 'zod';

// Bounds use gt/gte (not refine) so that the exported JSON Schema carries them too (scenario/json-schema.ts).
const finite = z.number();
const positive = z.number().gt(0, { message: 'must be > 0' });
const nonNegative = z.number().gte(0, { message: 'must be >= 0' });

/** A field's unit and meaning, for the catalogue (scenario/catalogue.ts) and the JSON Schema. */
export const about = (unit: string, description: string) => ({ unit, description });

/** Fields shared by the STDP rules, in the order the pair rule has always had them (a resolved scenario's text and
 * hash follow the order of the fields). */
const weightDependence = z.enum(['additive', 'multiplicative']).default('additive')
  .meta(about('', 'additive (F = 1) or multiplicative (soft bounds)'));
const wMin = finite.default(0).meta(about('mV', 'lower weight bound'));
const wMax = finite.meta(about('mV', 'upper weight bound'));

export const stdpSpec = z.strictObject({
  rule: z.literal('stdp'),
  a_plus: nonNegative.meta(about('mV', 'causal (pre before post) amplitude')),
  a_minus: nonNegative.meta(about('mV', 'acausal (post before pre) amplitude')),
  tau_plus_ms: positive.meta(about('ms', 'causal window time constant')),
  tau_minus_ms: positive.meta(about('ms', 'acausal window time constant')),
  pairing: z.enum(['all_to_all', 'nearest']).default('all_to_all').meta(about('', 'all_to_all (traces add 1) or nearest (traces reset to 1)')),
  weight_dependence: weightDependence,
  window: z.enum(['antisymmetric', 'symmetric']).default('antisymmetric').meta(about('', 'antisymmetric (STDP) or symmetric (Hebbian)')),
  sign: z.union([z.literal(1), z.literal(-1)]).default(1).meta(about('', '+1, or -1 for the reversed (anti-STDP) rule')),
  w_min_mv: wMin,
  w_max_mv: wMax,
});

export type StdpSpec = z.output<typeof stdpSpec>;

/** Every rule's spec, by `rule`. */
export const plasticitySpec = z.discriminatedUnion('rule', [stdpSpec]);

export type PlasticitySpec = z.output<typeof plasticitySpec>;
