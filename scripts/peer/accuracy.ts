/**
 * Accuracy against cost (issue 19): spike-time error against simulate CPU time, chronoprop (exact) and Brian2 2.5 at
 * several dt in the cython and cpp_standalone targets, on the two cases of accuracy-cases.ts, side by side in one
 * invocation. A benchmark, never a test.
 *
 *     nice -n 10 npm run bench:accuracy                     the full comparison (about 5 CPU min; up to an hour wall on a loaded host)
 *     npm run bench:accuracy -- --smoke                     tiny sizes, one repetition: checks the tooling, no docs
 *     npm run bench:accuracy -- --page bench/accuracy/results.json   the page and figure again, from saved results
 *     npm run bench:accuracy -- --collect   tabulate what an interrupted run left in --out (the page says so)
 *     npm run bench:accuracy -- --reps 5 --dts 0.1,0.01 --targets cpp_standalone --single-ms 500 --cuba-ms 100
 *
 * For each case: chronoprop runs `reps` times, each in a fresh Node process (chronoprop-run.ts --warmup: an untimed
 * warm-up run first, so that V8 has compiled the code, as Brian2's runtime targets are timed after a 0 ms run has
 * compiled or loaded theirs; the warm-up's extra CPU is reported as chronoprop's compile time, and its first-run
 * cost apart), spread between the Brian2 configurations so that a busy spell of a shared machine falls on both; Brian2 runs once per
 * (target, dt) in its own Python process (brian_run.py --reps), which builds, compiles (excluded from the time) and
 * then repeats the timed run. Every time is CPU time of the simulation alone (chronoprop: process.cpuUsage around
 * the run; Brian2 runtime targets: time.process_time around net.run; cpp_standalone: the network run as the
 * generated program measures it with std::clock), the median of the repetitions.
 *
 * Case 1 (`single`): errors of Brian2's spikes against chronoprop's, which are checked first against an
 * independent numpy oracle (oracle.py, brute force on the closed form) on the first ORACLE_NEURONS neurons.
 * Case 2 (`cuba`): Brian2 on chronoprop's exported network; the time of the first spike that differs from the exact
 * run by more than DIVERGE_TOL_MS, and the rate and ISI CV against the exact run (the dt -> 0 limit).
 *
 * Writes <out>/results.json (every number), the page docs/accuracy-results.md (--doc) and the figure
 * docs/accuracy-cost.svg (--figure): generated, never edited by hand.
 */
import { Command } from 'commander';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { packageRoot } from '../../src/scenario/load.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import { spikeStats } from '../../src/analysis/spike-stats.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { neuronModels } from '../../models/index.js';
import { readSpikes } from '../perf/spike-files.js';
import { machine } from '../perf/report.js';
import { exitOnError } from '../../src/cli/exit.js';
import { renderSvg } from '../../src/report/render.js';
import { cubaScenario, singleScenario, type SingleCase } from './accuracy-cases.js';
import { byNeuron, firstDivergence, median, trainErrors } from './accuracy-stats.js';
import { accuracyDoc, accuracyFigure, type AccuracyRun, type CaseRow } from './accuracy-report.js';

/** Spikes further apart than this are not paired (below half the 2 ms refractory period). */
export const MATCH_WINDOW_MS = 1;
/** CUBA: a spike differs when it moved by more than this. */
export const DIVERGE_TOL_MS = 0.01;
/** The single-neuron case's neurons whose spikes the numpy oracle recomputes. */
export const ORACLE_NEURONS = 50;

interface Options {
  out: string;
  doc: string | false;
  figure: string | false;
  python: string;
  reps: string;
  dts: string;
  targets: string;
  singleNeurons: string;
  singleMs: string;
  cubaMs: string;
  smoke?: boolean;
  collect?: boolean;
  page?: string;
}

interface Timing {
  sim_cpu_s: number;
  first_sim_cpu_s?: number;
  jit_s?: number;
  sim_cpu_runs_s?: number[];
  compile_s?: number;
  prepare_s?: number;
}

