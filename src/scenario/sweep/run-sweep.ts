/**
 * A sweep from start to end, however its runs run: check the output folder (folder.ts), mark it with a sweep.json
 * listing every run as pending, run what is not done yet (a local pool, a queue, or one run of a Slurm array
 * task), then read every run's folder back into points.csv, sweep.json and the report. The table is read from the
 * run folders alone, so it is the same for 1 or N workers, the queue or Slurm.
 */
import { existsSync, mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ScenarioError } from '../errors.js';
import { writeSweepReport } from '../../report/sweep-report.js';
import type { Sweep, SweepRun } from './expand.js';
import { collectTable, folderSweepSha, isSweepFolder, pointsCsv, prepareSweepFolder, runIsDone, sweepJson, writeFileAtomically, type SweepProvenance, type SweepTable } from './folder.js';
import { runLocal, type JobRunner } from './local.js';
import { queueName, runOnQueue } from './queue.js';
import { slurmScript } from './slurm.js';
import type { RunJob } from './point.js';

export interface SweepOptions {
  out: string;
  force: boolean;
  /** Worker threads (local). */
  workers: number;
  /** Build each run's report.html. */
  report: boolean;
  /** redis://host:port: run on the queue instead of locally. */
  queue?: string;
  /** The queue's name on that Redis (queue.ts's queueName; its default without it). */
  queueName?: string;
  attach?: boolean;
  command: string[];
  /** Runs one job in this process (api.ts's runner bound to the registry); local.ts's pool uses it without a bundle. */
  inProcess: JobRunner;
  onProgress?: (done: number, total: number, unit: string) => void;
  /** Lines for the user (the queue says when it starts waiting). */
  log?: (line: string) => void;
}

export interface SweepOutcome {
  out: string;
  table: SweepTable;
  /** Runs that were to run (not done before). */
  ran: number;
  figures: string[];
}

export function jobOf(dir: string, r: SweepRun, report: boolean, command: string[]): RunJob {
  return { index: r.index, point: r.point, seed: r.seed, scenario: r.scenario, sha256: r.sha256, out: join(dir, r.run), report, command };
}

function provenance(o: { mode: string; workers: number | null; queue: string | null; queueName?: string | null; command: string[] }, started: string, finished: string | null): SweepProvenance {
  return { started_at: started, finished_at: finished, mode: o.mode, workers: o.workers, queue: o.queue, queue_name: o.queueName ?? null, command: o.command, node: process.version };
}

/** Writes sweep.json listing every run as pending (done ones as done), so the folder is known as this sweep's. */
function writePlan(dir: string, sweep: Sweep, prov: SweepProvenance): void {
  writeFileAtomically(join(dir, 'sweep.json'), sweepJson(sweep, collectTable(dir, sweep, new Map(), true), prov));
}

export async function runSweep(sweep: Sweep, o: SweepOptions): Promise<SweepOutcome> {
  if (o.attach && !o.queue) throw new ScenarioError(['--attach needs --queue redis://host:port']);
  const dir = resolve(o.out);
  prepareSweepFolder(dir, sweep, o.force);
  const started = new Date().toISOString();
  if (o.queueName !== undefined && !o.queue) throw new ScenarioError(['--queue-name needs --queue redis://host:port']);
  const how = { mode: o.queue ? 'queue' : 'local', workers: o.queue ? null : o.workers, queue: o.queue ?? null, queueName: o.queue ? queueName(o.queueName) : null, command: o.command };
  writePlan(dir, sweep, provenance(how, started, null));
  const jobs = sweep.runs.filter((r) => !runIsDone(join(dir, r.run), r.sha256)).map((r) => jobOf(dir, r, o.report, o.command));
  const onDone = (d: number, n: number) => o.onProgress?.(d, n, 'runs');
  const errors =
    jobs.length === 0
      ? new Map<number, string>()
      : o.queue
        ? await runOnQueue({ url: o.queue, name: o.queueName, jobs, attach: o.attach === true, onDone, log: o.log })
        : await runLocal(jobs, { workers: o.workers, runsDir: join(dir, 'runs'), inProcess: o.inProcess, onDone });
  const table = collectTable(dir, sweep, errors);
  writeFileAtomically(join(dir, 'points.csv'), pointsCsv(table));
  writeFileAtomically(join(dir, 'sweep.json'), sweepJson(sweep, table, provenance(how, started, new Date().toISOString())));
  const figures = await writeSweepReport(dir, table);
  return { out: dir, table, ran: jobs.length, figures };
}

/** `--emit slurm`: the folder, its sweep.json (every run pending) and sweep.sbatch; returns the script's path. */
export function emitSlurm(sweep: Sweep, o: { out: string; force: boolean; report: boolean; command: string[]; node: string; bin: string }): string {
  const dir = resolve(o.out);
  prepareSweepFolder(dir, sweep, o.force);
  mkdirSync(join(dir, 'slurm'), { recursive: true });
  writePlan(dir, sweep, provenance({ mode: 'slurm', workers: null, queue: null, command: o.command }, new Date().toISOString(), null));
  const path = join(dir, 'sweep.sbatch');
  const script = slurmScript({ name: sweep.name, node: o.node, bin: o.bin, sweepFile: resolve(sweep.file), out: dir, cwd: process.cwd(), runs: sweep.runs.length, report: o.report });
  writeFileSync(path, script);
  chmodSync(path, 0o755);
  return path;
}

/** One run of a sweep whose folder exists (a Slurm array task): its job, to run in this process. */
export function sweepPointJob(sweep: Sweep, o: { out: string; index: number; report: boolean; command: string[] }): RunJob {
  const dir = resolve(o.out);
  if (!existsSync(dir) || !isSweepFolder(dir) || folderSweepSha(dir) !== sweep.sha256) {
    const found = !existsSync(dir) ? 'nothing' : isSweepFolder(dir) ? "another sweep's folder" : 'another folder';
    throw new ScenarioError([`--out ${dir} must be this sweep's folder (written by chronoprop sweep --emit slurm), got ${found}`]);
  }
  const run = sweep.runs[o.index];
  if (!Number.isInteger(o.index) || !run) throw new ScenarioError([`--index must be an integer in [0, ${sweep.runs.length - 1}], got ${o.index}`]);
  return jobOf(dir, run, o.report, o.command);
}
