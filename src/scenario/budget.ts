/**
 * The memory budget: what a run will hold, estimated from the scenario before anything is allocated, and refused
 * (ScenarioError, exit code 2) when it is over the budget or cannot be built at all.
 *
 *     estimate = baseline + sum over parts (populations, projections, state and weight recorders, rate records,
 *                worker threads) of count x bytes per unit
 *     budget   = --max-memory, or half of the machine's memory (the smaller of os.totalmem() and the cgroup limit)
 *
 * The bytes per unit are peaks measured on this implementation (Node 20, x64; docs/limits.md gives the
 * measurements), rounded up: a neuron of lif, adaptive_lif or two_compartment peaked at 115-122 B, a synapse with
 * one weight and one delay at 16 B, one with drawn weights and delays at 61 B, a plastic one at 30 B; a worker
 * thread at 92 MB. Recorders count at their bound, not at what a run of this length records: each spike recorder
 * holds at most one chunk (`spikeChunk` spikes, 2^20 by default, at 12 B), each state or weight recorder at most one
 * chunk of samples (`sampleChunk`, 8 MiB's worth by default, at least one sample; fewer if the run records fewer),
 * and they spill the rest to disk; writing the outputs streams one chunk at a time (recording/spill.ts).
 *
 * Some runs cannot be built whatever the budget: more than 2^31 - 1 synapses in a projection (indices are 32-bit;
 * the schema refuses such populations).
 */
import { totalmem } from 'node:os';
import type { Scenario, ProjectionSpec } from './schema.js';
import { sourceKinds } from '../neurons/source-kinds.js';
import { ScenarioError } from './errors.js';
import { MAX_INDEX } from '../schema-fields.js';
import { SPIKE_BYTES, SPIKE_CHUNK } from '../recording/spikes.js';
import { sampleChunkFor } from '../recording/spill.js';

const MiB = 2 ** 20;
/** Node, the bundle and its libraries, V8's heap at start (measured: 110 MB). */
export const BASELINE_BYTES = 128 * MiB;
/** A model neuron: state columns, records, its pending time in the population's queue (measured: 115-122 B). */
export const NEURON_BYTES = 160;
/** A model parameter given per neuron: its column of values (8 B) and the partition by values. */
export const PER_NEURON_PARAM_BYTES = 24;
/** A spike source's neuron: its rate and next spike time (a spike_source's lists are the scenario's own). */
export const SOURCE_BYTES = 64;
/** A synapse with the projection's one weight and one delay: the pair list while connecting, then CSR (16 B). */
export const SYNAPSE_BYTES = 24;
/** A weight or a delay drawn per synapse (both: 61 B measured in all, 45 B above the plain synapse). */
export const DRAWN_BYTES = 24;
/** A plastic synapse's traces and reverse index (measured: 14 B above the plain synapse). */
export const PLASTIC_BYTES = 24;
/** A rate-mode record (one population at one record time) up to report.html. */
export const ROW_BYTES = 384;
/**
 * Writing the state and weight series, per byte of the largest recorder's chunk (one file at a time): the chunk
 * read back from disk, each variable's values gathered from it, the neuron ids, and the NPY encoding of the chunk.
 */
export const SAMPLE_OUTPUT_FACTOR = 4;
/** A piece of a streamed CSV file (65,536 lines) as an array of lines and as one string. */
export const CSV_PIECE_BYTES = 16 * MiB;
/**
 * Writing the recorded spikes, per spike of one chunk (one population at a time): the chunk read back from disk
 * (12 B), its node ids as uint64 and their copy in HDF5's WebAssembly heap (16 B), with room for the CSV text.
 */
export const SPIKE_OUTPUT_BYTES = 48;
/** A worker thread: its own V8 heap and copy of the bundle (measured: 92 MB). */
export const WORKER_BYTES = 128 * MiB;
export { MAX_INDEX } from '../schema-fields.js';
/** The default budget, as a fraction of the machine's memory. */
export const DEFAULT_FRACTION = 0.5;

export interface MemoryPart {
  /** The scenario field it comes from, as error messages print it, e.g. `projections[0] (ee)`. */
  field: string;
  /** What is counted, e.g. `1.3e+5 synapses at 48 B`. */
  what: string;
  bytes: number;
}

export interface MemoryEstimate {
  parts: MemoryPart[];
  /** Baseline plus every part. */
  bytes: number;
}

export interface MemoryBudget {
  bytes: number;
  /** Where it comes from, for messages: `--max-memory 2G`, or `half of this machine's 23.5 GiB`. */
  source: string;
}

/** Bytes for people: 1.5 GiB, 300 MiB, 12 KiB, 100 B. */
export function formatBytes(b: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let k = 0;
  while (b >= 1024 && k < units.length - 1) (b /= 1024), k++;
  if (b >= 1024) return `${b.toExponential(1)} ${units[k]}`;
  return `${k === 0 ? Math.round(b) : b < 10 ? b.toFixed(1) : Math.round(b)} ${units[k]}`;
}

const count = (n: number) => (n < 1e6 ? String(Math.round(n)) : n.toExponential(2).replace('e+', 'e'));

