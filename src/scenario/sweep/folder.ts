/**
 * The sweep folder:
 *
 *   sweep.json            the sweep, its runs and their results (written at the start with every run pending,
 *                         so the folder is recognisably a sweep's, and again at the end)
 *   points.csv            one row per point and seed: point, each varied path, seed, status, run, metrics
 *   runs/<point>-s<seed>/ one results folder per run, as `chronoprop run` writes it
 *   report.html, figures/ metric-versus-parameter figures
 *
 * What may be at the output path (out-folder.ts's rules): nothing; a folder of the same sweep (it is resumed: a run
 * whose run.json has the run's scenario hash is done and never rerun); a folder of another sweep, replaced only with
 * --force. Anything else (a file, a folder chronoprop did not write) is never touched. With --force, the same sweep
 * starts over too.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { ScenarioError } from '../errors.js';
import { outFolderProblem, type ReplaceRule } from '../out-folder.js';
import { RESULTS_FORMAT } from '../runner.js';
import { VERSION } from '../../version.js';
import type { Sweep, SweepRun } from './expand.js';

export const SWEEP_FORMAT = 'chronoprop-sweep/1';

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function sweepJsonOf(dir: string): { format?: unknown; sweep_sha256?: unknown } | undefined {
  return readJson(join(dir, 'sweep.json')) as { format?: unknown; sweep_sha256?: unknown } | undefined;
}

/** The sweep_sha256 in a folder's sweep.json (undefined if none). */
export function folderSweepSha(dir: string): unknown {
  return sweepJsonOf(dir)?.sweep_sha256;
}

/** A folder `chronoprop sweep` wrote: its sweep.json names the sweep format. */
export function isSweepFolder(dir: string): boolean {
  const j = sweepJsonOf(dir);
  return typeof j?.format === 'string' && j.format.startsWith('chronoprop-sweep/');
}

export const sweepRule = (replace: boolean): ReplaceRule => ({ ours: isSweepFolder, what: 'sweep folder', sign: 'sweep.json', replace });

/**
 * Makes `dir` ready for `sweep`: 'fresh' (created, or a previous sweep's folder removed with `force`) or 'resume'
 * (the same sweep's folder, kept). Throws a one-line ScenarioError for anything it may not touch.
 */
export function prepareSweepFolder(dir: string, sweep: Sweep, force: boolean): 'fresh' | 'resume' {
  const problem = outFolderProblem(dir, sweepRule(true));
  if (problem !== null) throw new ScenarioError([problem]);
  if (existsSync(dir)) {
    const same = sweepJsonOf(dir)?.sweep_sha256 === sweep.sha256;
    if (same && !force) return 'resume';
    if (!force) {
      throw new ScenarioError([`output folder ${dir} holds a different sweep (its sweep.json has other runs); pass --force to replace it, or choose another with --out`]);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(join(dir, 'runs'), { recursive: true });
  return 'fresh';
}

/** True if the run's folder holds a finished run of exactly this scenario (run.json's scenario_sha256). */
export function runIsDone(runDir: string, sha256: string): boolean {
  const j = readJson(join(runDir, 'run.json')) as { format?: unknown; scenario_sha256?: unknown } | undefined;
  return j?.format === RESULTS_FORMAT && j.scenario_sha256 === sha256;
}

/** The run's metrics from its run.json, scalars only, flattened to dotted names (populations.exc.rate_hz). */
export function runMetrics(runDir: string): Record<string, number | string | boolean | null> {
  const j = readJson(join(runDir, 'run.json')) as { metrics?: unknown } | undefined;
  const out: Record<string, number | string | boolean | null> = {};
  const walk = (v: unknown, prefix: string): void => {
    if (v !== null && typeof v === 'object') {
      if (!Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(x, prefix ? `${prefix}.${k}` : k);
    } else if (prefix) {
      out[prefix] = v as number | string | boolean | null;
    }
  };
  walk(j?.metrics, '');
  return out;
}

export interface PointRow {
  point: string;
  seed: number;
  params: Record<string, unknown>;
  status: 'done' | 'failed' | 'pending';
  run: string;
  scenario_sha256: string;
  error?: string;
  metrics: Record<string, number | string | boolean | null>;
}

export interface SweepTable {
  name: string;
  varied: string[];
  /** Metric columns: every scalar metric of a finished run, in the order first met going through the runs. */
  metrics: string[];
  rows: PointRow[];
}

/** The table of a sweep from its folder: a run is done if its folder is (runIsDone), else failed with its error. */
export function collectTable(dir: string, sweep: Sweep, errors: ReadonlyMap<number, string>, pending = false): SweepTable {
  const metrics: string[] = [];
  const known = new Set<string>();
  const rows = sweep.runs.map((r: SweepRun): PointRow => {
    const runDir = join(dir, r.run);
    const base = { point: r.point, seed: r.seed, params: r.params, run: r.run, scenario_sha256: r.sha256 };
    if (!runIsDone(runDir, r.sha256)) {
      if (pending) return { ...base, status: 'pending', metrics: {} };
      return { ...base, status: 'failed', error: errors.get(r.index) ?? 'did not run', metrics: {} };
    }
    const m = runMetrics(runDir);
    for (const k of Object.keys(m)) if (!known.has(k)) known.add(k), metrics.push(k);
    return { ...base, status: 'done', metrics: m };
  });
  return { name: sweep.name, varied: sweep.varied, metrics, rows };
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'number' && !Number.isFinite(v) ? String(v) : JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** points.csv: point, the varied paths, seed, status, run, then the metrics; numbers in shortest round-trip form. */
export function pointsCsv(t: SweepTable): string {
  const header = ['point', ...t.varied, 'seed', 'status', 'run', ...t.metrics];
  const lines = [header.map(csvCell).join(',')];
  for (const r of t.rows) {
    const cells = [r.point, ...t.varied.map((p) => r.params[p]), r.seed, r.status, r.run, ...t.metrics.map((m) => r.metrics[m])];
    lines.push(cells.map(csvCell).join(','));
  }
  return lines.join('\n') + '\n';
}

export interface SweepProvenance {
  started_at: string;
  finished_at: string | null;
  /** local, queue or slurm. */
  mode: string;
  workers: number | null;
  queue: string | null;
  /** The queue's name on that Redis (--queue-name), with mode queue. */
  queue_name: string | null;
  command: string[] | null;
  node: string;
}

/** sweep.json: the sweep file as read, the table, counts; `provenance` is the only block that varies between runs. */
export function sweepJson(sweep: Sweep, t: SweepTable, provenance: SweepProvenance): string {
  const count = (s: string) => t.rows.filter((r) => r.status === s).length;
  const doc = {
    format: SWEEP_FORMAT,
    name: sweep.name,
    version: VERSION,
    sweep_sha256: sweep.sha256,
    scenario: sweep.spec.scenario,
    sweep: sweep.spec,
    varied: sweep.varied,
    seeds: sweep.seeds,
    counts: { runs: t.rows.length, done: count('done'), failed: count('failed'), pending: count('pending') },
    metrics: t.metrics,
    points: t.rows,
    provenance,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** Writes a file under a temporary name and renames it, so a reader never sees half of it. */
export function writeFileAtomically(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
