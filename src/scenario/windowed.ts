/**
 * One network on several threads: the windowed protocol (NEST's min_delay scheme, made deterministic).
 *
 * Every partition builds the whole scenario (the same draws, so the same connectivity), keeps only the synapses
 * onto the neurons it owns (a contiguous block of each population: network.ts ownedBlock), and simulates only those
 * neurons. Spike sources are replicated: every partition generates the same streams and delivers to its own targets.
 * Time advances in windows of D, the least delay of any projection from a neuron population: a spike at t in a
 * window [W, W + D) arrives at t + d >= W + D, so a partition can run a window without hearing from the others.
 * (Window ends are W_{k+1} = W_k + D in floating point, and rounding is monotone, so t + d >= W_{k+1} holds in
 * floating point too.) A population's spikes are held back until the window's end (Population.partition); there
 * the spikes of every partition are merged in the canonical order (t, population, neuron) (spike-list.ts), and every
 * partition, the one that fired each spike included, hands them to the listeners in that order: its projections
 * queue the arrivals onto its own neurons, and partition 0's recorders record them.
 *
 * Why a neuron's bits do not depend on the number of partitions: what changes a neuron is its own threshold events
 * and its arrivals. Arrivals at one time pop in insertion order, and insertions happen at the same points of the
 * run in every partition (a source's when it fires, as sources are replicated; a neuron spike's at the end of its
 * window, in canonical order). The state shared across neurons, the LIF group's epoch of its decay factors and the
 * STDP traces' epochs, moves at window ends only (holdEpoch, moveEpoch), not at whichever input a partition happens
 * to see first. So one partition and N partitions give the same bits; the classic loop (no --threads) differs from
 * both in the last bits (its epochs move at inputs, its simultaneous spikes of two populations reach zero-delay
 * targets in queue order).
 *
 * STDP (pair and triplet) runs too: all the synapses onto a neuron live in its partition, so its rule hears that
 * neuron's spikes at once there (SpikeListener.local), and the arrivals of a delay group in every partition that
 * holds some of the group (its presynaptic trace is the same in each). At the end the partitions' final weights are
 * merged into one network's order (partition-synapses.ts).
 *
 * What can run this way (threadsObstacle): every neuron model (lif's group holds its epoch; the linear models' group,
 * models/linear.ts, which runs adaptive_lif, alpha_lif, two_compartment and equations, keeps no state shared across
 * neurons), static synapses, short-term plasticity (its state is per delay group and follows the presynaptic
 * train alone, so every partition holding some of a group has the same), STDP, spike sources, spike recording.
 * State recording too: each partition samples the neurons it owns, and partition 0 assembles the records at window
 * ends (window-samples.ts). Weight recorders (they read synapses of every partition at once) and networks whose least
 * delay is under MIN_WINDOW_MS run on one thread, saying why.
 */
import { Network } from './network.js';
import type { Scenario } from './schema.js';
import type { Population, SpikeOutbox } from '../neurons/population.js';
import { KEY_SPAN, SpikeList } from '../parallel/spike-list.js';
import { neuronModelFor } from '../../models/index.js';
import { PartitionSamples } from './window-samples.js';

/**
 * The least window (ms): below it, the exchange at each window's end (a few tens of us between threads) would cost
 * more than a window's simulation could save, so the network runs on one thread.
 */
export const MIN_WINDOW_MS = 0.1;

/**
 * Plasticity rules run in partitions (every rule today; a new one joins once it is `local` and holds its epochs): a
 * post spike changes only the synapses onto that neuron (told at once in its partition: SpikeListener.local), a pre
 * arrival only its delay group's, and their traces' epochs are held.
 */
const PARTITIONED_RULES = new Set(['stdp', 'triplet_stdp']);

/** The least delay (ms) any of the projection's synapses can have, from its scenario spec. */
function leastDelay(spec: Scenario['projections'][number]['delay_ms']): number {
  if (typeof spec === 'number') return spec;
  if (Array.isArray(spec)) return spec.reduce((m, d) => Math.min(m, d), Infinity);
  if ('uniform' in spec) return spec.uniform[0];
  return 0; // a normal draw is truncated at 0 (network.ts)
}

/** D: the least delay of a projection from a neuron population (Infinity if none), and that projection's name. */
export function windowOf(sc: Scenario): { ms: number; projection: string | null } {
  const neuronPops = new Set(sc.populations.filter((p) => neuronModelFor(p) !== undefined).map((p) => p.name));
  let ms = Infinity;
  let projection: string | null = null;
  for (const pr of sc.projections) {
    if (!neuronPops.has(pr.from)) continue;
    const d = leastDelay(pr.delay_ms);
    if (d < ms) {
      ms = d;
      projection = pr.name;
    }
  }
  return { ms, projection };
}

