/**
 * `linear`: a neuron model given by its equations, any linear system with a threshold, integrated exactly.
 *
 *     dx/dt = A x + c                       x: the state variables, named freely; A, c: expressions of parameters
 *     x_th >= theta  ->  spike at that exact time; reset statements run in order; refractory for refractory_ms
 *     an input of weight w on receptor r:  x_{target(r)} += w
 *
 * Between events the state is x(h) = first n entries of e^{B h} [x0; 1] with B = [[A, c], [0, 0]], written as
 * sum_k e^{lambda_k h} sum_j h^j C_kj over the real eigenvalues lambda_k of B (src/math/linear-flow.ts; t e^{lambda t}
 * terms for repeated eigenvalues). The threshold variable minus theta is then an exponential polynomial, and its first
 * root is isolated by Rolle elimination and refined to 1e-13 ms (src/math/exp-poly.ts), never sampled. Complex
 * eigenvalues (damped oscillations) are refused with an error naming the equations.
 * During the refractory period the threshold variable is held at its value after the reset and the other variables
 * evolve with it held (its row of A is zeroed); inputs to the threshold variable are discarded then, inputs to the
 * others accumulate (as `lif`, and NEST's iaf_psc models, do).
 *
 * In a scenario (`model: "linear"`), the population gives the equations; `params` holds the numbers of every other
 * symbol; `init` sets the state (default 0 for every variable):
 *
 *     { "name": "n", "model": "linear", "size": 100,
 *       "equations": ["dv/dt = (v_rest_mv - v + i_exc - w) / tau_m_ms", "di_exc/dt = -i_exc / tau_syn_ms",
 *                     "dw/dt = (a * (v - v_rest_mv) - w) / tau_w_ms"],
 *       "threshold": "v > v_th_mv", "reset": ["v = v_reset_mv", "w = w + b_mv"], "refractory_ms": 2,
 *       "receptors": { "exc": "i_exc" }, "params": { ... }, "init": { "v": -70 } }
 *
 * A system in `lif`'s form (a leaky threshold variable fed by at most two exponentially decaying currents, reset to a
 * constant: src/neurons/linear/lif-form.ts) runs on lif's tuned group instead (models/lif/as-linear.ts): the same
 * closed form, with lif's bounds, check times and batched inputs; CHRONOPROP_LINEAR_GENERIC=1 turns this off.
 *
 * Model files (adaptive-lif.ts, alpha-lif.ts, two-compartment.ts) use the same machinery with declared parameters,
 * defaults and units: `linearModel` below. References: Rotter & Diesmann 1999 (exact integration of linear
 * systems by the matrix exponential); Brette 2007 (exact threshold crossings of exponential sums); Goodman & Brette
 * 2009 (Brian's equation strings).
 */
import type { NeuronModel, ParamSpec, Params, StateSpec } from '../src/neurons/model.js';
import { parseDefinition, DefinitionError, type LinearDefinition, type ParsedDefinition } from '../src/neurons/linear/equations.js';
import { numericSystem, NumericError, augmented, type LinearSystem } from '../src/neurons/linear/system.js';
import { LinearGroup } from '../src/neurons/linear/group.js';
import { Flow } from '../src/neurons/linear/flow.js';
import { ComplexEigenvalueError } from '../src/math/linear-flow.js';
import { unitOfName } from '../src/neurons/linear/dimension.js';
import { lifForm, type LifForm } from '../src/neurons/linear/lif-form.js';
import { LifAsLinearGroup } from './lif/as-linear.js';
import { lif } from './lif.js';

export { DefinitionError, type LinearDefinition };

/** A model file's description: the definition plus documented parameters and state. */
export interface LinearModelFile {
  name: string;
  summary: string;
  params: Record<string, ParamSpec>;
  /** Units and docs of the state variables, in the order of the equations. */
  state: Record<string, StateSpec>;
  definition: LinearDefinition;
}

/** The numeric system for parameters p, with both regimes' flows built once to catch what cannot be integrated. */
function build(parsed: ParsedDefinition, p: Params): LinearSystem {
  const sys = numericSystem(parsed, p);
  new Flow(augmented(sys, false), sys.th);
  new Flow(augmented(sys, true), sys.th);
  return sys;
}

/** Why the system for p cannot run, as one message (complex eigenvalues, a non-finite coefficient), or null. */
export function systemProblem(parsed: ParsedDefinition, def: LinearDefinition, p: Params): string | null {
  try {
    const sys = build(parsed, p);
    const after = sys.reset.filter((r) => r.target === sys.th).at(-1);
    if (sys.refractoryMs === 0 && after && after.coef.every((c) => c === 0) && !(after.constant < sys.theta)) {
      return `must reset ${parsed.vars[sys.th]} below the threshold (${sys.theta}) when refractory_ms is 0, got ${after.constant}`;
    }
    return null;
  } catch (e) {
    if (e instanceof ComplexEigenvalueError) {
      return `${e.message}: oscillating solutions are not supported (no proof of the first threshold crossing); equations ${def.equations.join('; ')}`;
    }
    if (e instanceof NumericError || e instanceof Error) return e.message;
    throw e;
  }
}

/**
 * Set to 1, every linear model runs on the general machinery (LinearGroup), also where the system has lif's form:
 * to compare the two (tests, `npm run bench`'s cuba-linear-generic-1s). Read when a group is created.
 */
export const GENERIC_ENV = 'CHRONOPROP_LINEAR_GENERIC';

