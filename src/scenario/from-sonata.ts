/**
 * A scenario's `from_sonata` fields (docs/sonata.md): populations and projections read from a SONATA circuit by the
 * scenario loader, into exactly what `chronoprop import --sonata` writes for them (scenario/sonata-import.ts's own
 * functions do the reading and mapping), so that a network built elsewhere (bmtk, a chronoprop export) runs as it is.
 *
 *   { "name": "exc", "from_sonata": { "config": "son", "population": "exc" } }
 *       model, size, params and init of node population `exc` of the circuit in son/ (a folder with
 *       circuit_config.json and, for spike inputs, simulation_config.json; or one of those files). `population`
 *       defaults to the entry's name. `params` and `init` given beside it override the file's, key by key; `model`,
 *       `size` (and the `linear` model's fields) must not be given.
 *   { "name": "exc", "from_sonata": { "config": "son", "population": "v1", "node_type_id": [100, 101] } }
 *       only the nodes of those node types, re-indexed 0..k-1 in node id order (one SONATA population with exc and
 *       inh node types as two chronoprop populations); several types must map onto one chronoprop model, and
 *       parameters that differ between them become per-neuron lists.
 *   { "name": "ee", "from_sonata": { "config": "son" } }
 *       from, to, connect (the edges as pairs), receptor, weight_mv, delay_ms (one per edge) and plasticity of edge
 *       population `ee`. Its node populations must be populations of this scenario: the target one read with
 *       from_sonata from the same circuit (its NEST model gives syn_weight's units), the source one too, or else a
 *       population of the scenario named like it (a hand-written source in place of virtual nodes). `receptor`,
 *       `weight_mv`, `delay_ms`, `plasticity` and `short_term` given beside it override the file's; `connect` must
 *       not be given. `edge_type_id` takes only the edges of those types (one, after the selections below).
 *       A node population read by several populations (node_type_id subsets): `from` / `to` name the projection's
 *       ends among them, else each end is the one holding the first edge's node; every edge must run from `from`
 *       to `to` (one line naming the first that does not), or with `"outside": "drop"` (and `from`, `to` given)
 *       the others are left out. Node ids are re-indexed as the populations were.
 *
 * Paths are relative to the scenario file (to the working folder for a scenario given as an object). The loader is
 * synchronous, h5wasm's WebAssembly module loads asynchronously: it needs loading once per process, so callers
 * await prepareSonata() (or use loadScenarioAsync) before loading; loadScenario then reads the files in place.
 *
 * The resolved scenario holds the values read, as an imported scenario would, so its SHA-256 covers the network and
 * it runs anywhere without the files (sweep workers, resume); each from_sonata block gains `population` and
 * `sha256`: every file read for that entry, relative to the scenario file's folder, with its contents' SHA-256. A
 * changed file therefore changes the scenario's hash (a sweep reruns its points; run.json says which file). A block
 * with `sha256` is the resolved form and is not read again.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { relative, resolve, sep } from 'node:path';
import { h5, h5Now } from '../formats/h5.js';
import { readSonataConfig, type SonataConfig } from '../formats/sonata-config.js';
import { populationNames } from '../formats/sonata-populations.js';
import { trackReads } from '../formats/sonata-read.js';
import type { EdgePop } from '../formats/sonata-populations.js';
import { importNodePopulation, readEdgePopulation, sonataProjection, type NodeModels, type PopulationIn, type ProjectionIn } from './sonata-import.js';
import { fromSonataEdges, fromSonataNodes, type FromSonataEdges, type FromSonataNodes } from './schema.js';
import { ScenarioError } from './errors.js';
import { formatPath, pendingFromSonata, show, zodProblems } from './validate.js';

/** Fields of a population that the nodes give, not to be given beside from_sonata. */
export const POPULATION_FILE_FIELDS = ['model', 'size', 'equations', 'threshold', 'reset', 'refractory_ms', 'receptors'] as const;
/** Fields of a projection that the edges give, not to be given beside from_sonata (from and to may choose ends). */
export const PROJECTION_FILE_FIELDS = ['connect'] as const;
/** Fields of a projection given beside from_sonata that replace the file's. */
const PROJECTION_OVERRIDES = ['receptor', 'weight_mv', 'delay_ms', 'plasticity', 'short_term'] as const;

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Loads h5wasm (once per process); after it, a scenario with from_sonata loads synchronously (loadScenario). */
export async function prepareSonata(): Promise<void> {
  await h5();
}

