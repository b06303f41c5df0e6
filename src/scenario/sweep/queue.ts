/**
 * Sweeps across machines on BullMQ (Redis). `chronoprop sweep --queue redis://host:port` enqueues one job per run
 * on the queue `--queue-name` (DEFAULT_QUEUE_NAME without it), with the run's scenario hash as job id, and waits for
 * them; `chronoprop worker --queue` with the same `--queue-name` (any number, on any machines that see the same
 * output folder at the same path) takes jobs and writes each run's folder. Sweeps under different queue names on
 * one Redis do not mix: a worker takes jobs of its own queue only (BullMQ keeps each queue's keys apart). Because the id is the hash of the resolved scenario (its seed included), a resubmitted sweep adds
 * nothing for a run already queued or finished: BullMQ ignores a job whose id it holds.
 *
 * Limits, stated: a run that throws is tried RETRY_ATTEMPTS times in all (one second apart); a run whose worker dies
 * (its lock lapses) is put back STALL_LIMIT times; bad input is never retried. A worker runs jobs in worker threads,
 * so its own thread stays free to renew job locks while a simulation runs.
 */
import { cpSync, rmSync } from 'node:fs';
import { ScenarioError } from '../errors.js';
import { show } from '../validate.js';
import { buildAtomically } from '../runner.js';
import { resultsRule } from '../out-folder.js';
import { runIsDone } from './folder.js';
import { makeThreadPool, type JobRunner } from './local.js';
import type { RunJob } from './point.js';

export const DEFAULT_QUEUE_NAME = 'chronoprop-sweep';
export const RETRY_ATTEMPTS = 3;
export const STALL_LIMIT = 2;
const CONNECT_TIMEOUT_MS = 10_000;

export interface RedisConnection {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls?: object;
  maxRetriesPerRequest: null;
}

/** `redis://[user:password@]host:port[/db]` (or rediss:// for TLS) as connection options; bad input otherwise. */
export function redisConnection(url: string): RedisConnection {
  let u: URL | null = null;
  try {
    u = new URL(url);
  } catch {
    u = null;
  }
  const db = u && u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!u || (u.protocol !== 'redis:' && u.protocol !== 'rediss:') || !u.hostname || !Number.isInteger(db)) {
    throw new ScenarioError([`--queue must be redis://host:port (optionally /db), got ${show(url)}`]);
  }
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 6379,
    db,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

/** A queue name as given (`--queue-name`), checked: it becomes part of Redis keys, where BullMQ refuses ':'. */
export function queueName(name: string | undefined): string {
  if (name === undefined) return DEFAULT_QUEUE_NAME;
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(name)) throw new ScenarioError([`--queue-name must be 1-100 letters, digits, ".", "_" or "-", got ${show(name)}`]);
  return name;
}

