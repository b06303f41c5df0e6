/** `chronoprop export --sonata` on the built command line: what it writes and prints, and the folder rules. */
import { beforeAll, expect, test } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { cli, ensureBuilt, ROOT } from './cli.js';

beforeAll(() => ensureBuilt());

test('writes the SONATA folder, states what does not map, replaces only its own folder and only with --force', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'chronoprop-export-'));
  const out = join(tmp, 'cuba');
  const r = cli(['export', 'cuba', '--sonata', out, '--set', 'populations.exc.size=80', '--set', 'populations.inh.size=20']);
  expect(r.code).toBe(0);
  expect(r.stdout.split('\n')[0]).toMatch(/: 100 nodes, \d+ edges/);
  expect(r.stdout).toContain("not mapped: projections.ee: delays below NEST's resolution (0.1 ms)");
  expect(readdirSync(out).sort()).toEqual(['circuit_config.json', 'components', 'inputs', 'network', 'node_sets.json', 'simulation_config.json']);
  expect(JSON.parse(readFileSync(join(out, 'circuit_config.json'), 'utf8')).chronoprop.not_mapped).toHaveLength(4);

  expect(cli(['export', 'cuba', '--sonata', out]).stderr).toBe(`error: output folder ${out} holds a previous SONATA export; pass --force to replace it, or choose another with --sonata\n`);
  expect(cli(['export', 'single-neuron', '--sonata', out, '--force', '-q']).code).toBe(0);
  expect(readFileSync(join(out, 'network/node_types.csv'), 'utf8')).toContain(' neuron\n');

  const mine = join(tmp, 'mine');
  mkdirSync(mine);
  writeFileSync(join(mine, 'a.txt'), 'keep');
  const refused = cli(['export', 'cuba', '--sonata', mine, '--force']);
  expect(refused.code).toBe(2);
  expect(readdirSync(mine)).toEqual(['a.txt']);
  expect(existsSync(join(ROOT, 'results', 'mine'))).toBe(false);
  rmSync(tmp, { recursive: true, force: true });
}, 60_000);
