/**
 * Side-by-side comparison with Brian2 (`node dist/peer-compare.js`, after `npm run build`): for each workload and
 * seed, chronoprop (a bench child, scripts/perf/child.ts) and then Brian2 in each target (scripts/peer/brian_run.py,
 * one Python process per run), on the same machine, back to back. The Brian2 model is generated from the same
 * resolved scenario JSON (written here into the output folder), so parameters cannot drift.
 *
 *     node dist/peer-compare.js cuba-1s brette-b4-5s --seeds 1,2,3 --targets numpy,cython,cpp_standalone
 *
 * Reports, per workload (mean and sd over seeds):
 *  - time: build, compile/prepare (Brian2: the first seed's, then the mean of the later, cached ones), and the
 *    simulation in wall and CPU time; ratio = chronoprop simulate time / Brian2 simulation time (runtime targets:
 *    the timed run; cpp_standalone: the network run measured inside the generated program, in CPU time only).
 *    CPU time is the fairer ratio on a shared machine; wall time is what a user waits;
 *  - dynamics: rate and mean ISI CV of each population computed from both simulators' spikes by the same code
 *    (src/analysis/spike-stats.ts), with the relative difference (chronoprop - Brian2) / Brian2; for runs of 2 s
 *    or more, the rate in each second of simulated time.
 * Connectivity, initial state and Poisson trains are independent realizations in the two simulators (and across
 * seeds), so a difference smaller than the spread over seeds says nothing; compare the means over several seeds.
 * With --same-network, Brian2 runs on chronoprop's own connectivity, weights, delays and initial state
 * (perf/network-files.ts), so only the integration (exact against a dt grid) and Poisson trains differ.
 * The timing table also gives, per Brian2 target, the CPU ratio taken seed by seed (each seed's chronoprop run and
 * Brian2 run are back to back, so the pair saw the same load): its median and range over seeds, the figure the
 * performance bars are stated in.
 * Writes <out>/<workload>.json and <out>/peer.md; with --doc FILE also a page with the commit, date, machine, load
 * and the command that made it (docs/peer-results.md: generated, never edited). Never part of npm test.
 */
import { Command } from 'commander';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from '../src/scenario/load.js';
import { ScenarioError } from '../src/scenario/errors.js';
import { resolvedScenario } from './peer/resolved-scenario.js';
import { spikeStats } from '../src/analysis/spike-stats.js';
import { neuronModels } from '../models/index.js';
import type { Scenario } from '../src/scenario/schema.js';
import { selectWorkloads, type Workload } from './perf/workloads.js';
import { binnedRates, workloadScenario, type Measurement } from './perf/measure.js';
import { runChild } from './perf/child.js';
import { readSpikes } from './perf/spike-files.js';
import { fmt, machine, machineLine, markdown, pairedRatios, writeWhole, type Machine } from './perf/report.js';
import { exitOnError } from '../src/cli/exit.js';

const TARGETS = ['numpy', 'cython', 'cpp_standalone'] as const;
type Target = (typeof TARGETS)[number];

interface PopStats {
  rate_hz: number;
  cv_isi: number | null;
  rate_by_second_hz?: number[];
}

interface BrianTiming {
  target: Target;
  brian2: string;
  build_s: number;
  prepare_s?: number;
  compile_s?: number;
  run_s: number;
  sim_s: number | null;
  sim_cpu_s: number;
  synapses: number;
}

interface Run {
  simulator: string;
  seed: number;
  build_s: number;
  compile_s: number | null;
  /** Wall time of the simulation (null where not measured: Brian2 cpp_standalone). */
  sim_s: number | null;
  /** CPU time of the simulation. */
  sim_cpu_s: number;
  synapses: number;
  populations: Record<string, PopStats>;
  /** Brian2's version, for Brian2 runs. */
  brian2?: string;
}



function statsFrom(dir: string, sc: Scenario): Record<string, PopStats> {
  const out: Record<string, PopStats> = {};
  for (const p of sc.populations) {
    if (!(p.model in neuronModels)) continue;
    const tr = readSpikes(dir, p.name);
    const st = spikeStats(tr, p.size, 0, sc.duration_ms);
    out[p.name] = { rate_hz: st.rate_hz, cv_isi: st.cv_isi };
    if (sc.duration_ms >= 2000) out[p.name].rate_by_second_hz = binnedRates(tr, p.size, sc.duration_ms, 1000);
  }
  return out;
}

