/**
 * The scenario file: one schema (zod) for its shape. Model parameters and cross-references (a projection's `to`
 * naming a population, a parameter a model does not have) are checked in validate.ts, which knows the registries.
 * `npm run schema` exports this schema as JSON Schema (scenario.schema.json) for editors.
 */
import { z } from 'zod';
import { plasticitySpec } from '../synapses/plasticity/spec.js';
import { shortTermSpec } from '../synapses/short-term/spec.js';

export type { PlasticitySpec } from '../synapses/plasticity/spec.js';
export type { ShortTermSpec } from '../synapses/short-term/spec.js';

// Bounds use gt/gte/lte (not refine) so that the exported JSON Schema (json-schema.ts) carries them too.
import { finite, positive, nonNegative, count, index, probability, populationSize } from '../schema-fields.js';
/** Population and projection names become file names, HDF5 groups and `--set` path segments. */
const identifier = z.string().regex(/^[A-Za-z0-9_-]+$/, { message: 'must be letters, digits, "_" or "-"' });

/** A value drawn per neuron or synapse: a number, uniform [lo, hi] or normal [mean, sd]. */
const uniformSpec = z.strictObject({ uniform: z.tuple([finite, finite]) });
const normalSpec = z.strictObject({ normal: z.tuple([finite, nonNegative]) });
export const valueSpec = z.union([finite, uniformSpec, normalSpec], { error: 'must be a number, {"uniform": [lo, hi]} or {"normal": [mean, sd]}' });

/**
 * A value given one per synapse (weight_mv, delay_ms) or one per neuron (init): a ValueSpec, or a list of one value
 * per synapse (for the connect rule `pairs`, in the order of its pairs) or per neuron. Lists are what
 * `chronoprop import --sonata` writes (scenario/sonata-import.ts): a network built elsewhere, edge by edge.
 */
export const perSynapseSpec = z.union([finite, uniformSpec, normalSpec, z.array(finite)], {
  error: 'must be a number, {"uniform": [lo, hi]}, {"normal": [mean, sd]} or a list of one value per synapse (connect rule pairs)',
});
export const perNeuronSpec = z.union([finite, uniformSpec, normalSpec, z.array(finite)], {
  error: 'must be a number, {"uniform": [lo, hi]}, {"normal": [mean, sd]} or a list of one value per neuron',
});

/**
 * A neuron model's parameter drawn per neuron (scenario/neuron-params.ts): uniform [lo, hi], or normal [mean, sd]
 * truncated to [min, max] (each optional). A number or a list of one number per neuron are the other forms a
 * parameter takes; population params stay an open record here because spike sources' params have their own shapes.
 */
export const PARAM_FORMS = 'must be a number, {"uniform": [lo, hi]}, {"normal": [mean, sd], "min": lo, "max": hi} or a list of one value per neuron';
export const paramDistribution = z.union(
  [
    z.strictObject({ uniform: z.tuple([finite, finite]) }),
    z.strictObject({ normal: z.tuple([finite, nonNegative]), min: finite.optional(), max: finite.optional() }),
  ],
  { error: PARAM_FORMS },
);

const connect = z.discriminatedUnion('rule', [
  z.strictObject({ rule: z.literal('all_to_all'), allow_autapses: z.boolean().optional() }),
  z.strictObject({ rule: z.literal('one_to_one') }),
  z.strictObject({ rule: z.literal('fixed_probability'), p: probability, allow_autapses: z.boolean().optional() }),
  z.strictObject({ rule: z.literal('fixed_indegree'), n: count, allow_autapses: z.boolean().optional() }),
  z.strictObject({
    rule: z.literal('receptive_field'), width: count, height: count, patch: z.tuple([count, count]), n: count.optional(),
    margin: z.number().int({ message: 'must be an integer' }).gte(0, { message: 'must be >= 0' }).optional(),
  }),
  z.strictObject({ rule: z.literal('pairs'), pre: z.array(index), post: z.array(index) }),
]);

/**
 * `from_sonata` on a population or projection (scenario/from-sonata.ts, docs/sonata.md): its nodes or edges read
 * from a SONATA circuit by the scenario loader, as `chronoprop import --sonata` would write them. `config` is a
 * SONATA folder, circuit config or simulation config, relative to the scenario file; `population` the node or
 * edge population's name in it (default: this entry's name). The loader writes the values read beside it and adds
 * `sha256` (each file read, relative to the scenario file, and its contents' SHA-256): that is the resolved form,
 * which run.json records and which is run as it stands, no file read.
 */
const fromSonataBase = {
  config: z.string().min(1),
  population: identifier.optional(),
  sha256: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/, { message: 'must be a SHA-256 in hex (64 digits 0-9a-f)' })).optional(),
};
/** One SONATA type id or a list of them (node_type_id, edge_type_id). */
const typeIds = z.union([index, z.array(index).min(1)], { error: 'must be a type id (an integer >= 0) or a list of them' });

