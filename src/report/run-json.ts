/**
 * The layout of run.json, the file that makes a folder a chronoprop results folder. The runner
 * (scenario/runner.ts) writes it with the full resolved scenario; the report reads it back and needs of that
 * scenario only what `RecordedScenario` names, so the layout is declared here, below both, with the scenario's type
 * as a parameter.
 */

/** What a reader of run.json relies on in its `scenario` (the resolved scenario, defaults filled in). */
export interface RecordedScenario {
  name: string;
  description: string;
  experiment: string;
  duration_ms: number;
  /** `spiking`, or `rate` for the rate-coded twin (absent in folders written before the twin). */
  mode?: string;
  /** The experiment's own settings as given in the scenario. */
  settings?: Record<string, unknown>;
  populations: { name: string; model: string; size: number }[];
}

/** The contents of run.json, with the scenario as `S` (the runner's RunJson uses the full Scenario). */
export interface RunJsonOf<S extends RecordedScenario> {
  format: string;
  name: string;
  version: string;
  seed: number;
  rng: string;
  scenario_sha256: string;
  counts: { spikes: number; synaptic_events: number };
  metrics: Record<string, unknown>;
  timing: { build_s: number; simulate_s: number; total_s: number };
  provenance: {
    node: string;
    platform: string;
    cpu: string | null;
    git_commit: string | null;
    /** True if tracked files differed from the commit; null outside a git checkout. */
    git_dirty: boolean | null;
    started_at: string;
    finished_at: string;
    /** The command line arguments (after `chronoprop`), when run from the command line. */
    command: string[] | null;
    workers: number;
    /** --threads, when given (the output is the same for any number; scenario/windowed.ts). */
    threads?: number;
    /** A run continued from checkpoints (`chronoprop resume`): each resume, when, from which position (the
     * checkpoint's unit: simulated ms or training examples) and with which command. Absent for a run in one go. */
    resumed?: { at: string; from: number; command: string[] | null }[];
  };
  scenario: S;
}

/** run.json as the report reads it. */
export type RecordedRun = RunJsonOf<RecordedScenario>;