/** The machine's memory: the smaller of the physical memory and a cgroup limit, if any. */
export function machineMemory(): number {
  const total = totalmem();
  const limit = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  return limit !== undefined && limit > 0 && limit < total ? limit : total;
}

/**
 * A budget from `--max-memory`: bytes (`2000000000`), with a binary unit (`512M`, `8G`, `1.5GiB`, `1T`), or a
 * percentage of the machine's memory (`75%`). Undefined: half of the machine's memory.
 */
export function parseBudget(spec: string | number | undefined, machine = machineMemory()): MemoryBudget {
  if (spec === undefined) return { bytes: machine * DEFAULT_FRACTION, source: `half of this machine's ${formatBytes(machine)}; --max-memory to change` };
  const text = String(spec).trim();
  const m = /^(\d+(?:\.\d+)?)\s*(%|[KMGT]?)(i?B)?$/i.exec(text);
  const unit = m ? m[2].toUpperCase() : '';
  const x = m ? Number(m[1]) : NaN;
  const bytes = unit === '%' ? (machine * x) / 100 : x * 1024 ** ' KMGT'.indexOf(unit || ' ');
  if (!m || (unit === '%' && m[3]) || !(bytes > 0) || !Number.isFinite(bytes)) {
    throw new ScenarioError([`--max-memory must be a size like 8G, 512M, 2000000000 or 75%, got ${JSON.stringify(text)}`]);
  }
  return { bytes, source: `--max-memory ${text}` };
}

/** Expected synapses of a projection (fixed_probability: the mean plus 5 standard deviations). */
export function expectedSynapses(c: ProjectionSpec['connect'], nPre: number, nPost: number, same: boolean): number {
  const auto = same && !('allow_autapses' in c && c.allow_autapses);
  switch (c.rule) {
    case 'all_to_all':
      return nPre * nPost - (auto ? Math.min(nPre, nPost) : 0);
    case 'one_to_one':
      return Math.min(nPre, nPost);
    case 'fixed_probability': {
      const pairs = nPre * nPost;
      return Math.min(pairs, c.p * pairs + 5 * Math.sqrt(c.p * (1 - c.p) * pairs));
    }
    case 'fixed_indegree':
      return nPost * c.n;
    case 'receptive_field':
      return nPost * Math.min(c.n ?? Infinity, c.patch[1] * c.patch[1]);
    case 'pairs':
      return c.pre.length;
  }
}

/** Sample times of a recorder over [0, duration): every `every` ms from 0, or the listed times. */
function samples(duration: number, every: number | undefined, times: number[] | undefined): number {
  if (times) return times.filter((t) => t < duration).length;
  return every ? Math.ceil(duration / every) : 0;
}

/** Problems no budget can lift: counts past 32-bit indices. */
function structural(sc: Scenario, synapses: Map<string, number>): string[] {
  const out: string[] = [];
  sc.projections.forEach((pr, k) => {
    const n = synapses.get(pr.name) ?? 0;
    if (n > MAX_INDEX) out.push(`projections[${k}] (${pr.name}) would make about ${count(n)} synapses, more than one projection holds (${MAX_INDEX}, 32-bit indices)`);
  });
  return out;
}

/**
 * Estimates the memory a validated scenario's run will hold; `workerThreads` are the threads it will start for
 * independent trials, `partitions` the partitions one network is split into (--threads),
 * `spikeChunk` the spikes a recorder holds before spilling to disk, `sampleChunk` the samples or snapshots a state or
 * weight recorder holds (undefined: 8 MiB's worth).
 */
