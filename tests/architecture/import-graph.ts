/**
 * The import graph of the repository's own TypeScript files: one node per file, one edge per relative specifier
 * (`import … from './x.js'`, `export … from`, side-effect `import './x.js'`, dynamic `import('./x.js')` and
 * `typeof import('./x.js')`). Specifiers are read with TypeScript's parser, so comments and strings are not mistaken
 * for imports. Package specifiers (`'vega'`, `'node:fs'`) are not edges: only files under the given roots are nodes.
 * Type-only imports are edges too: a cycle of types is still a cycle in the design.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** Repository-relative path with forward slashes -> the repository-relative paths it imports. */
export type ImportGraph = Map<string, string[]>;

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...tsFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The relative module specifiers of one file, in source order. */
export function relativeSpecifiers(fileName: string, text: string): string[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const specs: string[] = [];
  const visit = (node: ts.Node): void => {
    let spec: ts.Expression | undefined;
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) spec = node.moduleSpecifier;
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) spec = node.arguments[0];
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) spec = node.argument.literal;
    if (spec && ts.isStringLiteralLike(spec) && spec.text.startsWith('.')) specs.push(spec.text);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return specs;
}

/** The graph of every .ts file under `roots` (folders relative to `repo`). Throws on a specifier that names no file. */
export function importGraph(repo: string, roots: string[]): ImportGraph {
  const graph: ImportGraph = new Map();
  const key = (abs: string) => relative(repo, abs).split(sep).join('/');
  for (const root of roots) {
    for (const file of tsFiles(resolve(repo, root))) {
      const targets: string[] = [];
      for (const spec of relativeSpecifiers(file, readFileSync(file, 'utf8'))) {
        const abs = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
        try {
          statSync(abs);
        } catch {
          throw new Error(`${key(file)}: import '${spec}' names no file`);
        }
        if (!targets.includes(key(abs))) targets.push(key(abs));
      }
      graph.set(key(file), targets);
    }
  }
  return graph;
}

/**
 * The cycles of the graph: its strongly connected components of more than one file (or a file importing itself),
 * each as one shortest cycle through its first file (sorted), written `a -> b -> … -> a`.
 */
export function importCycles(graph: ImportGraph): string[][] {
  // Tarjan's algorithm, iterative enough for a graph of a few hundred files.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(comp.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) strong(v);
  return components.sort().map((comp) => shortestCycle(graph, comp));
}

/** A shortest path from comp[0] back to itself inside the component (breadth-first). */
function shortestCycle(graph: ImportGraph, comp: string[]): string[] {
  const inside = new Set(comp);
  const start = comp[0];
  const prev = new Map<string, string>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q];
    for (const w of graph.get(v) ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = prev.get(u)!) path.splice(1, 0, u);
        return [...path, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return comp;
}
