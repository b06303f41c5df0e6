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
 *   { "name": "ee", "from_sonata": { "config": "son" } }
 *       from, to, connect (the edges as pairs), receptor, weight_mv, delay_ms (one per edge) and plasticity of edge
 *       population `ee`. Its node populations must be populations of this scenario: the target one read with
 *       from_sonata from the same circuit (its NEST model gives syn_weight's units), the source one too, or else a
 *       population of the scenario named like it (a hand-written source in place of virtual nodes). `receptor`,
 *       `weight_mv`, `delay_ms`, `plasticity` and `short_term` given beside it override the file's; `from`, `to`
 *       and `connect` must not be given.
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
import { importNodePopulation, readEdgePopulation, sonataProjection, type PopulationIn, type ProjectionIn } from './sonata-import.js';
import type { NeuronMapping } from './sonata-models.js';
import { fromSonataSpec, type FromSonataSpec } from './schema.js';
import { ScenarioError } from './errors.js';
import { formatPath, pendingFromSonata, show, zodProblems } from './validate.js';

/** Fields of a population that the nodes give, not to be given beside from_sonata. */
export const POPULATION_FILE_FIELDS = ['model', 'size', 'equations', 'threshold', 'reset', 'refractory_ms', 'receptors'] as const;
/** Fields of a projection that the edges give, not to be given beside from_sonata. */
export const PROJECTION_FILE_FIELDS = ['from', 'to', 'connect'] as const;
/** Fields of a projection given beside from_sonata that replace the file's. */
const PROJECTION_OVERRIDES = ['receptor', 'weight_mv', 'delay_ms', 'plasticity', 'short_term'] as const;

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Loads h5wasm (once per process); after it, a scenario with from_sonata loads synchronously (loadScenario). */
export async function prepareSonata(): Promise<void> {
  await h5();
}

/** A population read from a circuit, for the projections that name it. */
interface Imported {
  name: string;
  size: number;
  mapping: NeuronMapping | null;
}

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
  const each = (list: unknown[], kind: 'populations' | 'projections', read: (e: Raw, at: string, spec: FromSonataSpec, name: string) => Raw): string[] => {
    const problems: string[] = [];
    list.forEach((e, k) => {
      if (!isObject(e) || e.from_sonata === undefined) return;
      const at = formatPath([kind, k]);
      try {
        const parsed = fromSonataSpec.safeParse(e.from_sonata);
        if (!parsed.success) throw new FieldProblem(zodProblems(parsed.error, e.from_sonata, [kind, k, 'from_sonata']));
        const spec = parsed.data;
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
        list[k] = { ...value, from_sonata: { config: spec.config, population: name, sha256 } };
      } catch (err) {
        if (!(err instanceof ScenarioError)) throw err;
        problems.push(...(err instanceof FieldProblem ? err.problems : err.problems.map((p) => `${at}.from_sonata: ${p}`)));
      }
    });
    return problems;
  };

  const problems = each(pops, 'populations', (e, at, spec, name) => {
    const cfg = readSonataConfig(resolve(baseDir, spec.config));
    const got = importNodePopulation(cfg, name, []);
    if (got === null) {
      const all = cfg.nodes.flatMap((n) => populationNames(n.nodesFile, 'nodes'));
      throw new FieldProblem([`${at}.from_sonata.population must name a node population of ${cfg.circuitFile} (${all.join(', ')}), got ${show(name)}`]);
    }
    const file: PopulationIn = got.spec;
    if (typeof e.name === 'string') {
      const k = key(cfg.circuitFile, name);
      imported.set(k, [...(imported.get(k) ?? []), { name: e.name, size: file.size, mapping: got.mapping }]);
    }
    const out: Raw = { ...e, model: file.model, size: file.size, params: merge(file.params, e.params) };
    const init = merge(file.init, e.init);
    if (init !== undefined) out.init = init;
    return out;
  });
  if (problems.length > 0) throw new ScenarioError(problems);

  problems.push(...each(projs, 'projections', (e, at, spec, name) => {
    const cfg: SonataConfig = readSonataConfig(resolve(baseDir, spec.config));
    const edges = readEdgePopulation(cfg, name);
    if (edges === null) {
      const all = cfg.edges.flatMap((f) => populationNames(f.edgesFile, 'edges'));
      throw new FieldProblem([`${at}.from_sonata.population must name an edge population of ${cfg.circuitFile} (${all.join(', ') || 'none'}), got ${show(name)}`]);
    }
    const end = (which: 'source' | 'target', pop: string): Imported => {
      const hits = imported.get(key(cfg.circuitFile, pop)) ?? [];
      const field = `${at}.from_sonata: ${edges.file}: edges/${name}/${which}_node_id attribute node_population`;
      if (hits.length > 1) throw new FieldProblem([`${field}: expected one population of the scenario read from ${pop} of ${cfg.circuitFile}, found ${hits.length} (${hits.map((h) => h.name).join(', ')})`]);
      if (hits.length === 1) return hits[0];
      // A source may be the scenario's own population of that name (e.g. a Poisson source in place of virtual nodes).
      const own = pops.find((p): p is Raw => isObject(p) && p.name === pop && p.from_sonata === undefined);
      if (which === 'source' && own) return { name: pop, size: typeof own.size === 'number' ? own.size : Infinity, mapping: null };
      const expected = which === 'target'
        ? `a population of the scenario read with from_sonata from ${cfg.circuitFile} (its NEST model gives syn_weight's units)`
        : `a population of the scenario read with from_sonata from ${cfg.circuitFile}, or one named ${pop}`;
      throw new FieldProblem([`${field}: expected ${expected}, found ${pop}`]);
    };
    const source = end('source', edges.source);
    const target = end('target', edges.target);
    const file: ProjectionIn = sonataProjection(edges, new Map([[edges.source, source.size], [edges.target, target.size]]), new Map([[edges.source, source.mapping], [edges.target, target.mapping]]), cfg, []);
    const out: Raw = { ...e, from: source.name, to: target.name, receptor: file.receptor, connect: file.connect, weight_mv: file.weight_mv, delay_ms: file.delay_ms };
    if (file.plasticity) out.plasticity = file.plasticity;
    for (const f of PROJECTION_OVERRIDES) if (e[f] !== undefined) out[f] = e[f];
    return out;
  }));
  if (problems.length > 0) throw new ScenarioError(problems);
}

/** The file's record with the scenario's keys over it; anything but two objects: the scenario's, else the file's. */
function merge(file: unknown, given: unknown): unknown {
  if (given === undefined) return file;
  return isObject(file) && isObject(given) ? { ...file, ...given } : given;
}
