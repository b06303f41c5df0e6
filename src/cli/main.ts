/**
 * The `chronoprop` command line: a thin shell over the library. Exit codes: 0 done, 2 bad input (a bad scenario,
 * option or folder: one `error:` line per problem, nothing written), 1 anything else.
 */
import { Command, CommanderError, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { relative, resolve, basename, dirname } from 'node:path';
import { existsSync } from 'node:fs';
import { compareRuns, comparisonMarkdown, writeComparison } from '../scenario/compare.js';
import { listBuiltins } from '../scenario/load.js';
import { loadScenarioAsync, resumeRun, runScenario } from '../api.js';
import { ScenarioError } from '../scenario/errors.js';
import { abandonReport, buildReport } from '../report/build-report.js';
import { cleanUpIfInterrupted } from '../scenario/interrupt.js';
import { VERSION } from '../version.js';
import { makeProgress } from './progress.js';
import { printSummary } from './summary.js';
import { exitOnError } from './exit.js';
import { catalogueRegistries } from '../registry.js';
import { catalogue, catalogueText } from '../scenario/catalogue.js';
import { registerSweepCommands } from './sweep.js';
import { registerExportCommand } from './export.js';
import { registerImportCommand } from './import.js';
import { checkMemory, parseBudget } from '../scenario/budget.js';
import { alive, cleanLeftovers } from '../scenario/out-folder.js';
import { cleanCheckpointLeftovers, findCheckpoint, finishedRun, parseCheckpointEvery, readCheckpointRun, removeCheckpoint } from '../scenario/checkpoint.js';

/** --max-memory, checked as it is parsed. */
const budgetArg = (v: string) => (parseBudget(v), v);
const collect = (v: string, prev: string[] = []) => [...prev, v];
const int = (name: string, min?: number) => (v: string) => {
  if (!/^-?\d+$/.test(v)) throw new ScenarioError([`${name} must be an integer, got ${JSON.stringify(v)}`]);
  if (min !== undefined && Number(v) < min) throw new ScenarioError([`${name} must be >= ${min}, got ${v}`]);
  return Number(v);
};

const program = new Command('chronoprop')
  .description('Event-driven spiking simulator: exact integrate-and-fire neurons, exact-time STDP')
  .version(VERSION)
  .exitOverride()
  .showHelpAfterError('(add --help for usage)')
  .addHelpText(
    'after',
    `
Examples:
  chronoprop list                              the built-in scenarios
  chronoprop models                            neuron models and synapse rules: parameters, units, defaults
  chronoprop run cuba                          results/cuba/: report.html, run.json, CSV, NPY, spikes.h5
  chronoprop run cuba --force                  the same, replacing the results/cuba/ of a previous run
  chronoprop run cuba-stdp --checkpoint-every 200ms   state saved to results/cuba-stdp.checkpoint/ as it runs
  chronoprop resume results/cuba-stdp          continue that run, if it was killed, from its last checkpoint
  chronoprop run my.yaml --seed 2 --set duration_ms=500 --set populations.exc.size=100 -o results/try
  chronoprop validate my.yaml                  check a scenario; every problem on its own line
  chronoprop report results/cuba               rebuild report.html and figures/ from the files
  chronoprop sweep sweep.yaml -o results/sw    runs over parameters and seeds: points.csv, sweep.json, report.html`,
  );

program
  .command('run')
  .description('run a scenario (a .json/.yaml file or a built-in name) and write its results folder')
  .argument('<scenario>', 'scenario file or built-in name (see: chronoprop list)')
  .option('-o, --out <dir>', 'results folder (default: results/<scenario name>, or results/<scenario name>-rate for --mode rate)')
  .option('--force', 'replace a previous results folder at the output path (anything else there is never replaced)')
  .option('--seed <n>', 'override the scenario seed', int('--seed'))
  .option('--set <path=value>', 'override a scenario field, e.g. populations.exc.params.tau_m_ms=10 (repeatable)', collect)
  .addOption(new Option('--mode <mode>', 'spiking, or rate for the rate-coded twin').choices(['spiking', 'rate']))
  .addOption(new Option('--workers <n>', 'worker threads for independent trials, at most one per core').argParser(int('--workers', 1)).default(availableParallelism()))
  .addOption(new Option('--threads <n>', 'run one network on n threads (the same output for any n; networks with a least delay between neuron populations of at least 0.1 ms)').argParser(int('--threads', 1)))
  .option('--max-memory <size>', 'memory budget, e.g. 8G, 512M or 75% (default: half of the machine\'s memory)', budgetArg)
  .option('--no-report', 'skip report.html and figures/ (build them later with: chronoprop report <dir>)')
  .option('--checkpoint-every <every>', 'write the run\'s state to <out>.checkpoint/ every so many simulated ms (e.g. 200ms) or training examples (e.g. 1000ex); continue a killed run with: chronoprop resume <out>', (v: string) => (parseCheckpointEvery(v), v))
  .option('-q, --quiet', 'no progress bar and no summary')
  .action(async (ref: string, o: { out?: string; force?: boolean; seed?: number; set?: string[]; mode?: string; workers: number; threads?: number; maxMemory?: string; report: boolean; quiet?: boolean; checkpointEvery?: string }) => {
    const sc = await loadScenarioAsync(ref, { seed: o.seed, set: o.mode ? [...(o.set ?? []), `mode=${o.mode}`] : o.set });
    const out = o.out ?? `results/${sc.name}${sc.mode === 'rate' ? '-rate' : ''}`;
    // Leftovers of a run into the same place that was killed (here, not in the runner: a sweep's queue workers on
    // other machines share folders, and a process id says nothing about another machine's processes).
    for (const line of cleanLeftovers(out)) console.error(`note: ${line}`);
    if (o.threads !== undefined && o.threads > availableParallelism()) {
      console.error(`note: --threads ${o.threads}: capped at the machine's ${availableParallelism()} cores (the output is the same for any number)`);
    }
    const progress = makeProgress(!o.quiet && process.stderr.isTTY === true);
    process.once('exit', progress.stop); // e.g. interrupted while writing: the bar's line is finished
    const summary = await runScenario(sc, out, {
      // More threads than cores would only wait and hold memory; results never depend on the number.
      workers: Math.min(o.workers, availableParallelism()),
      // Likewise; the output is the same for any number of threads (scenario/windowed.ts).
      threads: o.threads === undefined ? undefined : Math.min(o.threads, availableParallelism()),
      maxMemory: o.maxMemory,
      onProgress: progress.update,
      command: process.argv.slice(2),
      report: o.report,
      replace: o.force === true,
      checkpointEvery: o.checkpointEvery,
    });
    progress.stop();
    for (const line of summary.result.notes ?? []) console.error(`note: ${line}`);
    if (!o.quiet) printSummary(summary, relative(process.cwd(), summary.out) || '.');
  });

program
  .command('resume')
  .description('continue a run from its last checkpoint (a run started with --checkpoint-every); it ends as the uninterrupted run would have')
  .argument('<run>', 'the results folder the run writes, its .checkpoint folder, or the checkpoint file')
  .addOption(new Option('--workers <n>', 'worker threads for independent trials (default: as the run was started)').argParser(int('--workers', 1)))
  .option('-q, --quiet', 'no progress bar and no summary')
  .action(async (ref: string, o: { workers?: number; quiet?: boolean }) => {
    const file = findCheckpoint(ref);
    const run = file === null ? null : readCheckpointRun(file);
    if (file !== null && run !== null) {
      // What the killed run left: its partial results folder, a checkpoint write it did not finish.
      for (const line of cleanLeftovers(run.out)) console.error(`note: ${line}`);
      for (const name of cleanCheckpointLeftovers(dirname(file), alive)) console.error(`note: removed ${name}, a checkpoint write that was killed`);
      if (finishedRun(run)) {
        removeCheckpoint(dirname(file));
        console.error(`note: the run had finished (its results are in ${run.out}); removed its checkpoint`);
        return;
      }
      // Relative paths in the scenario (settings.data_dir) meant the run's working folder.
      if (existsSync(run.cwd)) process.chdir(run.cwd);
    }
    const progress = makeProgress(!o.quiet && process.stderr.isTTY === true);
    process.once('exit', progress.stop);
    const summary = await resumeRun(file ?? ref, { workers: o.workers, onProgress: progress.update, command: process.argv.slice(2) });
    progress.stop();
    if (!o.quiet) printSummary(summary, relative(process.cwd(), summary.out) || '.');
  });

program
  .command('list')
  .description('list the built-in scenarios')
  .action(() => {
    const all = listBuiltins();
    const w = Math.max(...all.map((b) => b.name.length));
    // The first sentence: up to the first full stop that does not close "et al." or "e.g.".
    const first = (d: string) => d.match(/^.*?(?<!\bet al|\be\.g|\bi\.e)\.(?=\s|$)/)?.[0] ?? d;
    for (const b of all) console.log(`${b.name.padEnd(w)}  ${first(b.description)}`);
  });

program
  .command('models')
  .description('every neuron model, model kind, spike source and synapse rule, with parameters, units and defaults')
  .action(() => {
    process.stdout.write(catalogueText(catalogue(catalogueRegistries)));
  });

program
  .command('validate')
  .description('check a scenario without running it')
  .argument('<scenario>', 'scenario file or built-in name')
  .option('--set <path=value>', 'override a scenario field (repeatable)', collect)
  .option('--max-memory <size>', 'memory budget to check the run against (as for run)', budgetArg)
  .action(async (ref: string, o: { set?: string[]; maxMemory?: string }) => {
    const sc = await loadScenarioAsync(ref, { set: o.set });
    checkMemory(sc, { maxMemory: o.maxMemory });
    console.log(`${ref}: valid (${sc.populations.length} populations, ${sc.projections.length} projections, ${sc.duration_ms} ms)`);
  });

program
  .command('compare')
  .description('compare two results folders (e.g. the spiking and rate-coded runs of one scenario)')
  .argument('<run-a>', 'results folder')
  .argument('<run-b>', 'results folder')
  .option('-o, --out <dir>', 'where to write compare.json and compare.md (default: <run-b>-vs-<run-a name>)')
  .action(async (a: string, b: string, o: { out?: string }) => {
    const c = compareRuns(a, b);
    const out = o.out ?? `${b.replace(/\/+$/, '')}-vs-${basename(a.replace(/\/+$/, ''))}`;
    await writeComparison(c, out);
    process.stdout.write(comparisonMarkdown(c));
    console.log(`\ncomparison: ${relative(process.cwd(), out) || '.'}/ (compare.json, compare.md)`);
  });

program
  .command('report')
  .description('(re)build report.html and figures/ of a results folder from its files')
  .argument('<run-dir>', 'a results folder written by chronoprop run')
  .option('--spike-cap <n>', 'most spikes drawn one by one in the raster (above it: density)', int('--spike-cap'))
  .option('-q, --quiet', 'print nothing')
  .action(async (dir: string, o: { spikeCap?: number; quiet?: boolean }) => {
    const r = await cleanUpIfInterrupted(() => abandonReport(resolve(dir)), () => buildReport(resolve(dir), { spikeCap: o.spikeCap }));
    if (!o.quiet) console.log(`${relative(process.cwd(), r.path)}: ${r.figures.length} figures (${r.figures.join(', ')}) in ${r.seconds.toFixed(2)} s`);
  });

registerSweepCommands(program);
registerExportCommand(program);
registerImportCommand(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  // Help and version end here with code 0; a usage error was already printed by commander.
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
  exitOnError(e);
});