function runChronoprop(w: Workload, seed: number, dir: string, sc: Scenario, networkDir: string | null): Run {
  const r = runChild(w.name, ['--seed', String(seed), '--spikes', dir, ...(networkDir ? ['--network', networkDir] : [])]);
  if ('error' in r) throw new Error(`chronoprop ${w.name} seed ${seed}: ${r.error}`);
  const m = r as Measurement;
  return {
    simulator: 'chronoprop',
    seed,
    build_s: m.build_s,
    compile_s: null,
    sim_s: m.simulate_s,
    sim_cpu_s: m.simulate_cpu_s,
    synapses: m.memory.synapses,
    populations: statsFrom(dir, sc),
  };
}

function runBrian(o: Options, target: Target, scenarioFile: string, dir: string, buildDir: string, sc: Scenario, seed: number): Run {
  const script = join(packageRoot(), 'scripts', 'peer', 'brian_run.py');
  const args = [script, scenarioFile, '--target', target, '--out', dir, '--build-dir', buildDir, '--dt-ms', o.dtMs];
  if (o.sameNetwork) args.push('--network', join(dirname(dir), 'network'));
  const r = spawnSync(o.python, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) {
    const err = (r.stderr?.toString() ?? '').split('\n').filter((l) => l.trim() && !/Warning|warn|hasattr|getattr/.test(l));
    throw new Error(`Brian2 ${target} (${o.python}) exit ${r.status}: ${err.slice(-3).join(' | ') || r.error?.message}`);
  }
  const t = JSON.parse(readFileSync(join(dir, 'timing.json'), 'utf8')) as BrianTiming;
  return {
    simulator: `Brian2 ${target}`,
    seed,
    build_s: t.build_s,
    compile_s: t.compile_s ?? t.prepare_s ?? null,
    sim_s: t.sim_s,
    sim_cpu_s: t.sim_cpu_s,
    synapses: t.synapses,
    populations: statsFrom(dir, sc),
    brian2: t.brian2,
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));
const pm = (xs: number[]) => (xs.length < 2 ? fmt(mean(xs)) : `${fmt(mean(xs))} ± ${fmt(sd(xs), 2)}`);
const rel = (a: number, b: number) => `${a >= b ? '+' : ''}${((100 * (a - b)) / b).toFixed(1)}%`;

function groupBy(runs: Run[]): Map<string, Run[]> {
  const g = new Map<string, Run[]>();
  for (const r of runs) g.set(r.simulator, [...(g.get(r.simulator) ?? []), r]);
  return g;
}

/** chronoprop's simulate CPU time over this simulator's, seed by seed: "median (min-max)" over the seeds. */
function perSeedRatio(ours: Run[], rs: Run[]): string {
  const r = pairedRatios(ours, rs, (x) => x.sim_cpu_s);
  if (r === null) return '-';
  return r.n === 1 ? fmt(r.median) : `${fmt(r.median)} (${fmt(r.min)}-${fmt(r.max)})`;
}

function timingTable(runs: Run[]): string {
  const g = groupBy(runs);
  const ours = g.get('chronoprop')!;
  const oursCpu = mean(ours.map((r) => r.sim_cpu_s));
  const oursWall = mean(ours.map((r) => r.sim_s!));
  const rows = [...g].map(([sim, rs]) => {
    const wall = rs.every((r) => r.sim_s !== null) ? rs.map((r) => r.sim_s!) : null;
    const cpu = rs.map((r) => r.sim_cpu_s);
    const later = rs.slice(1).map((r) => r.compile_s!);
    return [
      sim,
      rs.length,
      pm(rs.map((r) => r.build_s)),
      rs[0].compile_s === null ? '-' : `${fmt(rs[0].compile_s)}${later.length ? ` (then ${fmt(mean(later))})` : ''}`,
      wall ? pm(wall) : '-',
      pm(cpu),
      fmt(oursCpu / mean(cpu)),
      sim === 'chronoprop' ? '-' : perSeedRatio(ours, rs),
      wall ? fmt(oursWall / mean(wall)) : '-',
    ];
  });
  const header = ['simulator', 'seeds', 'build s', 'compile / prepare s', 'simulate wall s', 'simulate CPU s',
    'chronoprop / this, CPU (of means)', 'CPU, per seed: median (range)', 'chronoprop / this, wall'];
  return markdown(header, rows, header.map((_, k) => k > 0));
}

