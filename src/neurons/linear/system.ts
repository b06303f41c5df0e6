/**
 * A parsed definition (equations.ts) evaluated with numbers for its parameters: the matrices the group integrates.
 *
 *     x' = A x + c,    spike when x_th reaches theta,    reset: x_target = R_s x + r_s for each statement s in order
 *
 * and the augmented matrices of the two regimes, y = [x; 1]:
 *     free:        B = [[A, c], [0, 0]]
 *     refractory:  B with the threshold variable's row zeroed (it holds its reset value; the others evolve with it).
 */
import type { Params } from '../model.js';
import type { ParsedDefinition } from './equations.js';

export interface LinearSystem {
  readonly vars: string[];
  readonly A: number[][];
  readonly c: number[];
  readonly th: number;
  readonly theta: number;
  /** Reset statements: target index, then coefficients of x (n) and the constant. */
  readonly reset: { target: number; coef: number[]; constant: number }[];
  readonly refractoryMs: number;
  /** State index jumped by each receptor, in the order of `receptorNames`. */
  readonly receptorTarget: number[];
  readonly receptorNames: string[];
  /** Default initial state. */
  readonly initial: number[];
}

export class NumericError extends Error {}

function num(what: string, x: unknown): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new NumericError(`${what} evaluates to ${String(x)}, not a finite number`);
  return x;
}

function nonNegative(what: string, x: number): number {
  if (!(x >= 0)) throw new NumericError(`${what} must be >= 0, got ${x}`);
  return x;
}

export function numericSystem(d: ParsedDefinition, p: Params): LinearSystem {
  const n = d.vars.length;
  const zero: Record<string, number> = { ...p };
  for (const v of d.vars) zero[v] = 0;
  const A = d.rhs.map((r, i) => r.coef.map((c, j) => num(`d(d${d.vars[i]}/dt)/d${d.vars[j]}`, c.evaluate(zero))));
  const c = d.rhs.map((r, i) => num(`the constant part of d${d.vars[i]}/dt`, r.constant.evaluate(zero)));
  const initial = new Array<number>(n).fill(0);
  for (const s of d.initial) initial[s.index] = num(`the initial value of ${d.vars[s.index]}`, s.value.evaluate(zero));
  return {
    vars: d.vars,
    A,
    c,
    th: d.threshold.index,
    theta: num('the threshold', d.threshold.value.evaluate(zero)),
    reset: d.reset.map((s) => ({
      target: s.target,
      coef: s.form.coef.map((f, j) => num(`reset of ${d.vars[s.target]} (coefficient of ${d.vars[j]})`, f.evaluate(zero))),
      constant: num(`reset of ${d.vars[s.target]}`, s.form.constant.evaluate(zero)),
    })),
    refractoryMs: nonNegative('the refractory period', num('the refractory period', d.refractory.evaluate(zero))),
    receptorTarget: d.receptors.map((r) => r.index),
    receptorNames: d.receptors.map((r) => r.name),
    initial,
  };
}

/** The augmented matrix of the free regime, or of the refractory one (threshold row zeroed). */
export function augmented(s: LinearSystem, refractory: boolean): number[][] {
  const n = s.vars.length;
  const B = s.A.map((row, i) => [...row, s.c[i]]);
  B.push(new Array<number>(n + 1).fill(0));
  if (refractory) B[s.th] = new Array<number>(n + 1).fill(0);
  return B;
}
