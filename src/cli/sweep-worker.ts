/**
 * Worker threads' entry for sweeps (bundled as dist/sweep-worker.js; piscina calls the default export with one
 * job at a time): runs one run of a sweep with the registry's experiments. An entry point, like the command line,
 * so it may import the top of the tree (api.ts).
 */
import { runScenario, validateScenario } from '../api.js';
import { runPoint, type PointOutcome, type RunJob } from '../scenario/sweep/point.js';

export default function runSweepJob(job: RunJob): Promise<PointOutcome> {
  return runPoint(job, { validate: validateScenario, run: runScenario });
}
