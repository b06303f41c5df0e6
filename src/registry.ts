/**
 * The registry: what chronoprop knows by name, in one place at the top of the tree. The command line
 * (cli/main.ts), the library entry (index.ts, through api.ts) and the worker threads' entry (parallel/worker.ts)
 * import it; nothing below them does. Lower layers are handed what they need of it instead: validation the
 * experiment names, the runner the experiment, the worker pool the chunk function. Each entry registers here with
 * one line (neuron models in models/index.ts, spike sources in neurons/source-kinds.ts and plasticity rules in
 * synapses/plasticity/index.ts, which sit below the scenario layer that uses them).
 */
import type { Experiment } from './scenario/experiment.js';
import type { ChunkFunction } from './parallel/pool.js';
import { networkExperiment } from './scenario/run-network.js';
import { stdpWindowExperiment } from './experiments/stdp-window.js';
import { song2000Experiment } from './experiments/song2000.js';
import { derivativeFilterExperiment } from './experiments/derivative-filter.js';
import { stdpConverseExperiment } from './experiments/stdp-converse.js';
import { spikingDigitsExperiment } from './learning/spiking/spiking-digits.js';
import { recirculationExperiment } from './experiments/recirculation.js';
import { nudgeDeltasExperiment } from './experiments/nudge-deltas.js';
import { twoPassExperiment } from './experiments/two-pass.js';
import { derivativeFilterChunk } from './experiments/derivative-filter-chunk.js';
import { faTestChunk } from './learning/spiking/fa-test-chunk.js';
import { partitionChunk } from './scenario/threads.js';

import { neuronModels, neuronModelKindDocs } from '../models/index.js';
import { sourceKinds } from './neurons/source-kinds.js';
import { plasticityRules } from './synapses/plasticity/index.js';
import { shortTermRules } from './synapses/short-term/index.js';
import type { Registries } from './scenario/catalogue.js';

export { neuronModels, sourceKinds, plasticityRules, shortTermRules };

/** What `chronoprop models` and docs/models-table.md list (scenario/catalogue.ts). */
export const catalogueRegistries: Registries = {
  neuronModels,
  neuronModelKinds: neuronModelKindDocs,
  sourceKinds,
  plasticityRules,
  shortTermRules,
};

/** Experiments by name (the scenario's `experiment` field). */
export const experiments: Readonly<Record<string, Experiment>> = {
  network: networkExperiment,
  'stdp-window': stdpWindowExperiment,
  song2000: song2000Experiment,
  'derivative-filter': derivativeFilterExperiment,
  'stdp-converse': stdpConverseExperiment,
  'spiking-digits': spikingDigitsExperiment,
  recirculation: recirculationExperiment,
  'nudge-deltas': nudgeDeltasExperiment,
  'two-pass': twoPassExperiment,
};

/** Chunk functions by name, for the worker threads (parallel/worker.ts): the names runChunks sends them. */
export const chunkFunctions: Readonly<Record<string, ChunkFunction>> = {
  [derivativeFilterChunk.name]: derivativeFilterChunk,
  [faTestChunk.name]: faTestChunk,
  [partitionChunk.name]: partitionChunk,
};
