/**
 * A run's state, written by each part that holds some (the queue, a population, a rule, a recorder) and read back by
 * the same part of a network built afresh from the same scenario: named numbers, JSON values and typed arrays in
 * nested scopes. It knows nothing of files (scenario/checkpoint.ts lays it out on disk) nor of neurons.
 *
 * Numbers keep every bit: NaN, +-Infinity and -0 are written as strings, every other double as JSON, whose shortest
 * round-trip form JavaScript reads back to the same double. Arrays are referenced by index into one list, written
 * as raw bytes. A reader finds each name where the writer put it, or throws a CheckpointMismatch naming the path,
 * so a checkpoint never loads silently into a network it was not taken from.
 */

export type StateArray = Float64Array | Int32Array | Uint8Array | Int8Array;
export type StateDtype = 'f64' | 'i32' | 'u8' | 'i8';

/** What a part of a run implements to be checkpointed. */
export interface Checkpointable {
  saveState(w: StateWriter): void;
  loadState(r: StateReader): void;
}

/** A checkpoint that does not fit the network it is loaded into (another scenario, another version). */
export class CheckpointMismatch extends Error {}

export function dtypeOf(a: StateArray): StateDtype {
  if (a instanceof Float64Array) return 'f64';
  if (a instanceof Int32Array) return 'i32';
  if (a instanceof Uint8Array) return 'u8';
  return 'i8';
}

export function makeArray(dtype: StateDtype, length: number): StateArray {
  switch (dtype) {
    case 'f64':
      return new Float64Array(length);
    case 'i32':
      return new Int32Array(length);
    case 'u8':
      return new Uint8Array(length);
    case 'i8':
      return new Int8Array(length);
  }
}

const SPECIAL = new Map<string, number>([
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
  ['-0', -0],
]);

/** A double as JSON: itself, or a string for the values JSON has no number for. */
export function encodeNumber(x: number): number | string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (Object.is(x, -0)) return '-0';
  return x;
}

export function decodeNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && SPECIAL.has(v)) return SPECIAL.get(v)!;
  throw new CheckpointMismatch(`not a number: ${JSON.stringify(v)}`);
}

/** A tree node: names to numbers (encoded), JSON values ({ json }), arrays ({ array: index }) or scopes ({ scope }). */
export type StateNode = Record<string, { n: number | string } | { json: unknown } | { array: number } | { scope: StateNode }>;

export class StateWriter {
  constructor(
    readonly node: StateNode = {},
    readonly arrays: StateArray[] = [],
  ) {}

  private put(name: string, v: StateNode[string]): void {
    if (Object.hasOwn(this.node, name)) throw new Error(`state: ${name} written twice`);
    this.node[name] = v;
  }

  num(name: string, x: number): void {
    this.put(name, { n: encodeNumber(x) });
  }

  /** A JSON value (strings, booleans, objects of finite numbers; an RNG's state). */
  json(name: string, v: unknown): void {
    this.put(name, { json: v });
  }

  /** The array's contents as they are now (copied when written out). */
  array(name: string, a: StateArray): void {
    this.put(name, { array: this.arrays.length });
    this.arrays.push(a);
  }

  scope(name: string): StateWriter {
    const node: StateNode = {};
    this.put(name, { scope: node });
    return new StateWriter(node, this.arrays);
  }
}

export class StateReader {
  constructor(
    readonly node: StateNode,
    readonly arrays: readonly StateArray[],
    readonly path = '',
  ) {}

  private get(name: string): StateNode[string] {
    if (!Object.hasOwn(this.node, name)) throw new CheckpointMismatch(`${this.path}${name} is missing`);
    return this.node[name];
  }

  has(name: string): boolean {
    return Object.hasOwn(this.node, name);
  }

  num(name: string): number {
    const v = this.get(name);
    if (!('n' in v)) throw new CheckpointMismatch(`${this.path}${name} is not a number`);
    return decodeNumber(v.n);
  }

  json<T = unknown>(name: string): T {
    const v = this.get(name);
    if (!('json' in v)) throw new CheckpointMismatch(`${this.path}${name} is not a JSON value`);
    return v.json as T;
  }

  /** The stored array itself (the caller may keep it). */
  array(name: string): StateArray {
    const v = this.get(name);
    if (!('array' in v)) throw new CheckpointMismatch(`${this.path}${name} is not an array`);
    return this.arrays[v.array];
  }

  /** Copies the stored array into `target`, which must have its type and length. */
  into(name: string, target: StateArray): void {
    const a = this.array(name);
    if (dtypeOf(a) !== dtypeOf(target) || a.length !== target.length) {
      throw new CheckpointMismatch(`${this.path}${name} holds ${a.length} ${dtypeOf(a)}, the network has ${target.length} ${dtypeOf(target)}`);
    }
    target.set(a as never);
  }

  /** The stored array, checked to be of `target`'s type (any length). */
  like<T extends StateArray>(name: string, target: T): T {
    const a = this.array(name);
    if (dtypeOf(a) !== dtypeOf(target)) throw new CheckpointMismatch(`${this.path}${name} holds ${dtypeOf(a)}, expected ${dtypeOf(target)}`);
    return a as T;
  }

  scope(name: string): StateReader {
    const v = this.get(name);
    if (!('scope' in v)) throw new CheckpointMismatch(`${this.path}${name} is not a scope`);
    return new StateReader(v.scope, this.arrays, `${this.path}${name}.`);
  }
}

/** Round trip through the writer's tree and arrays (copied): what a file would give back, for tests and in-memory use. */
export function readBack(w: StateWriter): StateReader {
  const node = JSON.parse(JSON.stringify(w.node)) as StateNode;
  return new StateReader(node, w.arrays.map((a) => a.slice()));
}