const root = packageRoot();

function run(cmd: string, args: string[], what: string): void {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26, cwd: root });
  if (r.status !== 0) {
    const err = (r.stderr?.toString() ?? '').split('\n').filter((l) => l.trim() && !/Warning|warn|hasattr|getattr/.test(l));
    throw new Error(`${what}: exit ${r.status ?? r.signal}: ${err.slice(-3).join(' | ') || r.error?.message}`);
  }
}

function readTiming(dir: string): Timing {
  return JSON.parse(readFileSync(join(dir, 'timing.json'), 'utf8')) as Timing;
}

/** One chronoprop process: an untimed warm-up run, then the timed run (chronoprop-run.ts --warmup). */
function chronopropRun(file: string, dir: string, networkDir?: string): Timing {
  const args = [join(root, 'scripts', 'ts.mjs'), join(root, 'scripts', 'peer', 'chronoprop-run.ts'), file, dir, '--warmup'];
  if (networkDir) args.push('--network', networkDir);
  run(process.execPath, args, 'chronoprop');
  return readTiming(dir);
}

/** Chronoprop's row: the median timed run; its JIT warm-up (first run minus timed run, median) as its compile time. */
function chronopropRow(dir: string, runs: Timing[]): CaseRow {
  const jit = runs.map((r) => r.jit_s).filter((x): x is number => x !== undefined);
  const first = runs.map((r) => r.first_sim_cpu_s).filter((x): x is number => x !== undefined);
  return { simulator: 'chronoprop', target: 'chronoprop', dt_ms: null, dir, cpu_runs_s: runs.map((r) => r.sim_cpu_s),
    cpu_s: median(runs.map((r) => r.sim_cpu_s)), compile_s: jit.length ? median(jit) : null,
    first_cpu_s: first.length ? median(first) : null };
}

function brianRun(o: Options, target: string, dt: number, file: string, dir: string, buildDir: string, networkDir?: string): Timing {
  const args = [join(root, 'scripts', 'peer', 'brian_run.py'), file, '--target', target, '--out', dir, '--dt-ms', String(dt),
    '--build-dir', buildDir, '--reps', o.reps];
  if (networkDir) args.push('--network', networkDir);
  run(o.python, args, `Brian2 ${target} dt ${dt} ms`);
  return readTiming(dir);
}

function sameBytes(a: string, b: string, pops: string[]): boolean {
  return pops.every((p) => ['ids.i32', 't_ms.f64'].every((x) => readFileSync(join(a, `${p}.${x}`)).equals(readFileSync(join(b, `${p}.${x}`)))));
}

/**
 * Runs one case: chronoprop `reps` times spread between the Brian2 configurations (target x dt). Returns each
 * configuration's folder and times, chronoprop's first.
 */
function runCase(o: Options, name: string, sc: Scenario, targets: string[], dts: number[], withNetwork: boolean): CaseRow[] {
  const base = join(o.out, name);
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  const file = join(base, 'scenario.json');
  writeFileSync(file, JSON.stringify(sc));
  const reps = Number(o.reps);
  const configs = targets.flatMap((t) => dts.map((dt) => ({ t, dt })));
  const networkDir = withNetwork ? join(base, 'network') : undefined;
  const pops = sc.populations.filter((p) => p.model in neuronModels).map((p) => p.name);
  const ours: Timing[] = [];
  // Chronoprop's k-th repetition runs before the configuration at index round(k * configs / reps).
  const slots = Array.from({ length: reps }, (_, k) => Math.round((k * configs.length) / reps));
  const rows: CaseRow[] = [];
  const chronoprop = (k: number) => {
    process.stderr.write(`${name}: chronoprop ${k + 1}/${reps}\n`);
    const dir = join(base, k === 0 ? 'chronoprop' : `chronoprop-${k + 1}`);
    ours.push(chronopropRun(file, dir, k === 0 ? networkDir : undefined));
    if (k > 0 && !sameBytes(join(base, 'chronoprop'), dir, pops)) throw new Error(`${name}: chronoprop repetition ${k + 1} gave other spikes`);
  };
  configs.forEach(({ t, dt }, c) => {
    for (let k = 0; k < reps; k++) if (slots[k] === c) chronoprop(k);
    process.stderr.write(`${name}: Brian2 ${t} dt ${dt} ms\n`);
    const dir = join(base, `${t}-dt${dt}`);
    const tm = brianRun(o, t, dt, file, dir, join(base, 'standalone-build'), networkDir);
    rows.push({ simulator: `Brian2 ${t}`, target: t, dt_ms: dt, dir, cpu_runs_s: tm.sim_cpu_runs_s ?? [tm.sim_cpu_s],
      cpu_s: tm.sim_cpu_s, compile_s: tm.compile_s ?? tm.prepare_s ?? null });
  });
  for (let k = 0; k < reps; k++) if (slots[k] >= configs.length) chronoprop(k);
  rows.unshift(chronopropRow(join(base, 'chronoprop'), ours));
  return rows;
}

