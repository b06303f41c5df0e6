/**
 * Physical dimensions of the symbols in a model's equations, over the house's two base units: a dimension is the
 * pair of exponents [of ms, of mV] (mV/ms is [-1, 1], 1/ms is [-1, 0], a pure number [0, 0]).
 *
 * The unit of a name is stated by its suffix, the convention for every parameter at the public boundary:
 *
 * | suffix | unit | dimension |
 * |--------|------|-----------|
 * | `_ms`  | ms   | [1, 0]    |
 * | `_mv`  | mV   | [0, 1]    |
 * | `_hz`  | 1/ms | [-1, 0]   |
 *
 * `_hz` counts per ms here: the check compares dimensions, not scale (a rate in Hz is 1/ms times 1000). Other
 * endings state nothing (`tau_s` is a synaptic time constant in the wild, not seconds).
 */

export type Dim = readonly [ms: number, mv: number];

export const DIMENSIONLESS: Dim = [0, 0];
export const MS: Dim = [1, 0];
export const MV: Dim = [0, 1];

/** Suffix, the unit as documented, its dimension. */
const SUFFIXES: [string, string, Dim][] = [['_ms', 'ms', MS], ['_mv', 'mV', MV], ['_hz', 'Hz', [-1, 0]]];

const suffixOf = (name: string) => SUFFIXES.find(([suffix]) => name.length > suffix.length && name.endsWith(suffix));

/** The dimension a name's suffix states, or null when it states none. */
export function dimOfName(name: string): Dim | null {
  return suffixOf(name)?.[2] ?? null;
}

/** The unit a name's suffix states as documented (ms, mV, Hz), or "1" when it states none. */
export function unitOfName(name: string): string {
  return suffixOf(name)?.[1] ?? '1';
}

/** Exponents closer than this are equal (they are sums of a few small rationals, e.g. from sqrt). */
const EPS = 1e-9;

export const isDimensionless = (d: Dim) => Math.abs(d[0]) < EPS && Math.abs(d[1]) < EPS;

function power(unit: string, e: number): string {
  const a = Math.abs(e);
  return Math.abs(a - 1) < EPS ? unit : `${unit}^${+a.toFixed(6)}`;
}

/** mV/ms, 1/ms, mV, 1, mV^2/ms^0.5: positive powers over negative ones, mV first. */
export function formatDim(d: Dim): string {
  const parts: [string, number][] = [['mV', d[1]], ['ms', d[0]]];
  const top = parts.filter(([, e]) => e > EPS).map(([u, e]) => power(u, e));
  const bottom = parts.filter(([, e]) => e < -EPS).map(([u, e]) => power(u, e));
  const num = top.length > 0 ? top.join(' ') : '1';
  return bottom.length > 0 ? `${num}/${bottom.join(' ')}` : num;
}
