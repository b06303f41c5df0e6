/**
 * Benchmark reporting: the machine a run was measured on, markdown tables (printed by `npm run bench`), and the
 * results page `npm run bench` writes to docs/benchmarks-results.md (resultsDoc), with the commit, date, machine
 * and load, so that no result table is edited by hand.
 */
import { cpus, totalmem, platform, arch, availableParallelism, loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import type { Measurement } from './measure.js';
import { median } from '../../src/math/vector-stats.js';

export interface Machine {
  cpu: string;
  cores: number;
  available_parallelism: number;
  memory_gb: number;
  node: string;
  platform: string;
  git_commit: string | null;
  /** True if tracked files differed from the commit; null outside a git checkout (absent in older results). */
  git_dirty?: boolean | null;
  date: string;
  /** 1-minute load average when the run started: above the core count, other work competed for the CPU. */
  load_avg_1m: number;
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return null;
  }
}

export function machine(): Machine {
  const c = cpus();
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const status = commit === null ? null : git(['status', '--porcelain', '--untracked-files=no']);
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    available_parallelism: availableParallelism(),
    memory_gb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${platform()}-${arch()}`,
    git_commit: commit,
    git_dirty: status === null ? null : status.length > 0,
    date: new Date().toISOString(),
    load_avg_1m: Math.round(loadavg()[0] * 100) / 100,
  };
}

export function machineLine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memory_gb} GiB, Node ${m.node}, ${m.platform}, commit ${m.git_commit ?? '?'}, ${m.date.slice(0, 10)}, load ${m.load_avg_1m}`;
}

