// Bundles the command line, the benchmark and the Brian2 comparison into dist/ with esbuild (ESM, Node 20).
// Dependencies stay external: they are installed by npm and resolved at run time.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  define: { __CHRONOPROP_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
};
await build({ ...common, entryPoints: { chronoprop: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } });
await build({ ...common, entryPoints: { index: 'src/index.ts', bench: 'scripts/bench.ts', worker: 'src/parallel/worker.ts', 'export-schema': 'scripts/export-schema.ts', 'peer-compare': 'scripts/peer-compare.ts' }, outdir: 'dist' });
