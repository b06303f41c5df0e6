/**
 * The layering of src/ and models/, read from the import graph (import-graph.ts). Check it with:
 *
 *   npx vitest run tests/architecture/imports.test.ts
 *
 * 1. No import cycles, type-only imports included.
 * 2. The lower layers (kernel/, neurons/, synapses/, math/, formats/, recording/, analysis/, data/, rate/,
 *    parallel/, report/, models/, and the leaf files errors.ts, version.ts and schema-fields.ts) import nothing from scenario/,
 *    experiments/ or learning/.
 * 3. The top (registry.ts, api.ts, index.ts, cli/) is imported only by the entry points: the command line, the
 *    library entry and the worker threads' entry. Everything below is handed what it needs of the registry.
 * Every file belongs to exactly one layer, so a new folder has to be placed here before its files can pass.
 */
import { describe, expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { importCycles, importGraph, relativeSpecifiers, type ImportGraph } from './import-graph.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

const LOWER = [
  'src/kernel/', 'src/neurons/', 'src/synapses/', 'src/math/', 'src/formats/', 'src/recording/', 'src/analysis/',
  'src/data/', 'src/rate/', 'src/parallel/', 'src/report/', 'models/', 'src/errors.ts', 'src/version.ts',
  'src/schema-fields.ts',
];
const MIDDLE = ['src/scenario/', 'src/experiments/', 'src/learning/'];
const TOP = ['src/registry.ts', 'src/api.ts', 'src/index.ts', 'src/cli/'];
/** Entry points: they may import the top (the worker entry sits in parallel/ but is bundled as dist/worker.js). */
const ENTRIES = ['src/cli/main.ts', 'src/index.ts', 'src/parallel/worker.ts'];

const within = (file: string, prefixes: string[]) => prefixes.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p));

const graph = importGraph(REPO, ['src', 'models']);

/** `a -> b` for every edge from a file matching `from` to one matching `to`. */
function edges(g: ImportGraph, from: (f: string) => boolean, to: (f: string) => boolean): string[] {
  return [...g].flatMap(([f, targets]) => (from(f) ? targets.filter(to).map((t) => `${f} -> ${t}`) : []));
}

describe('the import graph of src/ and models/', () => {
  test('is read: every file, with its imports', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('src/cli/main.ts')).toContain('src/registry.ts');
    expect(graph.get('src/scenario/network.ts')).toContain('models/index.ts');
  });

  test('has no cycles', () => {
    expect(importCycles(graph).map((c) => c.join(' -> '))).toEqual([]);
  });

  test('every file belongs to exactly one layer', () => {
    const unplaced = [...graph.keys()].filter((f) => [LOWER, MIDDLE, TOP].filter((l) => within(f, l)).length !== 1);
    expect(unplaced).toEqual([]);
  });

  test('no lower layer imports from scenario/, experiments/ or learning/', () => {
    expect(edges(graph, (f) => within(f, LOWER), (t) => within(t, MIDDLE))).toEqual([]);
  });

  test('only the entry points import the registry, api.ts, index.ts or cli/', () => {
    expect(edges(graph, (f) => !within(f, TOP) && !ENTRIES.includes(f), (t) => within(t, TOP))).toEqual([]);
  });
});

describe('the checker itself', () => {
  test('reads every kind of relative import, and nothing in comments or strings', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      "export { c } from './c.js';",
      "export * from './d.js';",
      "import './e.js';",
      "const f = await import('./f.js');",
      "type G = typeof import('./g.js');",
      "import { z } from 'zod';",
      "// import { h } from './h.js';",
      "const s = \"import { i } from './i.js'\";",
    ].join('\n');
    expect(relativeSpecifiers('x.ts', text)).toEqual(['./a.js', '../b.js', './c.js', './d.js', './e.js', './f.js', './g.js']);
  });

  test('finds a cycle, a self-import, and none in a tree', () => {
    const g: ImportGraph = new Map([
      ['a', ['b']],
      ['b', ['c', 'd']],
      ['c', ['a']],
      ['d', []],
      ['e', ['e']],
    ]);
    expect(importCycles(g)).toEqual([['a', 'b', 'c', 'a'], ['e', 'e']]);
    g.set('c', []);
    g.set('e', []);
    expect(importCycles(g)).toEqual([]);
  });
});
