/**
 * Runs a validated scenario and writes its folder atomically: everything goes to `<out>.partial-<pid>` first and is
 * renamed into place at the end, so an interrupted (SIGINT, SIGTERM) or failed run never leaves a half-written
 * results folder nor its partial one. What is at `out` is checked before anything is simulated (out-folder.ts):
 * only a previous results folder is ever replaced, and only when `replace` allows it; so is that the folder can be
 * written there at all (a parent that is a file, a read-only file system, a name too long, /proc), and the memory
 * the run will need, against its budget (budget.ts).
 * The folder holds run.json, the experiment's files (CSV and NPY), spikes.h5 (SONATA) when spikes were recorded,
 * figures/ and report.html, all built inside the temporary folder before the rename.
 *
 * run.json holds what it takes to reproduce the run: the resolved scenario (defaults filled in) and its SHA-256,
 * the seed, the RNG algorithm, chronoprop's version, Node's version, the git commit (and whether the working tree
 * had uncommitted changes), the command line, start and end times, wall times, counts and metrics. For the same
 * scenario, seed and version every file is byte-identical except run.json's `timing` and `provenance` blocks,
 * report.html (which shows them) and spikes.h5, whose contents are identical but whose HDF5 object headers carry
 * creation times (h5wasm offers no way to turn that off).
 *
 * Recorded spikes, state samples and weight snapshots are held in bounded memory (recording/spill.ts): the
 * temporary folder is made before the run, and each recorder appends every full chunk (`spikeChunk` spikes,
 * SPIKE_CHUNK by default; `sampleChunk` samples or snapshots, 8 MiB's worth by default) to files in its `spill/`
 * folder, from which the spike CSVs, spikes.h5 and the state and weight series are written by streaming; `spill/` is
 * removed before the rename, so only finished files ever appear at `out`. A run with checkpoints spills into `<out>.checkpoint/spill/`
 * instead, which survives a kill with the checkpoint that counts what it holds.
 *
 * Checkpoints (checkpoint.ts, docs/checkpoint.md): with `checkpointEvery` an experiment that takes them writes the
 * run's whole state to `<out>.checkpoint/` as it goes; `resume` continues from there, and the folder is removed once
 * the results folder is in place. A run is refused while a checkpoint of an unfinished one is beside `out`.
 */
