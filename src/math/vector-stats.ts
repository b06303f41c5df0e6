/**
 * Two summaries the experiments compare updates with.
 *
 *   cosine(a, b) = a.b / (|a| |b|), NaN when either vector is zero (the angle is undefined: callers that take a
 *                  median over examples skip such examples instead of counting them as orthogonal);
 *   median(xs)   = the middle of the finite values (mean of the two middle ones for an even count), NaN if none.
 */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return aa === 0 || bb === 0 ? NaN : ab / Math.sqrt(aa * bb);
}

export function median(xs: readonly number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
