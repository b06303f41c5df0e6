/** Experiments by name (the scenario's `experiment` field). Each registers here with one line. */
import type { Experiment } from './experiment.js';
import { networkExperiment } from './run-network.js';
import { stdpWindowExperiment } from '../experiments/stdp-window.js';
import { song2000Experiment } from '../experiments/song2000.js';
import { derivativeFilterExperiment } from '../experiments/derivative-filter.js';
import { stdpConverseExperiment } from '../experiments/stdp-converse.js';
import { spikingDigitsExperiment } from '../learning/spiking/spiking-digits.js';

// Getters, not values: experiments import validate.ts (which checks a scenario's experiment name against this
// registry), so in some import orders this module is evaluated before an experiment's module has finished; a
// getter reads the experiment's live binding when it is used, by which time every module has been evaluated.
export const experiments: Readonly<Record<string, Experiment>> = {
  get network() { return networkExperiment; },
  get 'stdp-window'() { return stdpWindowExperiment; },
  get song2000() { return song2000Experiment; },
  get 'derivative-filter'() { return derivativeFilterExperiment; },
  get 'stdp-converse'() { return stdpConverseExperiment; },
  get 'spiking-digits'() { return spikingDigitsExperiment; },
};
