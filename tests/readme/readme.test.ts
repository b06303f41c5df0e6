/**
 * The README's "Use from TypeScript" example is tests/readme/use-from-typescript.ts, shown verbatim: this test
 * fails if the README's copy differs, then runs the file as a user would (bundled with `chronoprop` resolved to
 * this checkout, in a fresh process and an empty folder) and checks what it prints against the files it wrote.
 * `npx tsc --noEmit -p .` type-checks it like every other file under tests/.
 */
import { afterAll, expect, test } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { parseNumericCsv } from '../../src/formats/csv-read.js';

const ROOT = join(__dirname, '..', '..');
const EXAMPLE = join(__dirname, 'use-from-typescript.ts');
const work = mkdtempSync(join(tmpdir(), 'chronoprop-readme-'));
const bundle = join(ROOT, '.tmp', `readme-example-${process.pid}.mjs`);
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(bundle, { force: true });
});

test('README.md shows the example file verbatim', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  expect(readme).toContain('```ts\n' + readFileSync(EXAMPLE, 'utf8') + '```\n');
});

test('the example runs, and what it prints agrees with the files it wrote', async () => {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  await build({
    entryPoints: [EXAMPLE],
    outfile: bundle, // inside the checkout, so that dependencies resolve from its node_modules
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
    plugins: [{ name: 'self', setup: (b) => b.onResolve({ filter: /^chronoprop$/ }, () => ({ path: join(ROOT, 'src', 'index.ts') })) }],
  });
  const r = spawnSync(process.execPath, [bundle], { cwd: work, encoding: 'utf8', timeout: 60_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const out = join(work, 'results', 'single-neuron-seed7');
  const input = parseNumericCsv(readFileSync(join(out, 'spikes', 'input.csv'), 'utf8'));
  const neuron = parseNumericCsv(readFileSync(join(out, 'spikes', 'neuron.csv'), 'utf8'));
  const before50 = [...input.col('t_ms'), ...neuron.col('t_ms')].filter((t) => t < 50).length;
  const lines = r.stdout.trim().split('\n');
  expect(lines[0]).toBe(`input: ${input.rows} spikes, ${input.rows / 2 / 0.1} Hz`);
  expect(lines[1]).toMatch(new RegExp(`^first 50 ms: ${before50} spikes, v = -?\\d+\\.\\d{3} mV$`));
  expect(lines[2]).toBe(`report: ${out}/report.html (scenario ${JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).scenario_sha256.slice(0, 12)})`);
}, 60_000);
