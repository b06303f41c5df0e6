/**
 * The library functions that need the registry, bound to it. The scenario layer below takes what it needs of the
 * registry as arguments (validation the experiment names, the runner the experiment itself); these pass the
 * registry's (registry.ts). index.ts exports them, and the command line uses them.
 */
import { experiments } from './registry.js';
import { ScenarioError } from './errors.js';
import { loadScenario as loadWith, loadScenarioAsync as loadAsyncWith, type LoadOptions } from './scenario/load.js';
import { own, show, validateScenario as validateWith } from './scenario/validate.js';
import { runExperiment, scenarioHash, type RunOptions, type RunSummary } from './scenario/runner.js';
import { findCheckpoint, readCheckpoint } from './scenario/checkpoint.js';
import { VERSION } from './version.js';
import { availableParallelism } from 'node:os';
import type { Scenario } from './scenario/schema.js';
import type { z } from 'zod';
import { parseSettings } from './scenario/settings.js';
import { scenarioJsonSchema as jsonSchemaWith, scenarioJsonSchemaText as jsonSchemaTextWith } from './scenario/json-schema.js';

/** Loads h5wasm once per process, so that loadScenario can read a scenario's `from_sonata` files synchronously. */
export { prepareSonata } from './scenario/from-sonata.js';

const experimentNames: readonly string[] = Object.keys(experiments);

/**
 * The scenario's experiment settings checked against the experiment's schema (the `network` experiment takes none),
 * then the experiment's own checks of the scenario as a whole:
 * the one validation path, for the library, the command line (run, validate) and sweeps alike.
 */
function withSettings(sc: Scenario): Scenario {
  const experiment = own(experiments, sc.experiment);
  if (experiment?.settings) parseSettings(experiment.settings, sc);
  const problems = experiment?.check?.(sc) ?? [];
  if (problems.length > 0) throw new ScenarioError(problems);
  return sc;
}

/**
 * Reads, overrides and validates a scenario (a path, a built-in name or an object), experiment settings included:
 * the scenario exactly as it will run. A scenario with `from_sonata` (docs/sonata.md) needs `await prepareSonata()`
 * once in the process first, or loadScenarioAsync.
 */
export function loadScenario(ref: string | object, opts: Omit<LoadOptions, 'experiments'> = {}): Scenario {
  return withSettings(loadWith(ref, { ...opts, experiments: experimentNames }));
}

/**
 * loadScenario for any scenario, from_sonata included: loads h5wasm first when the scenario reads SONATA files
 * (docs/sonata.md). loadScenario does the same once `await prepareSonata()` has run in the process.
 */
export async function loadScenarioAsync(ref: string | object, opts: Omit<LoadOptions, 'experiments'> = {}): Promise<Scenario> {
  return withSettings(await loadAsyncWith(ref, { ...opts, experiments: experimentNames }));
}

/** Parses and checks a scenario object, experiment settings included; throws ScenarioError listing every problem found. */
export function validateScenario(input: unknown): Scenario {
  return withSettings(validateWith(input, experimentNames));
}

/** The scenario file's JSON Schema, with each experiment's settings (scenario/json-schema.ts). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return jsonSchemaWith(settingsSchemas());
}

/** Its text, as scripts/export-schema.ts writes it to scenarios/scenario.schema.json. */
export function scenarioJsonSchemaText(): string {
  return jsonSchemaTextWith(settingsSchemas());
}

function settingsSchemas(): Record<string, z.ZodType> {
  return Object.fromEntries(Object.entries(experiments).flatMap(([name, e]) => (e.settings ? [[name, e.settings]] : [])));
}

/** Runs a validated scenario with its registered experiment and writes its results folder (scenario/runner.ts). */
export async function runScenario(sc: Scenario, out: string, ctx: RunOptions): Promise<RunSummary> {
  const experiment = own(experiments, sc.experiment);
  if (!experiment) throw new ScenarioError([`experiment must be one of ${experimentNames.join(', ')}, got ${show(sc.experiment)}`]);
  return runExperiment(experiment, sc, out, ctx);
}

/** What resumeRun may change about a run it continues; everything else is as the run was started. */
export interface ResumeOptions {
  /** Worker threads (results never depend on the number); default as the run was started, capped by the cores. */
  workers?: number;
  onProgress?: RunOptions['onProgress'];
  /** Recorded in run.json's provenance.resumed. */
  command?: string[];
}

/**
 * Continues a run from its last checkpoint (scenario/checkpoint.ts): `ref` is the results folder the run writes,
 * its `<out>.checkpoint/` folder, or the checkpoint file. The run goes on with the scenario, options and results
 * folder it was started with, and ends as the uninterrupted run would have (docs/checkpoint.md).
 */
export async function resumeRun(ref: string, opts: ResumeOptions = {}): Promise<RunSummary> {
  const file = findCheckpoint(ref);
  if (file === null) throw new ScenarioError([`no checkpoint at ${ref}: expected a results folder with a .checkpoint folder beside it, a .checkpoint folder, or its checkpoint.bin`]);
  const { header, state } = readCheckpoint(file);
  if (header.version !== VERSION) throw new ScenarioError([`checkpoint ${file} was written by chronoprop ${header.version}, this is ${VERSION}: resume it with that version`]);
  const sc = header.scenario; // the resolved scenario the run started with, as its hash confirms
  if (scenarioHash(sc) !== header.scenario_sha256) throw new ScenarioError([`checkpoint ${file} is damaged: its scenario does not match the SHA-256 in its header`]);
  const experiment = own(experiments, sc.experiment);
  if (!experiment) throw new ScenarioError([`experiment must be one of ${experimentNames.join(', ')}, got ${show(sc.experiment)}`]);
  const run = header.run;
  return runExperiment(experiment, sc, run.out, {
    workers: Math.min(opts.workers ?? run.workers, availableParallelism()),
    onProgress: opts.onProgress,
    command: run.command ?? undefined,
    report: run.report,
    replace: run.replace,
    maxMemory: run.max_memory ?? undefined,
    resume: { file, header, state, command: opts.command },
  });
}
