/**
 * Scenario mutators for fuzzing: the built-in scenarios shrunk to a few neurons and milliseconds, and fast-check
 * arbitraries that break them the ways people do (wrong types, NaN, negative or huge numbers, missing or unknown
 * fields, names that shadow Object.prototype, long arrays).
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { listBuiltins } from '../../src/scenario/load.js';

type Json = unknown;
type Path = (string | number)[];

/** A built-in scenario made tiny: at most 4 neurons per population, 20 ms, samples at least 1 ms apart. */
export function shrunk(file: string): Record<string, any> {
  const s = JSON.parse(readFileSync(file, 'utf8'));
  s.duration_ms = Math.min(s.duration_ms, 20);
  for (const p of s.populations ?? []) {
    if (p.size > 4) p.size = 4;
    const times = p.params?.spike_times_ms;
    if (Array.isArray(times)) p.params.spike_times_ms = times.slice(0, p.size);
    if (Array.isArray(p.params?.rates_hz)) p.params.rates_hz = p.params.rates_hz.slice(0, p.size);
  }
  for (const pr of s.projections ?? []) {
    if (pr.connect?.rule === 'fixed_indegree') pr.connect.n = Math.min(pr.connect.n, 2);
    // A grid over a source now of 4 neurons: 2 x 2, patches of side 1-2, one pixel each.
    if (pr.connect?.rule === 'receptive_field') {
      Object.assign(pr.connect, { width: 2, height: 2, patch: [1, 2], n: 1, margin: 0 });
    }
  }
  for (const st of s.record?.state ?? []) {
    st.neurons = st.neurons.filter((n: number) => n < 4);
    if (st.neurons.length === 0) st.neurons = [0];
    if (st.every_ms !== undefined) st.every_ms = Math.max(st.every_ms, 1);
  }
  return s;
}

export const bases = listBuiltins().map((b) => ({ name: b.name, scenario: shrunk(b.file) }));

/** Every path in a JSON value, containers included (the root is []). */
export function paths(v: Json, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(v)) v.forEach((x, k) => out.push(...paths(x, [...at, k])));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

const nasty = fc.constantFrom<Json>(
  NaN, Infinity, -Infinity, -1, 0, -0.5, 0.5, 1e300, -1e300, 2 ** 53, 'NaN', '', 'x', 'toString', '__proto__', 'constructor',
  true, false, null, {}, [], [1], [-1, 2], { uniform: [1] }, { normal: [0, -1] }, { uniform: ['a', 1] },
);
const value = fc.oneof(
  { weight: 4, arbitrary: nasty },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.array(fc.double(), { maxLength: 40 }) },
);
const key = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'extra', 'tau_m_ms', 'size', 'p'), fc.string({ maxLength: 6 }));

export type Mutation =
  | { op: 'set'; pick: number; value: Json }
  | { op: 'delete'; pick: number }
  | { op: 'add'; pick: number; key: string; value: Json };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('set' as const), pick: fc.nat(), value }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('add' as const), pick: fc.nat(), key, value }) },
);

function parentOf(root: any, path: Path): any {
  let cur = root;
  for (const k of path.slice(0, -1)) cur = cur[k];
  return cur;
}

/** Applies a mutation to a copy; the path is picked among all paths of the current value. */
export function mutate(s: Json, m: Mutation): Json {
  const root = structuredClone(s) as any;
  const all = paths(root);
  const path = all[m.pick % all.length];
  if (m.op === 'add') {
    const target = path.reduce((cur: any, k) => cur[k], root);
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
      Object.defineProperty(target, m.key, { value: structuredClone(m.value), enumerable: true, writable: true, configurable: true });
    }
    return root;
  }
  if (path.length === 0) return m.op === 'set' ? structuredClone(m.value) : {};
  const parent = parentOf(root, path);
  const k = path[path.length - 1];
  if (m.op === 'delete') {
    if (Array.isArray(parent)) parent.splice(k as number, 1);
    else delete parent[k];
  } else {
    parent[k] = structuredClone(m.value);
  }
  return root;
}
