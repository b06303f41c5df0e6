/**
 * Benchmark reporting: the machine a run was measured on, and markdown tables (printed by `npm run bench`, pasted
 * into docs/notebooks/kernel-rounds.md as they are).
 */
import { cpus, totalmem, platform, arch, availableParallelism, loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';
import type { Measurement } from './measure.js';

export interface Machine {
  cpu: string;
  cores: number;
  available_parallelism: number;
  memory_gb: number;
  node: string;
  platform: string;
  git_commit: string | null;
  date: string;
  /** 1-minute load average when the run started: above the core count, other work competed for the CPU. */
  load_avg_1m: number;
}

export function machine(): Machine {
  const c = cpus();
  let commit: string | null = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    commit = null;
  }
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    available_parallelism: availableParallelism(),
    memory_gb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${platform()}-${arch()}`,
    git_commit: commit,
    date: new Date().toISOString(),
    load_avg_1m: Math.round(loadavg()[0] * 100) / 100,
  };
}

export function machineLine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memory_gb} GiB, Node ${m.node}, ${m.platform}, commit ${m.git_commit ?? '?'}, ${m.date.slice(0, 10)}, load ${m.load_avg_1m}`;
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