/**
 * The rows of a case from the run folders an earlier invocation left in <out>/<name> (--collect), without running
 * anything: what an interrupted run had measured. Configurations without a timing.json are left out and named.
 */
function collectCase(o: Options, name: string, targets: string[], dts: number[], missing: string[]): CaseRow[] {
  const base = join(o.out, name);
  const ours = ['chronoprop', ...Array.from({ length: Number(o.reps) - 1 }, (_, k) => `chronoprop-${k + 2}`)]
    .filter((d) => existsSync(join(base, d, 'timing.json')))
    .map((d) => readTiming(join(base, d)));
  if (ours.length === 0) throw new Error(`--collect: no chronoprop run in ${base}`);
  const rows: CaseRow[] = [chronopropRow(join(base, 'chronoprop'), ours)];
  for (const t of targets) {
    for (const dt of dts) {
      const dir = join(base, `${t}-dt${dt}`);
      if (!existsSync(join(dir, 'timing.json'))) {
        missing.push(`${name} ${t} dt ${dt}`);
        continue;
      }
      const tm = readTiming(dir);
      rows.push({ simulator: `Brian2 ${t}`, target: t, dt_ms: dt, dir, cpu_runs_s: tm.sim_cpu_runs_s ?? [tm.sim_cpu_s],
        cpu_s: tm.sim_cpu_s, compile_s: tm.compile_s ?? tm.prepare_s ?? null });
    }
  }
  return rows;
}

/** Case 1's errors: chronoprop against the numpy oracle, then every Brian2 run against chronoprop. */
function singleErrors(o: Options, sc: Scenario, rows: CaseRow[]): AccuracyRun['single']['oracle'] {
  const size = sc.populations.find((p) => p.name === 'neuron')!.size;
  const exact = byNeuron(readSpikes(rows[0].dir, 'neuron'), size);
  const oracleFile = join(o.out, 'single', 'oracle.json');
  process.stderr.write('single: numpy oracle\n');
  run(o.python, [join(root, 'scripts', 'peer', 'oracle.py'), join(o.out, 'single', 'scenario.json'), oracleFile,
    '--neurons', String(ORACLE_NEURONS)], 'oracle');
  const or = JSON.parse(readFileSync(oracleFile, 'utf8')) as { neurons: number; grid_ms: number; spikes_ms: number[][] };
  const k = or.neurons;
  const vsOracle = trainErrors(or.spikes_ms.map((s) => Float64Array.from(s)), exact.slice(0, k), MATCH_WINDOW_MS);
  for (const r of rows) {
    r.spikes = 0;
    const trains = r.target === 'chronoprop' ? exact : byNeuron(readSpikes(r.dir, 'neuron'), size);
    for (const a of trains) r.spikes += a.length;
    r.errors = r.target === 'chronoprop' ? vsOracle : trainErrors(exact, trains, MATCH_WINDOW_MS);
    // Brian2 against the oracle directly, on the oracle's neurons: the same errors, within sampling.
    if (r.target !== 'chronoprop') r.errors_vs_oracle = trainErrors(or.spikes_ms.map((s) => Float64Array.from(s)), trains.slice(0, k), MATCH_WINDOW_MS);
  }
  return { neurons: k, grid_ms: or.grid_ms, errors: vsOracle };
}

