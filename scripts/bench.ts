/**
 * `npm run bench`: the benchmark suite (workloads in scripts/perf/workloads.ts), one child process per workload so
 * that each peak resident memory is that workload's alone, all on one core.
 *
 *     npm run bench                          every workload (about 10-15 min on a laptop-class core)
 *     npm run bench -- --quick               without the 256k and 10 s workloads
 *     npm run bench -- --only cuba-1s,scaling-*
 *     npm run bench -- --reps 3              each workload 3 times (the whole suite over, then again): the table
 *                                            shows each workload's median run and the range of its CPU times
 *     npm run bench -- --smoke               each quick workload for 20 ms, to check the tooling (no docs page)
 *     node dist/bench.js --list              the workloads
 *     node dist/bench.js --table bench/results.json [--doc FILE]   the table of a saved run, again (and its page)
 *     node dist/bench.js --one cuba-1s [--seed n] [--duration-ms n] [--spikes dir] [--network dir]
 *                                            one measurement as JSON (what children run)
 *
 * Prints a markdown table (and, for workloads with a baseline, such as the LIF written as equations against lif, their
 * simulate CPU time over the baseline's, taken per round of the suite: perf/report.ts cpuRatios) and writes bench/results.json (machine, every measurement), bench/results.md and the
 * results page docs/benchmarks-results.md (commit, date, machine, load, the table, and each workload's CPU time
 * against the last recorded run: perf/report.ts resultsDoc), with its data beside it (docs/benchmarks-results.json,
 * which the next run compares with; `--doc FILE` elsewhere, `--no-doc` not at all; a smoke run writes a page only
 * where --doc says, and never the data). Result tables
 * are never edited by hand. A benchmark, never a test: run it on a quiet machine; nothing is asserted.
 */
import { Command } from 'commander';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ScenarioError } from '../src/scenario/errors.js';
import { findWorkload, selectWorkloads, workloads } from './perf/workloads.js';
import { measure, type Measurement } from './perf/measure.js';
import { runChild } from './perf/child.js';
import { machine, machineLine, medianRun, resultsDoc, suiteTable, tablesOf, writeWhole, type SuiteRun } from './perf/report.js';
import { exitOnError } from '../src/cli/exit.js';

const collect = (v: string, prev: string[]) => [...prev, v];

/** Simulated ms per workload in a smoke run (--smoke). */
const SMOKE_MS = 20;
const DOC = 'docs/benchmarks-results.md';

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
  smoke?: boolean;
  durationMs?: string;
  /** A path, false for --no-doc, undefined for the default. */
  doc?: string | false;
}

/** The run data kept beside a results page (page.md -> page.json), which the next page compares with. */
function dataPath(doc: string): string {
  return doc.replace(/\.md$/, '') + '.json';
}

/** The results page and its data, each written whole (a temporary file renamed) or not at all. */
function writeDoc(path: string, run: SuiteRun): void {
  mkdirSync(dirname(path), { recursive: true });
  const data = dataPath(path);
  const last = existsSync(data) ? (JSON.parse(readFileSync(data, 'utf8')) as SuiteRun) : null;
  writeWhole(path, resultsDoc(run, last));
  if (run.smoke_ms === undefined) writeWhole(data, `${JSON.stringify(run, null, 2)}\n`);
  console.log(`wrote ${path}${run.smoke_ms === undefined ? ` and ${data}` : ''}`);
}

