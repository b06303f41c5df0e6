import { beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, ensureBuilt, ROOT } from './cli.js';

beforeAll(ensureBuilt);

describe('help and version', () => {
  test('--version prints the package version', () => {
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    expect(cli(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  test('--help lists every command and gives examples', () => {
    const r = cli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['run [options] <scenario>', 'list', 'validate [options] <scenario>', 'report [options] <run-dir>']) expect(r.stdout).toContain(c);
    expect(r.stdout).toContain('Examples:');
  });

  test.each([
    ['run', ['--out', '--seed', '--set', '--workers', '--no-report', '--quiet']],
    ['list', []],
    ['validate', ['--set']],
    ['report', ['--spike-cap', '--quiet']],
  ])('%s --help', (cmd, options) => {
    const r = cli([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: chronoprop ${cmd}`);
    for (const o of options) expect(r.stdout).toContain(o);
  });
});

describe('usage errors exit with code 2 and say what was wrong', () => {
  test.each([
    [['bogus'], "error: unknown command 'bogus'"],
    [['run'], "error: missing required argument 'scenario'"],
    [['run', 'single-neuron', '--bogus'], "error: unknown option '--bogus'"],
    [['report'], "error: missing required argument 'run-dir'"],
  ])('%j', (args, line) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(line);
    expect(r.stdout).toBe('');
  });

  test('a bad number in an option is one error line', () => {
    expect(cli(['run', 'single-neuron', '--seed', 'x'])).toEqual({ code: 2, stdout: '', stderr: 'error: --seed must be an integer, got "x"\n' });
  });
});

test('list shows the built-in scenarios with their first sentence, not the JSON Schema', () => {
  const r = cli(['list']);
  expect(r.code).toBe(0);
  const names = r.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]);
  expect(names).toContain('cuba');
  expect(names).toContain('single-neuron');
  expect(names).not.toContain('scenario.schema');
  expect(r.stdout).toMatch(/^cuba\s+CUBA network of Vogels & Abbott 2005/m);
});

test('validate a built-in, with overrides', () => {
  expect(cli(['validate', 'single-neuron'])).toEqual({ code: 0, stdout: 'single-neuron: valid (2 populations, 2 projections, 200 ms)\n', stderr: '' });
  expect(cli(['validate', 'single-neuron', '--set', 'duration_ms=50']).stdout).toBe('single-neuron: valid (2 populations, 2 projections, 50 ms)\n');
});