/** lif's form of sys if it has one and lif takes its parameters (models/lif.ts `check`), else null. */
function lifRoute(sys: LinearSystem): LifForm | null {
  const form = lifForm(sys);
  return form && lif.check!(form.params) === null ? form : null;
}

/**
 * A NeuronModel over a definition parsed on first use (`parse`), so that registering model files costs nothing at
 * start-up (mathjs's parser and symbolic derivatives take tens of ms per model). A system in lif's form runs on
 * lif's group (src/neurons/linear/lif-form.ts); any other on LinearGroup.
 */
function makeModel(
  name: string, summary: string, params: Record<string, ParamSpec>, state: Record<string, StateSpec>, receptors: string[],
  def: LinearDefinition, parse: () => ParsedDefinition,
): NeuronModel {
  let last: { key: string; sys: LinearSystem; form: LifForm | null } | null = null;
  const system = (p: Params) => {
    const parsed = parse();
    const key = JSON.stringify(parsed.params.map((k) => p[k]));
    if (last?.key !== key) {
      const sys = build(parsed, p);
      last = { key, sys, form: lifRoute(sys) };
    }
    return last;
  };
  return {
    name,
    summary,
    params,
    state,
    receptors,
    check(p: Params) {
      const msg = systemProblem(parse(), def, p);
      return msg ? ['equations', msg] : null;
    },
    create: (size, p) => {
      const { sys, form } = system(p);
      return form && process.env[GENERIC_ENV] !== '1' ? new LifAsLinearGroup(size, sys.vars, form) : new LinearGroup(size, sys);
    },
  };
}

/**
 * A model from a model file (parameters declared with defaults, state declared with units). Its equations are parsed
 * when first used; then an Error says if they are bad, use a parameter not declared, leave one unused, or define
 * other state variables than declared.
 */
export function linearModel(file: LinearModelFile & { state: Record<string, StateSpec> }): NeuronModel {
  let parsed: ParsedDefinition | null = null;
  const parse = () => {
    if (parsed) return parsed;
    const p = parseDefinition(file.definition, (s) => Object.hasOwn(file.params, s));
    const unused = Object.keys(file.params).filter((k) => !p.params.includes(k));
    if (unused.length > 0) throw new Error(`${file.name}: parameters not used by the equations: ${unused.join(', ')}`);
    if (p.vars.join() !== Object.keys(file.state).join()) throw new Error(`${file.name}: the equations define ${p.vars.join(', ')}, the file declares ${Object.keys(file.state).join(', ')}`);
    return (parsed = p);
  };
  return makeModel(file.name, file.summary, file.params, file.state, Object.keys(file.definition.receptors), file.definition, parse);
}

/** What a `linear` population gives (for `chronoprop models` and docs/models-table.md). */
export const linearKindDoc = {
  summary: 'Your own model as Brian2-style equations, linear in the state, integrated exactly (docs/models.md)',
  fields: {
    equations: 'one "dx/dt = expression" per state variable, linear in the state with parameter coefficients',
    threshold: '"x > expression" (or >=): spike when state variable x reaches it',
    reset: 'statements "x = e", "x += e", "x -= e" run in order at each spike',
    refractory_ms: 'ms the threshold variable is held after a spike (default 0)',
    receptors: 'receptor name -> the state variable an input jumps',
    params: 'one value for every other symbol of the equations (no defaults)',
  },
};

/** The fields of a `linear` population in a scenario. */
export interface LinearPopulation {
  equations?: string[];
  threshold?: string;
  reset?: string[];
  refractory_ms?: number;
  receptors?: Record<string, string>;
  params: Record<string, unknown>;
}

const cache = new Map<string, NeuronModel>();

/**
 * The model of a `linear` population: its parameters are the population's params (each given value its default),
 * its state the variables its equations define. Throws DefinitionError listing every problem (paths relative to the
 * population).
 */
export function linearFromPopulation(p: LinearPopulation): NeuronModel {
  const def: LinearDefinition = {
    equations: p.equations ?? [],
    threshold: p.threshold ?? '',
    reset: p.reset ?? [],
    refractory_ms: p.refractory_ms ?? 0,
    receptors: p.receptors ?? {},
  };
  const key = JSON.stringify([def, Object.keys(p.params)]);
  const hit = cache.get(key);
  if (hit) return hit;
  const missing: { path: string[]; message: string; got: unknown }[] = [];
  if (!p.equations) missing.push({ path: ['equations'], message: 'is required for model linear', got: undefined });
  if (!p.threshold) missing.push({ path: ['threshold'], message: 'is required for model linear', got: undefined });
  if (missing.length > 0) throw new DefinitionError(missing);
  const parsed = parseDefinition(def, (s) => Object.hasOwn(p.params, s));
  const unused = Object.keys(p.params).filter((k) => !parsed.params.includes(k));
  if (unused.length > 0) {
    throw new DefinitionError(unused.map((k) => ({ path: ['params', k], message: 'is not used by the equations', got: p.params[k] })));
  }
  const params = Object.fromEntries(
    parsed.params.map((k) => [k, { default: typeof p.params[k] === 'number' ? (p.params[k] as number) : NaN, unit: unitOfName(k), doc: 'symbol of the equations' }]),
  );
  const state = Object.fromEntries(parsed.vars.map((v) => [v, { unit: unitOfName(v), doc: '' }]));
  const receptors = parsed.receptors.map((r) => r.name);
  const model = makeModel('linear', 'Linear model from equations, exact threshold crossings', params, state, receptors, def, () => parsed);
  if (cache.size > 64) cache.clear();
  cache.set(key, model);
  return model;
}
