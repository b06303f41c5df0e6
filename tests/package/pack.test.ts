/**
 * The npm package as a consumer gets it: `npm pack` (whose `prepack` builds dist/ and the declarations) on a copy of
 * the working tree, so that the pack starts from no dist/ at all and the live dist/ that other tests run is left
 * alone; then a fresh consumer project installs the tarball and uses it by an ES import, a CommonJS require, the
 * `chronoprop` command and `tsc --strict` with NodeNext (the README's TypeScript example among the checked files).
 *
 * Needs npm and the dependencies in npm's cache (`npm ci` put them there; the install prefers the cache). The
 * TypeScript compiler is this repository's: nothing is installed into the consumer but the tarball.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };

interface PackedFile {
  path: string;
  size: number;
}
interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: PackedFile[];
}

let tmp = '';
let consumer = '';
let packed: PackResult;

function run(cmd: string, args: string[], cwd: string, timeout = 240_000): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'chronoprop-pack-'));

  // The working tree as git sees it (tracked and untracked files, not the ignored ones: no dist/, results/, .tmp/).
  const tree = join(tmp, 'tree');
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' });
  for (const rel of listed.split('\0')) {
    if (rel === '' || !existsSync(join(ROOT, rel))) continue;
    mkdirSync(dirname(join(tree, rel)), { recursive: true });
    copyFileSync(join(ROOT, rel), join(tree, rel));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'), 'dir');

  const out = run('npm', ['pack', '--json', '--pack-destination', tmp], tree);
  packed = (JSON.parse(out) as PackResult[])[0];

  consumer = join(tmp, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2));
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(tmp, packed.filename)], consumer);
}, 300_000);

afterAll(() => {
  if (tmp !== '') rmSync(tmp, { recursive: true, force: true });
});

describe('npm pack', () => {
  test('ships the bundles, the declarations and the built-in scenarios, and nothing else', () => {
    const paths = packed.files.map((f) => f.path);
    const allowed = [
      /^package\.json$/,
      /^README\.md$/,
      /^LICENSE(\.\w+)?$/,
      /^dist\/(index\.js|index\.cjs|chronoprop\.js|worker\.js|sweep-worker\.js)$/,
      /^dist\/types(-cjs)?\/.+\.d\.ts$/,
      /^dist\/types-cjs\/package\.json$/,
      /^scenarios\/[^/]+\.json$/,
    ];
    expect(paths.filter((p) => !allowed.some((re) => re.test(p)))).toEqual([]);
    expect(paths.filter((p) => /^(tests|scripts|src|models|docs)\/|\.map$|bench|export-schema|peer-compare/.test(p))).toEqual([]);

    const builtins = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.json')).map((f) => `scenarios/${f}`);
    expect(paths).toEqual(expect.arrayContaining(builtins));

    // Everything package.json points at is in the tarball.
    const pj = JSON.parse(readFileSync(join(consumer, 'node_modules', 'chronoprop', 'package.json'), 'utf8'));
    const targets = [pj.main, pj.types, ...Object.values(pj.bin as Record<string, string>), ...Object.values(pj.exports['.'].import), ...Object.values(pj.exports['.'].require)];
    for (const t of targets as string[]) expect(paths).toContain(t.replace(/^\.\//, ''));
    expect(paths).toContain('dist/types/src/index.d.ts');
    expect(paths).toContain('dist/types-cjs/src/index.d.ts');
    console.log(`chronoprop tarball: ${packed.size} bytes, ${packed.unpackedSize} unpacked, ${packed.entryCount} files`);
  });

  test('an ES import loads a built-in scenario and simulates it', () => {
    writeFileSync(
      join(consumer, 'esm.mjs'),
      `import { loadScenario, simulateNetwork, listBuiltins } from 'chronoprop';
const names = listBuiltins().map((b) => b.name);
const { result } = simulateNetwork(loadScenario('single-neuron', { seed: 7, set: ['duration_ms=200'] }), { workers: 1 });
console.log(JSON.stringify({ names, spikes: result.metrics.populations.neuron.spikes }));
`,
    );
    const out = JSON.parse(run(process.execPath, ['esm.mjs'], consumer)) as { names: string[]; spikes: number };
    expect(out.names).toContain('single-neuron');
    expect(out.names).toContain('cuba');
    expect(out.spikes).toBeGreaterThan(0);
  });

  test('a CommonJS require simulates, and writes a results folder (HDF5 and report load on first use)', () => {
    writeFileSync(
      join(consumer, 'cjs.cjs'),
      `const c = require('chronoprop');
const scenario = c.loadScenario('single-neuron', { seed: 7, set: ['duration_ms=200'] });
const { result } = c.simulateNetwork(scenario, { workers: 1 });
c.runScenario(scenario, 'results/single-neuron', { workers: 1 }).then((s) => {
  console.log(JSON.stringify({ spikes: result.metrics.populations.neuron.spikes, files: require('node:fs').readdirSync(s.out), version: s.runJson.version }));
});
`,
    );
    // As on Node 20 before 20.19, where require() of an ES module fails: the CommonJS bundle must not need it.
    const flag = '--no-experimental-require-module';
    const args = process.allowedNodeEnvironmentFlags.has(flag) ? [flag, 'cjs.cjs'] : ['cjs.cjs'];
    const out = JSON.parse(run(process.execPath, args, consumer)) as { spikes: number; files: string[]; version: string };
    expect(out.spikes).toBeGreaterThan(0);
    expect(out.files).toEqual(expect.arrayContaining(['run.json', 'spikes.h5', 'report.html']));
    expect(out.version).toBe(PKG.version);
  });

  test('the chronoprop command runs from the installed package', () => {
    const bin = join(consumer, 'node_modules', '.bin', 'chronoprop');
    expect(run(bin, ['--version'], consumer).trim()).toBe(PKG.version);
    expect(run(bin, ['list'], consumer)).toContain('single-neuron');
  });

  test('tsc --strict with NodeNext type-checks ES and CommonJS consumers against the shipped declarations', () => {
    // The README's example (tests/readme/use-from-typescript.ts), as an ES module, plus errors the types must catch:
    // were the declarations missing or `any`, the @ts-expect-error lines would be errors themselves.
    const example = readFileSync(join(ROOT, 'tests', 'readme', 'use-from-typescript.ts'), 'utf8');
    writeFileSync(
      join(consumer, 'esm.mts'),
      `${example}
// @ts-expect-error: spike counts are numbers
const notText: string = input.spikes;
// @ts-expect-error: loadScenario takes a name or a path
loadScenario(42);
export { notText };
`,
    );
    writeFileSync(
      join(consumer, 'cjs.cts'),
      `import { loadScenario, simulateNetwork, type NetworkResult } from 'chronoprop';
import chronoprop = require('chronoprop');
const scenario = loadScenario('single-neuron');
const run: { result: NetworkResult } = simulateNetwork(scenario, { workers: 1 });
const spikes: number = run.result.metrics.populations.neuron.spikes;
const listed: string[] = chronoprop.listBuiltins().map((b) => b.name);
// @ts-expect-error: spike counts are numbers
const notText: string = spikes;
export { listed, notText };
`,
    );
    const out = run(process.execPath, [TSC, '--strict', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--noEmit', '--listFiles', 'esm.mts', 'cjs.cts'], consumer);
    // Each consumer got its own flavour: ES declarations for import, CommonJS ones for require.
    expect(out).toContain('node_modules/chronoprop/dist/types/src/index.d.ts');
    expect(out).toContain('node_modules/chronoprop/dist/types-cjs/src/index.d.ts');
  });
});
