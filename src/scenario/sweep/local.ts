/**
 * Runs a sweep's jobs on this machine: a pool of worker threads (piscina), one run per thread at a time, each run
 * single-threaded, so a run's files do not depend on how many workers there are. The threads' entry is the bundled
 * dist/sweep-worker.js beside the running bundle (src/cli/sweep-worker.ts); without a bundle (tests run from
 * sources) or with one worker, jobs run in-process, one after another, through the handed-down `inProcess`.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants } from 'node:os';
import type { PointOutcome, RunJob } from './point.js';

export type JobRunner = (job: RunJob) => Promise<PointOutcome>;

/** The worker threads' entry, dist/sweep-worker.js beside the running bundle, or null when running from sources. */
export function sweepWorkerEntry(): string | null {
  if (import.meta.url.endsWith('.ts')) return null;
  const path = fileURLToPath(new URL('./sweep-worker.js', import.meta.url));
  return existsSync(path) ? path : null;
}

export interface ThreadPool {
  run: JobRunner;
  close(): Promise<void>;
}

/** A pool of `threads` worker threads running jobs, or in-process when there is no bundle. */
export async function makeThreadPool(threads: number, inProcess: JobRunner): Promise<ThreadPool> {
  const entry = sweepWorkerEntry();
  if (entry === null) {
    // One at a time: a simulation runs synchronously, and runs interleaved at their awaits would gain nothing.
    let last: Promise<unknown> = Promise.resolve();
    const run: JobRunner = (job) => {
      const p = last.then(() => inProcess(job));
      last = p.catch(() => {});
      return p;
    };
    return { run, close: async () => {} };
  }
  const { Piscina } = await import('piscina');
  const pool = new Piscina({ filename: entry, minThreads: threads, maxThreads: threads, idleTimeout: 60_000 });
  return { run: (job) => pool.run(job) as Promise<PointOutcome>, close: () => pool.destroy() };
}

/** Removes this process's partial run folders (a run's `<dir>.partial-<pid>`, `<dir>.old-<pid>`) under runs/. */
function removePartials(runsDir: string): void {
  let names: string[] = [];
  try {
    names = readdirSync(runsDir);
  } catch {
    return;
  }
  const mine = new RegExp(`\\.(partial|old)-${process.pid}$`);
  for (const n of names) if (mine.test(n)) rmSync(join(runsDir, n), { recursive: true, force: true });
}

/**
 * Runs the jobs with `workers` threads; resolves with each failed job's error by job index. On SIGINT or SIGTERM
 * the partial folders of runs in progress are removed and the process exits (130, 143); finished runs stay.
 */
export async function runLocal(
  jobs: RunJob[],
  opts: { workers: number; runsDir: string; inProcess: JobRunner; onDone?: (done: number, total: number) => void },
): Promise<Map<number, string>> {
  const errors = new Map<number, string>();
  let done = 0;
  const finish = (job: RunJob, o: PointOutcome) => {
    if (!o.ok) errors.set(job.index, o.error);
    opts.onDone?.(++done, jobs.length);
  };
  if (opts.workers <= 1 || jobs.length <= 1) {
    for (const job of jobs) finish(job, await opts.inProcess(job));
    return errors;
  }
  const pool = await makeThreadPool(Math.min(opts.workers, jobs.length), opts.inProcess);
  const onSignal = (sig: NodeJS.Signals) => {
    removePartials(opts.runsDir);
    if (process.listenerCount(sig) === 1) process.exit(128 + constants.signals[sig as 'SIGINT' | 'SIGTERM']);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await Promise.all(
      jobs.map((job) =>
        pool.run(job).then(
          (o) => finish(job, o),
          (e: unknown) => finish(job, { ok: false, badInput: false, error: (e as Error).message?.split('\n')[0] ?? String(e) }),
        ),
      ),
    );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await pool.close();
  }
  return errors;
}