function ratesTable(runs: Run[], pops: string[]): string {
  const g = groupBy(runs);
  const ref = g.get('chronoprop')!;
  const col = (rs: Run[], pop: string, key: 'rate_hz' | 'cv_isi') => rs.map((r) => r.populations[pop][key] ?? NaN);
  const rows = [...g].map(([sim, rs]) => [
    sim,
    rs.length,
    ...pops.flatMap((p) =>
      (['rate_hz', 'cv_isi'] as const).map((k) => {
        const xs = col(rs, p, k);
        return sim === 'chronoprop' ? pm(xs) : `${pm(xs)} (${rel(mean(col(ref, p, k)), mean(xs))})`;
      }),
    ),
  ]);
  const header = ['simulator', 'seeds', ...pops.flatMap((p) => [`${p} rate Hz`, `${p} ISI CV`])];
  return markdown(header, rows, header.map((_, k) => k > 0));
}

function perSecondTable(runs: Run[], pops: string[], seconds: number): string {
  const g = groupBy(runs);
  const sims = [...g.keys()];
  const header = ['second', ...pops.flatMap((p) => sims.map((s) => `${p} ${s}`))];
  const rows = Array.from({ length: seconds }, (_, s) => [
    `${s}-${s + 1} s`,
    ...pops.flatMap((p) => sims.map((sim) => fmt(mean(g.get(sim)!.map((r) => r.populations[p].rate_by_second_hz![s]))))),
  ]);
  return markdown(header, rows, header.map((_, k) => k > 0));
}

interface Options {
  seeds: string;
  targets: string;
  python: string;
  out: string;
  dtMs: string;
  sameNetwork?: boolean;
  doc?: string;
}

/** The page --doc writes: generated, with what it was measured on and the command that makes it again. */
function peerDoc(m: Machine, argv: string[], body: string): string {
  const busy = m.load_avg_1m >= m.cores / 2 ? ' (other work competed for the CPU: compare the per-seed ratios, not the times)' : '';
  return [
    '# chronoprop against Brian2: side-by-side results',
    '',
    '<!-- Written by scripts/peer/compare.sh --doc (scripts/peer-compare.ts): do not edit by hand, run it again. -->',
    '',
    `Written on ${m.date.slice(0, 10)} by \`scripts/peer/compare.sh ${argv.join(' ')}\`; running that again replaces this file. How it is measured: [benchmarks.md](benchmarks.md).`,
    '',
    `- commit: \`${m.git_commit ?? 'unknown'}\`${m.git_dirty ? ' with uncommitted changes' : ''}`,
    `- date: ${m.date}`,
    `- machine: ${m.cpu}, ${m.cores} cores (${m.available_parallelism} available), ${m.memory_gb} GiB, Node ${m.node}, ${m.platform}`,
    `- load average at the start: ${m.load_avg_1m}${busy}`,
    '',
    body,
    '',
  ].join('\n');
}

