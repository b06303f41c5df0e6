/**
 * The sweep commands of the command line: `sweep` (a local pool, a queue, or `--emit slurm`), `worker` (takes
 * queued runs) and the hidden `sweep-point` (one run, for a Slurm array task). A thin shell over
 * scenario/sweep/, handing down the registry-bound loader and runner (api.ts).
 */
import { Command, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { relative, resolve } from 'node:path';
import { loadScenario, prepareSonata, runScenario, validateScenario } from '../api.js';
import { readSweep } from '../scenario/sweep/expand.js';
import { runPoint, type RunJob } from '../scenario/sweep/point.js';
import { emitSlurm, runSweep, sweepPointJob } from '../scenario/sweep/run-sweep.js';
import { DEFAULT_QUEUE_NAME, RETRY_ATTEMPTS, STALL_LIMIT, queueName, redisConnection, runQueueWorker } from '../scenario/sweep/queue.js';
import { ScenarioError } from '../scenario/errors.js';
import { makeProgress } from './progress.js';

const inProcess = (job: RunJob) => runPoint(job, { validate: validateScenario, run: runScenario });
// Synchronous, once per point: h5wasm is loaded before the sweep is read (prepareSonata), for scenarios with from_sonata.
const load = (ref: string, opts: { seed?: number; set?: string[] }) => loadScenario(ref, opts);
const here = (p: string) => relative(process.cwd(), p) || '.';

function int(name: string, min: number) {
  return (v: string) => {
    if (!/^-?\d+$/.test(v) || Number(v) < min) throw new ScenarioError([`${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`]);
    return Number(v);
  };
}

interface SweepCliOptions {
  out?: string;
  force?: boolean;
  workers: number;
  queue?: string;
  queueName?: string;
  attach?: boolean;
  emit?: string;
  report: boolean;
  quiet?: boolean;
}

export function registerSweepCommands(program: Command): void {
  program
    .command('sweep')
    .description('run a scenario over parameter points and seeds (a sweep file, JSON or YAML; see docs/sweep.md)')
    .argument('<sweep-file>', 'sweep file: scenario, seeds, set, grid, zip')
    .option('-o, --out <dir>', 'sweep folder (default: results/sweep-<sweep name>); the same sweep there is resumed')
    .option('--force', "replace a previous sweep's folder at the output path and rerun everything")
    .addOption(new Option('--workers <n>', 'worker threads, one run each').argParser(int('--workers', 1)).default(availableParallelism()))
    .option('--queue <url>', 'run on BullMQ at redis://host:port, where `chronoprop worker` processes take the runs')
    .option('--queue-name <name>', `with --queue: the queue's name, so that sweeps on one Redis do not mix (default ${DEFAULT_QUEUE_NAME}); workers take the same`)
    .option('--attach', 'with --queue: wait for a sweep submitted before, submitting nothing')
    .addOption(new Option('--emit <kind>', 'write a batch script instead of running').choices(['slurm']))
    .option('--no-report', "skip each run's report.html (the sweep's report is always written)")
    .option('-q, --quiet', 'no progress bar and no summary')
    .action(async (file: string, o: SweepCliOptions) => {
      if (o.queue) redisConnection(o.queue); // a bad URL is bad input, found before anything is written
      if (o.attach && !o.queue) throw new ScenarioError(['--attach needs --queue redis://host:port']);
      if (o.queueName !== undefined && !o.queue) throw new ScenarioError(['--queue-name needs --queue redis://host:port']);
      queueName(o.queueName);
      await prepareSonata();
      const sweep = readSweep(file, load);
      const out = o.out ?? `results/sweep-${sweep.name}`;
      const command = process.argv.slice(2);
      if (o.emit === 'slurm') {
        const path = emitSlurm(sweep, { out, force: o.force === true, report: o.report, command, node: process.execPath, bin: resolve(process.argv[1]) });
        if (!o.quiet) console.log(`${here(path)}: ${sweep.runs.length} array tasks; submit with: sbatch ${here(path)}`);
        return;
      }
      const progress = makeProgress(!o.quiet && process.stderr.isTTY === true);
      process.once('exit', progress.stop);
      const r = await runSweep(sweep, {
        out, force: o.force === true, workers: o.workers, report: o.report, queue: o.queue, queueName: o.queueName, attach: o.attach, command, inProcess,
        onProgress: progress.update,
        log: o.quiet ? undefined : (line) => console.error(line),
      });
      progress.stop();
      const failed = r.table.rows.filter((row) => row.status === 'failed');
      for (const row of failed) console.error(`error: ${row.run} failed: ${row.error}`);
      if (!o.quiet) {
        const done = r.table.rows.length - failed.length;
        console.log(`${here(r.out)}: ${r.table.rows.length} runs (${done} done, ${failed.length} failed; ${r.table.rows.length - r.ran} were done before) · points.csv, sweep.json, report.html`);
      }
      if (failed.length > 0) process.exitCode = 1;
    });

  program
    .command('worker')
    .description(`take sweep runs from a BullMQ queue until stopped (Ctrl-C); a failing run is tried ${RETRY_ATTEMPTS} times, a run lost with its worker requeued ${STALL_LIMIT} times`)
    .requiredOption('--queue <url>', 'redis://host:port')
    .option('--queue-name <name>', `the queue's name, as the sweep's --queue-name (default ${DEFAULT_QUEUE_NAME})`)
    .addOption(new Option('--workers <n>', 'runs at once (worker threads)').argParser(int('--workers', 1)).default(1))
    .addOption(new Option('--lock-ms <ms>', 'job lock duration: a dead worker\'s run is taken up again after about 1.5 times this').argParser(int('--lock-ms', 1000)).default(30_000))
    .action(async (o: { queue: string; queueName?: string; workers: number; lockMs: number }) => {
      redisConnection(o.queue);
      queueName(o.queueName);
      await runQueueWorker({ url: o.queue, name: o.queueName, threads: o.workers, lockMs: o.lockMs, inProcess, log: (line) => console.log(line) });
    });

  program
    .command('sweep-point', { hidden: true })
    .description('run one run of a sweep into its folder (a Slurm array task; see --emit slurm)')
    .argument('<sweep-file>')
    .requiredOption('-o, --out <dir>', 'the sweep folder')
    .requiredOption('--index <k>', 'the run, 0-based', int('--index', 0))
    .option('--no-report', "skip the run's report.html")
    .action(async (file: string, o: { out: string; index: number; report: boolean }) => {
      await prepareSonata();
      const sweep = readSweep(file, load);
      const job = sweepPointJob(sweep, { out: o.out, index: o.index, report: o.report, command: process.argv.slice(2) });
      const r = await inProcess(job);
      if (!r.ok) {
        if (r.badInput) throw new ScenarioError([`${job.point}-s${job.seed}: ${r.error}`]);
        console.error(`error: ${job.point}-s${job.seed} failed: ${r.error}`);
        process.exitCode = 1;
      } else {
        console.log(`${here(job.out)}: ${r.skipped ? 'done before' : 'done'}`);
      }
    });
}
