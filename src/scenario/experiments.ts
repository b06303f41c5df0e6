/** Experiments by name (the scenario's `experiment` field). Each registers here with one line. */
import type { Experiment } from './experiment.js';
import { networkExperiment } from './run-network.js';
import { stdpWindowExperiment } from '../experiments/stdp-window.js';
import { song2000Experiment } from '../experiments/song2000.js';
import { derivativeFilterExperiment } from '../experiments/derivative-filter.js';
import { stdpConverseExperiment } from '../experiments/stdp-converse.js';
import { faDigitsExperiment } from '../learning/spiking/fa-digits.js';

export const experiments: Readonly<Record<string, Experiment>> = {
  network: networkExperiment,
  'stdp-window': stdpWindowExperiment,
  song2000: song2000Experiment,
  'derivative-filter': derivativeFilterExperiment,
  'stdp-converse': stdpConverseExperiment,
  'fa-digits': faDigitsExperiment,
};
