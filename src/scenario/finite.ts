/**
 * No NaN or Infinity in an output file. A recorded value that is not a finite number means the simulation left
 * float64's range (a state past 1.8e308 mV, a difference of two infinities): the file would hold `NaN` in a CSV
 * column, a NaN in a .npy array, or `null` in run.json (JSON has no NaN), read back later as if it were data. The
 * writers refuse instead, with one line naming the recorder, the column and the first bad row (exit code 2; the
 * results folder is not written). docs/limits.md says which parameters keep a run's numbers in range.
 */
import { ScenarioError } from './errors.js';

/**
 * Throws if data holds a value that is not finite: `what` names the recorder and column, `row(k)` the place of
 * element k ("at t = 3.5 ms, neuron 2").
 */
export function requireFinite(data: ArrayLike<number>, what: string, row: (k: number) => string): void {
  for (let k = 0; k < data.length; k++) {
    const x = data[k];
    if (x - x !== 0) throw new ScenarioError([`${what} is ${x} ${row(k)}: refusing to write a number that is not finite (values out of float64's range; see docs/limits.md); nothing was written`]);
  }
}

/**
 * Throws if a metric (a number anywhere in `value`, which is JSON-like) is NaN or +-Infinity; `path` names it
 * (`metrics.populations.exc.rate_hz`). null stays null: it is how a metric says "not defined here".
 */
export function requireFiniteMetrics(value: unknown, path: string): void {
  if (typeof value === 'number') {
    if (value - value !== 0) throw new ScenarioError([`${path} is ${value}: refusing to write a metric that is not finite to run.json; nothing was written`]);
  } else if (Array.isArray(value)) value.forEach((v, k) => requireFiniteMetrics(v, `${path}[${k}]`));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) requireFiniteMetrics(v, `${path}.${k}`);
}

/**
 * The convention for a value that is not defined (an accuracy over no examples, a cosine with a zero vector), which
 * a computation may hold as NaN in memory: `null` in run.json, an empty field in a CSV file. Experiments convert at
 * the point where they hand their results to the runner, which refuses any NaN that is left (output-guard.ts).
 */
export function undefinedAsNull(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}

/** A copy of `value` (JSON-like) with every NaN number in it, at any depth, replaced by null (not defined). */
export function undefinedAsNullDeep<T>(value: T): T {
  if (typeof value === 'number') return (Number.isNaN(value) ? null : value) as T;
  if (Array.isArray(value)) return value.map(undefinedAsNullDeep) as T;
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, undefinedAsNullDeep(v)])) as T;
  }
  return value;
}

/** A number as a CSV field: shortest round-trip form, or an empty field when it is not defined (NaN or null). */
export function csvNumber(x: number | null): string {
  return x === null || Number.isNaN(x) ? '' : String(x);
}

/**
 * scenario/csv.ts tableCsv for columns that may hold values that are not defined (NaN): those are empty fields,
 * every other value is written as tableCsv writes it.
 */
export function tableCsvWithUndefined(header: string[], columns: ArrayLike<number>[]): string {
  const n = columns.length > 0 ? columns[0].length : 0;
  const lines = new Array<string>(n + 1);
  lines[0] = header.join(',');
  for (let r = 0; r < n; r++) {
    let s = csvNumber(columns[0][r]);
    for (let c = 1; c < columns.length; c++) s += ',' + csvNumber(columns[c][r]);
    lines[r + 1] = s;
  }
  return lines.join('\n') + '\n';
}
