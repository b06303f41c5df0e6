/**
 * Cases for tests/scenario/hostile.test.ts: the built-in scenarios shrunk (fuzz-helpers.ts; experiments with a
 * fixed protocol get small settings too), broken as values across every magnitude and as bytes, given as a file or
 * as --set overrides.
 */
import fc from 'fast-check';
import { stringify as toYaml } from 'yaml';
import { bases, mutate, paths, type Mutation } from './fuzz-helpers.js';

export interface HostileCase {
  label: string;
  /** Written to the worker's folder under this name (its extension picks the parser). */
  file: string;
  bytes: Uint8Array;
  set: string[];
  /** Run it (else load and budget only) if the loaded scenario's experiment and settings are still these. */
  run: { experiment: string; settings: string } | null;
  /** Simulated time is capped at this (ms). */
  capMs: number;
  maxMemory: string;
}

/** Settings that make an experiment's protocol cheap; experiments not listed here are loaded and budgeted only. */
const SMALL_SETTINGS: Record<string, Record<string, unknown>> = {
  network: {},
  'stdp-window': { pairings: 2, period_ms: 100, offsets_ms: { from: -20, to: 20, step: 20 } },
  'derivative-filter': { trials: 4, chunk_trials: 2, slopes_hz_per_s: [-40, 0, 40] },
  song2000: { window_ms: 10 },
  'stdp-converse': { neurons: 2 },
};

const hostileBases = bases.map((b) => {
  const s = structuredClone(b.scenario) as Record<string, any>;
  const experiment: string = s.experiment ?? 'network';
  const small = SMALL_SETTINGS[experiment];
  if (small && experiment !== 'network') s.settings = { ...s.settings, ...small };
  return { name: b.name, scenario: s, runnable: small !== undefined, experiment };
});

/** An object nested `depth` levels deep. */
const nest = (depth: number): unknown => {
  let v: unknown = 1;
  for (let k = 0; k < depth; k++) v = { a: v };
  return v;
};

/** Values across every magnitude and kind, the ways scenario fields go wrong. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom<unknown>(
      NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, 2, 1e-300, 5e-324, -5e-324, 1e30, -1e30, 1e12, 2 ** 31 - 1, 2 ** 31,
      2 ** 32, 2 ** 53, 2 ** 53 + 2, 1e300, -1e300, 1.7976931348623157e308,
    ),
  },
  { weight: 2, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer({ min: -1e6, max: 1e6 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>('a/b', '../x', '..', '.', 'a\\b', 'x\u0000y', '/etc/passwd', 'NaN', ' ', '', 'é', '\u{1F4A5}', 'a'.repeat(300), '__proto__', 'constructor'),
  },
  { weight: 1, arbitrary: fc.integer({ min: 60, max: 300 }).map(nest) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 100_000 }).map((n) => new Array(n).fill(1)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(true, false, null, {}, [], [1], { uniform: [0, -5] }, { normal: [-10, 1] }, { uniform: [1e30, 1e31] }) },
);

const key = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'extra', 'size', 'limits', 'settings'), fc.string({ maxLength: 6 }));

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('set' as const), pick: fc.nat(), value: hostileValue }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('add' as const), pick: fc.nat(), key, value: hostileValue }) },
);

/** Fields whose magnitude decides how much is allocated or how long a run takes. */
const CRITICAL = new Set(['size', 'duration_ms', 'every_ms', 'n', 'p', 'width', 'height', 'weight_mv', 'delay_ms', 'rate_hz', 'i_bias_mv', 't_ref_ms', 'tau_m_ms', 'tau_syn_exc_ms', 'max_event_rate_hz', 'dt_ms', 'record_every_ms']);

/** Paths to the numbers in a value (sizes, durations, parameters, weights, delays, settings); with `critical`, those in CRITICAL. */
function numberPaths(v: unknown, critical = false): (string | number)[][] {
  return paths(v).filter(
    (p) => p.length > 0 && typeof p.reduce((cur: any, k) => cur?.[k], v) === 'number' && (!critical || CRITICAL.has(String(p[p.length - 1]))),
  );
}

/** Sets one number of the value (picked among its numbers, or its critical ones) to `value`. */
function setNumber(v: unknown, pick: number, value: unknown, critical: boolean): unknown {
  const all = numberPaths(v, critical).length > 0 ? numberPaths(v, critical) : numberPaths(v);
  if (all.length === 0) return v;
  const root = structuredClone(v) as any;
  const path = all[pick % all.length];
  const parent = path.slice(0, -1).reduce((cur: any, k) => cur[k], root);
  parent[path[path.length - 1]] = structuredClone(value);
  return root;
}

