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

/**
 * The triplet rule's parameters fitted to visual cortex data (Sjostrom et al. 2001) by Pfister & Gerstner 2006, full
 * model, one set per pairing scheme; amplitudes in the paper's relative units, here mV. With all-to-all pairing the fit
 * is insensitive to tau_x (the paper prints 101 ms in parentheses) and a2_plus is the fit's zero.
 */
export const VISUAL_CORTEX = {
  all_to_all: { a2_plus: 5e-10, a3_plus: 6.2e-3, a2_minus: 7e-3, a3_minus: 2.3e-4, tau_plus_ms: 16.8, tau_minus_ms: 33.7, tau_x_ms: 101, tau_y_ms: 125 },
  nearest: { a2_plus: 8.8e-11, a3_plus: 5.3e-2, a2_minus: 6.6e-3, a3_minus: 3.1e-3, tau_plus_ms: 16.8, tau_minus_ms: 33.7, tau_x_ms: 714, tau_y_ms: 40 },
} as const;

type Fitted = keyof (typeof VISUAL_CORTEX)['all_to_all'];
/** A fitted parameter: optional, its default the visual-cortex value for the rule's pairing (shown as `default_text`). */
const fitted = (base: z.ZodNumber, key: Fitted, unit: string, description: string) =>
  base.optional().meta({
    ...about(unit, description),
    default_text: VISUAL_CORTEX.all_to_all[key] === VISUAL_CORTEX.nearest[key]
      ? `${VISUAL_CORTEX.all_to_all[key]} (visual cortex fit)`
      : `${VISUAL_CORTEX.all_to_all[key]} all_to_all, ${VISUAL_CORTEX.nearest[key]} nearest (visual cortex fit)`,
  });

/** The triplet rule's fields as written (the catalogue lists these); tripletStdpSpec fills the fitted defaults. */
export const tripletStdpFields = z.strictObject({
  rule: z.literal('triplet_stdp'),
  pairing: z.enum(['all_to_all', 'nearest']).default('all_to_all').meta(about('', 'all_to_all (traces add 1) or nearest (traces reset to 1)')),
  a2_plus: fitted(nonNegative, 'a2_plus', 'mV', 'pair potentiation: pre then post'),
  a3_plus: fitted(nonNegative, 'a3_plus', 'mV', 'triplet potentiation: pre then post, after an earlier post'),
  a2_minus: fitted(nonNegative, 'a2_minus', 'mV', 'pair depression: post then pre'),
  a3_minus: fitted(nonNegative, 'a3_minus', 'mV', 'triplet depression: post then pre, after an earlier pre'),
  tau_plus_ms: fitted(positive, 'tau_plus_ms', 'ms', 'presynaptic pair trace r1'),
  tau_minus_ms: fitted(positive, 'tau_minus_ms', 'ms', 'postsynaptic pair trace o1'),
  tau_x_ms: fitted(positive, 'tau_x_ms', 'ms', 'presynaptic triplet trace r2'),
  tau_y_ms: fitted(positive, 'tau_y_ms', 'ms', 'postsynaptic triplet trace o2'),
  weight_dependence: weightDependence,
  w_min_mv: wMin,
  w_max_mv: wMax,
});

/**
 * A triplet spec as the rule reads it. The pair rule's own fields are declared absent, so that code written for them
 * (a_plus, window, sign: the learners, the rate twin) reads undefined on a triplet spec where it does not narrow on
 * `rule`, instead of failing to compile.
 */
export interface TripletStdpSpec {
  rule: 'triplet_stdp';
  pairing: 'all_to_all' | 'nearest';
  a2_plus: number;
  a3_plus: number;
  a2_minus: number;
  a3_minus: number;
  tau_plus_ms: number;
  tau_minus_ms: number;
  tau_x_ms: number;
  tau_y_ms: number;
  weight_dependence: 'additive' | 'multiplicative';
  w_min_mv: number;
  w_max_mv: number;
  a_plus?: undefined;
  a_minus?: undefined;
  window?: undefined;
  sign?: undefined;
}

/** The triplet rule's spec: the fields, with every fitted parameter not given taken from VISUAL_CORTEX. */
export const tripletStdpSpec = tripletStdpFields.transform((s): TripletStdpSpec => {
  const d = VISUAL_CORTEX[s.pairing];
  return {
    rule: s.rule,
    pairing: s.pairing,
    a2_plus: s.a2_plus ?? d.a2_plus,
    a3_plus: s.a3_plus ?? d.a3_plus,
    a2_minus: s.a2_minus ?? d.a2_minus,
    a3_minus: s.a3_minus ?? d.a3_minus,
    tau_plus_ms: s.tau_plus_ms ?? d.tau_plus_ms,
    tau_minus_ms: s.tau_minus_ms ?? d.tau_minus_ms,
    tau_x_ms: s.tau_x_ms ?? d.tau_x_ms,
    tau_y_ms: s.tau_y_ms ?? d.tau_y_ms,
    weight_dependence: s.weight_dependence,
    w_min_mv: s.w_min_mv,
    w_max_mv: s.w_max_mv,
  };
});

/** Every rule's spec, by `rule`. */
export const plasticitySpec = z.discriminatedUnion('rule', [stdpSpec, tripletStdpSpec]);

export type PlasticitySpec = z.output<typeof plasticitySpec>;
