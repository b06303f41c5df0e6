/**
 * Loading scenarios: a JSON or YAML file, or a built-in name (a file in the package's scenarios/ folder), then
 * `--seed` and `--set path=value` overrides, then validation. Paths address fields the way error messages print
 * them (`populations[0].params.tau_m_ms`); an array of named objects may also be indexed by name
 * (`populations.exc.params.tau_m_ms`). A value is parsed as JSON when it can be (NaN and +-Infinity as numbers),
 * else kept as a string; the result is validated exactly as a file would be.
 *
 * Populations and projections with `from_sonata` are read from SONATA files between the overrides and validation
 * (from-sonata.ts), relative to the scenario file's folder. That reading is synchronous once h5wasm is loaded:
 * loadScenarioAsync loads it when the scenario needs it; loadScenario expects prepareSonata() to have been awaited.
 */
import { readFileSync, readdirSync, existsSync, statSync, openSync, fstatSync, readSync, closeSync, constants, type Stats } from 'node:fs';
import { dirname, join, extname, basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { ScenarioError } from './errors.js';
import { pendingFromSonata, show, validateScenario } from './validate.js';
import { prepareSonata, resolveFromSonata } from './from-sonata.js';
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

/** The largest scenario file read (64 MiB): a file past it is refused before it is read. */
export const MAX_SCENARIO_BYTES = 64 * 2 ** 20;

/**
 * A scenario file's text: only from a regular file (a device such as /dev/zero would never end, a FIFO would block
 * until someone writes to it), at most MAX_SCENARIO_BYTES, and UTF-8 (a byte-order mark is dropped).
 */
function readText(path: string): string {
  let fd: number | undefined;
  try {
    const kind = (st: Stats) => (st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a FIFO' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : 'not a regular file');
    const check = (st: Stats) => {
      if (!st.isFile()) throw new ScenarioError([`${path} is ${kind(st)}, not a scenario file`]);
      if (st.size > MAX_SCENARIO_BYTES) throw new ScenarioError([`${path} must be at most ${MAX_SCENARIO_BYTES} bytes to be read as a scenario, got ${st.size} bytes`]);
    };
    check(statSync(path));
    // Non-blocking, and checked again once open: it is still the regular file seen above.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    check(fstatSync(fd));
    const buf = Buffer.alloc(Math.min(fstatSync(fd).size, MAX_SCENARIO_BYTES) + 1);
    let n = 0;
    for (let r; n < buf.length && (r = readSync(fd, buf, n, buf.length - n, null)) > 0; ) n += r;
    if (n === buf.length) throw new ScenarioError([`${path} changed while it was read; try again`]);
    return utf8(buf.subarray(0, n), path);
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScenarioError([code === 'EISDIR' ? `${path} is a folder, not a scenario file` : `${path} cannot be read (${code ?? (e as Error).message})`]);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The bytes as UTF-8 text, or a ScenarioError naming the first byte that is not UTF-8. */
function utf8(bytes: Uint8Array, path: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new ScenarioError([`${path} must be UTF-8 text, got ${at < 0 ? 'other bytes' : `byte 0x${bytes[at].toString(16).padStart(2, '0')} at offset ${at}`}`]);
  }
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629), or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    // Sequence length, and the allowed range of the second byte (excludes overlong forms, surrogates, > U+10FFFF).
    const [len, lo, hi] = c < 0x80 ? [1, 0, 0] : c >= 0xc2 && c <= 0xdf ? [2, 0x80, 0xbf] : c === 0xe0 ? [3, 0xa0, 0xbf] : c === 0xed ? [3, 0x80, 0x9f]
      : c >= 0xe1 && c <= 0xef ? [3, 0x80, 0xbf] : c === 0xf0 ? [4, 0x90, 0xbf] : c >= 0xf1 && c <= 0xf3 ? [4, 0x80, 0xbf] : c === 0xf4 ? [4, 0x80, 0x8f] : [0, 0, 0];
    if (len === 0) return i;
    for (let k = 1; k < len; k++) {
      const x = b[i + k];
      if (x === undefined || x < (k === 1 ? lo : 0x80) || x > (k === 1 ? hi : 0xbf)) return i;
    }
    i += len;
  }
  return -1;
}

/** Reads a scenario object from a path or a built-in name (no validation yet), with the folder of its file. */
function readScenarioAt(ref: string): { raw: unknown; dir: string } {
  if (existsSync(ref)) return { raw: parseText(readText(ref), ref), dir: dirname(resolve(ref)) };
  const hit = listBuiltins().find((b) => b.name === ref || basename(b.file, extname(b.file)) === ref);
  if (hit) return { raw: parseText(readFileSync(hit.file, 'utf8'), hit.file), dir: dirname(hit.file) };
  throw new ScenarioError([`scenario "${ref}" is neither a file nor a built-in scenario (see: chronoprop list)`]);
}

/** Reads a scenario object from a path or a built-in name (no validation yet). */
export function readScenario(ref: string): unknown {
  return readScenarioAt(ref).raw;
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
  /** Where from_sonata's relative paths start for a scenario given as an object (default: the working folder). */
  baseDir?: string;
}

/** The deepest nesting of objects and lists a scenario may have (built-in scenarios reach 6). */
export const MAX_DEPTH = 64;

/**
 * Refuses values nested deeper than MAX_DEPTH before anything recursive (copying, validation, hashing) sees them.
 * Iterative, so that depth itself cannot overflow the stack.
 */
export function checkDepth(root: unknown): void {
  const stack: [unknown, number, string][] = [[root, 0, '(scenario)']];
  while (stack.length > 0) {
    const [v, d, top] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d >= MAX_DEPTH) throw new ScenarioError([`${top} must be nested at most ${MAX_DEPTH} levels deep, got more`]);
    for (const [k, x] of Object.entries(v)) stack.push([x, d + 1, d === 0 ? k : top]);
  }
}

/** Reads and overrides (the raw scenario, not yet validated), with the folder its relative paths start from. */
function readOverridden(ref: string | object, opts: LoadOptions): { raw: Record<string, unknown>; dir: string } {
  checkDepth(typeof ref === 'string' ? undefined : ref);
  const { raw, dir } = typeof ref === 'string' ? readScenarioAt(ref) : { raw: structuredClone(ref) as unknown, dir: resolve(opts.baseDir ?? '.') };
  if (typeof ref === 'string') checkDepth(raw);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ScenarioError([`(scenario) must be an object, got ${show(raw)}`]);
  }
  for (const s of opts.set ?? []) applySet(raw, s);
  if (opts.set?.length) checkDepth(raw);
  if (opts.seed !== undefined) (raw as Record<string, unknown>).seed = opts.seed;
  return { raw: raw as Record<string, unknown>, dir };
}

/**
 * Reads, overrides, reads from_sonata's files and validates: the scenario exactly as it will run. A scenario with
 * from_sonata needs h5wasm loaded first (await prepareSonata() once per process), else use loadScenarioAsync.
 */
export function loadScenario(ref: string | object, opts: LoadOptions = {}): Scenario {
  const { raw, dir } = readOverridden(ref, opts);
  resolveFromSonata(raw, dir);
  return validateScenario(raw, opts.experiments);
}

/** loadScenario, loading h5wasm first when the scenario reads SONATA files (from_sonata). */
export async function loadScenarioAsync(ref: string | object, opts: LoadOptions = {}): Promise<Scenario> {
  const { raw, dir } = readOverridden(ref, opts);
  if (pendingFromSonata(raw).length > 0) await prepareSonata();
  resolveFromSonata(raw, dir);
  return validateScenario(raw, opts.experiments);
}
