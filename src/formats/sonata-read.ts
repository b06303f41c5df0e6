/**
 * Reading SONATA circuit files for import, every refusal one line naming the file, the field, what was expected and
 * what was found (ScenarioError: exit code 2). The layout read is the one sonata-network.ts writes and NEST's, bmtk's
 * and libsonata's readers share: per node population node_type_id (node ids 0..n-1), one node group; per edge
 * population source_node_id and target_node_id (with their node_population attributes), edge_type_id, one edge
 * group with per-edge columns; node and edge types in space-separated CSV files. HDF5 through h5wasm (formats/h5.ts),
 * synchronously: whoever reads awaits h5() once first. Only regular files are read (a FIFO or a device named by a
 * scenario's `from_sonata` would block or never end), and trackReads lists the files a reading touched, so that
 * their contents' SHA-256 can be recorded (scenario/from-sonata.ts).
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { h5Now, type H5 } from './h5.js';
import { ScenarioError } from '../errors.js';

type Group = InstanceType<H5['Group']>;
type Dataset = InstanceType<H5['Dataset']>;
export type H5File = InstanceType<H5['File']>;

/** Stops the import: `<file>: <field>: expected <expected>, found <found>`. */
export function refuse(file: string, field: string, expected: string, found: string): never {
  throw new ScenarioError([`${file}: ${field}: expected ${expected}, found ${found}`]);
}

let reads: Set<string> | null = null;

/** Runs fn, returning what it returned and the absolute paths of the files it read here (in the order first read). */
export function trackReads<T>(fn: () => T): { value: T; files: string[] } {
  const outer = reads;
  reads = new Set();
  try {
    const value = fn();
    return { value, files: [...reads] };
  } finally {
    const mine = reads;
    reads = outer;
    if (outer) for (const f of mine) outer.add(f);
  }
}

/** Refuses a path that is missing or not a regular file; notes it as read (trackReads). */
function regularFile(path: string, field: string, expected: string): void {
  if (!existsSync(path)) refuse(path, field, expected, 'no such file');
  const st = statSync(path);
  if (!st.isFile()) refuse(path, field, expected, st.isDirectory() ? 'a folder' : 'not a regular file');
  reads?.add(resolve(path));
}

export function readJsonFile(path: string, what: string): Record<string, unknown> {
  regularFile(path, what, 'a JSON file');
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    refuse(path, what, 'JSON', `a parse error (${(e as Error).message.split('\n')[0]})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) refuse(path, what, 'a JSON object', Array.isArray(v) ? 'an array' : typeof v);
  return v as Record<string, unknown>;
}

/** A SONATA types file: space-separated columns, a header row; rows keyed by `idColumn` (an integer). */
export function readTypesCsv(path: string, idColumn: string): Map<number, Record<string, string>> {
  regularFile(path, idColumn, 'a types CSV file');
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').trim().split(/\s+/);
  if (!header.includes(idColumn)) refuse(path, 'header', `a column ${idColumn}`, header.join(' ') || 'an empty file');
  const out = new Map<number, Record<string, string>>();
  lines.slice(1).forEach((l, k) => {
    const cells = l.trim().split(/\s+/);
    if (cells.length !== header.length) refuse(path, `row ${k + 1}`, `${header.length} space-separated columns (no quoted spaces)`, `${cells.length}`);
    const row = Object.fromEntries(header.map((h, c) => [h, cells[c]]));
    const id = Number(row[idColumn]);
    if (!Number.isInteger(id)) refuse(path, `row ${k + 1} ${idColumn}`, 'an integer', row[idColumn]);
    out.set(id, row);
  });
  return out;
}

let lib: H5 | null = null;

const HDF5_SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Opens an HDF5 file for reading, after checking its signature (h5wasm prints HDF5's diagnostics on a bad file).
 * Synchronous: h5wasm must be ready (await h5() from formats/h5.ts once before).
 */
export function openH5(path: string, field: string): H5File {
  regularFile(path, field, 'an HDF5 file');
  lib = h5Now();
  if (lib === null) throw new Error(`reading ${path}: h5wasm is not loaded yet (await h5() from formats/h5.ts, or the library's prepareSonata(), once before)`);
  const head = Buffer.alloc(8);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 8, 0);
  } finally {
    closeSync(fd);
  }
  if (!head.equals(HDF5_SIGNATURE)) refuse(path, field, 'an HDF5 file (signature \\x89HDF at byte 0)', 'other bytes');
  return new lib.File(path, 'r');
}

export function groupKeys(f: H5File, file: string, path: string): string[] {
  const g = f.get(path);
  if (!(g instanceof lib!.Group)) refuse(file, path, 'an HDF5 group', g === null ? 'none' : 'another kind of object');
  return g.keys();
}

export const has = (f: H5File, path: string): boolean => f.get(path) !== null;

/** A 1-D numeric dataset as float64 (integers exactly, up to 2^53), of length n when given. */
export function column(f: H5File, file: string, path: string, n?: number, integer = false): Float64Array {
  const d = f.get(path);
  if (d === null) refuse(file, path, 'a dataset', 'none (a required dataset is missing)');
  if (!(d instanceof lib!.Dataset)) refuse(file, path, 'a dataset', 'another kind of object');
  const ds = d;
  const shape = ds.shape ?? [];
  if (shape.length !== 1) refuse(file, path, 'a 1-D dataset', `shape [${shape.join(', ')}]`);
  if (n !== undefined && shape[0] !== n) refuse(file, path, `${n} values`, `${shape[0]}`);
  const v = ds.value;
  if (!ArrayBuffer.isView(v) || v instanceof DataView) refuse(file, path, 'numbers', `dtype ${JSON.stringify(ds.dtype)}`);
  const out = new Float64Array(shape[0]);
  const a = v as unknown as ArrayLike<number | bigint>;
  for (let k = 0; k < out.length; k++) {
    const x = Number(a[k]);
    if (integer ? !Number.isSafeInteger(x) || x < 0 : !Number.isFinite(x)) refuse(file, `${path}[${k}]`, integer ? 'an integer >= 0' : 'a finite number', String(a[k]));
    out[k] = x;
  }
  return out;
}

/** A string attribute (node_population and the like). */
export function stringAttr(f: H5File, file: string, path: string, name: string): string {
  const d = f.get(path) as Dataset | Group | null;
  const v = d && 'attrs' in d ? d.attrs[name]?.value : undefined;
  if (typeof v !== 'string' || v === '') refuse(file, `${path} attribute ${name}`, 'a string', v === undefined ? 'none' : JSON.stringify(v));
  return v;
}

/** Checks that a population uses one group, with group indices 0..n-1 (or none written). Returns the group's id. */
export function oneGroup(f: H5File, file: string, pop: string, kind: 'node' | 'edge', n: number): string {
  const ids = column(f, file, `${pop}/${kind}_group_id`, n, true);
  const g = n > 0 ? ids[0] : 0;
  if (ids.some((x) => x !== g)) refuse(file, `${pop}/${kind}_group_id`, 'one group for the whole population', `groups ${[...new Set(ids)].join(', ')}`);
  if (has(f, `${pop}/${kind}_group_index`)) {
    const idx = column(f, file, `${pop}/${kind}_group_index`, n, true);
    const k = idx.findIndex((x, i) => x !== i);
    if (k >= 0) refuse(file, `${pop}/${kind}_group_index[${k}]`, `${k} (indices 0..n-1 in order)`, String(idx[k]));
  }
  return String(g);
}
