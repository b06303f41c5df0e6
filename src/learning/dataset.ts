/**
 * A labelled data set for the rate-coded learners: inputs as float32 rows (pixels / 255 for MNIST, so in [0, 1]),
 * one integer class per row. Targets are one-hot vectors, made on the fly by the loss (loss.ts).
 */
import type { MnistSet } from '../data/mnist.js';

export interface Dataset {
  /** count * dim inputs, row-major. */
  x: Float32Array;
  /** Class of each row, 0..classes-1. */
  y: Uint8Array;
  count: number;
  dim: number;
  classes: number;
}

/** MNIST digits with pixels scaled to [0, 1]. */
export function fromMnist(set: MnistSet): Dataset {
  const x = new Float32Array(set.images.length);
  for (let i = 0; i < x.length; i++) x[i] = set.images[i] / 255;
  return { x, y: set.labels, count: set.count, dim: set.rows * set.cols, classes: 10 };
}

/** The digits at `indices` of `set`, in that order, pixels scaled to [0, 1] (fromMnist for a subset). */
export function fromMnistRows(set: MnistSet, indices: ArrayLike<number>): Dataset {
  const dim = set.rows * set.cols;
  const x = new Float32Array(indices.length * dim);
  const y = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const n = indices[k];
    for (let i = 0; i < dim; i++) x[k * dim + i] = set.images[n * dim + i] / 255;
    y[k] = set.labels[n];
  }
  return { x, y, count: indices.length, dim, classes: 10 };
}

/** Mean of each input over the data set (for input centring). */
export function inputMean(d: Dataset): Float64Array {
  const m = new Float64Array(d.dim);
  for (let n = 0; n < d.count; n++) for (let i = 0, o = n * d.dim; i < d.dim; i++) m[i] += d.x[o + i];
  for (let i = 0; i < d.dim; i++) m[i] /= d.count;
  return m;
}
