// Bundles the command line, the library, the benchmark and the Brian2 comparison into dist/ with esbuild (Node 20).
// Dependencies stay external: they are installed by npm and resolved at run time.
//
// `node scripts/build.mjs --types` also writes the library's type declarations (tsc, tsconfig.build.json): the
// package is built this way before it is packed (`prepack`), while `npm run build` skips the slower declarations.
//
// What the package ships (package.json `files`, `exports`):
//   dist/index.js          the library, ESM                      (import 'chronoprop')
//   dist/index.cjs         the library, CommonJS                 (require('chronoprop'))
//   dist/chronoprop.js     the command line                      (bin)
//   dist/worker.js         worker threads' entry, found beside the library or the command line
//   dist/sweep-worker.js   sweep runs' worker threads' entry (piscina), found the same way
//   dist/types/            declarations for `import`; dist/types-cjs/ the same files marked CommonJS, for `require`
//   scenarios/*.json       the built-in scenarios, loaded by name
// The benchmark and comparison bundles and all source maps stay out of the package (tests/package/pack.test.ts).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  absWorkingDir: root,
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
await build({ ...common, entryPoints: { index: 'src/index.ts', bench: 'scripts/bench.ts', worker: 'src/parallel/worker.ts', 'sweep-worker': 'src/cli/sweep-worker.ts', 'export-schema': 'scripts/export-schema.ts', 'peer-compare': 'scripts/peer-compare.ts' }, outdir: 'dist' });

// The CommonJS library. Node 20 cannot require() an ES module (without a flag), so the dependencies that are ES
// modules only and imported statically are bundled in (tinyqueue); those imported on first use (vega, vega-lite,
// h5wasm) stay dynamic import()s, which CommonJS may call. `import.meta.url` (the package root, the worker's file)
// becomes this file's URL.
const ESM_ONLY_STATIC = ['tinyqueue'];
await build({
  ...common,
  format: 'cjs',
  packages: undefined,
  external: Object.keys(pkg.dependencies).filter((d) => !ESM_ONLY_STATIC.includes(d)),
  entryPoints: { index: 'src/index.ts' },
  outExtension: { '.js': '.cjs' },
  outdir: 'dist',
  define: { ...common.define, 'import.meta.url': '__chronoprop_import_meta_url' },
  banner: { js: "const __chronoprop_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
});

if (process.argv.includes('--types')) {
  rmSync(new URL('../dist/types', import.meta.url), { recursive: true, force: true });
  rmSync(new URL('../dist/types-cjs', import.meta.url), { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  // The same declarations for require(): a package.json with "type": "commonjs" makes TypeScript read them as
  // CommonJS (under the package's "type": "module" they would describe an ES module, which require() cannot load).
  cpSync(new URL('../dist/types', import.meta.url), new URL('../dist/types-cjs', import.meta.url), { recursive: true });
  writeFileSync(new URL('../dist/types-cjs/package.json', import.meta.url), '{ "type": "commonjs" }\n');
}
