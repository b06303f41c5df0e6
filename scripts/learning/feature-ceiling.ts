/**
 * How good are the hidden layer's features? The spiking learner's readout can do no better than the best linear
 * readout of the hidden spike counts, so this script measures that ceiling for a scenario's (untrained) network:
 * it presents the first `--train` digits of train[0:50000] and the first `--val` digits of the validation split
 * train[50000:60000] to a frozen copy (the test set is never read: this script is for choices), counts each hidden
 * neuron's spikes over a `--look` ms free phase, and fits a ridge regression from the standardized counts (plus a
 * bias) to one-hot labels, offline:
 *
 *     W = (A^T A + lambda I)^-1 A^T T,    prediction = argmax_k (a W)_k
 *
 * (least squares to one-hot targets: the delta rule's fixed point; mathjs LU for the solve). It prints train and
 * validation accuracy for each `--lambda` (comma-separated). `--weights DIR` loads the hidden layer's weights from a
 * finished run's `weights/in_hid.npy` (dense [pre][post] mV, as spiking-digits writes it): the ceiling of the
 * features that training left, rather than of the initial ones. With `--train-look` the training counts come from a shorter
 * look than the validation counts (`--look`), as the online learner sees them in one free phase; the validation counts are
 * scaled to the training look's duration. The training counts' Poisson noise then acts as a ridge penalty of its own
 * (least squares on noisy inputs: E||y - W(x + n)||^2 = ||y - W x||^2 + W diag(var n) W^T). Overrides are
 * `path=value` assignments joined by ';', as the CLI's --set:
 *
 *     node scripts/ts.mjs scripts/learning/feature-ceiling.ts --train 5000 --val 1000 --look 200 \
 *       --set 'projections.in_hid.connect={"rule":"receptive_field","width":28,"height":28,"patch":[7,11],"n":49}'
 */
import { lup, lusolve, type Matrix } from 'mathjs';
import { SpikingFa } from '../../src/learning/spiking/spiking-fa.js';
import { frozen, parseSettings } from '../../src/learning/spiking/spiking-digits.js';
import { loadScenario } from '../../src/scenario/load.js';
import { loadMnist, mnistPixels } from '../../src/data/mnist.js';
import { args } from './common.js';
import { npyValues } from './npy.js';

const a = args();
const sc = loadScenario(a.scenario ?? 'fa-digits', { set: a.set ? a.set.split(';') : [] });
const s = parseSettings(sc);
const look = Number(a.look ?? 200);
const trainLook = Number(a['train-look'] ?? look);
const netFor = (t: number): SpikingFa => new SpikingFa(frozen(sc), { ...s, t_free_ms: t });
const nets = { train: netFor(trainLook), val: trainLook === look ? undefined : netFor(look) };
const H = nets.train.hid.size;
if (a.weights) {
  // Dense [pre][post] -> the projection's synapse order.
  const dense = npyValues(`${a.weights}/in_hid.npy`);
  for (const net of [nets.train, nets.val]) {
    if (!net) continue;
    const p = net.inHid;
    const pre = p.synapsePre();
    for (let k = 0; k < p.count; k++) p.weight[k] = dense[pre[k] * H + p.post[k]];
  }
}
const VALIDATION_START = 50000;

/** Hidden spike counts [n][H] and labels of the first n digits of the training part or of the validation split. */
function counts(set: 'train' | 'val', n: number): { X: Float64Array; y: Int32Array } {
  const d = loadMnist('train', { dir: s.data_dir });
  const from = set === 'val' ? VALIDATION_START : 0;
  if (from + n > (set === 'val' ? d.count : VALIDATION_START)) throw new Error(`--${set} ${n}: more digits than the ${set === 'val' ? 'validation split' : 'training part'} holds`);
  const X = new Float64Array(n * H);
  const y = new Int32Array(n);
  const x = new Float64Array(d.rows * d.cols);
  const net = (set === 'val' && nets.val) || nets.train;
  const scale = set === 'val' ? trainLook / look : 1;
  for (let k = 0; k < n; k++) {
    const c = net.present(mnistPixels(d, from + k, x), d.labels[from + k], false).hidFree;
    for (let j = 0; j < H; j++) X[k * H + j] = c[j] * scale;
    y[k] = d.labels[from + k];
  }
  return { X, y };
}

const t0 = performance.now();
const train = counts('train', Number(a.train ?? 5000));
const val = counts('val', Number(a.val ?? 1000));
const nTr = train.y.length;
// Standardize with the training set's statistics; column H is the bias.
const mean = new Float64Array(H);
const sd = new Float64Array(H);
for (let k = 0; k < nTr; k++) for (let j = 0; j < H; j++) mean[j] += train.X[k * H + j] / nTr;
for (let k = 0; k < nTr; k++) for (let j = 0; j < H; j++) sd[j] += (train.X[k * H + j] - mean[j]) ** 2 / nTr;
for (let j = 0; j < H; j++) sd[j] = Math.sqrt(sd[j]) + 1e-6;
const D = H + 1;
const design = (X: Float64Array, n: number): Float64Array => {
  const A = new Float64Array(n * D);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < H; j++) A[k * D + j] = (X[k * H + j] - mean[j]) / sd[j];
    A[k * D + H] = 1;
  }
  return A;
};
const A = design(train.X, nTr);
const Av = design(val.X, val.y.length);
const AtA = new Float64Array(D * D);
for (let k = 0; k < nTr; k++) {
  const row = k * D;
  for (let i = 0; i < D; i++) {
    const ai = A[row + i];
    if (ai === 0) continue;
    for (let j = i; j < D; j++) AtA[i * D + j] += ai * A[row + j];
  }
}
const AtT = Array.from({ length: 10 }, () => new Float64Array(D));
for (let k = 0; k < nTr; k++) for (let i = 0; i < D; i++) AtT[train.y[k]][i] += A[k * D + i];

const accuracy = (M: Float64Array, y: Int32Array, W: Float64Array[]): number => {
  let right = 0;
  for (let k = 0; k < y.length; k++) {
    let best = 0;
    let bestV = -Infinity;
    for (let c = 0; c < 10; c++) {
      let v = 0;
      for (let i = 0; i < D; i++) v += M[k * D + i] * W[c][i];
      if (v > bestV) [best, bestV] = [c, v];
    }
    if (best === y[k]) right++;
  }
  return right / y.length;
};

for (const lambda of (a.lambda ?? '10,100').split(',').map(Number)) {
  const G = Array.from({ length: D }, (_, i) => Array.from({ length: D }, (_, j) => (i <= j ? AtA[i * D + j] : AtA[j * D + i]) + (i === j ? lambda : 0)));
  const f = lup(G);
  // Solved against a decomposition, lusolve returns a column DenseMatrix.
  const W = AtT.map((b) => Float64Array.from(((lusolve(f, Array.from(b)) as Matrix).toArray() as number[][]).map((r) => r[0])));
  console.log(`lambda ${lambda}: train ${(100 * accuracy(A, train.y, W)).toFixed(1)}% validation ${(100 * accuracy(Av, val.y, W)).toFixed(1)}%` +
    ` (${nTr} training digits, ${val.y.length} validation digits, ${trainLook === look ? `${look} ms look` : `${trainLook} ms training look, ${look} ms validation look`}, ${H} hidden units, mean count ${(train.X.reduce((p, q) => p + q, 0) / train.X.length).toFixed(2)}; ${((performance.now() - t0) / 1e3).toFixed(0)} s)`);
}