import { mkdirSync, writeFileSync, renameSync, rmSync, rmdirSync, existsSync, realpathSync, openSync, closeSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import type { Scenario } from './schema.js';
import type { CheckpointHooks, Experiment, ExperimentContext, FigureSpec, OutputFile, RunResult, StreamedFile } from './experiment.js';
import { checkpointDir, hasCheckpoint, parseCheckpointEvery, removeCheckpoint, showEvery, spillDir, writeCheckpoint, type CheckpointEvery, type CheckpointHeader } from './checkpoint.js';
import { SPIKE_CHUNK } from '../recording/spikes.js';
import { CheckpointMismatch, StateWriter, type StateReader } from '../kernel/state-io.js';
import { ScenarioError } from './errors.js';
import { RNG_ALGORITHM } from '../kernel/rng.js';
import { packageRoot } from './load.js';
import { VERSION } from '../version.js';
import { writeSonataSpikes } from '../formats/sonata.js';
import { buildReport, isStandardFigureName } from '../report/build-report.js';
import { checkOutFolder, checkWritable, makeDirs, resultsRule, type ReplaceRule } from './out-folder.js';
import { checkFreeSpaceFloor, checkOutputs } from './output-guard.js';
import { cleanUpIfInterrupted, RunInterrupted, SignalLatch } from './interrupt.js';
import { oneThreadBecause } from './windowed.js';
import { checkMemory } from './budget.js';
import type { RunJsonOf } from '../report/run-json.js';

/** Version of the results-folder layout, so readers (the report) can tell old folders from new. */
export const RESULTS_FORMAT = 'chronoprop-results/1';

/** The contents of run.json (its layout: report/run-json.ts). */
export type RunJson = RunJsonOf<Scenario>;

export interface RunSummary {
  out: string;
  result: RunResult;
  runJson: RunJson;
  /** Seconds spent writing files, spikes.h5 and the report after the experiment finished. */
  output_s: number;
  /** Whether report.html was built. */
  reported: boolean;
}

export interface RunOptions extends ExperimentContext {
  /** Recorded in run.json's provenance. */
  command?: string[];
  /** Build report.html and figures/ (default true); `chronoprop report` can build them later. */
  report?: boolean;
  /**
   * Replace a previous results folder at `out` (default true; `chronoprop run` sets it from --force). Anything else
   * at `out` (a file, a folder chronoprop did not write) is never replaced: the run stops before simulating.
   */
  replace?: boolean;
  /** The memory budget (budget.ts: bytes, `8G`, `75%`); default half of the machine's memory. */
  maxMemory?: string | number;
  /** Write checkpoints every so many simulated ms (`200ms`) or training examples (`1000ex`), as the experiment takes them. */
  checkpointEvery?: string | CheckpointEvery;
  /**
   * Spikes each spike recorder holds in memory before it appends them to disk (default SPIKE_CHUNK, 2^20, or the
   * environment's CHRONOPROP_SPIKE_CHUNK); results never depend on it.
   */
  spikeChunk?: number;
  /**
   * Samples (state recorders) or snapshots (weight recorders) each holds in memory before it appends them to disk
   * (default: as many as fit in 8 MiB, at least one, or the environment's CHRONOPROP_SAMPLE_CHUNK); results never
   * depend on it.
   */
  sampleChunk?: number;
  /** Continue from this checkpoint (api.ts resumeRun), instead of from the start. */
  resume?: { file: string; header: CheckpointHeader; state: StateReader; command?: string[] };
}

/** The spike chunk of a run: the option, else CHRONOPROP_SPIKE_CHUNK, else SPIKE_CHUNK. */
export function spikeChunk(option?: number): number {
  const env = process.env.CHRONOPROP_SPIKE_CHUNK;
  const v = option ?? (env !== undefined && env !== '' ? Number(env) : SPIKE_CHUNK);
  if (!Number.isInteger(v) || v < 1 || v > 2 ** 28) {
    throw new ScenarioError([`the spike chunk (${option !== undefined ? 'spikeChunk' : 'CHRONOPROP_SPIKE_CHUNK'}) must be a whole number from 1 to 268435456 spikes, got ${JSON.stringify(option ?? env)}`]);
  }
  return v;
}

/** The sample chunk of a run: the option, else CHRONOPROP_SAMPLE_CHUNK, else undefined (8 MiB per recorder). */
export function sampleChunk(option?: number): number | undefined {
  const env = process.env.CHRONOPROP_SAMPLE_CHUNK;
  const v = option ?? (env !== undefined && env !== '' ? Number(env) : undefined);
  if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > 2 ** 28)) {
    throw new ScenarioError([`the sample chunk (${option !== undefined ? 'sampleChunk' : 'CHRONOPROP_SAMPLE_CHUNK'}) must be a whole number from 1 to 268435456 samples, got ${JSON.stringify(option ?? env)}`]);
  }
  return v;
}

export function scenarioHash(sc: Scenario): string {
  return createHash('sha256').update(JSON.stringify(sc)).digest('hex');
}

function git(args: string[], cwd: string): string | null {
  try {
    return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return null;
  }
}

/** The commit of chronoprop's own checkout, or null (e.g. installed from npm inside somebody else's repository). */
export function gitState(): { commit: string | null; dirty: boolean | null } {
  const root = packageRoot();
  const top = git(['rev-parse', '--show-toplevel'], root);
  if (top === null || realpathSync(top) !== realpathSync(root)) return { commit: null, dirty: null };
  const commit = git(['rev-parse', 'HEAD'], root);
  const status = git(['status', '--porcelain', '--untracked-files=no'], root);
  return { commit, dirty: status === null ? null : status.length > 0 };
}

