/**
 * Equations as users write them (Brian2 style), read into a linear system. mathjs parses each right-hand side and
 * differentiates it symbolically; this file runs once per population, never per event.
 *
 *     dv/dt = (v_rest_mv - v + i_exc - w) / tau_m_ms        one per state variable (a trailing ": unit" is ignored)
 *     threshold  "v > v_th_mv"                                one state variable against an expression of parameters
 *     reset      ["v = v_reset_mv", "w = w + b_mv"]           run in order; "=", "+=", "-=", right-hand side affine
 *     receptors  {"exc": "i_exc", "direct": "v"}              the variable an input of weight w jumps by w
 *
 * Every right-hand side must be linear in the state with constant coefficients: for each state variable x, the
 * symbolic derivative d(rhs)/dx may contain parameters only. A term that breaks this (v * w, exp(v), t) is named in
 * the error with its equation. Every other symbol must be a parameter. A definition that passes is then checked for
 * unit mismatches between terms (unit-check.ts).
 */
import type { MathNode } from 'mathjs';
import { mathjs } from '../../math/mathjs.js';
import { unitProblems, type UnitInput } from './unit-check.js';

/** A model given by equations: the fields a `linear` population (or a model file) states. */
export interface LinearDefinition {
  equations: readonly string[];
  threshold: string;
  reset: readonly string[];
  /** A number, or an expression of parameters (a model file's `t_ref_ms`). */
  refractory_ms: number | string;
  receptors: Readonly<Record<string, string>>;
  /** Initial values per state variable, expressions of parameters (default 0). */
  initial?: Readonly<Record<string, string>>;
}

/** One problem with a definition: where (relative to the population), what, and the text found there. */
export interface DefinitionProblem {
  path: (string | number)[];
  message: string;
  got: unknown;
}

export class DefinitionError extends Error {
  constructor(readonly problems: DefinitionProblem[]) {
    super(problems.map((p) => `${p.path.join('.')} ${p.message}`).join('; '));
  }
}

/** An affine form sum_j coef[j] x_j + constant, its parts compiled for evaluation with the parameters. */
interface Affine {
  coef: { evaluate(scope: Record<string, number>): unknown }[];
  constant: { evaluate(scope: Record<string, number>): unknown };
}

export interface ParsedDefinition {
  readonly vars: string[];
  /** Parameter symbols used, in order of first use. */
  readonly params: string[];
  readonly rhs: Affine[];
  readonly threshold: { index: number; value: Affine['constant'] };
  readonly reset: { target: number; form: Affine }[];
  readonly refractory: Affine['constant'];
  readonly receptors: { name: string; index: number }[];
  readonly initial: { index: number; value: Affine['constant'] }[];
}

const EQUATION = /^\s*d\s*([A-Za-z_][A-Za-z0-9_]*)\s*\/\s*dt\s*=\s*(.+?)\s*(?::\s*[A-Za-z0-9_ */^()-]*)?$/;
const ASSIGN = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=|\+=|-=)\s*(.+?)\s*$/;
const THRESHOLD = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(>=|>)\s*(.+?)\s*$/;

const symbolsOf = (node: MathNode): string[] => {
  const out = new Set<string>();
  node.traverse((n, path, parent) => {
    // A function's name is a SymbolNode too (exp in exp(v)): skip it.
    if ((n as { isSymbolNode?: boolean }).isSymbolNode && !(parent && (parent as { isFunctionNode?: boolean }).isFunctionNode && path === 'fn')) {
      out.add((n as unknown as { name: string }).name);
    }
  });
  return [...out];
};

/**
 * The additive terms of an expression: sums and differences split, a unary minus, a division by or a product with
 * a state-free factor looked through, so that an error can name the smallest offending piece.
 */
