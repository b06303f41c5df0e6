/**
 * A dimensional check of a linear model's equations: it finds unit mismatches, it does not prove consistency.
 *
 * Units of symbols: a suffix states one (dimension.ts); `t` is ms; the threshold variable, unsuffixed, is mV, and
 * so is every receptor's variable (an input jumps it by a weight in mV). Every other unsuffixed symbol (a
 * parameter such as `a`, a state variable such as `w`, each bare number) has an unknown unit, fixed where a rule
 * below leaves it one value, e.g. `w` in `dv/dt = (v_rest_mv - v - w) / tau_m_ms`.
 *
 * Rules, each additive term (unit-terms.ts) against the unit expected:
 *     dx/dt = rhs          each term of rhs is [x]/ms
 *     x > e,  x = e        each term of e is [x]        (threshold, reset; initial values likewise)
 *     refractory_ms e      each term of e is ms
 * The rules are solved in order, each fixing the one unknown it has left; the first rule with no unknown left whose
 * units differ is the mismatch reported, named by field and term. A term whose unit stays unknown is not judged.
 */
import type { MathNode } from 'mathjs';
import { dimOfName, formatDim, isDimensionless, MS, MV } from './dimension.js';
import { combine, known, TermExpander, termText, unknown, type Form, type Rule } from './unit-terms.js';

/** The parsed pieces of a definition the check reads: each field's text and its expression. */
export interface UnitInput {
  vars: string[];
  /** Right-hand sides, one per state variable, in order. */
  equations: { text: string; node: MathNode }[];
  threshold: { index: number; text: string; node: MathNode };
  reset: { k: number; target: number; text: string; node: MathNode }[];
  refractory: { text: string; node: MathNode } | null;
  initial: { target: number; text: string; node: MathNode }[];
  receptors: { name: string; index: number }[];
}

export interface UnitProblem {
  path: (string | number)[];
  message: string;
  got: unknown;
}

interface Located extends Rule {
  path: (string | number)[];
  got: string;
  /** Named as the reason when this rule fixes a unit. */
  source: string;
}

const unitOf = (symbol: string): Form => {
  const d = dimOfName(symbol);
  return d ? known(d) : symbol === 't' ? known(MS) : unknown(symbol);
};

/** Every rule of a definition, in the order they are solved: the seeds first, then field by field. */
function rules(input: UnitInput): Located[] {
  const out: Located[] = [];
  const x = (i: number) => input.vars[i];
  const add = (path: (string | number)[], got: string, source: string, expected: Form, node: MathNode, why = '') => {
    const expander = new TermExpander(unitOf, (r) => out.push({ ...r, path, got, source: `${source}, term ${r.term}` }));
    for (const t of expander.expand(node)) out.push({ term: termText(t), form: t.form, expected, why, path, got, source: `${source}, term ${termText(t)}` });
  };
  const th = x(input.threshold.index);
  if (!dimOfName(th)) out.push({ term: th, form: unitOf(th), expected: known(MV), why: '', path: ['threshold'], got: input.threshold.text, source: 'the threshold' });
  for (const r of input.receptors) {
    out.push({ term: x(r.index), form: unitOf(x(r.index)), expected: known(MV), why: 'an input jumps it by a weight in mV', path: ['receptors', r.name], got: x(r.index), source: `receptor ${r.name}` });
  }
  input.equations.forEach((e, k) => add(['equations', k], e.text, `equations[${k}]`, combine(unitOf(x(k)), known(MS), -1), e.node));
  add(['threshold'], input.threshold.text, 'the threshold', unitOf(th), input.threshold.node);
  for (const r of input.reset) add(['reset', r.k], r.text, `reset[${r.k}]`, unitOf(x(r.target)), r.node);
  if (input.refractory) add(['refractory_ms'], input.refractory.text, 'refractory_ms', known(MS), input.refractory.node, 'refractory_ms is a time');
  for (const i of input.initial) add(['initial', x(i.target)], i.text, `initial.${x(i.target)}`, unitOf(x(i.target)), i.node);
  return out;
}

/**
 * The first unit mismatch of a definition, or none. Only the first: a wrong term may already have fixed an unknown
 * unit wrongly (`w` from `-w * tau_m_ms`), and what is found after it would only repeat the mistake elsewhere.
 */
export function unitProblems(input: UnitInput): UnitProblem[] {
  const solved = new Map<string, Form['k']>();
  const reason = new Map<string, string>();
  const resolve = (f: Form): Form => {
    let k = f.k;
    const v: Record<string, number> = {};
    for (const [name, c] of Object.entries(f.v)) {
      const s = solved.get(name);
      if (s) k = [k[0] + c * s[0], k[1] + c * s[1]];
      else if (Math.abs(c) > 1e-12) v[name] = c;
    }
    return { k, v };
  };
  let pending = rules(input);
  for (let progress = true; progress;) {
    progress = false;
    const next: Located[] = [];
    for (const r of pending) {
      const d = resolve(combine(r.form, r.expected, -1));
      const names = Object.keys(d.v);
      if (names.length === 1) {
        const c = d.v[names[0]];
        solved.set(names[0], [-d.k[0] / c, -d.k[1] / c]);
        reason.set(names[0], r.source);
        progress = true;
      } else if (names.length > 1) next.push(r);
      else if (!isDimensionless(d.k)) return [mismatch(r, resolve, reason)];
    }
    pending = next;
  }
  return [];
}

function mismatch(r: Located, resolve: (f: Form) => Form, reason: Map<string, string>): UnitProblem {
  const named = [...new Set([...Object.keys(r.form.v), ...Object.keys(r.expected.v)])].filter((s) => !s.startsWith('#') && reason.has(s));
  const notes = named.map((s) => `${s} is ${formatDim(resolve(unknown(s)).k)}, from ${reason.get(s)}`);
  if (r.why) notes.push(r.why);
  const because = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  return {
    path: r.path,
    message: `has a unit mismatch: term ${r.term} is ${formatDim(resolve(r.form).k)}, expected ${formatDim(resolve(r.expected).k)}${because}`,
    got: r.got,
  };
}