const FIGURE_NAME = /^[A-Za-z0-9._-]+$/;

function figureFiles(figures: FigureSpec[] | undefined): OutputFile[] {
  return (figures ?? []).map((f) => {
    if (!FIGURE_NAME.test(f.name) || isStandardFigureName(f.name)) {
      throw new Error(`experiment figure name "${f.name}" must be letters, digits, ".", "_" or "-" and not a standard figure's`);
    }
    const spec = { ...(f.spec as Record<string, unknown>) };
    spec.title ??= f.title;
    return { path: `figures/${f.name}.vl.json`, data: JSON.stringify(spec, null, 1) + '\n' };
  });
}

/**
 * Runs `experiment` on the scenario and writes the results folder at `out`. The experiment is handed down by the
 * caller: runScenario (src/api.ts) takes the one the registry holds under the scenario's `experiment`.
 */
export async function runExperiment(experiment: Experiment, sc: Scenario, out: string, ctx: RunOptions): Promise<RunSummary> {
  const rule = resultsRule(ctx.replace !== false);
  const started = ctx.resume ? new Date(ctx.resume.header.run.started_at) : new Date();
  const checkpoint = checkpointHooks(experiment, sc, out, ctx, started);
  const chunk = spikeChunk(ctx.spikeChunk);
  const samples = sampleChunk(ctx.sampleChunk);
  checkOutFolder(out, rule);
  checkWritable(out);
  checkFreeSpaceFloor(out);
  // --threads splits a network into partitions, each building the whole network, unless it runs on one thread.
  const partitions = ctx.threads !== undefined && ctx.threads > 1 && oneThreadBecause(sc, checkpoint !== null) === null ? ctx.threads : 1;
  checkMemory(sc, {
    maxMemory: ctx.maxMemory,
    workerThreads: experiment.threads && ctx.workers > 1 ? Math.min(ctx.workers, availableParallelism()) : 0,
    spikeChunk: chunk,
    sampleChunk: samples,
    partitions,
  });
  const t0 = performance.now();
  const partial = makePartial(resolve(out));
  const spill = checkpoint ? spillDir(checkpointDir(out)) : join(partial.tmp, 'spill');
  // A checkpointed run starting afresh: spilled records of a run killed before its first checkpoint are stale.
  if (checkpoint && !ctx.resume) rmSync(spill, { recursive: true, force: true });
  let result: RunResult;
  try {
    result = await runWithCheckpoints(experiment, sc, { ...ctx, checkpoint: checkpoint?.hooks, spill: { dir: spill, chunk, samples } }, ctx.resume?.file);
  } catch (e) {
    partial.remove();
    // Without a checkpoint to resume from, nothing will read the spilled records.
    if (checkpoint && !hasCheckpoint(out)) removeCheckpoint(checkpointDir(out));
    throw e;
  } finally {
    // Signals do again what they do without checkpoints (one that came and was not taken is raised again).
    await checkpoint?.latch.release();
  }
  const t1 = performance.now();
  const { commit, dirty } = gitState();
  const runJson: RunJson = {
    format: RESULTS_FORMAT,
    name: sc.name,
    version: VERSION,
    seed: sc.seed,
    rng: RNG_ALGORITHM,
    scenario_sha256: scenarioHash(sc),
    counts: result.counts,
    metrics: result.metrics,
    timing: { ...result.timing, total_s: (t1 - t0) / 1e3 },
    provenance: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpu: cpus()[0]?.model.trim() ?? null,
      git_commit: commit,
      git_dirty: dirty,
      started_at: started.toISOString(),
      finished_at: new Date().toISOString(),
      command: ctx.command ?? null,
      workers: ctx.workers,
      ...(ctx.threads !== undefined ? { threads: ctx.threads } : {}),
      ...(checkpoint && checkpoint.resumed.length > 0 ? { resumed: checkpoint.resumed } : {}),
    },
    scenario: sc,
  };
  const files: OutputFile[] = [
    { path: 'run.json', data: JSON.stringify(runJson, null, 2) + '\n' },
    ...result.files,
    ...figureFiles(result.figures),
  ];
  await finishAtomically(partial, resolve(out), async (tmp) => {
    // No NaN or Infinity in any file, and room for them (output-guard.ts); a refusal removes the temporary folder.
    const streamed = checkOutputs(out, tmp, result, files);
    writeFiles(tmp, files);
    writeStreamed(tmp, streamed);
    if (result.spikes && result.spikes.size > 0) await writeSonataSpikes(join(tmp, 'spikes.h5'), result.spikes);
    rmSync(join(tmp, 'spill'), { recursive: true, force: true });
    if (ctx.report !== false) await buildReport(tmp);
  }, rule);
  if (checkpoint) removeCheckpoint(checkpointDir(out));
  return { out: resolve(out), result, runJson, output_s: (performance.now() - t1) / 1e3, reported: ctx.report !== false };
}

