/**
 * Neuron models by name. A model registers here with one line; the scenario's `model` field picks it. Model kinds
 * (`linear`) are built from the population's own fields (its equations) rather than looked up.
 */
import type { NeuronModel } from '../src/neurons/model.js';
import { lif } from './lif.js';
import { linearFromPopulation, linearKindDoc, type LinearPopulation } from './linear.js';
import { adaptiveLif } from './adaptive-lif.js';
import { alphaLif } from './alpha-lif.js';
import { twoCompartment } from './two-compartment.js';

export const neuronModels: Readonly<Record<string, NeuronModel>> = {
  [lif.name]: lif,
  [adaptiveLif.name]: adaptiveLif,
  [alphaLif.name]: alphaLif,
  [twoCompartment.name]: twoCompartment,
};

/** Model kinds: a model built from a population's fields. */
export const neuronModelKinds: Readonly<Record<string, (p: LinearPopulation) => NeuronModel>> = {
  linear: linearFromPopulation,
};

/** What a population of each kind gives, field by field (for the catalogue, src/scenario/catalogue.ts). */
export const neuronModelKindDocs: Readonly<Record<string, { summary: string; fields: Readonly<Record<string, string>> }>> = {
  linear: linearKindDoc,
};

/**
 * The model of a population: a kind built from its fields (may throw DefinitionError), or a registered model, or
 * undefined (a spike source, or an unknown name).
 */
export function neuronModelFor(p: LinearPopulation & { model: string }): NeuronModel | undefined {
  if (Object.hasOwn(neuronModelKinds, p.model)) return neuronModelKinds[p.model](p);
  return Object.hasOwn(neuronModels, p.model) ? neuronModels[p.model] : undefined;
}