/**
 * A population's: `node_type_id` takes only the nodes of those types (one SONATA population with exc and inh node
 * types as two chronoprop populations), re-indexed 0..k-1 in node id order.
 */
export const fromSonataNodes = z.strictObject({ ...fromSonataBase, node_type_id: typeIds.optional() });

/**
 * A projection's: `edge_type_id` takes only the edges of those types; `outside` says what becomes of an edge whose
 * source or target is not in the projection's `from` or `to` population (a node population split by node_type_id):
 * `refuse` (default) stops with one line, `drop` leaves it out (it belongs to another projection).
 */
export const fromSonataEdges = z.strictObject({ ...fromSonataBase, edge_type_id: typeIds.optional(), outside: z.enum(['refuse', 'drop']).optional() });

const population = z.strictObject({
  name: identifier,
  model: z.string().min(1),
  size: populationSize,
  params: z.record(z.string(), z.unknown()).default({}),
  init: z.record(z.string(), perNeuronSpec).default({}),
  // Model `linear` only (models/linear.ts): the model as equations.
  equations: z.array(z.string()).optional(),
  threshold: z.string().optional(),
  reset: z.array(z.string()).optional(),
  refractory_ms: nonNegative.optional(),
  receptors: z.record(z.string(), z.string()).optional(),
  /** Read from a SONATA circuit: model, size, params and init (fromSonataNodes). */
  from_sonata: fromSonataNodes.optional(),
});

const projection = z.strictObject({
  name: identifier,
  from: z.string().min(1),
  to: z.string().min(1),
  /** One of the target model's receptors (`exc`, `inh` for lif). */
  receptor: z.string().min(1),
  connect,
  weight_mv: perSynapseSpec,
  delay_ms: perSynapseSpec.default(0),
  plasticity: plasticitySpec.optional(),
  /** Short-term plasticity (synapses/short-term/): scales each delivery; combines with `plasticity`. */
  short_term: shortTermSpec.optional(),
  /** Read from a SONATA circuit: from, to, connect (its edges), receptor, weights, delays, plasticity (fromSonataEdges). */
  from_sonata: fromSonataEdges.optional(),
});

const stateRecord = z.strictObject({
  population: z.string().min(1),
  neurons: z.array(index).min(1),
  vars: z.array(z.string()).min(1),
  every_ms: positive.optional(),
  times_ms: z.array(nonNegative).optional(),
});

const weightRecord = z.strictObject({
  projection: z.string().min(1),
  every_ms: positive,
});

const record = z.strictObject({
  spikes: z.union([z.literal('all'), z.array(z.string())]).default('all'),
  state: z.array(stateRecord).default([]),
  weights: z.array(weightRecord).default([]),
});

export const scenarioSchema = z.strictObject({
  /** Editors' hint, e.g. "./scenario.schema.json"; ignored by chronoprop. */
  $schema: z.string().optional(),
  name: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, { message: 'must be letters, digits, ".", "_" or "-"' }),
  description: z.string().default(''),
  seed: z.number().int({ message: 'must be an integer' }),
  duration_ms: positive,
  mode: z.enum(['spiking', 'rate']).default('spiking'),
  /** The rate-coded twin's options (mode: rate). */
  rate: z
    .strictObject({
      dt_ms: positive.default(0.5),
      transfer: z.enum(['siegert', 'noise_free']).default('siegert'),
      plasticity_form: z.enum(['exact', 'first_order']).default('exact'),
      tau_rate_ms: positive.optional(),
      record_every_ms: positive.default(1),
    })
    .default({ dt_ms: 0.5, transfer: 'siegert', plasticity_form: 'exact', record_every_ms: 1 }),
  experiment: z.string().default('network'),
  /** Experiment-specific settings, checked by the experiment. */
  settings: z.record(z.string(), z.unknown()).default({}),
  /** Guards against runaway activity (scenario/runaway.ts, docs/limits.md); absent fields take their defaults. */
  limits: z
    .strictObject({
      /** Most events (spikes, threshold checks, inputs) per neuron per second of simulated time; default 1e6. */
      max_event_rate_hz: positive.optional(),
    })
    .optional(),
  populations: z.array(population).default([]),
  projections: z.array(projection).default([]),
  record: record.default({ spikes: 'all', state: [], weights: [] }),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
export type PopulationSpec = Scenario['populations'][number];
export type ProjectionSpec = Scenario['projections'][number];
export type ValueSpecT = z.output<typeof valueSpec>;
export type ListOrValueSpec = z.output<typeof perSynapseSpec>;
export type ParamDistribution = z.output<typeof paramDistribution>;
export type FromSonataNodes = z.output<typeof fromSonataNodes>;
export type FromSonataEdges = z.output<typeof fromSonataEdges>;
