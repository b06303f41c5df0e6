/**
 * An expression split into additive terms, each with its unit as a linear form over unknown units: the expression
 * is expanded (products distributed over sums, a division by one term applied to each term), so that a mismatch
 * can be named by its smallest term, as in `(v_rest_mv - v + tau_m_ms) / tau_m_ms` -> `tau_m_ms / tau_m_ms`.
 *
 * A unit is `k + sum_i c_i u_i`: a known dimension k plus multiples of unknown units u_i (an unsuffixed symbol's,
 * shared by every use of it; a number's, fresh at each use since a bare number states no unit). Where a sum cannot
 * be distributed (a divisor or power of a sum, the argument of a function), its terms are required to agree with
 * each other, a rule handed to `rule`; a function such as exp requires a pure-number argument.
 */
import type { MathNode } from 'mathjs';
import { DIMENSIONLESS, type Dim } from './dimension.js';

export interface Form {
  readonly k: Dim;
  readonly v: Readonly<Record<string, number>>;
}

export const known = (k: Dim): Form => ({ k, v: {} });
export const unknown = (name: string): Form => ({ k: DIMENSIONLESS, v: { [name]: 1 } });

/** a + s b */
export function combine(a: Form, b: Form, s = 1): Form {
  const v: Record<string, number> = { ...a.v };
  for (const [name, c] of Object.entries(b.v)) v[name] = (v[name] ?? 0) + s * c;
  return { k: [a.k[0] + s * b.k[0], a.k[1] + s * b.k[1]], v };
}

export const scale = (a: Form, s: number): Form => combine(known(DIMENSIONLESS), a, s);

export interface Term {
  readonly neg: boolean;
  readonly num: readonly string[];
  readonly den: readonly string[];
  readonly form: Form;
}

export const termText = (t: Term) => `${t.neg ? '-' : ''}${t.num.length > 0 ? t.num.join(' * ') : '1'}${t.den.map((d) => ` / ${d}`).join('')}`;

/** A requirement that `term`'s unit equals `expected`; `why` says where the expected unit comes from. */
export interface Rule {
  term: string;
  form: Form;
  expected: Form;
  why: string;
}

/** Functions whose argument and value are pure numbers. */
const TRANSCENDENTAL = new Set(['exp', 'expm1', 'log', 'log1p', 'log2', 'log10', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh']);
/** Past this many terms a product is not distributed (its factors are kept whole). */
const MAX_TERMS = 64;

type Node = MathNode & { type: string; fn?: string | { name: string }; op?: string; args?: MathNode[]; content?: MathNode; name?: string; value?: unknown };

export class TermExpander {
  private fresh = 0;

  constructor(private readonly unitOf: (symbol: string) => Form, private readonly rule: (r: Rule) => void) {}

  expand(node: MathNode): Term[] {
    const n = node as Node;
    if (n.type === 'ParenthesisNode') return this.expand(n.content!);
    if (n.type === 'ConstantNode') return [{ neg: false, num: [String(n.value)], den: [], form: this.anonymous() }];
    if (n.type === 'SymbolNode') return [{ neg: false, num: [n.name!], den: [], form: this.unitOf(n.name!) }];
    if (n.type === 'OperatorNode') return this.operator(n);
    if (n.type === 'FunctionNode') return [this.call(n)];
    return [this.opaque(node, this.anonymous())];
  }

  private anonymous(): Form {
    return unknown(`#${this.fresh++}`);
  }

  private opaque(node: MathNode, form: Form): Term {
    return { neg: false, num: [node.toString()], den: [], form };
  }

  /** One unit for a sum that stays whole: its terms must agree; it takes the first's. */
  private whole(terms: Term[], text: string): Form {
    for (const t of terms.slice(1)) this.rule({ term: termText(t), form: t.form, expected: terms[0].form, why: `the unit of ${termText(terms[0])} in the same sum ${text}` });
    return terms[0].form;
  }

  private operator(n: Node): Term[] {
    const args = n.args!;
    switch (n.fn) {
      case 'add': return args.flatMap((a) => this.expand(a));
      case 'subtract': return [...this.expand(args[0]), ...this.expand(args[1]).map(negate)];
      case 'unaryMinus': return this.expand(args[0]).map(negate);
      case 'unaryPlus': return this.expand(args[0]);
      case 'multiply': return args.slice(1).reduce((acc, a) => {
        const next = this.expand(a);
        const right = acc.length * next.length > MAX_TERMS ? [this.opaque(a, this.whole(next, a.toString()))] : next;
        return acc.flatMap((x) => right.map((y) => times(x, y)));
      }, this.expand(args[0]));
      case 'divide': {
        const den = this.expand(args[1]);
        const text = (args[1] as Node).type === 'ParenthesisNode' ? args[1].toString() : `(${args[1].toString()})`;
        const d = den.length === 1 ? den[0] : { neg: false, num: [text], den: [], form: this.whole(den, text) };
        return this.expand(args[0]).map((x) => times(x, { neg: d.neg, num: d.den, den: d.num, form: scale(d.form, -1) }));
      }
      case 'pow': {
        const e = numberOf(args[1]);
        const base = this.expand(args[0]);
        if (e !== null) return [this.opaque(n, scale(this.whole(base, args[0].toString()), e))];
        for (const t of this.expand(args[1])) this.rule({ term: termText(t), form: t.form, expected: known(DIMENSIONLESS), why: 'an exponent is a pure number' });
        return [this.opaque(n, this.anonymous())];
      }
      default: return [this.opaque(n, this.anonymous())];
    }
  }

  private call(n: Node): Term {
    const name = typeof n.fn === 'string' ? n.fn : n.fn!.name;
    const args = n.args ?? [];
    if ((name === 'sqrt' || name === 'abs') && args.length === 1) {
      return this.opaque(n, scale(this.whole(this.expand(args[0]), args[0].toString()), name === 'sqrt' ? 0.5 : 1));
    }
    if (TRANSCENDENTAL.has(name) && args.length === 1) {
      for (const t of this.expand(args[0])) this.rule({ term: termText(t), form: t.form, expected: known(DIMENSIONLESS), why: `the argument of ${name} is a pure number` });
      return this.opaque(n, known(DIMENSIONLESS));
    }
    return this.opaque(n, this.anonymous());
  }
}

const negate = (t: Term): Term => ({ ...t, neg: !t.neg });

const times = (a: Term, b: Term): Term => ({ neg: a.neg !== b.neg, num: [...a.num, ...b.num], den: [...a.den, ...b.den], form: combine(a.form, b.form) });

/** The value of a literal exponent (2, -1, 0.5), or null. */
function numberOf(node: MathNode): number | null {
  const n = node as Node;
  if (n.type === 'ParenthesisNode') return numberOf(n.content!);
  if (n.type === 'ConstantNode' && typeof n.value === 'number') return n.value;
  if (n.type === 'OperatorNode' && n.fn === 'unaryMinus') {
    const x = numberOf(n.args![0]);
    return x === null ? null : -x;
  }
  return null;
}