function termsOf(node: MathNode, isState: (s: string) => boolean): MathNode[] {
  const n = node as MathNode & { isParenthesisNode?: boolean; content?: MathNode; isOperatorNode?: boolean; fn?: string; args?: MathNode[] };
  if (n.isParenthesisNode) return termsOf(n.content!, isState);
  if (n.isOperatorNode && n.args) {
    const stateFree = (x: MathNode) => !symbolsOf(x).some(isState);
    if (n.fn === 'add' || n.fn === 'subtract') return n.args.flatMap((a) => termsOf(a, isState));
    if (n.fn === 'unaryMinus' || n.fn === 'unaryPlus') return termsOf(n.args[0], isState);
    if (n.fn === 'divide' && stateFree(n.args[1])) return termsOf(n.args[0], isState);
    if (n.fn === 'multiply' && n.args.length === 2) {
      if (stateFree(n.args[0])) return termsOf(n.args[1], isState);
      if (stateFree(n.args[1])) return termsOf(n.args[0], isState);
    }
  }
  return [node];
}

/**
 * The affine form of an expression in the state, or a problem naming the first term that is not affine (or not
 * differentiable) and the symbols that are neither state nor parameter.
 */
function affine(expr: MathNode, vars: string[], known: (s: string) => boolean): Affine | string {
  const isState = (s: string) => vars.includes(s);
  const unknown = symbolsOf(expr).filter((s) => !isState(s) && !known(s));
  if (unknown.length > 0) {
    const t = unknown.includes('t') ? ' (explicit time t is not allowed: the system must be autonomous)' : '';
    return `uses unknown symbol${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}${t} (neither a state variable nor a parameter)`;
  }
  for (const term of termsOf(expr, isState)) {
    for (const x of vars) {
      let d: MathNode;
      try {
        d = mathjs().derivative(term, x);
      } catch (e) {
        return `has term "${term.toString()}", which cannot be differentiated (${(e as Error).message})`;
      }
      const dep = symbolsOf(d).filter(isState);
      if (dep.length > 0) {
        return `is not linear in the state: term "${term.toString()}" (its derivative by ${x}, ${d.toString()}, depends on ${dep.join(', ')})`;
      }
    }
  }
  const coef = vars.map((x) => mathjs().derivative(expr, x).compile());
  return { coef, constant: expr.compile() };
}

function tryParse(text: string): MathNode | string {
  try {
    return mathjs().parse(text);
  } catch (e) {
    return `cannot be parsed (${(e as Error).message})`;
  }
}

/**
 * Reads a definition symbolically. `isParam` says which other symbols are parameters (for a `linear` population:
 * the keys of its params; for a model file: its declared parameters). Throws DefinitionError listing every problem.
 */
