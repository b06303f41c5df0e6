/**
 * One run of a sweep, wherever it runs (in-process, a worker thread, a queue worker, a Slurm array task): a job
 * carries the resolved scenario itself and its hash, so a worker on another machine needs no file but the shared
 * output folder. A run whose folder already holds this scenario's results is not run again.
 */
import type { Scenario } from '../schema.js';
import type { RunOptions, RunSummary } from '../runner.js';
import { scenarioHash } from '../runner.js';
import { runIsDone } from './folder.js';
import { ScenarioError } from '../errors.js';

export interface RunJob {
  index: number;
  point: string;
  seed: number;
  /** The resolved scenario (as the sweep resolved it). */
  scenario: Scenario;
  /** Its SHA-256: the job id on a queue, and run.json's scenario_sha256. */
  sha256: string;
  /** The run's folder, absolute. */
  out: string;
  /** Build the run's report.html. */
  report: boolean;
  command: string[];
}

/** What runs a job needs from above: validation and the runner, bound to the registry (api.ts). */
export interface PointDeps {
  validate(input: unknown): Scenario;
  run(sc: Scenario, out: string, ctx: RunOptions): Promise<RunSummary>;
}

/** What a worker thread sends back: bad input is told apart from other failures (a queue does not retry it). */
export type PointOutcome = { ok: true; skipped: boolean } | { ok: false; badInput: boolean; error: string };

export async function runPoint(job: RunJob, deps: PointDeps): Promise<PointOutcome> {
  try {
    if (runIsDone(job.out, job.sha256)) return { ok: true, skipped: true };
    const sc = deps.validate(job.scenario);
    const sha = scenarioHash(sc);
    if (sha !== job.sha256) {
      // E.g. a worker of another chronoprop version filling in other defaults: its results would not be this run's.
      return { ok: false, badInput: true, error: `this worker resolves the scenario to ${sha.slice(0, 12)}, not ${job.sha256.slice(0, 12)} (another chronoprop version?)` };
    }
    await deps.run(sc, job.out, { workers: 1, report: job.report, replace: true, command: job.command });
    return { ok: true, skipped: false };
  } catch (e) {
    if (e instanceof ScenarioError) return { ok: false, badInput: true, error: e.problems.join('; ') };
    return { ok: false, badInput: false, error: (e as Error).message?.split('\n')[0] ?? String(e) };
  }
}