/**
 * Why a run of the scenario with --threads goes on one thread (one line), or null if it runs in partitions: what
 * the scenario holds (threadsObstacle), or checkpoints, which a threaded run does not take.
 */
export function oneThreadBecause(sc: Scenario, checkpoints: boolean): string | null {
  return threadsObstacle(sc) ?? (checkpoints ? 'checkpoints are taken on one thread' : null);
}

/** Why the scenario cannot run in partitions (one line), or null if it can. */
export function threadsObstacle(sc: Scenario): string | null {
  if (sc.experiment !== undefined && sc.experiment !== 'network') return `experiment ${sc.experiment} runs its own trials (--workers spreads them)`;
  if (sc.mode === 'rate') return 'the rate-coded twin is not an event-driven network';
  for (const pr of sc.projections) {
    if (pr.plasticity && !PARTITIONED_RULES.has(pr.plasticity.rule)) return `projection ${pr.name}: plasticity rule ${pr.plasticity.rule} is not run in partitions`;
  }
  if (sc.record.weights.length > 0) return 'record.weights reads synapses of every partition';
  const w = windowOf(sc);
  if (w.ms < MIN_WINDOW_MS) return `its least delay between neuron populations is ${w.ms} ms (projection ${w.projection}), under ${MIN_WINDOW_MS} ms`;
  return null;
}

/** One partition of a threaded run: its network, and the spikes its populations hold back in the current window. */
export class WindowedPartition implements SpikeOutbox {
  readonly net: Network;
  readonly held = new SpikeList();
  /** The state recorders' samples of the current window (window-samples.ts), or null when none are recorded. */
  readonly samples: PartitionSamples | null;
  /** Neuron populations by rank (their order in the scenario; Network gives rank r the keys from r * KEY_SPAN). */
  private readonly pops: Population[];

  constructor(sc: Scenario, index: number, count: number) {
    this.net = new Network(sc, { index, count, outbox: this });
    this.pops = [...this.net.populations.values()];
    for (const p of this.pops) p.group.holdEpoch?.();
    for (const rule of this.net.rules.values()) rule.holdEpoch!();
    this.samples = this.net.state.length > 0 ? new PartitionSamples(this.net.state) : null;
  }

  hold(key: number, t: number): void {
    this.held.push(t, key);
  }

  /** Simulates the partition up to the window's end (exclusive) and sorts what it held back. */
  runTo(end: number): void {
    this.net.run(end);
    this.held.sort();
  }

  /**
   * At the window's end: the window's state samples become records (partition 0: `samples`, every partition's), the
   * epochs move, then every partition's spikes (merged) go to the listeners.
   */
  release(merged: SpikeList, end: number, samples: SpikeList | null = null): void {
    this.samples?.release(this.net.part?.index === 0 ? samples : null);
    for (const p of this.pops) p.group.moveEpoch?.(end);
    for (const rule of this.net.rules.values()) rule.moveEpoch!(end);
    const { t, key, n } = merged;
    for (let k = 0; k < n; k++) {
      const r = Math.floor(key[k] / KEY_SPAN);
      this.pops[r].release(key[k] - r * KEY_SPAN, t[k]);
    }
    this.held.clear();
  }
}

/** Hands the partitions' held spikes (each list sorted) to every partition, merged: `out`. */
export type Gather = (held: readonly SpikeList[], out: SpikeList) => void;

/**
 * Runs partitions (all of them in one thread, or this thread's one) window by window from their clock to tEnd.
 * `gather` merges the held spikes of every partition of the run, and `gatherSamples` their state samples (when
 * states are recorded: WindowedPartition.samples); `onWindow` hears each window's end.
 */
export function runWindows(
  parts: readonly WindowedPartition[],
  gather: Gather,
  windowMs: number,
  tEnd: number,
  onWindow?: (end: number) => void,
  gatherSamples: Gather = gather,
): void {
  const merged = new SpikeList();
  const held = parts.map((p) => p.held);
  const sampled = parts[0].samples === null ? null : parts.map((p) => p.samples!.held);
  const mergedSamples = sampled === null ? null : new SpikeList();
  let w = parts[0].net.sim.now;
  while (w < tEnd) {
    const next = w + windowMs;
    const end = next < tEnd ? next : tEnd;
    for (const p of parts) p.runTo(end);
    gather(held, merged);
    if (sampled !== null) gatherSamples(sampled, mergedSamples!);
    for (const p of parts) p.release(merged, end, mergedSamples);
    w = end;
    onWindow?.(end);
  }
}
