/**
 * `chronoprop import --sonata` on the built command line: export, import and run give the original run's spikes
 * byte for byte (the scenario file as written, numbers and all, is what runs); an existing --out is replaced only
 * with --force; bad input is one `error:` line, exit code 2, and no file.
 */
import { beforeAll, expect, test } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { cli, ensureBuilt, hasStack } from './cli.js';

beforeAll(() => ensureBuilt());

const SET = ['--set', 'populations.exc.size=80', '--set', 'populations.inh.size=20', '--set', 'duration_ms=200', '--seed', '3'];

test('export, import, run: the same spikes; --out replaced only with --force, atomically', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'chronoprop-import-'));
  expect(cli(['export', 'cuba-stdp', '--sonata', join(tmp, 'son'), '-q', ...SET]).code).toBe(0);
  const out = join(tmp, 'imported.json');
  const r = cli(['import', '--sonata', join(tmp, 'son'), '--out', out]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout.split('\n')[0]).toMatch(/imported\.json: 100 nodes, \d+ edges \(scenario cuba-stdp\)$/);
  expect(cli(['run', 'cuba-stdp', ...SET, '-o', join(tmp, 'a'), '-q', '--no-report']).code).toBe(0);
  expect(cli(['run', out, '-o', join(tmp, 'b'), '-q', '--no-report']).code).toBe(0);
  for (const f of ['spikes/exc.csv', 'spikes/inh.csv', 'weights/ee.csv']) {
    expect(readFileSync(join(tmp, 'b', f), 'utf8') === readFileSync(join(tmp, 'a', f), 'utf8'), f).toBe(true);
  }

  writeFileSync(out, 'mine');
  const again = cli(['import', '--sonata', join(tmp, 'son'), '--out', out]);
  expect([again.code, again.stderr]).toEqual([2, `error: --out ${out}: expected a new file (or --force to replace it), found an existing file\n`]);
  expect(readFileSync(out, 'utf8')).toBe('mine');
  expect(cli(['import', '--sonata', join(tmp, 'son'), '--out', out, '--force', '-q']).code).toBe(0);
  expect(JSON.parse(readFileSync(out, 'utf8')).name).toBe('cuba-stdp');
  expect(readdirSync(tmp).sort()).toEqual(['a', 'b', 'imported.json', 'son']);
  rmSync(tmp, { recursive: true, force: true });
}, 180_000);

test('bad input: one error line naming file and field, exit code 2, nothing written', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'chronoprop-import-'));
  expect(cli(['export', 'cuba', '--sonata', join(tmp, 'son'), '-q', ...SET]).code).toBe(0);
  const types = join(tmp, 'son', 'network', 'node_types.csv');
  writeFileSync(types, readFileSync(types, 'utf8').replace('nest:iaf_psc_exp_ps exc.json', 'nest:hh_psc_alpha exc.json'));
  const out = join(tmp, 'x.json');
  const r = cli(['import', '--sonata', join(tmp, 'son'), '--out', out]);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(`error: ${types}: model_template of node type 100: expected one of nest:iaf_psc_exp_ps, nest:iaf_psc_exp, nest:iaf_psc_delta, nest:iaf_psc_alpha_ps, nest:iaf_psc_alpha, found nest:hh_psc_alpha\n`);
  expect(hasStack(r.stderr)).toBe(false);
  expect(existsSync(out)).toBe(false);
  expect(readdirSync(tmp)).toEqual(['son']);
  rmSync(tmp, { recursive: true, force: true });
}, 120_000);
