/**
 * Scenario validation: shape (schema.ts), then meaning (models, parameters, references, ranges), all before anything
 * is built or written. Every problem becomes one line `path message, got value`, e.g.
 * `populations[2].params.tau_m_ms must be > 0, got -5`; several problems are reported at once.
 */
import type { z } from 'zod';
import { scenarioSchema, type Scenario } from './schema.js';
import { neuronModels, neuronModelKinds, neuronModelFor } from '../../models/index.js';
import { DefinitionError } from '../../models/linear.js';
import { receptorsOf, type NeuronModel } from '../neurons/model.js';
import { sourceKinds } from '../neurons/source-kinds.js';
import { ScenarioError } from './errors.js';
import { checkParamValue, firstNeuronBreaking, resolveNeuronParams } from './neuron-params.js';

export { ScenarioError };

/** Most neurons of a population with a parameter drawn per neuron (2^24: 128 MiB of drawn values per parameter). */
export const MAX_DRAWN_NEURONS = 2 ** 24;

/**
 * A registry entry by a name from the scenario, own properties only: a name like "toString" or "constructor" must
 * not find Object.prototype's members.
 */
export function own<T>(registry: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(registry, name) ? registry[name] : undefined;
}

/** `populations[2].params.tau_m_ms` from a path array. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let s = '';
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s === '' ? String(k) : `.${String(k)}`;
  return s || '(scenario)';
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k as string];
  }
  return v;
}

/** A value as found, for messages: JSON, shortened; never throws (BigInt, cycles, null-prototype objects). */
export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (typeof v === 'bigint') return `${v}n`;
  let s: string | undefined;
  try {
    s = JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
  } catch {
    s = undefined;
  }
  s ??= typeof v === 'object' || typeof v === 'function' ? Object.prototype.toString.call(v) : String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

const KIND: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  tuple: 'a list',
  object: 'an object',
  record: 'an object',
};

function issueMessage(iss: z.core.$ZodIssue, found: unknown): string {
  switch (iss.code) {
    case 'invalid_type':
      if (found === undefined) return 'is required';
      if (iss.expected === 'number' && typeof found === 'number') return 'must be a finite number';
      return `must be ${KIND[iss.expected] ?? iss.expected}`;
    case 'invalid_value':
      return iss.values.length === 1 ? `must be ${show(iss.values[0])}` : `must be one of ${iss.values.map(show).join(', ')}`;
    case 'too_small':
    case 'too_big': {
      const n = Number(iss.code === 'too_small' ? iss.minimum : iss.maximum);
      const least = iss.code === 'too_small' ? 'at least' : 'at most';
      if (iss.origin === 'array') return `must have ${least} ${n} element${n === 1 ? '' : 's'}`;
      if (iss.origin === 'string' && iss.code === 'too_small' && n === 1) return 'must not be empty';
      if (iss.origin === 'string') return `must have ${least} ${n} characters`;
      return iss.message.startsWith('must') ? iss.message : `must be ${iss.code === 'too_small' ? '>' : '<'}${iss.inclusive ? '=' : ''} ${n}`;
    }
    default:
      return iss.message.startsWith('must') ? iss.message : `is invalid (${iss.message.replace(/^Invalid input: /, '')})`;
  }
}

/** Lines for zod issues, with the value found at each path; one line per path (the first rule it breaks). */
export function zodProblems(error: { issues: z.core.$ZodIssue[] }, input: unknown, prefix: ReadonlyArray<PropertyKey> = []): string[] {
  const seen = new Set<string>();
  return error.issues.flatMap((iss) => {
    const path = [...prefix, ...iss.path];
    // An empty name breaks both `min(1)` and its pattern: say it once.
    const key = JSON.stringify(path.map(String));
    if (seen.has(key)) return [];
    seen.add(key);
    const found = valueAt(input, iss.path);
    if (iss.code === 'unrecognized_keys') {
      return [`${formatPath(path)} has unknown field${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')}`];
    }
    if (iss.code === 'invalid_union') {
      const d = iss as z.core.$ZodIssueInvalidUnion & { discriminator?: string; options?: unknown[] };
      if (d.discriminator) {
        const allowed = `one of ${(d.options ?? []).map(show).join(', ')}`;
        return [found === undefined ? `${formatPath(path)} is required (${allowed})` : `${formatPath(path)} must be ${allowed}, got ${show(found)}`];
      }
      // The alternative that got furthest into the value explains the problem best (e.g. a uniform range with
      // one bound); if none got past the top level, the union's own message lists the accepted forms.
      let best: z.core.$ZodIssue[] | null = null;
      let depth = 0;
      for (const opt of d.errors) {
        const dd = Math.max(...opt.map((o) => o.path.length));
        if (dd > depth) (best = opt), (depth = dd);
      }
      if (best) return zodProblems({ issues: best }, found, path);
    }
    return [`${formatPath(path)} ${issueMessage(iss, found)}, got ${show(found)}`];
  });
}

