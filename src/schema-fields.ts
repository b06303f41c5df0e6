/**
 * The numbers of scenario files as zod schemas, one shared set for the scenario schema (scenario/schema.ts), spike
 * sources (neurons/source-kinds.ts) and experiments' settings. Bounds are gt/gte/lte, never refine, so that the JSON
 * Schema exported from them (scenario/json-schema.ts) keeps every bound; messages are in the house form
 * ("must be > 0"). zod's number() already rejects NaN and +-Infinity; int() also keeps to safe integers. A leaf at the
 * bottom of the tree, so that any layer may use it.
 */
import { z } from 'zod';

export const finite = z.number();
export const positive = z.number().gt(0, { message: 'must be > 0' });
export const nonNegative = z.number().gte(0, { message: 'must be >= 0' });
export const integer = z.number().int({ message: 'must be an integer' });
export const count = integer.gt(0, { message: 'must be > 0' });
export const index = integer.gte(0, { message: 'must be >= 0' });
export const probability = z.number().gte(0, { message: 'must be in [0, 1]' }).lte(1, { message: 'must be in [0, 1]' });
/** Largest count a 32-bit index holds: neurons in a population, synapses in a projection. */
export const MAX_INDEX = 2 ** 31 - 1;
/** A population's size: neurons are indexed with 32-bit integers. */
export const populationSize = count.lte(MAX_INDEX, { message: `must be <= ${MAX_INDEX} (neuron indices are 32-bit)` });
