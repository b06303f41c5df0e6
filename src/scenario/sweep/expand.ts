/**
 * From a sweep file to its runs: read and check the file (schema.ts), then resolve every point and seed into the
 * scenario exactly as it will run, before anything runs. Overrides are applied by the scenario loader as
 * `--set path=<value as JSON>` strings (load.ts's applySet), fixed `set` first, then grid, then zip, so a sweep
 * addresses fields exactly as `chronoprop run --set` does. Every problem is one line naming the sweep file, the
 * point and the field.
 *
 * Each run carries the SHA-256 of its resolved scenario (the one run.json records as scenario_sha256; the seed is
 * part of the scenario): it tells a finished run from a stale one, and it is the run's job id on a queue.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { ScenarioError } from '../errors.js';
import { show, zodProblems } from '../validate.js';
import { scenarioHash } from '../runner.js';
import type { Scenario } from '../schema.js';
import { sweepSchema, type SweepFile } from './schema.js';

/** The scenario loader handed down by the caller (api.ts's loadScenario, which knows the registry). */
export type ScenarioLoader = (ref: string, opts: { seed?: number; set?: string[] }) => Scenario;

export interface SweepRun {
  /** Position in the list of runs: the array task index of `--emit slurm`. */
  index: number;
  /** The point's id, p0, p1, ... (zero-padded), shared by its seeds. */
  point: string;
  seed: number;
  /** The varied paths' values at this point. */
  params: Record<string, unknown>;
  /** The run's folder, relative to the sweep folder: runs/<point>-s<seed>. */
  run: string;
  /** SHA-256 of the resolved scenario (run.json's scenario_sha256); the job id on a queue. */
  sha256: string;
  scenario: Scenario;
}

export interface Sweep {
  file: string;
  name: string;
  spec: SweepFile;
  /** The scenario as the loader takes it: a built-in name or an absolute path. */
  scenarioRef: string;
  /** Varied paths, grid, then zip, then listed points, in file order: the parameter columns of points.csv. */
  varied: string[];
  seeds: number[];
  runs: SweepRun[];
  /** SHA-256 of the runs (ids, seeds, parameters, scenario hashes): tells one sweep's folder from another's. */
  sha256: string;
}

const MAX_PROBLEMS = 20;