/**
 * The checkpoint hooks for this run, or null when it takes none. Refused (exit 2): --checkpoint-every for an
 * experiment that takes no checkpoints or in the other unit, and any run while a checkpoint of an unfinished run is
 * beside `out` (it would be lost; resume it, or remove it).
 */
function checkpointHooks(experiment: Experiment, sc: Scenario, out: string, ctx: RunOptions, started: Date): { hooks: CheckpointHooks; resumed: CheckpointHeader['run']['resumed']; latch: SignalLatch } | null {
  const dir = checkpointDir(out);
  if (!ctx.resume && hasCheckpoint(out)) {
    throw new ScenarioError([`a checkpoint of an unfinished run is at ${dir}: continue that run with \`chronoprop resume ${dir}\`, or remove the folder to start afresh`]);
  }
  const spec = ctx.resume?.header.run.every ?? ctx.checkpointEvery;
  if (spec === undefined) return null;
  const every = typeof spec === 'string' ? parseCheckpointEvery(spec) : spec;
  const unit = experiment.checkpointUnit?.(sc) ?? null;
  if (unit === null) {
    throw new ScenarioError([`--checkpoint-every is not supported for experiment ${sc.experiment}${sc.mode === 'rate' ? ' in rate mode' : ''} (checkpoints: network in spiking mode, in simulated ms; spiking-digits, in training examples), got ${showEvery(every)}`]);
  }
  if (unit !== every.unit) {
    const want = unit === 'ms' ? 'simulated milliseconds, e.g. 200ms' : 'training examples, e.g. 1000ex';
    throw new ScenarioError([`--checkpoint-every must be in ${want}, for experiment ${sc.experiment}, got ${showEvery(every)}`]);
  }
  const prev = ctx.resume?.header;
  const resumed = prev ? [...prev.run.resumed, { at: new Date().toISOString(), from: prev.position, command: ctx.resume!.command ?? null }] : [];
  const run: CheckpointHeader['run'] = prev
    ? { ...prev.run, resumed }
    : {
        out: resolve(out),
        cwd: process.cwd(),
        report: ctx.report !== false,
        replace: ctx.replace !== false,
        max_memory: ctx.maxMemory ?? null,
        workers: ctx.workers,
        command: ctx.command ?? null,
        started_at: started.toISOString(),
        every,
        resumed: [],
      };
  const sha = scenarioHash(sc);
  const latch = new SignalLatch();
  const save = (position: number, fill: (w: StateWriter) => void) => {
    const w = new StateWriter();
    fill(w);
    writeCheckpoint(dir, { version: VERSION, written_at: new Date().toISOString(), scenario_sha256: sha, run, position, scenario: sc }, w);
  };
  return {
    resumed,
    latch,
    hooks: {
      every: every.value,
      resume: ctx.resume?.state ?? null,
      save,
      // SIGINT and SIGTERM wait for the next safe point, which writes a checkpoint and stops the run (interrupt.ts).
      async safePoint(position, fill) {
        latch.arm();
        await latch.turn();
        const signal = latch.take();
        if (signal === null) return;
        save(position, fill);
        throw new RunInterrupted(signal, position, unit, run.out);
      },
      endSafePoints: () => latch.release(),
    },
  };
}

