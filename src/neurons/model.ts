/**
 * The neuron contract: how a model plugs into the kernel.
 *
 * A model is a description (name, parameters with units and defaults, state variables) plus `create`, which builds
 * a group of `size` neurons whose state lives in typed arrays (read and written from outside through `StateColumn`
 * views). The group never sees the queue: it answers "when will this neuron next cross threshold?" and the
 * population (population.ts) schedules that answer. A receptor is an index into the model's `receptors` (by
 * default `exc` = 0, `inh` = 1); the sign of a weight, not the receptor, says whether it depolarizes.
 */
import type { StateReader, StateWriter } from '../kernel/state-io.js';

export interface ParamSpec {
  default: number;
  unit: string;
  doc: string;
  /** Lower bound; with `exclusive` the bound itself is not allowed. */
  min?: number;
  exclusive?: boolean;
}

export interface StateSpec {
  unit: string;
  doc: string;
}

export type Params = Record<string, number>;

/**
 * One state variable of a group, neuron by neuron, valid at each neuron's last update time. A view rather than an
 * array, so that a model may lay its state out as its hot path needs (lif keeps each neuron's variables in one
 * record).
 */
export interface StateColumn {
  readonly length: number;
  get(i: number): number;
  /** Overwrites neuron i's value at its last update time (advance it to the time meant first). */
  set(i: number, value: number): void;
  /** A copy of the column. */
  toArray(): Float64Array;
}

export interface NeuronModel {
  readonly name: string;
  readonly summary: string;
  readonly params: Readonly<Record<string, ParamSpec>>;
  readonly state: Readonly<Record<string, StateSpec>>;
  /** Receptor names, in index order (absent: `exc`, `inh`, as RECEPTOR). */
  readonly receptors?: readonly string[];
  /** Cross-field checks: returns [field, message] for the first violated rule, or null. */
  check?(p: Params): [string, string] | null;
  create(size: number, p: Params): NeuronGroup;
}

export const RECEPTOR = { exc: 0, inh: 1 } as const;
/** A receptor's index among its model's receptors. */
export type Receptor = number;

/** The receptor names of a model, in index order. */
export function receptorsOf(model: NeuronModel): readonly string[] {
  return model.receptors ?? Object.keys(RECEPTOR);
}

/**
 * A model's neurons, driven by their population. The population queues, for neuron i, exactly the times this group
 * gives it: every time predict() and fire() return, and every earlier time input() returns or inputMany() reports.
 * A group may rely on that to keep its own copy of the queued times (the LIF model does, in its per-neuron record).
 */
export interface NeuronGroup {
  readonly size: number;
  /** State columns by public name (`v_mv`, ...), valid at each neuron's last update time. */
  readonly state: Readonly<Record<string, StateColumn>>;
  /**
   * Writes neuron i's state at time t (>= its last update) into out, in the order of the model's `state` keys,
   * without changing anything: recorders use it so that observing never alters the floating-point path.
   */
  sample(i: number, t: number, out: Float64Array): void;
  /** Advances neuron i to time t with the closed-form solution. */
  advance(i: number, t: number): void;
  /**
   * Applies a synaptic input of weight w at time t. Returns the neuron's first threshold crossing if it is now
   * earlier than `tPending` (the crossing already scheduled, Infinity if none), else Infinity. It may return t
   * itself (an instantaneous jump reached threshold).
   */
  input(i: number, t: number, receptor: Receptor, w: number, tPending: number): number;
  /**
   * The inputs of one delivery group, all at time t on one receptor: weight w[s] to neuron post[s] for s in
   * [s0, s1), in that order, with the same effect as input() called for each. A w of length 1 holds one weight
   * for every synapse (a projection with a shared weight; for a single synapse both readings agree). A neuron may
   * appear more than once only in adjacent entries. Each input that brings its neuron's crossing earlier than the
   * pending one (pending[i], or the time this call last reported for i) is reported: the neuron in changed[k], the
   * new time in changedAt[k], k counting from 0. Returns the number reported. One call per group keeps the
   * per-synapse path free of calls that would pass or return boxed doubles. A group that keeps its own copy of the
   * queued times (see above) may read that instead of `pending`, which holds the same values.
   */
  inputMany(
    post: Int32Array,
    w: Float64Array,
    s0: number,
    s1: number,
    t: number,
    receptor: Receptor,
    pending: Float64Array,
    changed: Int32Array,
    changedAt: Float64Array,
  ): number;
  /** True if neuron i, advanced to t, is at or above threshold (and not refractory). */
  atThreshold(i: number, t: number): boolean;
  /** First threshold crossing strictly after the state at time t (neuron advanced to t first), Infinity if none. */
  predict(i: number, t: number): number;
  /** Emits a spike at t: resets, starts the refractory period, returns the next crossing (Infinity if none). */
  fire(i: number, t: number): number;
  /** End of neuron i's refractory period (ms; -Infinity if it never fired), for models that have one. */
  refractoryEnd?(i: number): number;
  /** Sets the end of neuron i's refractory period (snapshot.ts restores a saved state with it). */
  setRefractoryEnd?(i: number, t: number): void;
  /**
   * Writes everything about the group that changes during a run (state, bookkeeping, caches that a later result
   * depends on), and reads it back into a group created with the same size and parameters: checkpoints
   * (scenario/checkpoint.ts). A model without them cannot be checkpointed.
   */
  saveState?(w: StateWriter): void;
  loadState?(r: StateReader): void;
  /**
   * If the model rounds its check times down to multiples of a grid (ms), that grid: the population then queues
   * such times in buckets, one per grid line, instead of a heap (a matter of speed only; see DueQueue).
   */
  readonly checkGridMs?: number;
  /**
   * For a group whose neurons share a time origin that it moves as inputs come (the LIF model's epoch of zs and zp,
   * models/lif/relax.ts): from now on, move it only when moveEpoch says, so that each neuron's bits no longer depend
   * on which other neurons of the group received inputs (a threaded run, scenario/windowed.ts, calls moveEpoch at
   * the ends of its windows, the same times in every partition). A group without a shared origin has neither.
   */
  holdEpoch?(): void;
  /** After holdEpoch: moves the shared origin to t if t is past the span it allows (an input's time never is). */
  moveEpoch?(t: number): void;
}