function suite(o: Options): void {
  if (!/^[1-9]\d*$/.test(o.reps)) throw new ScenarioError([`--reps must be a positive integer, got "${o.reps}"`]);
  const reps = Number(o.reps);
  const chosen = selectWorkloads({ only: o.only, quick: o.quick || (o.smoke && o.only.length === 0) });
  const extra = o.smoke ? ['--duration-ms', String(SMOKE_MS)] : [];
  const runs: Measurement[] = [];
  const failed: { workload: string; error: string }[] = [];
  const m = machine();
  console.error(`bench: ${chosen.length} workloads${reps > 1 ? ` x ${reps}` : ''}${o.smoke ? `, smoke run (${SMOKE_MS} ms each)` : ''} on ${machineLine(m)}`);
  // Repeats go round the whole suite, so that a busy spell of a shared machine spreads over workloads.
  for (let rep = 0; rep < reps; rep++) {
    chosen.forEach((w, k) => {
      process.stderr.write(`[${rep * chosen.length + k + 1}/${reps * chosen.length}] ${w.name} ... `);
      const r = runChild(w.name, extra);
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
  const table = reps > 1 ? tablesOf(done, runs, reps) : tablesOf(done);
  console.log(`\nMachine: ${machineLine(m)}\n\n${table}`);
  mkdirSync(dirname(o.out), { recursive: true });
  const saved: SuiteRun = {
    machine: m, quick: !!o.quick || (!!o.smoke && o.only.length === 0), reps, workloads: done, ...(reps > 1 ? { runs } : {}), failed,
    only: o.only, suite_size: workloads.length, ...(o.smoke ? { smoke_ms: SMOKE_MS } : {}),
  };
  writeFileSync(o.out, `${JSON.stringify(saved, null, 2)}\n`);
  writeFileSync(join(dirname(o.out), 'results.md'), `Machine: ${machineLine(m)}\n\n${table}\n`);
  console.log(`\nwrote ${o.out}`);
  // A smoke run is no measurement: it replaces the docs page only when --doc names one.
  const doc = o.doc === false ? null : o.doc ?? (o.smoke ? null : DOC);
  if (doc) writeDoc(doc, saved);
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
  .option('--smoke', `run each workload for ${SMOKE_MS} ms only (the quick set unless --only): checks the tooling, measures nothing`)
  .option('--doc <file>', `the results page to write (default ${DOC}; a smoke run writes none unless given)`)
  .option('--no-doc', 'write no results page')
  .option('--duration-ms <n>', 'with --one: simulate this many ms instead of the workload\'s duration')
  .option('--list', 'list the workloads and exit')
  .option('--table <results.json>', 'print the markdown table of a saved results file and exit')
  .option('--one <workload>', 'run one workload in this process and print its measurement as JSON')
  .option('--seed <n>', 'with --one: override the scenario seed')
  .option('--spikes <dir>', 'with --one: also write the spikes there (binary, for the Brian2 comparison)')
  .option('--network <dir>', 'with --one: also write the built network there (for the Brian2 same-network mode)')
  .action(async (o: Options) => {
    if (o.table) {
      const saved = JSON.parse(readFileSync(o.table, 'utf8')) as SuiteRun;
      saved.reps ??= 1;
      saved.failed ??= [];
      console.log(`Machine: ${machineLine(saved.machine)}\n\n${suiteTable(saved)}`);
      if (typeof o.doc === 'string') writeDoc(o.doc, saved);
    } else if (o.list) {
      for (const w of workloads) console.log(`${w.name.padEnd(20)} ${w.scenario} ${w.duration_ms} ms ${w.set.join(' ')}${w.threads ? ` --threads ${w.threads}` : ''}${w.quick ? '' : '  (not in --quick)'}`);
    } else if (o.one) {
      if (o.seed !== undefined && !/^-?\d+$/.test(o.seed)) throw new ScenarioError([`--seed must be an integer, got "${o.seed}"`]);
      const seed = o.seed === undefined ? undefined : Number(o.seed);
      if (o.durationMs !== undefined && !(Number(o.durationMs) > 0)) throw new ScenarioError([`--duration-ms must be a positive number, got "${o.durationMs}"`]);
      const w = findWorkload(o.one);
      const workload = o.durationMs === undefined ? w : { ...w, duration_ms: Number(o.durationMs) };
      console.log(JSON.stringify(await measure(workload, { seed, spikesDir: o.spikes, networkDir: o.network })));
    } else suite(o);
  });

program.parseAsync(process.argv).catch(exitOnError);
