/**
 * The library functions that need the registry, bound to it. The scenario layer below takes what it needs of the
 * registry as arguments (validation the experiment names, the runner the experiment itself); these pass the
 * registry's (registry.ts). index.ts exports them, and the command line uses them.
 */
import { experiments } from './registry.js';
import { ScenarioError } from './errors.js';
import { loadScenario as loadWith, type LoadOptions } from './scenario/load.js';
import { own, show, validateScenario as validateWith } from './scenario/validate.js';
import { runExperiment, type RunOptions, type RunSummary } from './scenario/runner.js';
import type { Scenario } from './scenario/schema.js';

const experimentNames: readonly string[] = Object.keys(experiments);

/** Reads, overrides and validates a scenario (a path, a built-in name or an object): the scenario exactly as it will run. */
export function loadScenario(ref: string | object, opts: Omit<LoadOptions, 'experiments'> = {}): Scenario {
  return loadWith(ref, { ...opts, experiments: experimentNames });
}

/** Parses and checks a scenario object; throws ScenarioError listing every problem found. */
export function validateScenario(input: unknown): Scenario {
  return validateWith(input, experimentNames);
}

/** Runs a validated scenario with its registered experiment and writes its results folder (scenario/runner.ts). */
export async function runScenario(sc: Scenario, out: string, ctx: RunOptions): Promise<RunSummary> {
  const experiment = own(experiments, sc.experiment);
  if (!experiment) throw new ScenarioError([`experiment must be one of ${experimentNames.join(', ')}, got ${show(sc.experiment)}`]);
  return runExperiment(experiment, sc, out, ctx);
}