/** Writes a generated page (or its data) whole or not at all: a temporary file beside it, then renamed over it. */
export function writeWhole(path: string, text: string): void {
  const tmp = `${path}.partial-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** A markdown table from a header and rows of cells (numbers right-aligned). */
export function markdown(header: string[], rows: (string | number)[][], right: boolean[] = header.map(() => true)): string {
  const cells = rows.map((r) => r.map(String));
  const w = header.map((h, k) => Math.max(h.length, 3, ...cells.map((r) => r[k].length)));
  const line = (r: string[]) => `| ${r.map((c, k) => (right[k] ? c.padStart(w[k]) : c.padEnd(w[k]))).join(' | ')} |`;
  const rule = `|${w.map((n, k) => (right[k] ? `${'-'.repeat(n + 1)}:` : `:${'-'.repeat(n + 1)}`)).join('|')}|`;
  return [line(header), rule, ...cells.map(line)].join('\n');
}

/** Significant figures without exponent noise: 0.0123, 1.23, 12.3, 1234. */
export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  if (x === 0) return '0';
  const mag = Math.floor(Math.log10(Math.abs(x)));
  return x.toFixed(Math.max(0, digits - 1 - mag));
}

function rates(m: Measurement): string {
  return Object.values(m.populations)
    .map((p) => fmt(p.rate_hz))
    .join(' / ');
}

/**
 * The run of median simulate CPU time among repeated runs of one workload (the lower of the two middle ones for an
 * even count), so that a table row is one real run, not a mix of runs. Throws on an empty list.
 */
export function medianRun(runs: readonly Measurement[]): Measurement {
  if (runs.length === 0) throw new Error('medianRun: no runs');
  const sorted = [...runs].sort((a, b) => a.simulate_cpu_s - b.simulate_cpu_s);
  return sorted[(sorted.length - 1) >> 1];
}

/** Smallest and largest simulate CPU time of each workload's runs, by workload name. */
export function cpuRanges(runs: readonly Measurement[]): Map<string, [number, number]> {
  const r = new Map<string, [number, number]>();
  for (const m of runs) {
    const x = r.get(m.workload);
    const c = m.simulate_cpu_s;
    r.set(m.workload, x ? [Math.min(x[0], c), Math.max(x[1], c)] : [c, c]);
  }
  return r;
}

function range(r: [number, number] | undefined): string {
  return r ? `${fmt(r[0])}-${fmt(r[1])}` : '-';
}

/**
 * The suite's markdown table, one row per measurement. With `ranges` (repeated runs: the rows are the median runs),
 * a column gives each workload's smallest and largest simulate CPU time and the number of runs.
 */
export function benchTable(ms: Measurement[], ranges?: Map<string, [number, number]>, reps = 1): string {
  const header = ['workload', 'neurons', 'synapses', 'build s', 'simulate s', 'simulate CPU s',
    ...(ranges ? [`CPU s, ${reps} runs`] : []), 'bio s / wall s', 'M events/s', 'M events / CPU s', 'spikes',
    'rate Hz (exc / inh)', 'peak RSS MB', 'bytes / synapse'];
  const rows = ms.map((m) => [
    m.workload,
    m.neurons,
    m.memory.synapses,
    fmt(m.build_s),
    fmt(m.simulate_s),
    fmt(m.simulate_cpu_s),
    ...(ranges ? [range(ranges.get(m.workload))] : []),
    fmt(m.bio_s_per_wall_s),
    fmt(m.events_per_s / 1e6),
    fmt(m.synaptic_events / m.simulate_cpu_s / 1e6),
    m.spikes,
    rates(m),
    Math.round(m.peak_rss_mb),
    fmt(m.memory.bytes_per_synapse),
  ]);
  return markdown(header, rows, header.map((h) => h !== 'workload' && !h.startsWith('rate')));
}

/**
 * A workload's simulate CPU time over its baseline's (Workload.baseline); for a workload on more than one thread,
 * its simulate wall time over its baseline's (a speed-up is a ratio under 1), as `basis` says.
 */
export interface CpuRatio {
  workload: string;
  baseline: string;
  basis: 'cpu' | 'wall';
  /** The median of the per-repeat ratios (the lower middle one for an even count). */
  median: number;
  min: number;
  max: number;
  /** Repeats paired: the k-th run of the workload with the k-th run of its baseline. */
  pairs: number;
}

/**
 * Each workload's CPU time over its baseline's, for the workloads of `rows` whose baseline ran too. With `runs`
 * (repeated runs, in the order they ran: the suite goes round once per repeat, so the k-th runs of the two were
 * measured in the same round, alternated with every other workload), the ratio is taken per round and the median
 * and range of those reported; otherwise the ratio of the two rows.
 */
export function cpuRatios(rows: readonly Measurement[], runs?: readonly Measurement[]): CpuRatio[] {
  const out: CpuRatio[] = [];
  for (const m of rows) {
    if (!m.baseline || !rows.some((b) => b.workload === m.baseline)) continue;
    const own = (runs ?? rows).filter((r) => r.workload === m.workload);
    const base = (runs ?? rows).filter((r) => r.workload === m.baseline);
    const n = Math.min(own.length, base.length);
    const basis = (m.threads ?? 1) > 1 ? 'wall' : 'cpu';
    const time = (x: Measurement) => (basis === 'wall' ? x.simulate_s : x.simulate_cpu_s);
    const r = Array.from({ length: n }, (_, k) => time(own[k]) / time(base[k])).sort((a, b) => a - b);
    if (n > 0) out.push({ workload: m.workload, baseline: m.baseline, basis, median: r[(n - 1) >> 1], min: r[0], max: r[n - 1], pairs: n });
  }
  return out;
}

/**
 * a / b taken pair by pair, matching `a`'s and `b`'s entries by seed (a pair ran back to back, under the same load):
 * the median (the mean of the two middle ones for an even count), smallest and largest, and the number of pairs;
 * null if no seed is in both.
 */
export function pairedRatios<T extends { seed: number }>(a: readonly T[], b: readonly T[], value: (x: T) => number): { median: number; min: number; max: number; n: number } | null {
  const r = b.flatMap((y) => {
    const x = a.find((z) => z.seed === y.seed);
    return x ? [value(x) / value(y)] : [];
  });
  if (r.length === 0) return null;
  return { median: median(r), min: Math.min(...r), max: Math.max(...r), n: r.length };
}

/** The markdown table of cpuRatios. */
export function ratioTable(ratios: readonly CpuRatio[]): string {
  const header = ['workload', 'against', 'simulate time', 'ratio', 'range', 'rounds'];
  const rows = ratios.map((r) => [r.workload, r.baseline, r.basis === 'wall' ? 'wall' : 'CPU', `${fmt(r.median)}x`, `${fmt(r.min)}-${fmt(r.max)}`, r.pairs]);
  return markdown(header, rows, [false, false, false, true, true, true]);
}

/** The main table, then the ratios' (when a workload ran with its baseline). */
export function tablesOf(rows: Measurement[], runs?: Measurement[], reps = 1): string {
  const main = runs ? benchTable(rows, cpuRanges(runs), reps) : benchTable(rows);
  const ratios = cpuRatios(rows, runs);
  return ratios.length > 0 ? `${main}\n\nSimulate time against a baseline workload, per round of the suite (CPU time; wall time for a workload on several threads, where a speed-up is a ratio under 1):\n\n${ratioTable(ratios)}` : main;
}

/** What a suite run measured, as bench/results.json holds it. */
export interface SuiteRun {
  machine: Machine;
  /** One (median) run per workload. */
  workloads: Measurement[];
  /** Every run, when repeated. */
  runs?: Measurement[];
  reps: number;
  quick: boolean;
  /** --only patterns, as given. */
  only?: string[];
  /** A smoke run: every workload simulated for this many ms only, to check the tooling, not to measure. */
  smoke_ms?: number;
  /** Workloads in the suite when it ran (to say "3 of 12"). */
  suite_size?: number;
  failed: { workload: string; error: string }[];
}

/** The markdown table of a saved suite run. */
export function suiteTable(r: SuiteRun): string {
  return tablesOf(r.workloads, r.runs, r.reps);
}

/**
 * Each workload's simulate CPU time in this run over the last recorded run's (the run behind the results page before
 * this one), for the workloads both ran in full (smoke runs are never compared). Across hours on a shared host the
 * ratio moves by 10-30% with the load alone; the page says so and gives both loads.
 */
export function lastRunTable(r: SuiteRun, last: SuiteRun): string | null {
  if (r.smoke_ms !== undefined || last.smoke_ms !== undefined) return null;
  const rows = r.workloads.flatMap((m) => {
    const then = last.workloads.find((x) => x.workload === m.workload && x.duration_ms === m.duration_ms);
    return then ? [[m.workload, fmt(m.simulate_cpu_s), fmt(then.simulate_cpu_s), `${fmt(m.simulate_cpu_s / then.simulate_cpu_s)}x`]] : [];
  });
  if (rows.length === 0) return null;
  return markdown(['workload', 'simulate CPU s, this run', 'simulate CPU s, last run', 'this / last'], rows, [false, true, true, true]);
}

/** The section of the results page that compares with the last recorded run (none if there is nothing to compare). */
function lastRunSection(r: SuiteRun, last: SuiteRun | null | undefined): string[] {
  if (!last) return ['No earlier recorded run to compare with (its data, `benchmarks-results.json` beside this page, was absent).', ''];
  if (last.machine.date === r.machine.date) return [];
  const table = lastRunTable(r, last);
  const l = last.machine;
  const same = l.cpu === r.machine.cpu && l.cores === r.machine.cores && l.node === r.machine.node;
  return [
    `Against the last recorded run (commit \`${l.git_commit ?? 'unknown'}\`${l.git_dirty ? ' with uncommitted changes' : ''}, ${l.date}, load ${l.load_avg_1m}; ${same ? 'the same CPU model, core count and Node' : `another machine: ${l.cpu}, ${l.cores} cores, Node ${l.node}`}). A ratio below 1 is faster now; on a shared host the load alone moves it by 10-30%, so read a change of that size as noise:`,
    '',
    table ?? 'No workload in common with it.',
    '',
  ];
}

