/** Angle in degrees between two vectors (or two matrices, flattened): acos(a.b / (|a||b|)); NaN if either is 0. */
export function angleDeg(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  const c = ab / Math.sqrt(aa * bb);
  return (Math.acos(Math.max(-1, Math.min(1, c))) * 180) / Math.PI;
}
