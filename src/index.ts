/** chronoprop's public API: re-exports only. */
export { Simulation, type EventReceiver } from './kernel/simulation.js';
export { EventQueue, Phase } from './kernel/event-queue.js';
export { createRng, RNG_ALGORITHM, type Rng } from './kernel/rng.js';
export { hzToPerMs, type Ms, type MV } from './kernel/units.js';
export type { NeuronModel, NeuronGroup, ParamSpec, Params } from './neurons/model.js';
export { Population } from './neurons/population.js';
export { PoissonSource, SpikeSource } from './neurons/sources.js';
export { Projection } from './synapses/projection.js';
export { StdpRule } from './synapses/plasticity/stdp.js';
export { neuronModels } from '../models/index.js';
export { Network } from './scenario/network.js';
export { loadScenario, listBuiltins } from './scenario/load.js';
export { validateScenario } from './scenario/validate.js';
export { ScenarioError } from './scenario/errors.js';
export { runScenario } from './scenario/runner.js';
export { simulateNetwork } from './scenario/run-network.js';
export type { Scenario, ScenarioInput } from './scenario/schema.js';
export { spikeStats } from './analysis/spike-stats.js';