type Change = { kind: 'mutation'; m: Mutation } | { kind: 'number'; pick: number; value: unknown; critical: boolean };
const change: fc.Arbitrary<Change> = fc.oneof(
  { weight: 1, arbitrary: mutation.map((m) => ({ kind: 'mutation' as const, m })) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('number' as const), pick: fc.nat(), value: hostileValue, critical: fc.boolean() }) },
);
const apply = (v: unknown, c: Change) => (c.kind === 'mutation' ? mutate(v, c.m) : setNumber(v, c.pick, c.value, c.critical));

/** A YAML alias bomb: ten lists of ten references to the one before, nine deep (10^9 nodes if expanded). */
const ALIAS_BOMB = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...'bcdefghij'.split('').map((c, k) => `${c}: &${c} [${Array(10).fill(`*${'abcdefghij'[k]}`).join(',')}]`), 'name: bomb', ''].join('\n');

/** What is done to the file's bytes. */
const byteMutation = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('byte' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), byte: fc.integer({ min: 0x80, max: 0xff }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'bom' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'bomb' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('random' as const), bytes: fc.uint8Array({ maxLength: 200 }) }) },
  // Lists nested this deep, written as text (too deep for JSON.stringify to write from an object).
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deep' as const), depth: fc.constantFrom(100, 1000, 10_000, 100_000) }) },
);

function bytesOf(text: string, yaml: boolean, m: { kind: string; at?: number; byte?: number; bytes?: Uint8Array; depth?: number }): Uint8Array {
  const b = Buffer.from(text, 'utf8');
  switch (m.kind) {
    case 'deep': {
      const lists = `${'['.repeat(m.depth!)}${']'.repeat(m.depth!)}`;
      return Buffer.from(yaml ? `zz: ${lists}\n${text}` : text.startsWith('{') ? `{"zz": ${lists}, ${text.slice(1)}` : lists);
    }
    case 'truncate':
      return b.subarray(0, Math.floor(m.at! * b.length));
    case 'byte': {
      const k = Math.floor(m.at! * b.length);
      return Buffer.concat([b.subarray(0, k), Buffer.from([m.byte!]), b.subarray(k)]);
    }
    case 'bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]);
    case 'bomb':
      return Buffer.from(ALIAS_BOMB);
    case 'random':
      return m.bytes!;
    default:
      return b;
  }
}

const base = fc.constantFrom(...hostileBases);
const common = (b: (typeof hostileBases)[number]) => ({
  run: b.runnable ? { experiment: b.experiment, settings: JSON.stringify(b.scenario.settings ?? {}) } : null,
  capMs: 20,
  maxMemory: '1G',
});

/** A scenario file: a shrunk built-in with mutated values, as JSON or YAML, then its bytes broken or not. */
const fileCase: fc.Arbitrary<HostileCase> = fc
  .tuple(base, fc.array(change, { minLength: 0, maxLength: 2 }), fc.constantFrom('json', 'yaml'), byteMutation)
  .map(([b, ms, format, bm]) => {
    const s = ms.reduce(apply, b.scenario as unknown);
    const text = format === 'json' ? (JSON.stringify(s) ?? 'null') : toYaml(s, { aliasDuplicateObjects: false });
    return { label: `${b.name} file (${format}, ${ms.length} mutations, bytes ${bm.kind})`, file: `case.${format}`, bytes: bytesOf(text, format === 'yaml', bm), set: [], ...common(b) };
  });

/** A value as --set text: JSON where it can be, the bare tokens for NaN and +-Infinity, or raw junk. */
const setText = fc.oneof(
  { weight: 6, arbitrary: hostileValue.map((v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : JSON.stringify(v) ?? 'null')) },
  { weight: 1, arbitrary: fc.constantFrom('{', '[1,', '1e999', '-1e999', 'a/b', '', '=', '0x10', '1_000', 'null') },
);

/** --set overrides of a shrunk built-in: a path it has (by index or by name) or a made-up one, and a value. */
const setCase: fc.Arbitrary<HostileCase> = fc
  .tuple(base, fc.array(fc.tuple(fc.nat(), fc.constantFrom('number', 'number', 'any', 'junk'), setText), { minLength: 1, maxLength: 2 }))
  .map(([b, sets]) => {
    const all = paths(b.scenario).filter((p) => p.length > 0);
    const numbers = numberPaths(b.scenario, true);
    const junk = ['__proto__.x', 'populations.9999.size', 'populations[0]', 'a..b', '[0]', 'settings.a.b.c.d', 'limits.max_event_rate_hz', 'name'];
    const text = (p: (string | number)[]) => p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
    const set = sets.map(([pick, how, value]) => {
      const path = how === 'junk' || all.length === 0 ? junk[pick % junk.length] : text((how === 'number' && numbers.length > 0 ? numbers : all)[pick % (how === 'number' && numbers.length > 0 ? numbers : all).length]);
      return `${path}=${value}`;
    });
    return { label: `${b.name} --set`, file: 'case.json', bytes: Buffer.from(JSON.stringify(b.scenario)), set, ...common(b) };
  });

export const hostileCase: fc.Arbitrary<HostileCase> = fc.oneof(fileCase, setCase);
