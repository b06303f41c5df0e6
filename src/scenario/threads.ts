/**
 * `--threads N`: a network scenario run as N partitions (windowed.ts), partition 0 in this thread and the others
 * in worker threads that share the window's-end exchange (shared-exchange.ts). Without the bundled worker entry
 * (tests run from sources) or with N = 1, the partitions run one after another in this thread, window by window:
 * the same protocol, so the same bits (tested).
 *
 * Each worker returns what only it knows: the synaptic events delivered onto its neurons and the final weights of its
 * share of each plastic projection (merged here: partition-synapses.ts). Spikes are known to every partition (each
 * releases all of them), so partition 0's network, whose recorders heard every spike, is the run's.
 */
import { Worker } from 'node:worker_threads';
import type { Scenario } from './schema.js';
import type { Network } from './network.js';
import type { ChunkFunction } from '../parallel/pool.js';
import { workerEntry } from '../parallel/pool.js';
import { WindowedPartition, runWindows, type Gather } from './windowed.js';
import { mergeLists } from '../parallel/spike-list.js';
import { PartitionAborted, SharedExchange, exchangeBuffers, type ExchangeBuffers } from '../parallel/shared-exchange.js';
import { mergeSynapses, partitionSynapses, type PartitionSynapses, type SynapseTable } from './partition-synapses.js';

export interface ThreadedRun {
  /** Partition 0's network: its recorders hold every spike, its spike counts are the run's. */
  net: Network;
  /** Synaptic events delivered over all partitions. */
  delivered: number;
  /** The plastic projections' final synapses, merged from every partition into one network's order. */
  plastic: Map<string, SynapseTable>;
  /** Threads the partitions ran on (1 when they ran one after another here). */
  threads: number;
}

interface PartitionPayload {
  scenario: Scenario;
  index: number;
  buffers: ExchangeBuffers;
  /** The state samples' exchange (window-samples.ts), when states are recorded. */
  sampleBuffers: ExchangeBuffers | null;
  windowMs: number;
}

/** The spikes' and the samples' gather for this thread's one partition, through the shared exchanges. */
function sharedGathers(ex: SharedExchange, samples: SharedExchange | null): [Gather, Gather] {
  return [(held, out) => ex.gather(held[0], out), (held, out) => samples!.gather(held[0], out)];
}

/** What a partition knows that the others do not. */
interface PartitionResult {
  delivered: number;
  /** Its share of each plastic projection, by name. */
  plastic: Record<string, PartitionSynapses>;
}

function resultOf(part: WindowedPartition): PartitionResult {
  const plastic: Record<string, PartitionSynapses> = {};
  for (const name of part.net.rules.keys()) plastic[name] = partitionSynapses(part.net.projections.get(name)!);
  return { delivered: part.net.deliveredCount, plastic };
}

/** The run's totals from every partition's result, in partition order. */
function combine(net: Network, results: PartitionResult[], threads: number): ThreadedRun {
  const plastic = new Map<string, SynapseTable>();
  for (const name of net.rules.keys()) plastic.set(name, mergeSynapses(results.map((r) => r.plastic[name])));
  return { net, delivered: results.reduce((n, r) => n + r.delivered, 0), plastic, threads };
}

/** A worker's partition: runs the whole scenario's duration, exchanging at each window's end. */
export const partitionChunk: ChunkFunction<PartitionPayload, PartitionResult> = {
  name: 'threads-partition',
  run({ scenario, index, buffers, sampleBuffers, windowMs }) {
    const ex = new SharedExchange(buffers, index);
    const sx = sampleBuffers === null ? null : new SharedExchange(sampleBuffers, index);
    try {
      const part = new WindowedPartition(scenario, index, buffers.count);
      ex.barrier(); // every partition built
      const [spikes, samples] = sharedGathers(ex, sx);
      runWindows([part], spikes, windowMs, scenario.duration_ms, undefined, samples);
      return resultOf(part);
    } catch (e) {
      ex.abort();
      sx?.abort();
      throw e;
    }
  },
};

/**
 * Runs the scenario in `count` partitions on up to `count` threads (threadsObstacle must have found nothing), over
 * windows of windowMs (windowOf). `onBuilt` gets partition 0's network before it runs (its recorders may be set to
 * spill); `onWindow` hears each window's end (progress).
 */
export async function runThreaded(
  sc: Scenario,
  count: number,
  windowMs: number,
  onBuilt?: (net: Network) => void,
  onWindow?: (end: number) => void,
): Promise<ThreadedRun> {
  const entry = workerEntry();
  if (count === 1 || entry === null) {
    const parts = Array.from({ length: count }, (_, k) => new WindowedPartition(sc, k, count));
    onBuilt?.(parts[0].net);
    runWindows(parts, mergeLists, windowMs, sc.duration_ms, onWindow);
    return combine(parts[0].net, parts.map(resultOf), 1);
  }
  const buffers = exchangeBuffers(count);
  const sampleBuffers = sc.record.state.length > 0 ? exchangeBuffers(count) : null;
  const workers = Array.from({ length: count - 1 }, () => new Worker(entry));
  const results = workers.map(
    (w, k) =>
      new Promise<PartitionResult>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
        w.postMessage({ name: partitionChunk.name, payload: { scenario: sc, index: k + 1, buffers, sampleBuffers, windowMs } satisfies PartitionPayload });
      }),
  );
  // Collected now, so that a worker's failure is not an unhandled rejection while this thread is busy below.
  const settled = Promise.allSettled(results);
  const ex = new SharedExchange(buffers, 0);
  const sx = sampleBuffers === null ? null : new SharedExchange(sampleBuffers, 0);
  try {
    let part: WindowedPartition;
    try {
      part = new WindowedPartition(sc, 0, count);
      ex.barrier(); // every partition built: the simulation starts together
      onBuilt?.(part.net);
      const [spikes, samples] = sharedGathers(ex, sx);
      runWindows([part], spikes, windowMs, sc.duration_ms, onWindow, samples);
    } catch (e) {
      ex.abort();
      sx?.abort();
      if (!(e instanceof PartitionAborted)) throw e;
      // A worker failed first: its error is the one to report.
      for (const r of await settled) if (r.status === 'rejected') throw r.reason;
      throw e;
    }
    const results = [resultOf(part)];
    for (const r of await settled) {
      if (r.status === 'rejected') throw r.reason;
      results.push(r.value);
    }
    return combine(part.net, results, count);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