/** Case 2's measures: first differing spike and firing statistics, against chronoprop's exact run. */
function cubaMeasures(sc: Scenario, rows: CaseRow[]): void {
  const pops = sc.populations.filter((p) => p.model in neuronModels);
  const exact = pops.map((p) => byNeuron(readSpikes(rows[0].dir, p.name), p.size));
  for (const r of rows) {
    const tr = pops.map((p) => readSpikes(r.dir, p.name));
    r.spikes = tr.reduce((s, x) => s + x.t.length, 0);
    r.stats = Object.fromEntries(pops.map((p, k) => {
      const st = spikeStats(tr[k], p.size, 0, sc.duration_ms);
      return [p.name, { rate_hz: st.rate_hz, cv_isi: st.cv_isi }];
    }));
    if (r.target === 'chronoprop') continue;
    const firsts = pops.map((p, k) => firstDivergence(exact[k], byNeuron(tr[k], p.size), DIVERGE_TOL_MS));
    const known = firsts.filter((x): x is number => x !== null);
    r.first_diff_ms = known.length ? Math.min(...known) : null;
  }
}

/** CPU seconds of this process and of the children it has waited for (utime, stime, cutime, cstime), Linux only. */
function totalCpu(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = [11, 12, 13, 14].reduce((s, k) => s + Number(f[k]), 0);
    return ticks / 100; // USER_HZ, 100 on Linux
  } catch {
    return null;
  }
}

function readScenario(o: Options, name: string): Scenario {
  return JSON.parse(readFileSync(join(o.out, name, 'scenario.json'), 'utf8')) as Scenario;
}

function list(s: string, what: string): number[] {
  const xs = s.split(',').map(Number);
  if (xs.some((x) => !(x > 0))) throw new ScenarioError([`${what} must be comma-separated numbers > 0, got "${s}"`]);
  return xs;
}