function readSweepText(file: string): unknown {
  let text: string;
  try {
    if (statSync(file).isDirectory()) throw new ScenarioError([`sweep file ${file} is a folder`]);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    throw new ScenarioError([`sweep file ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
  }
  const yaml = /\.ya?ml$/i.test(file);
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new ScenarioError([`${file} is not valid ${yaml ? 'YAML' : 'JSON'}: ${(e as Error).message.split('\n')[0]}`]);
  }
}

/** `path=value` for the loader: the value as JSON, except non-finite numbers (YAML's .nan, .inf), which --set reads by name. */
export function setArgument(path: string, value: unknown): string {
  return `${path}=${typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value)}`;
}

/** Checks the file's shape and the rules zod does not express (distinct paths, equal zip lengths, distinct seeds). */
export function parseSweep(input: unknown, file: string): SweepFile {
  const parsed = sweepSchema.safeParse(input);
  if (!parsed.success) throw new ScenarioError(zodProblems(parsed.error, input).map((p) => `${file}: ${p.replace(/^\(scenario\)/, '(sweep)')}`));
  const spec = parsed.data;
  const problems: string[] = [];
  const owner = new Map<string, string>();
  for (const block of ['set', 'grid', 'zip'] as const) {
    for (const path of Object.keys(spec[block])) {
      if (path === 'seed' && block !== 'set') problems.push(`${file}: ${block}.seed: vary seeds with "seeds: [...]", not as a path`);
      const prev = owner.get(path);
      if (prev) problems.push(`${file}: ${block}.${path} is also in ${prev}; a path may appear once`);
      owner.set(path, block);
    }
  }
  const listed = spec.points ?? [];
  const listedPaths = listed.length > 0 ? Object.keys(listed[0]) : [];
  listed.forEach((pt, k) => {
    const keys = Object.keys(pt);
    if (keys.length !== listedPaths.length || keys.some((x) => !listedPaths.includes(x))) {
      problems.push(`${file}: points[${k}] must set the same paths as points[0] (${listedPaths.join(', ') || 'none'}), got ${keys.join(', ') || 'none'}`);
    }
  });
  for (const path of listedPaths) {
    if (path === 'seed') problems.push(`${file}: points[0].seed: vary seeds with "seeds: [...]", not as a path`);
    const prev = owner.get(path);
    if (prev) problems.push(`${file}: points[0].${path} is also in ${prev}; a path may appear once`);
  }
  if (spec.seeds && spec.set.seed !== undefined) problems.push(`${file}: set.seed and seeds both set the seed; keep one`);
  const zipped = Object.entries(spec.zip);
  for (const [path, vals] of zipped.slice(1)) {
    if (vals.length !== zipped[0][1].length) {
      problems.push(`${file}: zip.${path} must have ${zipped[0][1].length} values like zip.${zipped[0][0]}, got ${vals.length}`);
    }
  }
  const seen = new Set<number>();
  for (const s of spec.seeds ?? []) {
    if (seen.has(s)) problems.push(`${file}: seeds must be distinct, got ${s} twice`);
    seen.add(s);
  }
  if (problems.length > 0) throw new ScenarioError(problems);
  return spec;
}

/** The points: grid combinations (last path fastest) x zip rows x listed points, as path -> value. */
export function sweepPoints(spec: SweepFile): Record<string, unknown>[] {
  let points: Record<string, unknown>[] = [{}];
  for (const [path, vals] of Object.entries(spec.grid)) points = points.flatMap((p) => vals.map((v) => ({ ...p, [path]: v })));
  const zipped = Object.entries(spec.zip);
  if (zipped.length > 0) {
    const rows = zipped[0][1].map((_, k) => Object.fromEntries(zipped.map(([path, vals]) => [path, vals[k]])));
    points = points.flatMap((p) => rows.map((r) => ({ ...p, ...r })));
  }
  if (spec.points) points = points.flatMap((p) => spec.points!.map((r) => ({ ...p, ...r })));
  return points;
}

/** A built-in name stays a name; a path is taken relative to the sweep file's folder (then the working folder). */
function scenarioRef(ref: string, file: string): string {
  if (isAbsolute(ref)) return ref;
  const beside = resolve(dirname(file), ref);
  if (existsSync(beside) && statSync(beside).isFile()) return beside;
  return existsSync(ref) ? resolve(ref) : ref;
}

function describe(params: Record<string, unknown>, seed: number | undefined): string {
  const parts = Object.entries(params).map(([p, v]) => `${p}=${show(v)}`);
  if (seed !== undefined) parts.push(`seed ${seed}`);
  return parts.join(', ');
}

/** Reads a sweep file and resolves every run; throws ScenarioError with every problem (up to 20 lines). */
export function readSweep(file: string, load: ScenarioLoader): Sweep {
  const spec = parseSweep(readSweepText(file), file);
  const ref = scenarioRef(spec.scenario, file);
  const fixed = Object.entries(spec.set).map(([p, v]) => setArgument(p, v));
  let base: Scenario;
  try {
    base = load(ref, { set: fixed });
  } catch (e) {
    if (e instanceof ScenarioError) throw new ScenarioError(e.problems.map((p) => `${file}: scenario ${spec.scenario} with set: ${p}`));
    throw e;
  }
  const seeds = spec.seeds ?? [base.seed];
  const points = sweepPoints(spec);
  const width = String(points.length - 1).length;
  const runs: SweepRun[] = [];
  const problems: string[] = [];
  points.forEach((params, k) => {
    const point = `p${String(k).padStart(width, '0')}`;
    const set = [...fixed, ...Object.entries(params).map(([p, v]) => setArgument(p, v))];
    for (const seed of seeds) {
      try {
        const scenario = load(ref, { seed: spec.seeds ? seed : undefined, set });
        runs.push({ index: runs.length, point, seed, params, run: `runs/${point}-s${seed}`, sha256: scenarioHash(scenario), scenario });
      } catch (e) {
        if (!(e instanceof ScenarioError)) throw e;
        problems.push(...e.problems.map((p) => `${file}: point ${point} (${describe(params, spec.seeds ? seed : undefined)}): ${p}`));
      }
    }
  });
  if (problems.length > 0) {
    const shown = [...new Set(problems)];
    const more = shown.length - MAX_PROBLEMS;
    throw new ScenarioError(more > 0 ? [...shown.slice(0, MAX_PROBLEMS), `... and ${more} more problems`] : shown);
  }
  const varied = [...Object.keys(spec.grid), ...Object.keys(spec.zip), ...Object.keys(spec.points?.[0] ?? {})];
  const sha256 = createHash('sha256')
    .update(JSON.stringify(runs.map((r) => [r.point, r.seed, r.params, r.sha256])))
    .digest('hex');
  return { file, name: spec.name ?? basename(file, extname(file)), spec, scenarioRef: ref, varied, seeds, runs, sha256 };
}
