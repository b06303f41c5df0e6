/**
 * The experiment contract. A scenario's `experiment` field picks how it is run: `network` (build the network,
 * simulate `duration_ms`, record) or a registered experiment with its own protocol and metrics (src/registry.ts).
 * An experiment returns files and metrics; the runner (runner.ts) writes them and run.json atomically.
 */
import type { z } from 'zod';
import type { Scenario } from './schema.js';
import type { SpikeSlices, SpikeTrains } from '../recording/spikes.js';
import type { StateReader, StateWriter } from '../kernel/state-io.js';
import type { CheckpointUnit } from './checkpoint.js';

export interface OutputFile {
  /** Relative to the run folder, e.g. `spikes/exc.csv`. */
  path: string;
  data: string | Uint8Array;
}

/**
 * A file too large to hold at once (a long run's spikes CSV, recorded state read back from disk): the runner writes
 * it as `write` emits it.
 */
export interface StreamedFile {
  /** Relative to the run folder. */
  path: string;
  /** Emits the contents in order, a piece at a time: text (written as UTF-8) or bytes. */
  write(emit: (piece: string | Uint8Array) => void): void;
  /** Bytes it will have at least (exact where known: a .npy), for the free-space check; absent: not counted. */
  size?: number;
}

/** A scenario-specific figure: a Vega-Lite spec with its data inline (`data: { values: [...] }`). */
export interface FigureSpec {
  /** File stem: written as figures/<name>.vl.json and figures/<name>.svg (letters, digits, ".", "_", "-"). */
  name: string;
  title: string;
  spec: object;
}

export interface RunResult {
  metrics: Record<string, unknown>;
  counts: { spikes: number; synaptic_events: number };
  timing: { build_s: number; simulate_s: number };
  files: OutputFile[];
  /** Files written piece by piece after `files` (spike CSVs, state and weight series of a run that spilled to disk). */
  streamed?: StreamedFile[];
  /**
   * Recorded spikes per population, sorted by time then neuron, whole or to be read in slices (a recorder that
   * spilled to disk): the runner writes them as SONATA spikes.h5.
   */
  spikes?: ReadonlyMap<string, SpikeTrains | SpikeSlices>;
  /** Extra figures; the report renders them after the standard ones (report/build-report.ts). */
  figures?: FigureSpec[];
  /** One-line notes for the user (the command line prints them), e.g. why --threads ran on one thread. */
  notes?: string[];
}

/**
 * Checkpoints, handed to an experiment that takes them (Experiment.checkpointUnit) when the run was asked for them
 * (--checkpoint-every) or is resumed (runner.ts, checkpoint.ts).
 */
export interface CheckpointHooks {
  /** Take a checkpoint every this many units (simulated ms, or training examples). */
  every: number;
  /** The state to continue from (written by `save`'s fill), or null for a run from the start. */
  resume: StateReader | null;
  /** Writes a checkpoint at `position` (units done): `fill` writes the experiment's state. Between events only. */
  save(position: number, fill: (w: StateWriter) => void): void;
  /**
   * A safe point (between events or examples), to call often, e.g. after each slice of simulated time or each
   * example: lets the event loop run when it has not for a while (signals are delivered there), and if SIGINT or
   * SIGTERM came, writes a checkpoint at `position` with `fill`, as `save` does, and throws RunInterrupted
   * (interrupt.ts). A resumed run must continue from any position a safe point was given. Absent: not asked for.
   */
  safePoint?(position: number, fill: (w: StateWriter) => void): Promise<void>;
  /**
   * After the last safe point: from now on SIGINT and SIGTERM end the process as they would without checkpoints
   * (one that came since the last safe point is raised again; await it).
   */
  endSafePoints?(): Promise<void>;
}

export interface ExperimentContext {
  /** Checkpoints to take, and the state to resume from (absent: none). */
  checkpoint?: CheckpointHooks;
  /** Progress in the experiment's own units (e.g. simulated ms, or trials). */
  onProgress?: (done: number, total: number, unit: string) => void;
  /** Worker threads an experiment may use for independent trials (results never depend on it). */
  workers: number;
  /**
   * --threads: run one network on this many threads (scenario/windowed.ts; the same output for any number). Absent:
   * the classic one-thread loop.
   */
  threads?: number;
  /**
   * Where recorders may spill what they record while running, and how much they hold in memory: `chunk` spikes per
   * spike recorder, `samples` samples (or snapshots) per state (or weight) recorder, or, when absent, as many as fit
   * in 8 MiB (recording/spill.ts sampleChunkFor). Given by the runner (runner.ts): its temporary results folder, or the
   * checkpoint folder when the run takes checkpoints. Absent (the library's in-memory simulateNetwork): everything
   * stays in memory.
   */
  spill?: { dir: string; chunk: number; samples?: number };
}

export interface Experiment {
  readonly summary: string;
  /** The schema of `scenario.settings`, so that `chronoprop validate` checks them too (settings.ts). */
  readonly settings?: z.ZodType;
  /**
   * Checks that need the scenario as a whole (a setting that names a population), one line per problem; run with
   * the settings by validation (api.ts), so that `chronoprop validate` and the library find them before anything runs.
   */
  check?(sc: Scenario): string[];
  /** Starts worker threads for its trials (ctx.workers): the memory budget counts them (budget.ts). */
  readonly threads?: boolean;
  /**
   * The unit this experiment takes checkpoints in, for this scenario, or null if it cannot be checkpointed (then
   * --checkpoint-every is refused). Absent: never.
   */
  checkpointUnit?(sc: Scenario): CheckpointUnit | null;
  run(sc: Scenario, ctx: ExperimentContext): Promise<RunResult>;
}