function compareWorkload(w: Workload, o: Options, seeds: number[], targets: Target[]): { md: string; runs: Run[] } {
  const base = join(o.out, w.name);
  const buildDir = join(base, 'standalone-build');
  rmSync(base, { recursive: true, force: true }); // a fresh standalone build: the first compile time is a full one
  const runs: Run[] = [];
  let sc0: Scenario | null = null;
  for (const seed of seeds) {
    const sc = resolvedScenario(workloadScenario(w, seed));
    sc0 ??= sc;
    const dir = join(base, `seed-${seed}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'scenario.json');
    writeFileSync(file, `${JSON.stringify(sc, null, 1)}\n`);
    process.stderr.write(`${w.name} seed ${seed}: chronoprop`);
    runs.push(runChronoprop(w, seed, join(dir, 'chronoprop'), sc, o.sameNetwork ? join(dir, 'network') : null));
    for (const t of targets) {
      process.stderr.write(`, ${t}`);
      runs.push(runBrian(o, t, file, join(dir, t), buildDir, sc, seed));
    }
    process.stderr.write('\n');
  }
  const pops = sc0!.populations.filter((p) => p.model in neuronModels).map((p) => p.name);
  const parts = [
    `### ${w.name} (${w.scenario}, ${w.duration_ms} ms${w.set.length ? `, ${w.set.join(' ')}` : ''}; seeds ${seeds.join(', ')}${o.sameNetwork ? '; same network' : ''})`,
    `Synapses: chronoprop ${runs[0].synapses}, Brian2 ${runs.find((r) => r.simulator !== 'chronoprop')?.synapses ?? '-'} (seed ${seeds[0]}).`,
    timingTable(runs),
    ratesTable(runs, pops),
  ];
  if (w.duration_ms >= 2000) parts.push(`Rate (Hz) in each second, mean over seeds:\n\n${perSecondTable(runs, pops, Math.floor(w.duration_ms / 1000))}`);
  const md = parts.join('\n\n');
  writeFileSync(join(o.out, `${w.name}.json`), `${JSON.stringify({ workload: w, seeds, targets, runs }, null, 2)}\n`);
  return { md, runs };
}

const program = new Command('peer-compare')
  .description('chronoprop against Brian2 on the same machine: time and firing statistics')
  .argument('[workloads...]', 'workload names (see: node dist/bench.js --list)', ['cuba-1s', 'brette-b4-5s'])
  .option('--seeds <list>', 'comma-separated seeds', '1,2,3')
  .option('--targets <list>', `Brian2 targets, comma-separated (${TARGETS.join(', ')})`, TARGETS.join(','))
  .option('--python <path>', "Python with Brian2 (Debian's python3-brian)", '/usr/bin/python3')
  .option('--out <dir>', 'output folder', 'bench/peer')
  .option('--dt-ms <dt>', 'Brian2 time step in ms', '0.1')
  .option('--same-network', "Brian2 uses chronoprop's connectivity, weights, delays and initial state")
  .option('--doc <file>', 'also write the results as a page (e.g. docs/peer-results.md), with commit, machine and command')
  .action((names: string[], o: Options) => {
    const seeds = o.seeds.split(',').map((s) => {
      if (!/^\d+$/.test(s)) throw new ScenarioError([`--seeds must be comma-separated integers, got "${o.seeds}"`]);
      return Number(s);
    });
    const targets = o.targets.split(',').map((t) => {
      if (!(TARGETS as readonly string[]).includes(t)) throw new ScenarioError([`--targets must be among ${TARGETS.join(', ')}, got "${t}"`]);
      return t as Target;
    });
    if (!(Number(o.dtMs) > 0)) throw new ScenarioError([`--dt-ms must be a number > 0, got "${o.dtMs}"`]);
    if (!existsSync(o.python)) throw new ScenarioError([`--python must be a Python with Brian2, got "${o.python}" (not found)`]);
    const chosen = selectWorkloads({ only: names });
    const m = machine();
    mkdirSync(o.out, { recursive: true });
    const done = chosen.map((w) => compareWorkload(w, o, seeds, targets));
    const sections = done.map((d) => d.md);
    const BRIAN_VERSION = done.flatMap((d) => d.runs).find((r) => r.brian2)?.brian2 ?? '';
    const md = [`Machine: ${machineLine(m)}; Brian2 ${BRIAN_VERSION} at dt = ${o.dtMs} ms, single thread.`, ...sections].join('\n\n');
    writeFileSync(join(o.out, 'peer.md'), `${md}\n`);
    if (o.doc) {
      writeWhole(o.doc, peerDoc(m, process.argv.slice(2), md)); // a run stopped half-way leaves the previous page
      console.log(`wrote ${o.doc}`);
    }
    console.log(md);
  });

program.parseAsync(process.argv).catch(exitOnError);