/**
 * docs/benchmarks-results.md: the suite's table with where it came from (commit, date, machine, load), what was run
 * and what failed, and each workload's CPU time against the last recorded run (`last`, read from the JSON the
 * previous page was written with). Generated, never edited: `npm run bench` writes it again.
 */
export function resultsDoc(r: SuiteRun, last?: SuiteRun | null): string {
  const m = r.machine;
  const of = r.suite_size ? ` of ${r.suite_size}` : '';
  const which = r.only && r.only.length > 0
    ? `${r.workloads.length + r.failed.length}${of}, chosen with \`--only ${r.only.join(',')}\``
    : r.quick ? `the quick set, ${r.workloads.length + r.failed.length}${of} (\`--quick\`)` : `all ${r.workloads.length + r.failed.length}`;
  const busy = m.load_avg_1m >= m.cores / 2
    ? ` (on ${m.cores} cores: other work competed for the CPU, so wall times are inflated; compare CPU times, or rerun on a quiet machine)`
    : '';
  const lines = [
    '# Benchmark results',
    '',
    '<!-- Written by `npm run bench` (scripts/bench.ts): do not edit by hand, run it again. -->',
    '',
    `Written by \`npm run bench\` on ${m.date.slice(0, 10)}; running it again replaces this file. What the workloads are, what each column means and how to compare runs on a shared machine: [benchmarks.md](benchmarks.md).`,
    '',
    ...(r.smoke_ms !== undefined ? [`**Smoke run**: each workload simulated for ${r.smoke_ms} ms only, to check the tooling. These numbers are not measurements.`, ''] : []),
    `- commit: \`${m.git_commit ?? 'unknown'}\`${m.git_dirty ? ' with uncommitted changes' : ''}`,
    `- date: ${m.date}`,
    `- machine: ${m.cpu}, ${m.cores} cores (${m.available_parallelism} available), ${m.memory_gb} GiB, Node ${m.node}, ${m.platform}`,
    `- load average at the start: ${m.load_avg_1m}${busy}`,
    `- workloads: ${which}; ${r.reps > 1 ? `each run ${r.reps} times, the row is its run of median CPU time` : 'each run once'}, one process per workload, on one core`,
    ...(r.failed.length > 0 ? [`- failed: ${r.failed.map((f) => `${f.workload} (${f.error})`).join(', ')}`] : []),
    '',
    r.workloads.length > 0 ? suiteTable(r) : 'No workload finished.',
    '',
    ...(r.smoke_ms === undefined && r.workloads.length > 0 ? lastRunSection(r, last) : []),
  ];
  return lines.join('\n');
}