export function parseDefinition(def: LinearDefinition, isParam: (s: string) => boolean): ParsedDefinition {
  const problems: DefinitionProblem[] = [];
  const bad = (path: (string | number)[], message: string, got: unknown) => problems.push({ path, message, got });
  const vars: string[] = [];
  const bodies: (MathNode | null)[] = [];
  def.equations.forEach((eq, k) => {
    const m = EQUATION.exec(eq);
    if (!m) return bad(['equations', k], 'must read "dx/dt = expression"', eq);
    if (vars.includes(m[1])) return bad(['equations', k], `defines ${m[1]} a second time`, eq);
    if (isParam(m[1])) return bad(['equations', k], `defines ${m[1]}, which is also a parameter`, eq);
    vars.push(m[1]);
    const node = tryParse(m[2]);
    if (typeof node === 'string') bad(['equations', k], node, eq);
    bodies.push(typeof node === 'string' ? null : node);
  });
  if (vars.length === 0) bad(['equations'], 'must define at least one state variable', def.equations);
  // A malformed equation leaves its variable undefined: everything that names it would only repeat the problem.
  if (problems.length > 0) throw new DefinitionError(problems);
  const used = new Set<string>();
  const note = (n: MathNode) => symbolsOf(n).forEach((s) => !vars.includes(s) && isParam(s) && used.add(s));
  const known = (s: string) => isParam(s);
  const rhs: Affine[] = [];
  bodies.forEach((node, k) => {
    if (!node) return;
    note(node);
    const a = affine(node, vars, known);
    if (typeof a === 'string') bad(['equations', k], a, def.equations[k]);
    else rhs.push(a);
  });

  // Threshold: one state variable against a state-free expression.
  let threshold: ParsedDefinition['threshold'] | null = null;
  const units: Omit<UnitInput, 'threshold'> & { threshold?: UnitInput['threshold'] } = {
    vars, equations: bodies.map((node, k) => ({ text: def.equations[k], node: node! })), reset: [], refractory: null, initial: [], receptors: [],
  };
  const tm = THRESHOLD.exec(def.threshold);
  if (!tm) bad(['threshold'], 'must read "x > expression" (or >=) for a state variable x', def.threshold);
  else if (!vars.includes(tm[1])) bad(['threshold'], `names ${tm[1]}, which is not a state variable (known: ${vars.join(', ')})`, def.threshold);
  else {
    const node = tryParse(tm[3]);
    if (typeof node === 'string') bad(['threshold'], node, def.threshold);
    else {
      note(node);
      const a = affine(node, vars, known);
      if (typeof a === 'string') bad(['threshold'], a, def.threshold);
      else if (symbolsOf(node).some((s) => vars.includes(s))) bad(['threshold'], 'must compare with an expression of parameters only', def.threshold);
      else {
        threshold = { index: vars.indexOf(tm[1]), value: a.constant };
        units.threshold = { index: threshold.index, text: def.threshold, node };
      }
    }
  }

  const reset: ParsedDefinition['reset'] = [];
  def.reset.forEach((st, k) => {
    const m = ASSIGN.exec(st);
    if (!m) return bad(['reset', k], 'must read "x = expression" (or +=, -=)', st);
    if (!vars.includes(m[1])) return bad(['reset', k], `assigns ${m[1]}, which is not a state variable (known: ${vars.join(', ')})`, st);
    const text = m[2] === '=' ? m[3] : `${m[1]} ${m[2][0]} (${m[3]})`;
    const node = tryParse(text);
    if (typeof node === 'string') return bad(['reset', k], node, st);
    note(node);
    const a = affine(node, vars, known);
    if (typeof a === 'string') return bad(['reset', k], a, st);
    reset.push({ target: vars.indexOf(m[1]), form: a });
    units.reset.push({ k, target: vars.indexOf(m[1]), text: st, node });
  });

  const receptors = Object.entries(def.receptors).map(([name, v]) => {
    if (!vars.includes(v)) bad(['receptors', name], `must name a state variable (known: ${vars.join(', ')})`, v);
    return { name, index: vars.indexOf(v) };
  });
  if (receptors.length === 0) bad(['receptors'], 'must name at least one receptor, e.g. {"exc": "v"}', def.receptors);
  let refractory: Affine['constant'] = { evaluate: () => def.refractory_ms };
  if (typeof def.refractory_ms === 'string') {
    const node = tryParse(def.refractory_ms);
    const a = typeof node === 'string' ? node : affine(node, [], known);
    if (typeof a === 'string') bad(['refractory_ms'], a, def.refractory_ms);
    else {
      note(node as MathNode);
      refractory = a.constant;
      units.refractory = { text: def.refractory_ms, node: node as MathNode };
    }
  } else if (!(def.refractory_ms >= 0)) bad(['refractory_ms'], 'must be >= 0', def.refractory_ms);

  const initial: ParsedDefinition['initial'] = [];
  for (const [v, text] of Object.entries(def.initial ?? {})) {
    const node = tryParse(text);
    const a = typeof node === 'string' ? node : affine(node, [], known);
    if (!vars.includes(v)) bad(['initial', v], 'must name a state variable', text);
    else if (typeof a === 'string') bad(['initial', v], a, text);
    else {
      note(node as MathNode);
      initial.push({ index: vars.indexOf(v), value: a.constant });
      units.initial.push({ target: vars.indexOf(v), text, node: node as MathNode });
    }
  }
  if (problems.length === 0) problems.push(...unitProblems({ ...units, receptors, threshold: units.threshold! }));
  if (problems.length > 0) throw new DefinitionError(problems);
  return { vars, params: [...used], rhs, threshold: threshold!, reset, refractory, receptors, initial };
}
