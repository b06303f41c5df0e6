/**
 * A projection's `plasticity` field: the rule and its parameters, as a scenario file gives them (zod schema; the
 * scenario schema, scenario/schema.ts, embeds it). It lives with the rules, below the scenario layer, so that the
 * rules, the STDP theory (analysis/) and the rate twin read one spec without importing scenario/.
 */
import { z } from 'zod';

// Bounds use gt/gte (not refine) so that the exported JSON Schema carries them too (scenario/json-schema.ts).
const finite = z.number();
const positive = z.number().gt(0, { message: 'must be > 0' });
const nonNegative = z.number().gte(0, { message: 'must be >= 0' });

export const plasticitySpec = z.strictObject({
  rule: z.literal('stdp'),
  a_plus: nonNegative,
  a_minus: nonNegative,
  tau_plus_ms: positive,
  tau_minus_ms: positive,
  pairing: z.enum(['all_to_all', 'nearest']).default('all_to_all'),
  weight_dependence: z.enum(['additive', 'multiplicative']).default('additive'),
  window: z.enum(['antisymmetric', 'symmetric']).default('antisymmetric'),
  sign: z.union([z.literal(1), z.literal(-1)]).default(1),
  w_min_mv: finite.default(0),
  w_max_mv: finite,
});

export type PlasticitySpec = z.output<typeof plasticitySpec>;
