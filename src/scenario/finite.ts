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
