/**
 * Per-neuron parameters: every parameter of a model holds one number for the whole population or one value per
 * neuron (a Float64Array of `size`). How the values are drawn is the scenario's business (scenario/neuron-params.ts);
 * here they become a group:
 * - every parameter one number: the model's own group, model.create(size, params), exactly as before (the fast path:
 *   nothing per neuron is stored or looked up);
 * - otherwise the neurons are partitioned by their values and each part is a group of its own (PartitionedGroup).
 */
import type { NeuronGroup, NeuronModel, Params } from './model.js';
import { PartitionedGroup } from './partitioned-group.js';

/** One number per parameter, or one value per neuron. */
export type NeuronParams = Readonly<Record<string, number | Float64Array>>;

/** The names of the parameters that hold one value per neuron. */
export function perNeuronKeys(values: NeuronParams): string[] {
  return Object.keys(values).filter((k) => typeof values[k] !== 'number');
}

/** Neuron i's parameters. */
export function paramsOf(values: NeuronParams, i: number): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(values)) out[k] = typeof v === 'number' ? v : v[i];
  return out;
}

/**
 * The neurons grouped by their parameter values: part[i] for neuron i, parts numbered in order of first occurrence,
 * and first[g], the first neuron of part g (whose values stand for the part's).
 */
export function partitionByValues(values: NeuronParams, size: number): { part: Int32Array; first: number[] } {
  const varying = perNeuronKeys(values).map((k) => values[k] as Float64Array);
  const part = new Int32Array(size);
  const first: number[] = [];
  const index = new Map<string, number>();
  for (let i = 0; i < size; i++) {
    // Shortest round-trip strings: two values share a key only if they are the same double (0 and -0 aside).
    let key = '';
    for (const a of varying) key += `${a[i]},`;
    let g = index.get(key);
    if (g === undefined) {
      g = first.length;
      index.set(key, g);
      first.push(i);
    }
    part[i] = g;
  }
  return { part, first };
}

/** The group for `size` neurons of `model` with these parameter values (see the header). */
export function createGroup(model: NeuronModel, size: number, values: NeuronParams): NeuronGroup {
  for (const [k, v] of Object.entries(values)) {
    if (typeof v !== 'number' && v.length !== size) throw new Error(`parameter ${k} has ${v.length} values for ${size} neurons`);
  }
  if (perNeuronKeys(values).length === 0) return model.create(size, values as Params);
  const { part, first } = partitionByValues(values, size);
  if (first.length === 1) return model.create(size, paramsOf(values, 0));
  const count = new Int32Array(first.length);
  for (let i = 0; i < size; i++) count[part[i]]++;
  const parts = first.map((i, g) => model.create(count[g], paramsOf(values, i)));
  return new PartitionedGroup(size, part, parts);
}