/** Waits until a BullMQ client is connected, or throws naming the server and the last connection error. */
async function ready(client: { waitUntilReady(): Promise<unknown>; on(ev: 'error', f: (e: Error) => void): unknown }, url: string): Promise<void> {
  let last = 'no answer';
  client.on('error', (e: Error) => (last = e.message));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`cannot reach Redis at ${url} within ${CONNECT_TIMEOUT_MS / 1000} s (${last})`)), CONNECT_TIMEOUT_MS);
  });
  try {
    await Promise.race([client.waitUntilReady(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A copy of a run finished for another sweep folder (same scenario, same job id), put in place atomically. */
async function copyRun(from: string, to: string): Promise<void> {
  await buildAtomically(to, (tmp) => cpSync(from, tmp, { recursive: true }), resultsRule(true));
}

export interface QueueSweepOptions {
  url: string;
  /** The queue's name (queueName); DEFAULT_QUEUE_NAME without it. */
  name?: string;
  jobs: RunJob[];
  /** Only wait for jobs already queued (reattach); add or retry none. */
  attach: boolean;
  onDone?: (done: number, total: number) => void;
  /** Told once the runs are on the queue and the waiting begins. */
  log?: (line: string) => void;
  pollMs?: number;
}

/**
 * Enqueues the jobs (unless attaching), waits for all of them, and resolves with each failed job's error by job
 * index. A job that failed before is retried on resubmission; one finished for another folder is copied.
 */
/** Ctrl-C (or SIGTERM) while waiting stops the waiting, not the runs: they stay queued, and --attach waits again. */
function detach(sig: NodeJS.Signals): void {
  process.stderr.write(`\nstopped waiting; the runs stay on the queue: wait for them again with --attach\n`);
  process.exit(sig === 'SIGINT' ? 130 : 143);
}

export async function runOnQueue(o: QueueSweepOptions): Promise<Map<number, string>> {
  const { Queue } = await import('bullmq');
  const name = queueName(o.name);
  const queue = new Queue(name, { connection: redisConnection(o.url) });
  const where = `queue ${name} on ${o.url}`;
  const errors = new Map<number, string>();
  try {
    await ready(queue, o.url);
    for (const job of o.jobs) {
      const existing = await queue.getJob(job.sha256);
      const state = existing ? await existing.getState() : null;
      if (o.attach) {
        if (!existing) errors.set(job.index, `not on ${where} (submit the sweep without --attach)`);
      } else if (!existing) {
        await queue.add('run', job, { jobId: job.sha256, attempts: RETRY_ATTEMPTS, backoff: { type: 'fixed', delay: 1000 }, removeOnComplete: false, removeOnFail: false });
      } else if (state === 'failed') {
        await existing.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      } else if (state === 'completed' && (existing.data as RunJob).out === job.out && !runIsDone(job.out, job.sha256)) {
        // Finished here before, but its folder is gone: run it again.
        await existing.remove();
        await queue.add('run', job, { jobId: job.sha256, attempts: RETRY_ATTEMPTS, backoff: { type: 'fixed', delay: 1000 }, removeOnComplete: false, removeOnFail: false });
      }
    }
    process.on('SIGINT', detach);
    process.on('SIGTERM', detach);
    o.log?.(`${o.attach ? 'attached to' : 'submitted'} ${o.jobs.length} runs on ${where}; waiting (Ctrl-C stops waiting, the runs stay queued: wait again with --attach)`);
    const pending = new Set(o.jobs.filter((j) => !errors.has(j.index)));
    let done = o.jobs.length - pending.size;
    o.onDone?.(done, o.jobs.length);
    while (pending.size > 0) {
      for (const job of [...pending].slice(0, 500)) {
        const j = await queue.getJob(job.sha256);
        const state = j ? await j.getState() : 'missing';
        if (state === 'completed') {
          const from = (j!.data as RunJob).out;
          let problem: string | null = null;
          if (from !== job.out && !runIsDone(job.out, job.sha256) && runIsDone(from, job.sha256)) {
            problem = await copyRun(from, job.out).then(
              () => null,
              (e: unknown) => (e instanceof ScenarioError ? e.problems.join('; ') : (e as Error).message),
            );
          }
          if (problem === null && !runIsDone(job.out, job.sha256)) problem = `finished on the queue, but ${job.out} does not hold its results (is the output folder shared by the workers?)`;
          if (problem !== null) errors.set(job.index, problem);
        } else if (state === 'failed') {
          errors.set(job.index, j!.failedReason || 'failed on the queue');
        } else if (state === 'missing') {
          errors.set(job.index, `removed from ${where} before it finished`);
        } else {
          continue;
        }
        pending.delete(job);
        o.onDone?.(++done, o.jobs.length);
      }
      if (pending.size > 0) await sleep(o.pollMs ?? 500);
    }
  } finally {
    process.off('SIGINT', detach);
    process.off('SIGTERM', detach);
    await queue.close();
  }
  return errors;
}

export interface QueueWorkerOptions {
  url: string;
  /** The queue's name (queueName); DEFAULT_QUEUE_NAME without it. */
  name?: string;
  /** Jobs at once (worker threads). */
  threads: number;
  /** Job lock duration; a dead worker's job is put back within about 1.5 times this. */
  lockMs: number;
  inProcess: JobRunner;
  /** One line per event (took, finished, failed). */
  log: (line: string) => void;
}

/** Takes jobs until SIGINT or SIGTERM (it finishes none then: an unfinished job is put back once its lock lapses). */
export async function runQueueWorker(o: QueueWorkerOptions): Promise<void> {
  const { Worker, UnrecoverableError } = await import('bullmq');
  const pool = await makeThreadPool(o.threads, o.inProcess);
  const active = new Set<string>();
  const name = queueName(o.name);
  const worker = new Worker(
    name,
    async (job) => {
      const data = job.data as RunJob;
      const name = `${data.point}-s${data.seed}`;
      o.log(`start ${job.id} ${name} attempt ${job.attemptsMade + 1}`);
      active.add(data.out);
      const r = await pool.run(data).finally(() => active.delete(data.out));
      if (!r.ok) {
        o.log(`failed ${job.id} ${name}: ${r.error}`);
        throw r.badInput ? new UnrecoverableError(r.error) : new Error(r.error);
      }
      o.log(`${r.skipped ? 'already done' : 'done'} ${job.id} ${name}`);
      return { out: data.out };
    },
    {
      connection: redisConnection(o.url),
      concurrency: o.threads,
      lockDuration: o.lockMs,
      stalledInterval: Math.min(30_000, o.lockMs),
      maxStalledCount: STALL_LIMIT,
      autorun: false,
    },
  );
  await ready(worker, o.url);
  o.log(`worker ${process.pid} on ${o.url} (queue ${name}, ${o.threads} thread${o.threads === 1 ? '' : 's'})`);
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  void worker.run();
  await stopped;
  await worker.close(true);
  await pool.close();
  // Runs cut short in the threads leave their temporary folders (runner.ts's `<dir>.partial-<pid>`): remove them.
  for (const out of active) for (const tmp of [`${out}.partial-${process.pid}`, `${out}.old-${process.pid}`]) rmSync(tmp, { recursive: true, force: true });
}
