/** Neuron models by name. A model registers here with one line; the scenario's `model` field picks it. */
import type { NeuronModel } from '../src/neurons/model.js';
import { lif } from './lif.js';

export const neuronModels: Readonly<Record<string, NeuronModel>> = {
  [lif.name]: lif,
};
