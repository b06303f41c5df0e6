/**
 * Output non-linearities with their losses, and the output error delta_L = dLoss/da_L for one example with
 * target t (a one-hot vector for classification):
 *
 *     sigmoid-mse:  y = sigmoid(a),  Loss = 1/2 sum (y - t)^2,          delta = (y - t) y (1 - y)
 *     linear-mse:   y = a,           Loss = 1/2 sum (y - t)^2,          delta = y - t
 *     softmax-ce:   y = softmax(a),  Loss = -sum t log y,               delta = y - t
 *
 * sigmoid-mse is the set-up of Lillicrap et al. 2016 for feedback alignment on MNIST.
 */
export type OutputKind = 'sigmoid-mse' | 'linear-mse' | 'softmax-ce';

export function outputActivate(kind: OutputKind, a: Float64Array, y: Float64Array): void {
  const n = a.length;
  if (kind === 'linear-mse') y.set(a);
  else if (kind === 'sigmoid-mse') for (let k = 0; k < n; k++) y[k] = 1 / (1 + Math.exp(-a[k]));
  else {
    let m = -Infinity;
    for (let k = 0; k < n; k++) if (a[k] > m) m = a[k];
    let z = 0;
    for (let k = 0; k < n; k++) z += y[k] = Math.exp(a[k] - m);
    for (let k = 0; k < n; k++) y[k] /= z;
  }
}

/** Writes delta_L and returns the loss. */
export function outputDelta(kind: OutputKind, y: Float64Array, t: ArrayLike<number>, delta: Float64Array): number {
  let loss = 0;
  for (let k = 0; k < y.length; k++) {
    const e = y[k] - t[k];
    if (kind === 'softmax-ce') {
      if (t[k] > 0) loss -= t[k] * Math.log(Math.max(y[k], 1e-300));
      delta[k] = e;
    } else {
      loss += 0.5 * e * e;
      delta[k] = kind === 'sigmoid-mse' ? e * y[k] * (1 - y[k]) : e;
    }
  }
  return loss;
}
