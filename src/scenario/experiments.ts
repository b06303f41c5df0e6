/** Experiments by name (the scenario's `experiment` field). Each registers here with one line. */
import type { Experiment } from './experiment.js';
import { networkExperiment } from './run-network.js';
import { faDigitsExperiment } from '../learning/spiking/fa-digits.js';

export const experiments: Readonly<Record<string, Experiment>> = {
  network: networkExperiment,
  'fa-digits': faDigitsExperiment,
};
