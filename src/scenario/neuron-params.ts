/**
 * A neuron population's parameters as a scenario gives them, checked and drawn. Each parameter of the model is
 *
 *     20                                          the same for every neuron
 *     {"uniform": [lo, hi]}                       drawn per neuron, uniform on [lo, hi)
 *     {"normal": [mean, sd], "min": a, "max": b}  drawn per neuron, normal truncated to [a, b] (a draw outside is
 *                                                 redrawn); "min" and "max" are optional, and without "min" a
 *                                                 parameter with a lower bound (tau_m_ms > 0, t_ref_ms >= 0) is
 *                                                 truncated at that bound
 *     [x_0, x_1, ..., x_{size-1}]                 one value per neuron
 *
 * Neuron i's values are checked against the parameter's bound and the model's own rules (v_reset_mv < v_th_mv, an
 * equation model's eigenvalues) before anything runs. Draws come from the stream `param/<population>/<parameter>` of
 * the scenario's seed (kernel/rng.ts), neuron 0 first, with the helper that draws weights and delays (draw.ts), so
 * adding a parameter or a population changes no other draw. Values that come out all equal (a list of one value, a
 * normal with sd 0) are kept as one number: the population then runs on its model's own group, the fast path
 * (neurons/neuron-params.ts).
 */
import erfcx from '@stdlib/math-base-special-erfcx';
import type { z } from 'zod';
import { createRng } from '../kernel/rng.js';
import type { NeuronModel, ParamSpec } from '../neurons/model.js';
import { paramsOf, partitionByValues, perNeuronKeys, type NeuronParams } from '../neurons/neuron-params.js';
import { draw } from './draw.js';
import { PARAM_FORMS, paramDistribution, type ParamDistribution } from './schema.js';

/** Reports one problem: the path, what it must be, the value found (validate.ts formats the line). */
export type Bad = (path: ReadonlyArray<PropertyKey>, message: string, got: unknown) => void;
/** Lines for a zod error at a path (validate.ts's zodProblems, handed in: validate.ts imports this file). */
export type ZodLines = (error: { issues: z.core.$ZodIssue[] }, input: unknown, prefix: ReadonlyArray<PropertyKey>) => string[];

/** The least share of a normal's mass a truncation must keep: draws outside are redrawn, about 1/share per value. */
export const MIN_TRUNCATED_MASS = 1e-3;

/** The smallest double above x. */
function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  const f = new Float64Array([x]);
  const bits = new BigInt64Array(f.buffer);
  bits[0] += x > 0 ? 1n : -1n;
  return f[0];
}

/** The parameter's own bound as a closed one: the least value it may take (-Infinity if none). */
function leastAllowed(spec: ParamSpec): number {
  if (spec.min === undefined) return -Infinity;
  return spec.exclusive ? nextUp(spec.min) : spec.min;
}

/** "must be > 0" if x breaks the parameter's bound, else null. */
function boundProblem(spec: ParamSpec, x: number): string | null {
  if (spec.min === undefined || (spec.exclusive ? x > spec.min : x >= spec.min)) return null;
  return `must be ${spec.exclusive ? '>' : '>='} ${spec.min}`;
}

/** The interval a normal parameter is drawn in: its own min and max, else the parameter's bound. */
function truncation(spec: ParamSpec, d: { min?: number; max?: number }): [number, number] {
  return [d.min ?? leastAllowed(spec), d.max ?? Infinity];
}

/** Upper tail of the standard normal, P(Z > z), without cancellation for large z. */
function upperTail(z: number): number {
  const q = 0.5 * erfcx(Math.abs(z) / Math.SQRT2) * Math.exp(-0.5 * z * z);
  return z >= 0 ? q : 1 - q;
}

/** P(lo <= mean + sd Z <= hi). */
export function normalMass(mean: number, sd: number, lo: number, hi: number): number {
  if (sd === 0) return mean >= lo && mean <= hi ? 1 : 0;
  const a = (lo - mean) / sd;
  const b = (hi - mean) / sd;
  // Difference of the tails on the side away from the mean, so that a narrow window far out keeps its digits.
  return a >= 0 ? upperTail(a) - upperTail(b) : b <= 0 ? upperTail(-b) - upperTail(-a) : 1 - upperTail(-a) - upperTail(b);
}

/**
 * Checks one parameter's value in the forms of the header, for a population of `size`: each problem goes to `bad`,
 * or as a whole line to `line` where zod found the form wrong.
 */
