/**
 * How far feedback alignment has aligned (Lillicrap et al. 2016, Fig. 2):
 *
 * - `hiddenSignalAngle`: for the output error delta_L of one example, the angle between the signals the layer
 *   below receives under feedback alignment, B delta_L, and under backprop, W delta_L (before the slope f'(a),
 *   which scales both alike). 90 degrees: unrelated; 0: the same direction.
 * - `weightAngle`: the angle between the forward weights W_l and the feedback B_l, as flattened matrices (both
 *   stored [pre][post], so this is the angle between W_l and B_l^T in the paper's notation).
 */
import { angleDeg } from './angle.js';
import type { Mlp } from './mlp.js';

/** Angle (degrees) between B_l d and W_l d, for d the error at layer l+1 (default l = L-1, the top). */
export function hiddenSignalAngle(net: Mlp, d: ArrayLike<number>, l = net.L - 1, scratch?: { fa: Float64Array; bp: Float64Array }): number {
  const m = net.sizes[l];
  const n = net.sizes[l + 1];
  const fa = scratch?.fa ?? new Float64Array(m);
  const bp = scratch?.bp ?? new Float64Array(m);
  const W = net.W[l];
  const B = net.B[l];
  for (let i = 0; i < m; i++) {
    let sf = 0;
    let sb = 0;
    for (let j = 0, o = i * n; j < n; j++) {
      sf += B[o + j] * d[j];
      sb += W[o + j] * d[j];
    }
    fa[i] = sf;
    bp[i] = sb;
  }
  return angleDeg(fa, bp);
}

/** Angle (degrees) between W_l and B_l as flattened matrices (default l = L-1). */
export function weightAngle(net: Mlp, l = net.L - 1): number {
  return angleDeg(net.W[l], net.B[l]);
}
