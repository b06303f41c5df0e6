/**
 * The experiment contract. A scenario's `experiment` field picks how it is run: `network` (build the network,
 * simulate `duration_ms`, record) or a registered experiment with its own protocol and metrics (src/registry.ts).
 * An experiment returns files and metrics; the runner (runner.ts) writes them and run.json atomically.
 */
import type { z } from 'zod';
import type { Scenario } from './schema.js';
import type { SpikeTrains } from '../recording/spikes.js';
import type { StateReader, StateWriter } from '../kernel/state-io.js';
import type { CheckpointUnit } from './checkpoint.js';

export interface OutputFile {
  /** Relative to the run folder, e.g. `spikes/exc.csv`. */
  path: string;
  data: string | Uint8Array;
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
  /** Recorded spikes per population, sorted by time then neuron: the runner writes them as SONATA spikes.h5. */
  spikes?: ReadonlyMap<string, SpikeTrains>;
  /** Extra figures; the report renders them after the standard ones (report/build-report.ts). */
  figures?: FigureSpec[];
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
}

export interface ExperimentContext {
  /** Checkpoints to take, and the state to resume from (absent: none). */
  checkpoint?: CheckpointHooks;
  /** Progress in the experiment's own units (e.g. simulated ms, or trials). */
  onProgress?: (done: number, total: number, unit: string) => void;
  /** Worker threads an experiment may use for independent trials (results never depend on it). */
  workers: number;
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