async function main(o: Options): Promise<void> {
  if (o.page) {
    const saved = JSON.parse(readFileSync(o.page, 'utf8')) as AccuracyRun;
    mkdirSync(o.out, { recursive: true });
    return writeOutputs({ ...o, smoke: saved.smoke }, saved);
  }
  if (o.smoke) Object.assign(o, { reps: '1', singleNeurons: '20', singleMs: '100', cubaMs: '20', dts: '0.1,0.01' });
  if (!/^[1-9]\d*$/.test(o.reps)) throw new ScenarioError([`--reps must be a positive integer, got "${o.reps}"`]);
  const dts = list(o.dts, '--dts').sort((a, b) => b - a);
  const targets = o.targets.split(',');
  for (const t of targets) {
    if (t !== 'cython' && t !== 'cpp_standalone' && t !== 'numpy') throw new ScenarioError([`--targets must be among numpy, cython, cpp_standalone, got "${t}"`]);
  }
  if (!existsSync(o.python)) throw new ScenarioError([`--python must be a Python with Brian2, got "${o.python}" (not found)`]);
  const single: SingleCase = {
    neurons: list(o.singleNeurons, '--single-neurons')[0], duration_ms: list(o.singleMs, '--single-ms')[0],
    exc_rate_hz: 600, inh_rate_hz: 250, w_exc_mv: 4, w_inh_mv: -4,
  };
  const cubaMs = list(o.cubaMs, '--cuba-ms')[0];
  const m = machine();
  const t0 = Date.now();
  mkdirSync(o.out, { recursive: true });
  const missing: string[] = [];
  const sc1 = o.collect ? readScenario(o, 'single') : singleScenario(single);
  const rows1 = o.collect ? collectCase(o, 'single', targets, dts, missing) : runCase(o, 'single', sc1, targets, dts, false);
  const oracle = singleErrors(o, sc1, rows1);
  const sc2 = o.collect ? readScenario(o, 'cuba') : cubaScenario(cubaMs);
  const rows2 = o.collect ? collectCase(o, 'cuba', targets, dts, missing) : runCase(o, 'cuba', sc2, targets, dts, true);
  cubaMeasures(sc2, rows2);
  const result: AccuracyRun = {
    machine: m,
    brian2: '2.5',
    reps: Number(o.reps),
    smoke: !!o.smoke,
    single: { case: { ...single, neurons: sc1.populations.find((p) => p.name === 'neuron')!.size, duration_ms: sc1.duration_ms }, rows: rows1, oracle },
    cuba: { duration_ms: sc2.duration_ms, rows: rows2 },
    ...(o.collect ? { collected: { from: o.out, missing } } : {}),
    wall_s: (Date.now() - t0) / 1e3,
    total_cpu_s: totalCpu(),
  };
  writeFileSync(join(o.out, 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
  await writeOutputs(o, result);
}

/** results.json, the figure and the page, under --out and where --doc and --figure say. */
async function writeOutputs(o: Options, result: AccuracyRun): Promise<void> {
  const figure = o.figure === false || (o.smoke && o.figure === undefined) ? null : o.figure ?? 'docs/accuracy-cost.svg';
  const doc = o.doc === false || (o.smoke && o.doc === undefined) ? null : o.doc ?? 'docs/accuracy-results.md';
  const spec = accuracyFigure(result);
  writeFileSync(join(o.out, 'accuracy-cost.vl.json'), `${JSON.stringify(spec, null, 1)}\n`);
  const svg = await renderSvg(spec, 'accuracy-cost');
  writeFileSync(join(o.out, 'accuracy-cost.svg'), svg);
  if (figure) {
    mkdirSync(dirname(figure), { recursive: true });
    writeFileSync(figure, svg);
  }
  const md = accuracyDoc(result, figure && doc ? relative(dirname(doc), figure) : null);
  writeFileSync(join(o.out, 'accuracy.md'), md);
  if (doc) {
    mkdirSync(dirname(doc), { recursive: true });
    writeFileSync(doc, md);
  }
  console.log(md);
  console.error(`wrote ${join(o.out, 'accuracy.md')}${doc ? `, ${doc}` : ''}${figure ? `, ${figure}` : ''}`);
}

const program = new Command('accuracy')
  .description('spike-time error against CPU time: chronoprop (exact) and Brian2 at several dt')
  .option('--out <dir>', 'work folder (runs, results.json)', 'bench/accuracy')
  .option('--doc <file>', 'the generated page (default docs/accuracy-results.md; --smoke: none unless given)')
  .option('--no-doc', 'write no page')
  .option('--figure <file>', 'the generated figure (default docs/accuracy-cost.svg; --smoke: none unless given)')
  .option('--no-figure', 'write no figure outside --out')
  .option('--python <path>', "Python with Brian2 (Debian's python3-brian)", '/usr/bin/python3')
  .option('--reps <n>', 'repetitions of every timed run (median reported)', '3')
  .option('--dts <list>', 'Brian2 time steps in ms', '0.1,0.03,0.01,0.001')
  .option('--targets <list>', 'Brian2 code generation targets', 'cython,cpp_standalone')
  .option('--single-neurons <n>', 'case 1: independent neurons', '1000')
  .option('--single-ms <ms>', 'case 1: simulated time', '1000')
  .option('--cuba-ms <ms>', 'case 2: simulated time', '1000')
  .option('--smoke', 'tiny sizes, one repetition, dt 0.1 and 0.01: checks the tooling, measures nothing')
  .option('--page <results.json>', 'run nothing: write the page and the figure again from a saved results.json')
  .option('--collect', 'run nothing: tabulate the runs an earlier (interrupted) invocation left in --out')
  .action((o: Options) => main(o));

program.parseAsync(process.argv).catch(exitOnError);