/** Runs the experiment; a checkpoint that does not fit what the scenario builds is one line (exit 2). */
async function runWithCheckpoints(experiment: Experiment, sc: Scenario, ctx: ExperimentContext, file: string | undefined): Promise<RunResult> {
  try {
    return await experiment.run(sc, ctx);
  } catch (e) {
    if (e instanceof CheckpointMismatch) throw new ScenarioError([`checkpoint ${file} does not fit the network its scenario builds: ${e.message}`]);
    throw e;
  }
}

function writeFiles(dir: string, files: OutputFile[]): void {
  mkdirSync(dir, { recursive: true });
  for (const f of files) {
    const p = join(dir, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.data);
  }
}

/** Writes each streamed file as it emits its pieces. */
function writeStreamed(dir: string, files: StreamedFile[]): void {
  for (const f of files) {
    const p = join(dir, f.path);
    mkdirSync(dirname(p), { recursive: true });
    const fd = openSync(p, 'w');
    try {
      f.write((piece) => {
        const b = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
        for (let done = 0; done < b.length; ) done += writeSync(fd, b, done, b.length - done);
      });
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * A results folder to be built in `<dir>.partial-<pid>` (see buildAtomically). The folder is made when the results
 * are written, or earlier by a recorder that spills into it during the run (recording/spikes.ts); `remove` removes it
 * and the parents that were missing when the run began, if they are empty.
 */
export interface PartialFolder {
  tmp: string;
  remove(): void;
}

/** The temporary folder for `dir`, not made yet; a stale one of this process id is removed. */
export function makePartial(dir: string): PartialFolder {
  const tmp = `${dir}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const missing: string[] = []; // innermost first
  for (let d = dirname(tmp); !existsSync(d) && dirname(d) !== d; d = dirname(d)) missing.push(d);
  return {
    tmp,
    remove: () => {
      rmSync(tmp, { recursive: true, force: true });
      for (const d of missing) rmEmpty(d);
    },
  };
}

/**
 * Lets `build` fill a fresh temporary folder, then puts it in place of `dir` in one rename (the old folder, if
 * any, is moved aside first and removed after). What is at `dir` is replaced only if `rule` allows it, checked
 * before and again just before the rename. If `build` throws, or SIGINT or SIGTERM comes, nothing at `dir` changes
 * and the temporary folder is removed.
 */
export async function buildAtomically(dir: string, build: (tmp: string) => Promise<void> | void, rule: ReplaceRule): Promise<void> {
  checkOutFolder(dir, rule);
  await finishAtomically(makePartial(dir), dir, build, rule);
}

/** buildAtomically with a temporary folder made earlier (makePartial), which may already hold files. */
export async function finishAtomically(partial: PartialFolder, dir: string, build: (tmp: string) => Promise<void> | void, rule: ReplaceRule): Promise<void> {
  const { tmp, remove } = partial;
  await cleanUpIfInterrupted(remove, async () => {
    try {
      checkOutFolder(dir, rule);
      makeDirs(tmp);
      await build(tmp);
      checkOutFolder(dir, rule);
      const old = `${dir}.old-${process.pid}`;
      if (existsSync(dir)) renameSync(dir, old);
      renameSync(tmp, dir);
      rmSync(old, { recursive: true, force: true });
    } catch (e) {
      remove();
      throw e;
    }
  });
}

function rmEmpty(d: string): void {
  try {
    rmdirSync(d);
  } catch {
    // not empty (someone else's now), or gone
  }
}

/** Writes all files into a fresh folder that replaces `dir` (as `rule` allows) only once complete. */
export async function writeAtomically(dir: string, files: OutputFile[], rule: ReplaceRule): Promise<void> {
  await buildAtomically(dir, (tmp) => writeFiles(tmp, files), rule);
}