/** A population read from a circuit (or the scenario's own standing in for virtual nodes), for its projections. */
interface Imported {
  name: string;
  size: number;
  models: NodeModels;
  /** SONATA node id -> index in this population, -1 where the node is not in it; null: the ids as they are. */
  local: Int32Array | null;
  /** Each SONATA node's node_type_id (for messages); null for the scenario's own population. */
  typeIds: Float64Array | null;
}

/** A population's index of SONATA node `id`: -1 outside it; an id past the SONATA population stays (refused later). */
const localOf = (p: Imported, id: number): number => (p.local === null || id >= p.local.length ? id : p.local[id]);

const typeList = (t: number | number[] | undefined): number[] | undefined => (t === undefined ? undefined : [t].flat());

/** A line of this module's own, already naming the scenario field (not prefixed again). */
class FieldProblem extends ScenarioError {}

function sha256File(path: string): string {
  const hash = createHash('sha256');
  const buf = Buffer.alloc(1 << 20);
  const fd = openSync(path, 'r');
  try {
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * Replaces, in place, every from_sonata population and projection of a raw scenario (read, --set and --seed applied,
 * not yet validated) by what the SONATA files give, overrides applied, and records the files' SHA-256. `baseDir`:
 * the folder relative paths start from. Throws ScenarioError (one line per problem) on bad input, Error when
 * h5wasm was not loaded first (prepareSonata).
 */
export function resolveFromSonata(raw: Raw, baseDir: string): void {
  if (pendingFromSonata(raw).length === 0) return;
  const hashes = new Map<string, string>();
  const hashOf = (f: string) => hashes.get(f) ?? (hashes.set(f, sha256File(f)), hashes.get(f)!);
  const imported = new Map<string, Imported[]>();
  const key = (circuit: string, pop: string) => `${circuit}\0${pop}`;
  const pops = Array.isArray(raw.populations) ? (raw.populations as unknown[]) : [];
  const projs = Array.isArray(raw.projections) ? (raw.projections as unknown[]) : [];

  /** Resolves entry k of a list; its problems are collected, so that every bad entry is reported at once. */
  const each = <S extends FromSonataNodes | FromSonataEdges>(list: unknown[], kind: 'populations' | 'projections', schema: typeof fromSonataNodes | typeof fromSonataEdges, read: (e: Raw, at: string, spec: S, name: string) => Raw): string[] => {
    const problems: string[] = [];
    list.forEach((e, k) => {
      if (!isObject(e) || e.from_sonata === undefined) return;
      const at = formatPath([kind, k]);
      try {
        const parsed = schema.safeParse(e.from_sonata);
        if (!parsed.success) throw new FieldProblem(zodProblems(parsed.error, e.from_sonata, [kind, k, 'from_sonata']));
        const spec = parsed.data as S;
        if (spec.sha256 !== undefined) return; // resolved before (run.json's scenario): its values are beside it
        const given = (kind === 'populations' ? POPULATION_FILE_FIELDS : PROJECTION_FILE_FIELDS).filter((f) => e[f] !== undefined);
        if (given.length > 0) {
          const what = kind === 'populations' ? 'the SONATA nodes give the model, size and parameters; params and init may override them' : `the SONATA edges give them; ${PROJECTION_OVERRIDES.join(', ')} may override the file's`;
          throw new FieldProblem(given.map((f) => `${at}.${f} must not be given with from_sonata (${what}), got ${show(e[f])}`));
        }
        const name = spec.population ?? e.name;
        if (typeof name !== 'string') throw new FieldProblem([`${at}.name must be a string (it names the SONATA population unless from_sonata.population does), got ${show(e.name)}`]);
        if (h5Now() === null) throw new Error(`${at}.from_sonata: the SONATA reader (h5wasm) is not loaded yet: use loadScenarioAsync, or await prepareSonata() once before loadScenario`);
        const config = resolve(baseDir, spec.config);
        if (!existsSync(config)) throw new FieldProblem([`${at}.from_sonata.config must be a SONATA folder, circuit config or simulation config (relative to ${baseDir}), got ${show(spec.config)}: no such file or folder`]);
        const { value, files } = trackReads(() => read(e, at, spec, name));
        const sha256 = Object.fromEntries(files.map((f) => [relative(baseDir, f).split(sep).join('/'), hashOf(f)] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
        list[k] = { ...value, from_sonata: { ...spec, population: name, sha256 } };
      } catch (err) {
        if (!(err instanceof ScenarioError)) throw err;
        problems.push(...(err instanceof FieldProblem ? err.problems : err.problems.map((p) => `${at}.from_sonata: ${p}`)));
      }
    });
    return problems;
  };

  const problems = each<FromSonataNodes>(pops, 'populations', fromSonataNodes, (e, at, spec, name) => {
    const cfg = readSonataConfig(resolve(baseDir, spec.config));
    const got = importNodePopulation(cfg, name, [], typeList(spec.node_type_id));
    if (got === null) {
      const all = cfg.nodes.flatMap((n) => populationNames(n.nodesFile, 'nodes'));
      throw new FieldProblem([`${at}.from_sonata.population must name a node population of ${cfg.circuitFile} (${all.join(', ')}), got ${show(name)}`]);
    }
    const file: PopulationIn = got.spec;
    if (typeof e.name === 'string') {
      const local = new Int32Array(got.typeIds.length).fill(-1);
      got.ids.forEach((id, k) => (local[id] = k));
      const k = key(cfg.circuitFile, name);
      imported.set(k, [...(imported.get(k) ?? []), { name: e.name, size: file.size, models: got.models, local, typeIds: got.typeIds }]);
    }
    const out: Raw = { ...e, model: file.model, size: file.size, params: merge(file.params, e.params) };
    const init = merge(file.init, e.init);
    if (init !== undefined) out.init = init;
    return out;
  });
  if (problems.length > 0) throw new ScenarioError(problems);

  problems.push(...each<FromSonataEdges>(projs, 'projections', fromSonataEdges, (e, at, spec, name) => {
    const cfg: SonataConfig = readSonataConfig(resolve(baseDir, spec.config));
    const edges = readEdgePopulation(cfg, name);
    if (edges === null) {
      const all = cfg.edges.flatMap((f) => populationNames(f.edgesFile, 'edges'));
      throw new FieldProblem([`${at}.from_sonata.population must name an edge population of ${cfg.circuitFile} (${all.join(', ') || 'none'}), got ${show(name)}`]);
    }
    // The edges of the types asked for (all without edge_type_id).
    const types = typeList(spec.edge_type_id);
    const missing = types?.find((t) => !edges.types.has(t));
    if (missing !== undefined) throw new FieldProblem([`${at}.from_sonata.edge_type_id must name edge types of edges/${name} in ${edges.file} (${[...edges.types.keys()].join(', ') || 'none'}), got ${missing}`]);
    const want = types && new Set(types);
    const chosen = [...edges.typeIds.keys()].filter((k) => !want || want.has(edges.typeIds[k]));
    const source = end(e, at, cfg, edges, chosen, spec, 'source');
    const target = end(e, at, cfg, edges, chosen, spec, 'target');
    const kept = within(at, cfg, edges, chosen, source, target, spec.outside === 'drop');
    const sub = subset(edges, kept, source, target, types);
    const file: ProjectionIn = sonataProjection(sub, new Map([[source.name, source.size], [target.name, target.size]]), new Map([[source.name, source.models], [target.name, target.models]]), cfg, [], { typeHint: ' (a projection takes one: from_sonata.edge_type_id selects it)', delayGiven: e.delay_ms !== undefined });
    const out: Raw = { ...e, from: source.name, to: target.name, receptor: file.receptor, connect: file.connect, weight_mv: file.weight_mv, delay_ms: file.delay_ms };
    if (file.plasticity) out.plasticity = file.plasticity;
    for (const f of PROJECTION_OVERRIDES) if (e[f] !== undefined) out[f] = e[f];
    return out;
  }));
  if (problems.length > 0) throw new ScenarioError(problems);

  /**
   * A projection's source or target population: the one its `from` / `to` names, else the one population read from
   * the edges' node population (or, for the source, the scenario's own population of that name), else, when several
   * were read from it (node_type_id subsets), the one holding the first chosen edge's node.
   */
  function end(e: Raw, at: string, cfg: SonataConfig, edges: EdgePop, chosen: number[], spec: FromSonataEdges, which: 'source' | 'target'): Imported {
    const pop = which === 'source' ? edges.source : edges.target;
    const field = which === 'source' ? 'from' : 'to';
    const hits = imported.get(key(cfg.circuitFile, pop)) ?? [];
    const own = pops.find((p): p is Raw => isObject(p) && p.name === pop && p.from_sonata === undefined);
    const stand = (): Imported => ({ name: pop, size: typeof own!.size === 'number' ? own!.size : Infinity, models: null, local: null, typeIds: null });
    const names = hits.map((h) => h.name).join(', ');
    const given = e[field];
    if (given !== undefined) {
      const hit = hits.find((h) => h.name === given);
      if (hit) return hit;
      if (which === 'source' && own && given === pop) return stand();
      const also = which === 'source' && own ? `, or the scenario's own population ${pop}` : '';
      throw new FieldProblem([`${at}.${field} must name a population read with from_sonata from node population ${pop} of ${cfg.circuitFile} (${names || 'none'})${also}, got ${show(given)}`]);
    }
    if (hits.length === 1) return hits[0];
    if (hits.length === 0) {
      if (which === 'source' && own) return stand();
      const expected = which === 'target'
        ? `a population of the scenario read with from_sonata from ${cfg.circuitFile} (its NEST model gives syn_weight's units)`
        : `a population of the scenario read with from_sonata from ${cfg.circuitFile}, or one named ${pop}`;
      throw new FieldProblem([`${at}.from_sonata: ${edges.file}: edges/${edges.name}/${which}_node_id attribute node_population: expected ${expected}, found ${pop}`]);
    }
    if (spec.outside === 'drop') throw new FieldProblem([`${at}.${field} must be given with from_sonata.outside "drop" (node population ${pop} is read by several populations: ${names})`]);
    const k = chosen[0];
    if (k === undefined) throw new FieldProblem([`${at}.${field} must be given (node population ${pop} is read by several populations: ${names}; no edge to tell which)`]);
    const id = (which === 'source' ? edges.pre : edges.post)[k];
    const holding = hits.filter((h) => localOf(h, id) >= 0);
    if (holding.length === 1) return holding[0];
    throw new FieldProblem([`${at}.${field} must be given (node population ${pop} is read by several populations: ${names}; edge ${k}'s ${which} node ${id} is in ${holding.length === 0 ? 'none' : holding.map((h) => h.name).join(' and ')})`]);
  }
}

/** A SONATA node, for messages: its id and node type. */
function whereIs(p: Imported, id: number): string {
  return p.typeIds === null ? `node ${id}` : `node ${id} (node_type_id ${p.typeIds[id] ?? 'none: past the population'})`;
}

/** The chosen edges that run from `source` to `target`; any other is refused (one line), or left out with `drop`. */
function within(at: string, cfg: SonataConfig, e: EdgePop, chosen: number[], source: Imported, target: Imported, drop: boolean): number[] {
  const kept: number[] = [];
  for (const k of chosen) {
    const s = localOf(source, e.pre[k]);
    const t = localOf(target, e.post[k]);
    if (s >= 0 && t >= 0) kept.push(k);
    else if (!drop) {
      const bad = s < 0 ? `source ${whereIs(source, e.pre[k])} outside ${source.name}` : `target ${whereIs(target, e.post[k])} outside ${target.name}`;
      throw new FieldProblem([`${at}.from_sonata: ${e.file}: edges/${e.name} edge ${k}: expected an edge from ${source.name} to ${target.name} (the populations read from ${e.source} and ${e.target} of ${cfg.circuitFile}), found its ${bad} (from_sonata.edge_type_id selects edges by type; "outside": "drop" leaves such edges out)`]);
    }
  }
  return kept;
}

/**
 * The edges `kept` (file indices) with their ends re-indexed into `source` and `target` and named after them; the
 * edge population itself when that changes nothing. With no edge left, the types asked for (else all) stand.
 */
function subset(e: EdgePop, kept: number[], source: Imported, target: Imported, types: number[] | undefined): EdgePop {
  const same = kept.length === e.pre.length && source.local === null && target.local === null;
  if (same && source.name === e.source && target.name === e.target) return e;
  const pick = (a: Float64Array) => Float64Array.from(kept, (k) => a[k]);
  const typeIds = pick(e.typeIds);
  const left = new Set(kept.length > 0 ? typeIds : types ?? e.types.keys());
  return {
    ...e, source: source.name, target: target.name,
    pre: Float64Array.from(kept, (k) => localOf(source, e.pre[k])),
    post: Float64Array.from(kept, (k) => localOf(target, e.post[k])),
    typeIds, types: new Map([...e.types].filter(([id]) => left.has(id))),
    synWeight: pick(e.synWeight), delay: e.delay && pick(e.delay), weightMv: e.weightMv && pick(e.weightMv),
    fileIndex: Float64Array.from(kept),
  };
}

/** The file's record with the scenario's keys over it; anything but two objects: the scenario's, else the file's. */
function merge(file: unknown, given: unknown): unknown {
  if (given === undefined) return file;
  return isObject(file) && isObject(given) ? { ...file, ...given } : given;
}