/**
 * The from_sonata entries (path `populations[0]`, value) not read yet, i.e. without the `sha256` the loader adds
 * (scenario/from-sonata.ts). A malformed from_sonata counts: the loader reports it.
 */
export function pendingFromSonata(raw: unknown): { at: string; value: unknown }[] {
  const out: { at: string; value: unknown }[] = [];
  if (raw === null || typeof raw !== 'object') return out;
  for (const kind of ['populations', 'projections'] as const) {
    const list = (raw as Record<string, unknown>)[kind];
    if (!Array.isArray(list)) continue;
    list.forEach((e, k) => {
      const f = e !== null && typeof e === 'object' ? (e as Record<string, unknown>).from_sonata : undefined;
      if (f !== undefined && (f === null || typeof f !== 'object' || (f as Record<string, unknown>).sha256 === undefined)) out.push({ at: formatPath([kind, k]), value: f });
    });
  }
  return out;
}

/**
 * Parses and checks a scenario object; throws ScenarioError listing every problem found. `experiments` are the
 * names the scenario's `experiment` may take, handed down from the registry (src/registry.ts) by the library's and
 * the command line's loadScenario (src/api.ts); without them the name is not checked here, and whoever runs the
 * scenario looks its experiment up.
 */
export function validateScenario(input: unknown, experiments?: readonly string[]): Scenario {
  // from_sonata is read by the loader (load.ts), which knows the scenario file's folder; validation reads no file.
  const pending = pendingFromSonata(input);
  if (pending.length > 0) {
    throw new ScenarioError(pending.map((p) => `${p.at}.from_sonata must be read by the scenario loader first (loadScenario or loadScenarioAsync; validateScenario reads no file), got ${show(p.value)}`));
  }
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) throw new ScenarioError(zodProblems(parsed.error, input));
  const sc = parsed.data;
  const problems: string[] = [];
  const bad = (path: ReadonlyArray<PropertyKey>, msg: string, v: unknown) =>
    problems.push(`${formatPath(path)} ${msg}, got ${show(v)}`);

  // The name becomes a folder (results/<name>): the schema keeps separators and NUL out, this the two dot names.
  if (sc.name === '.' || sc.name === '..') bad(['name'], 'must be a file name other than "." and ".."', sc.name);
  if (experiments && !experiments.includes(sc.experiment)) {
    bad(['experiment'], `must be one of ${experiments.join(', ')}`, sc.experiment);
  }
  const sizes = new Map<string, { size: number; neuron: boolean; known: boolean; model: string; def?: NeuronModel }>();
  sc.populations.forEach((p, k) => {
    const at = ['populations', k];
    if (sizes.has(p.name)) bad([...at, 'name'], 'must be unique', p.name);
    const kind = own(neuronModelKinds, p.model);
    let model: NeuronModel | undefined;
    try {
      model = neuronModelFor(p);
    } catch (e) {
      if (!(e instanceof DefinitionError)) throw e;
      for (const d of e.problems) bad([...at, ...d.path], d.message, d.got);
    }
    const source = own(sourceKinds, p.model);
    sizes.set(p.name, { size: p.size, neuron: !!model || !!kind, known: !!model || !!source, model: p.model, def: model });
    if (sc.mode === 'rate' && (kind || (model && model !== neuronModels.lif))) {
      bad([...at, 'model'], 'has no rate-coded twin (--mode rate supports lif only)', p.model);
    }
    if (!kind) {
      for (const f of ['equations', 'threshold', 'reset', 'refractory_ms', 'receptors'] as const) {
        if (p[f] !== undefined) bad([...at, f], `is only for model linear (${p.model} has its equations built in)`, p[f]);
      }
    }
    if (model) {
      for (const [key, v] of Object.entries(p.params)) {
        const spec = own(model.params, key);
        if (!spec) {
          bad([...at, 'params', key], `is not a parameter of ${p.model} (known: ${Object.keys(model.params).join(', ')})`, v);
        } else if (sc.mode === 'rate' && typeof v === 'object' && v !== null) {
          bad([...at, 'params', key], 'must be one number with --mode rate (the rate twin takes one value per population)', v);
        } else {
          checkParamValue(spec, v, p.size, [...at, 'params', key], bad, (l) => problems.push(l), zodProblems);
        }
      }
      // Parameters drawn per neuron are drawn here, to check every neuron against the model's rules: bounded, since
      // validation comes before the memory budget (a population of 2^31 neurons once took minutes and gigabytes here).
      const drawn = Object.entries(p.params).find(([, v]) => typeof v === 'object' && v !== null && !Array.isArray(v));
      if (drawn && p.size > MAX_DRAWN_NEURONS) {
        bad([...at, 'size'], `must be <= ${MAX_DRAWN_NEURONS} with a parameter drawn per neuron (${drawn[0]}: its values are drawn to be checked)`, p.size);
      }
      if (problems.length === 0) {
        // A rule on one parameter names it; one on the whole model (its equations) names the population's field.
        const c = firstNeuronBreaking(model, resolveNeuronParams(model, p.params, p.size, sc.seed, p.name), p.size);
        const which = c && c.neuron >= 0 ? ` at neuron ${c.neuron}` : '';
        if (c && own(model.params, c.field)) bad([...at, 'params', c.field], c.message.replace(/, got .*$/, '') + which, c.value);
        else if (c) problems.push(`${formatPath([...at, c.field])} ${c.message}${which ? ` (with the parameters${which})` : ''}`);
      }
      for (const [key, v] of Object.entries(p.init)) {
        if (!own(model.state, key)) bad([...at, 'init', key], `is not a state variable of ${p.model} (known: ${Object.keys(model.state).join(', ')})`, v);
        else if (Array.isArray(v) && v.length !== p.size) bad([...at, 'init', key], `must have one value per neuron (${p.size}), got ${v.length} values`, `[${v.length} values]`);
      }
    } else if (source) {
      const r = source.schema.safeParse(p.params);
      if (!r.success) problems.push(...zodProblems(r.error, p.params, [...at, 'params']));
      else {
        const c = source.checkSize?.(r.data as Record<string, unknown>, p.size);
        if (c) problems.push(`${formatPath([...at, 'params', c[0]])} ${c[1]}`);
      }
      if (Object.keys(p.init).length > 0) bad([...at, 'init'], 'must be empty for a spike source', p.init);
    } else if (!kind) {
      bad([...at, 'model'], `must be one of ${[...Object.keys(neuronModels), ...Object.keys(neuronModelKinds), ...Object.keys(sourceKinds)].join(', ')}`, p.model);
    }
  });

  const projNames = new Set<string>();
  sc.projections.forEach((pr, k) => {
    const at = ['projections', k];
    if (projNames.has(pr.name)) bad([...at, 'name'], 'must be unique', pr.name);
    projNames.add(pr.name);
    const from = sizes.get(pr.from);
    const to = sizes.get(pr.to);
    if (!from) bad([...at, 'from'], 'must name a population', pr.from);
    if (!to) bad([...at, 'to'], 'must name a population', pr.to);
    else if (!to.neuron && to.known) bad([...at, 'to'], `must name a neuron population (${to.model} cannot receive spikes)`, pr.to);
    checkDelay(pr.delay_ms, [...at, 'delay_ms'], bad);
    if (to?.def && !receptorsOf(to.def).includes(pr.receptor)) {
      bad([...at, 'receptor'], `must be one of ${receptorsOf(to.def).map(show).join(', ')} (receptors of ${pr.to}'s model ${to.model})`, pr.receptor);
    }
    if (pr.plasticity && pr.plasticity.rule !== 'stdp' && sc.mode === 'rate') {
      bad([...at, 'plasticity', 'rule'], 'has no rate-coded twin (--mode rate supports rule stdp only)', pr.plasticity.rule);
    }
    if (pr.short_term && sc.mode === 'rate') {
      bad([...at, 'short_term', 'rule'], 'has no rate-coded twin (--mode rate runs projections without short-term plasticity only)', pr.short_term.rule);
    }
    if (pr.plasticity && !(pr.plasticity.w_max_mv > pr.plasticity.w_min_mv)) {
      bad([...at, 'plasticity', 'w_max_mv'], `must be > w_min_mv (${pr.plasticity.w_min_mv})`, pr.plasticity.w_max_mv);
    }
    if (!from || !to) return;
    const c = pr.connect;
    for (const f of ['weight_mv', 'delay_ms'] as const) {
      const list = pr[f];
      if (!Array.isArray(list)) continue;
      if (c.rule !== 'pairs') bad([...at, f], 'must not be a list unless connect.rule is pairs (one value per pair)', `[${list.length} values]`);
      else if (list.length !== c.pre.length) bad([...at, f], `must have one value per pair (${c.pre.length}), got ${list.length} values`, `[${list.length} values]`);
    }
    if (c.rule === 'pairs') {
      if (c.pre.length !== c.post.length) bad([...at, 'connect', 'post'], `must have as many entries as pre (${c.pre.length})`, c.post.length);
      c.pre.forEach((i, m) => i >= from.size && bad([...at, 'connect', 'pre', m], `must be < ${from.size} (size of ${pr.from})`, i));
      c.post.forEach((i, m) => i >= to.size && bad([...at, 'connect', 'post', m], `must be < ${to.size} (size of ${pr.to})`, i));
    }
    if (c.rule === 'fixed_indegree') {
      const avail = from.size - (pr.from === pr.to && !c.allow_autapses ? 1 : 0);
      if (c.n > avail) bad([...at, 'connect', 'n'], `must be <= ${avail} (distinct presynaptic neurons available)`, c.n);
    }
    if (c.rule === 'receptive_field') {
      const m = c.margin ?? 0;
      const room = Math.min(c.width, c.height) - 2 * m;
      if (c.width * c.height !== from.size) bad([...at, 'connect', 'height'], `must make width x height = ${from.size} (size of ${pr.from}) with width ${c.width}`, c.height);
      else if (c.patch[1] < c.patch[0]) bad([...at, 'connect', 'patch', 1], `must be >= patch[0] (${c.patch[0]})`, c.patch[1]);
      else if (c.patch[1] > room) bad([...at, 'connect', 'patch', 1], `must be <= ${room} (the grid's shorter side less twice the margin)`, c.patch[1]);
      else if (c.n !== undefined && c.n > c.patch[0] * c.patch[0]) bad([...at, 'connect', 'n'], `must be <= ${c.patch[0] * c.patch[0]} (cells in the smallest patch, ${c.patch[0]} x ${c.patch[0]})`, c.n);
    }
  });

  const rec = sc.record;
  if (rec.spikes !== 'all') rec.spikes.forEach((n, k) => !sizes.has(n) && bad(['record', 'spikes', k], 'must name a population', n));
  rec.state.forEach((s, k) => {
    const at = ['record', 'state', k];
    const pop = sizes.get(s.population);
    if (!pop || !pop.neuron) return pop?.known === false ? undefined : bad([...at, 'population'], 'must name a neuron population', s.population);
    s.neurons.forEach((i, m) => i >= pop.size && bad([...at, 'neurons', m], `must be < ${pop.size}`, i));
    const model = pop.def;
    if (model) s.vars.forEach((v, m) => !own(model.state, v) && bad([...at, 'vars', m], `must be one of ${Object.keys(model.state).join(', ')}`, v));
    if ((s.every_ms === undefined) === (s.times_ms === undefined)) bad(at, 'must give exactly one of every_ms and times_ms', s);
  });
  rec.weights.forEach((w, k) => !projNames.has(w.projection) && bad(['record', 'weights', k, 'projection'], 'must name a projection', w.projection));

  if (problems.length > 0) throw new ScenarioError(problems);
  return sc;
}