export function checkParamValue(
  spec: ParamSpec, v: unknown, size: number, path: PropertyKey[], bad: Bad, line: (problem: string) => void, zodLines: ZodLines,
): void {
  const finiteIn = `must be a finite number in ${spec.unit}`;
  if (Array.isArray(v)) {
    if (v.length !== size) {
      bad(path, `must list one value per neuron (size ${size}), a list of ${v.length}`, v);
      return;
    }
    v.forEach((x, k) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) bad([...path, k], finiteIn, x);
      else {
        const b = boundProblem(spec, x);
        if (b) bad([...path, k], b, x);
      }
    });
    return;
  }
  if (typeof v !== 'object' || v === null) {
    if (typeof v !== 'number' || !Number.isFinite(v)) bad(path, finiteIn, v);
    else {
      const b = boundProblem(spec, v);
      if (b) bad(path, b, v);
    }
    return;
  }
  if (!('uniform' in v) && !('normal' in v)) {
    bad(path, PARAM_FORMS, v);
    return;
  }
  const r = paramDistribution.safeParse(v);
  if (!r.success) {
    for (const l of zodLines(r.error, v, path)) line(l);
    return;
  }
  const d = r.data;
  if ('uniform' in d) {
    const [lo, hi] = d.uniform;
    const b = boundProblem(spec, lo);
    if (b) bad([...path, 'uniform', 0], b, lo);
    else if (hi < lo) bad([...path, 'uniform', 1], `must be >= the lower end ${lo}`, hi);
    return;
  }
  if (d.min !== undefined) {
    const b = boundProblem(spec, d.min);
    if (b) {
      bad([...path, 'min'], b, d.min);
      return;
    }
  }
  const [lo, hi] = truncation(spec, d);
  if (d.max !== undefined && d.max < lo) {
    bad([...path, 'max'], `must be >= ${d.min !== undefined ? `min (${d.min})` : `the parameter's bound (${spec.min})`}`, d.max);
    return;
  }
  const mass = normalMass(d.normal[0], d.normal[1], lo, hi);
  if (!(mass >= MIN_TRUNCATED_MASS)) {
    bad([...path, 'normal'], `must keep at least ${MIN_TRUNCATED_MASS} of its mass within [${lo}, ${hi}] (draws outside are redrawn), keeps ${mass.toPrecision(3)}`, d.normal);
  }
}

/** One parameter's values: the number, or one value per neuron (drawn from `stream`), collapsed to a number if all equal. */
function resolveOne(spec: ParamSpec, v: unknown, size: number, seed: number, stream: string): number | Float64Array {
  if (v === undefined) return spec.default;
  if (typeof v === 'number') return v;
  let a: Float64Array;
  if (Array.isArray(v)) a = Float64Array.from(v as number[]);
  else {
    const d = v as ParamDistribution;
    const rng = createRng(seed, stream);
    const [lo, hi] = 'normal' in d ? truncation(spec, d) : [-Infinity, Infinity];
    a = new Float64Array(size);
    for (let i = 0; i < size; i++) a[i] = draw(d, rng, lo, hi);
  }
  return a.every((x) => x === a[0]) ? a[0] : a;
}

/**
 * Every parameter of the model for a population `name` of `size` neurons: given (in the forms of the header; checked
 * first by checkParamValue) or the model's default.
 */
export function resolveNeuronParams(model: NeuronModel, given: Record<string, unknown>, size: number, seed: number, name: string): NeuronParams {
  const out: Record<string, number | Float64Array> = {};
  for (const [k, spec] of Object.entries(model.params)) {
    out[k] = resolveOne(spec, Object.hasOwn(given, k) ? given[k] : undefined, size, seed, `param/${name}/${k}`);
  }
  return out;
}

/**
 * The model's own rule (NeuronModel.check) for every neuron's values: the first neuron that breaks it, with the rule's
 * [field, message], or null. Each distinct set of values is checked once.
 */
export function firstNeuronBreaking(model: NeuronModel, values: NeuronParams, size: number): { neuron: number; field: string; message: string; value: number } | null {
  if (!model.check) return null;
  if (perNeuronKeys(values).length === 0) {
    const c = model.check(values as Record<string, number>);
    return c ? { neuron: -1, field: c[0], message: c[1], value: values[c[0]] as number } : null;
  }
  for (const i of partitionByValues(values, size).first) {
    const p = paramsOf(values, i);
    const c = model.check(p);
    if (c) return { neuron: i, field: c[0], message: c[1], value: p[c[0]] };
  }
  return null;
}
