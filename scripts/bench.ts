/**
 * `npm run bench`: the benchmark suite (workloads in scripts/perf/workloads.ts), one child process per workload so
 * that each peak resident memory is that workload's alone, all on one core.
 *
 *     npm run bench                          every workload (about 10-15 min on a laptop-class core)
 *     npm run bench -- --quick               without the 256k and 10 s workloads
 *     npm run bench -- --only cuba-1s,scaling-*
 *     npm run bench -- --reps 3              each workload 3 times (the whole suite over, then again): the table
 *                                            shows each workload's median run and the range of its CPU times
 *     node dist/bench.js --list              the workloads
 *     node dist/bench.js --table bench/results.json   the table of a saved run, again
 *     node dist/bench.js --one cuba-1s [--seed n] [--spikes dir] [--network dir]
 *                                            one measurement as JSON (what children run)
 *
 * Prints a markdown table (for docs/benchmarks.md) and writes bench/results.json (machine, every
 * measurement) and bench/results.md. A benchmark, never a test: run it on a quiet machine; nothing is asserted.
 */
import { Command } from 'commander';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ScenarioError } from '../src/scenario/errors.js';
import { findWorkload, selectWorkloads, workloads } from './perf/workloads.js';
import { measure, type Measurement } from './perf/measure.js';
import { runChild } from './perf/child.js';
import { benchTable, cpuRanges, machine, machineLine, medianRun, type Machine } from './perf/report.js';
import { exitOnError } from '../src/cli/exit.js';

const collect = (v: string, prev: string[]) => [...prev, v];

/** bench/results.json: `workloads` holds one (median) run per workload; `runs` every run, when repeated. */
interface SavedRun {
  machine: Machine;
  workloads: Measurement[];
  reps?: number;
  runs?: Measurement[];
}

interface Options {
  one?: string;
  seed?: string;
  spikes?: string;
  network?: string;
  quick?: boolean;
  only: string[];
  out: string;
  list?: boolean;
  table?: string;
  reps: string;
}

function suite(o: Options): void {
  if (!/^[1-9]\d*$/.test(o.reps)) throw new ScenarioError([`--reps must be a positive integer, got "${o.reps}"`]);
  const reps = Number(o.reps);
  const chosen = selectWorkloads({ only: o.only, quick: o.quick });
  const runs: Measurement[] = [];
  const failed: { workload: string; error: string }[] = [];
  const m = machine();
  console.error(`bench: ${chosen.length} workloads${reps > 1 ? ` x ${reps}` : ''} on ${machineLine(m)}`);
  // Repeats go round the whole suite, so that a busy spell of a shared machine spreads over workloads.
  for (let rep = 0; rep < reps; rep++) {
    chosen.forEach((w, k) => {
      process.stderr.write(`[${rep * chosen.length + k + 1}/${reps * chosen.length}] ${w.name} ... `);
      const r = runChild(w.name);
      if ('error' in r) {
        failed.push(r);
        console.error(`failed (${r.error})`);
      } else {
        runs.push(r);
        console.error(`${r.simulate_s.toFixed(2)} s simulate, ${(r.events_per_s / 1e6).toFixed(2)} M events/s`);
      }
    });
  }
  const done = chosen.flatMap((w) => {
    const own = runs.filter((r) => r.workload === w.name);
    return own.length > 0 ? [medianRun(own)] : [];
  });
  const table = reps > 1 ? benchTable(done, cpuRanges(runs), reps) : benchTable(done);
  console.log(`\nMachine: ${machineLine(m)}\n\n${table}`);
  mkdirSync(dirname(o.out), { recursive: true });
  const saved = { machine: m, quick: !!o.quick, reps, workloads: done, ...(reps > 1 ? { runs } : {}), failed };
  writeFileSync(o.out, `${JSON.stringify(saved, null, 2)}\n`);
  writeFileSync(join(dirname(o.out), 'results.md'), `Machine: ${machineLine(m)}\n\n${table}\n`);
  console.log(`\nwrote ${o.out}`);
  if (failed.length > 0) {
    console.error(`bench: ${failed.length} workload(s) failed: ${failed.map((f) => f.workload).join(', ')}`);
    process.exitCode = 1;
  }
}

const program = new Command('bench')
  .description('chronoprop benchmark suite (one process per workload)')
  .option('--quick', 'skip the 256k and 10 s workloads')
  .option('--only <names>', 'workloads, comma-separated; a trailing * matches a prefix (repeatable)', collect, [])
  .option('--out <file>', 'results file', 'bench/results.json')
  .option('--reps <n>', 'run the suite n times: the table shows median runs and CPU time ranges', '1')
  .option('--list', 'list the workloads and exit')
  .option('--table <results.json>', 'print the markdown table of a saved results file and exit')
  .option('--one <workload>', 'run one workload in this process and print its measurement as JSON')
  .option('--seed <n>', 'with --one: override the scenario seed')
  .option('--spikes <dir>', 'with --one: also write the spikes there (binary, for the Brian2 comparison)')
  .option('--network <dir>', 'with --one: also write the built network there (for the Brian2 same-network mode)')
  .action((o: Options) => {
    if (o.table) {
      const saved = JSON.parse(readFileSync(o.table, 'utf8')) as SavedRun;
      const table = saved.runs
        ? benchTable(saved.workloads, cpuRanges(saved.runs), saved.reps)
        : benchTable(saved.workloads);
      console.log(`Machine: ${machineLine(saved.machine)}\n\n${table}`);
    } else if (o.list) {
      for (const w of workloads) console.log(`${w.name.padEnd(20)} ${w.scenario} ${w.duration_ms} ms ${w.set.join(' ')}${w.quick ? '' : '  (not in --quick)'}`);
    } else if (o.one) {
      if (o.seed !== undefined && !/^-?\d+$/.test(o.seed)) throw new ScenarioError([`--seed must be an integer, got "${o.seed}"`]);
      const seed = o.seed === undefined ? undefined : Number(o.seed);
      console.log(JSON.stringify(measure(findWorkload(o.one), { seed, spikesDir: o.spikes, networkDir: o.network })));
    } else suite(o);
  });

program.parseAsync(process.argv).catch(exitOnError);