export function estimateMemory(sc: Scenario, workerThreads = 0, spikeChunk = SPIKE_CHUNK, sampleChunk?: number, partitions = 1): MemoryEstimate {
  const parts: MemoryPart[] = [];
  const sizes = new Map(sc.populations.map((p) => [p.name, p.size]));
  sc.populations.forEach((p, k) => {
    const source = Object.hasOwn(sourceKinds, p.model);
    // A parameter given per neuron (a list, a distribution) is a column of its own, and the groups split by it.
    const perNeuron = source ? 0 : Object.values(p.params).filter((v) => typeof v === 'object' && v !== null).length;
    const per = (source ? SOURCE_BYTES : NEURON_BYTES) + PER_NEURON_PARAM_BYTES * perNeuron;
    parts.push({ field: `populations[${k}] (${p.name})`, what: `${count(p.size)} ${source ? 'source ' : ''}neurons at ${per} B`, bytes: p.size * per });
  });
  const synapses = new Map<string, number>();
  sc.projections.forEach((pr, k) => {
    const n = expectedSynapses(pr.connect, sizes.get(pr.from) ?? 0, sizes.get(pr.to) ?? 0, pr.from === pr.to);
    synapses.set(pr.name, n);
    const per = SYNAPSE_BYTES + (typeof pr.weight_mv === 'number' ? 0 : DRAWN_BYTES) + (typeof pr.delay_ms === 'number' ? 0 : DRAWN_BYTES) + (pr.plasticity ? PLASTIC_BYTES : 0);
    parts.push({ field: `projections[${k}] (${pr.name})`, what: `about ${count(n)} synapses at ${per} B`, bytes: n * per });
  });
  if (partitions > 1) {
    // Each partition builds the whole network (every synapse while it builds; the ones onto its own neurons after)
    // in a worker thread of its own, but the first (scenario/windowed.ts): as many networks again, at most.
    const network = parts.reduce((n, p) => n + p.bytes, 0);
    parts.push({
      field: '--threads',
      what: `${partitions - 1} more partition${partitions > 2 ? 's, each' : ''} building the whole network in a worker thread (${formatBytes(network)} and ${formatBytes(WORKER_BYTES)}${partitions > 2 ? ' each' : ''})`,
      bytes: (partitions - 1) * (network + WORKER_BYTES),
    });
  }
  if (sc.mode !== 'rate') {
    const recorded = sc.record.spikes === 'all' ? sc.populations.map((p) => p.name) : sc.record.spikes;
    recorded.forEach((name, k) => {
      const field = sc.record.spikes === 'all' ? `record.spikes (all: ${name})` : `record.spikes[${k}] (${name})`;
      parts.push({ field, what: `at most ${count(spikeChunk)} spikes in memory (the rest on disk) at ${SPIKE_BYTES} B`, bytes: spikeChunk * SPIKE_BYTES });
    });
    if (recorded.length > 0) {
      parts.push({ field: 'record.spikes', what: `writing the spike files, a chunk of ${count(spikeChunk)} spikes at a time at ${SPIKE_OUTPUT_BYTES} B`, bytes: spikeChunk * SPIKE_OUTPUT_BYTES });
    }
  }
  // A state or weight recorder holds at most its chunk; less if the run records fewer samples (its buffer grows by
  // doubling: at most twice them). Writing streams one chunk at a time, one file after another.
  let largest = 0;
  const series = (field: string, what: string, n: number, recordBytes: number) => {
    const held = Math.min(sampleChunkFor(recordBytes, sampleChunk), 2 * Math.max(1, n));
    largest = Math.max(largest, held * recordBytes);
    parts.push({ field, what: `at most ${count(held)} ${what} in memory (the rest on disk) at ${formatBytes(recordBytes)}`, bytes: held * recordBytes });
  };
  sc.record.state.forEach((s, k) => {
    const n = samples(sc.duration_ms, s.every_ms, s.times_ms);
    series(`record.state[${k}] (${s.population})`, 'samples', n, 8 + 8 * s.neurons.length * s.vars.length);
  });
  sc.record.weights.forEach((w, k) => {
    const n = samples(sc.duration_ms, w.every_ms, undefined);
    series(`record.weights[${k}] (${w.projection})`, 'snapshots', n, 8 + 8 * (synapses.get(w.projection) ?? 0));
  });
  if (sc.record.state.length + sc.record.weights.length > 0) {
    parts.push({
      field: sc.record.state.length > 0 ? 'record.state' : 'record.weights',
      what: `writing the state and weight files, a chunk at a time: ${SAMPLE_OUTPUT_FACTOR} x the largest chunk (${formatBytes(largest)}) and a CSV piece`,
      bytes: SAMPLE_OUTPUT_FACTOR * largest + CSV_PIECE_BYTES,
    });
  }
  if (sc.mode === 'rate') {
    const rows = samples(sc.duration_ms, sc.rate.record_every_ms, undefined) * sc.populations.length;
    parts.push({ field: 'rate.record_every_ms', what: `${count(rows)} recorded rates at ${ROW_BYTES} B`, bytes: rows * ROW_BYTES });
  }
  if (workerThreads > 0) {
    parts.push({ field: '--workers', what: `${workerThreads} worker threads at ${formatBytes(WORKER_BYTES)}`, bytes: workerThreads * WORKER_BYTES });
  }
  const bytes = parts.reduce((s, p) => s + p.bytes, BASELINE_BYTES);
  const problems = structural(sc, synapses);
  if (problems.length > 0) throw new ScenarioError(problems);
  return { parts, bytes };
}

/**
 * Throws a one-line ScenarioError when the run cannot be built, or when its estimate is over the budget, naming
 * the part that needs the most; else returns the estimate.
 */
export function checkMemory(
  sc: Scenario,
  opts: { maxMemory?: string | number; workerThreads?: number; spikeChunk?: number; sampleChunk?: number; partitions?: number } = {},
): MemoryEstimate {
  const budget = parseBudget(opts.maxMemory);
  const est = estimateMemory(sc, opts.workerThreads ?? 0, opts.spikeChunk, opts.sampleChunk, opts.partitions);
  if (est.bytes > budget.bytes) {
    const base: MemoryPart = { field: 'chronoprop itself', what: 'Node, the bundle and its libraries', bytes: BASELINE_BYTES };
    const top = est.parts.reduce((a, b) => (b.bytes > a.bytes ? b : a), base);
    throw new ScenarioError([
      `the run would need about ${formatBytes(est.bytes)} of memory, over the budget of ${formatBytes(budget.bytes)} (${budget.source}); ` +
        `most of it for ${top.field}: ${top.what}, ${formatBytes(top.bytes)}`,
    ]);
  }
  return est;
}
