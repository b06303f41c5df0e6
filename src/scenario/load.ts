/**
 * Loading scenarios: a JSON or YAML file, or a built-in name (a file in the package's scenarios/ folder), then
 * `--seed` and `--set path=value` overrides, then validation. Paths address fields the way error messages print
 * them (`populations[0].params.tau_m_ms`); an array of named objects may also be indexed by name
 * (`populations.exc.params.tau_m_ms`). A value is parsed as JSON when it can be (NaN and +-Infinity as numbers),
 * else kept as a string; the result is validated exactly as a file would be.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, extname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { ScenarioError } from './errors.js';
import { show, validateScenario } from './validate.js';
import type { Scenario } from './schema.js';

/** The package root (the folder holding chronoprop's package.json), from the bundle or from the sources. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj) && JSON.parse(readFileSync(pj, 'utf8')).name === 'chronoprop') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the chronoprop package root');
    dir = up;
  }
}

export function builtinDir(): string {
  return join(packageRoot(), 'scenarios');
}

export interface BuiltinInfo {
  name: string;
  description: string;
  file: string;
}

/** Scenario files in the built-in folder: JSON or YAML, but not the JSON Schema (scenario.schema.json) beside them. */
export function listBuiltins(): BuiltinInfo[] {
  const dir = builtinDir();
  return readdirSync(dir)
    .filter((f) => /\.(json|ya?ml)$/.test(f) && !f.endsWith('.schema.json'))
    .sort()
    .map((f) => {
      const raw = parseText(readFileSync(join(dir, f), 'utf8'), f) as { name?: string; description?: string };
      return { name: raw.name ?? basename(f, extname(f)), description: raw.description ?? '', file: join(dir, f) };
    });
}

function parseText(text: string, origin: string): unknown {
  try {
    return /\.ya?ml$/i.test(origin) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new ScenarioError([`${origin} is not valid ${/\.ya?ml$/i.test(origin) ? 'YAML' : 'JSON'}: ${(e as Error).message.split('\n')[0]}`]);
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScenarioError([code === 'EISDIR' ? `${path} is a folder, not a scenario file` : `${path} cannot be read (${code ?? (e as Error).message})`]);
  }
}

/** Reads a scenario object from a path or a built-in name (no validation yet). */
export function readScenario(ref: string): unknown {
  if (existsSync(ref)) return parseText(readText(ref), ref);
  const hit = listBuiltins().find((b) => b.name === ref || basename(b.file, extname(b.file)) === ref);
  if (hit) return parseText(readFileSync(hit.file, 'utf8'), hit.file);
  throw new ScenarioError([`scenario "${ref}" is neither a file nor a built-in scenario (see: chronoprop list)`]);
}

/** Applies one `path=value` override in place. */
export function applySet(obj: unknown, assignment: string): void {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new ScenarioError([`--set expects path=value, got ${JSON.stringify(assignment)}`]);
  const path = assignment.slice(0, eq);
  const text = assignment.slice(eq + 1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // NaN and Infinity are not JSON, but YAML files can hold them: parse them as numbers so that validation
    // reports them as it does in a file ("must be a finite number, got NaN").
    value = /^(NaN|[+-]?Infinity)$/.test(text) ? Number(text) : text;
  }
  const keys = path.match(/[^.[\]]+/g) ?? [];
  if (keys.length === 0) throw new ScenarioError([`--set expects path=value, got ${JSON.stringify(assignment)}`]);
  const banned = keys.find((k) => k === '__proto__' || k === 'constructor' || k === 'prototype');
  if (banned) throw new ScenarioError([`--set ${path}: "${banned}" is not a scenario field`]);
  let cur = obj as Record<string, unknown>;
  for (let k = 0; k < keys.length; k++) {
    const last = k === keys.length - 1;
    let key: string | number = keys[k];
    if (Array.isArray(cur)) {
      if (/^\d+$/.test(key)) {
        key = Number(key);
        if (key > cur.length) throw new ScenarioError([`--set ${path}: index ${key} is past the end of ${keys.slice(0, k).join('.')} (${cur.length} elements)`]);
      } else {
        const idx = cur.findIndex((x) => x && typeof x === 'object' && (x as { name?: string }).name === key);
        if (idx < 0) throw new ScenarioError([`--set ${path}: no element named "${key}"`]);
        key = idx;
      }
    }
    if (last) {
      (cur as Record<string | number, unknown>)[key] = value;
      return;
    }
    let next = (cur as Record<string | number, unknown>)[key];
    if (next === undefined) {
      next = {};
      (cur as Record<string | number, unknown>)[key] = next;
    }
    if (next === null || typeof next !== 'object') {
      throw new ScenarioError([`--set ${path}: ${keys.slice(0, k + 1).join('.')} is not an object or list`]);
    }
    cur = next as Record<string, unknown>;
  }
}

export interface LoadOptions {
  seed?: number;
  set?: string[];
  /** The experiment names to accept (the registry's, handed down by src/api.ts); see validateScenario. */
  experiments?: readonly string[];
}

/** Reads, overrides and validates: the scenario exactly as it will run. */
export function loadScenario(ref: string | object, opts: LoadOptions = {}): Scenario {
  const raw = typeof ref === 'string' ? readScenario(ref) : structuredClone(ref);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ScenarioError([`(scenario) must be an object, got ${show(raw)}`]);
  }
  for (const s of opts.set ?? []) applySet(raw, s);
  if (opts.seed !== undefined) (raw as Record<string, unknown>).seed = opts.seed;
  return validateScenario(raw, opts.experiments);
}
