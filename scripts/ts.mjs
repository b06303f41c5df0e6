// Runs a TypeScript script: `node scripts/ts.mjs scripts/learning/compare.ts [args...]`.
// Bundles it with esbuild into .tmp/ (dependencies stay external) and imports the bundle with the same argv.
import { build } from 'esbuild';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/ts.mjs <script.ts> [args...]');
  process.exit(2);
}
const outfile = resolve('.tmp', `${basename(entry, '.ts')}-${process.pid}.mjs`);
await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', sourcemap: 'inline', logLevel: 'warning' });
process.argv = [process.argv[0], resolve(entry), ...args];
try {
  await import(pathToFileURL(outfile).href);
} finally {
  (await import('node:fs')).rmSync(outfile, { force: true });
}