/** Delays are >= 0: a uniform range within [0, inf) with lo <= hi; a normal is drawn truncated at 0 (redrawn until
 * >= 0), which needs a mean >= 0 so that a draw succeeds with probability >= 1/2 (a mean of -10 sd would hang). */
function checkDelay(d: unknown, path: PropertyKey[], bad: (p: PropertyKey[], m: string, v: unknown) => void): void {
  if (typeof d === 'number' && d < 0) bad(path, 'must be >= 0', d);
  if (Array.isArray(d)) {
    const k = d.findIndex((x) => !(x >= 0));
    if (k >= 0) bad([...path, k], 'must be >= 0', d[k]);
    return;
  }
  if (typeof d !== 'object' || d === null) return;
  if ('uniform' in d) {
    const [lo, hi] = (d as { uniform: number[] }).uniform;
    if (lo < 0) bad([...path, 'uniform', 0], 'must be >= 0', lo);
    else if (hi < lo) bad([...path, 'uniform', 1], `must be >= the lower end ${lo}`, hi);
  }
  if ('normal' in d && (d as { normal: number[] }).normal[0] < 0) {
    bad([...path, 'normal', 0], 'must be >= 0 (delays are drawn from the normal truncated at 0)', (d as { normal: number[] }).normal[0]);
  }
}
