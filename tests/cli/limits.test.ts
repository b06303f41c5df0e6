/**
 * Budgets before allocation, through the command line: runs too large for memory or for 32-bit indices, scenario
 * files that are not regular files, too large, not UTF-8, nested too deep or YAML alias bombs, and --workers past
 * the cores. Each ends fast with exit code 2, one `error:` line, no stack and nothing written (docs/limits.md).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ensureBuilt, hasStack, ROOT } from './cli.js';
import { selfExcitation } from '../fixtures/runaway.js';

beforeAll(ensureBuilt);
const dir = mkdtempSync(join(tmpdir(), 'chronoprop-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `run` (and, with validateToo, `validate`) refuse with exactly this one line, quickly, and write nothing. */
function refused(args: string[], line: string | RegExp, validateToo = false): void {
  const out = join(dir, 'out');
  for (const cmd of validateToo ? ['validate', 'run'] : ['run']) {
    const t0 = performance.now();
    const r = cli([cmd, ...args, ...(cmd === 'run' ? ['--out', out] : [])]);
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(hasStack(r.stderr)).toBe(false);
    expect(r.stderr.split('\n')).toHaveLength(2); // one line and the final newline
    if (typeof line === 'string') expect(r.stderr).toBe(`error: ${line}\n`);
    else expect(r.stderr).toMatch(line);
  }
  expect(existsSync(out)).toBe(false);
}

describe('memory and index budgets', () => {
  test('a population of 10^12 neurons', () => {
    refused(['single-neuron', '--set', 'populations.neuron.size=1000000000000'], 'populations[1].size must be <= 2147483647 (neuron indices are 32-bit), got 1000000000000', true);
  });

  test('all_to_all within a population of 30,000: over the budget, naming the projection', () => {
    refused(
      ['cuba', '--set', 'projections.ee.connect={"rule":"all_to_all"}', '--set', 'populations.exc.size=30000', '--max-memory', '16G'],
      /^error: the run would need about \d+ GiB of memory, over the budget of 16 GiB \(--max-memory 16G\); most of it for projections\[0\] \(ee\): about 9\.00e8 synapses at 24 B, 20 GiB\n$/,
      true,
    );
  });

  test('the default budget is half of the machine: a run of 10^9 neurons', () => {
    refused(['single-neuron', '--set', 'populations.neuron.size=1000000000'], /^error: the run would need about 149 GiB of memory, over the budget of .* \(half of this machine's .*; --max-memory to change\); most of it for populations\[1\] \(neuron\): 1\.00e9 neurons at 160 B, 149 GiB\n$/);
  });

  test('a bad --max-memory', () => {
    refused(['single-neuron', '--max-memory', 'lots'], '--max-memory must be a size like 8G, 512M, 2000000000 or 75%, got "lots"');
  });

  test('--workers is capped by the cores (and refused below 1)', () => {
    const out = join(dir, 'workers');
    const r = cli(['run', 'single-neuron', '--workers', '100000', '--out', out, '--no-report', '-q']);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).provenance.workers).toBe(availableParallelism());
    refused(['single-neuron', '--workers', '0'], '--workers must be >= 1, got 0');
  });
});

describe('scenario files are read only from regular files, with a size limit', () => {
  test('/dev/zero (a device that never ends)', () => {
    refused(['/dev/zero'], '/dev/zero is a device, not a scenario file');
  });

  test('a FIFO (opening it would block until someone writes)', () => {
    const fifo = join(dir, 'fifo.json');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    refused([fifo], `${fifo} is a FIFO, not a scenario file`);
  });

  test('a file over 64 MiB (sparse: refused from its size, before reading)', () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, 64 * 2 ** 20 + 1);
    refused([big], `${big} must be at most 67108864 bytes to be read as a scenario, got 67108865 bytes`);
  });

  test('bytes that are not UTF-8', () => {
    const f = join(dir, 'latin1.json');
    writeFileSync(f, Buffer.concat([Buffer.from('{"name": "caf'), Buffer.from([0xe9]), Buffer.from('"}')]));
    refused([f], `${f} must be UTF-8 text, got byte 0xe9 at offset 13`);
  });

  test('nesting 10,000 deep', () => {
    const f = join(dir, 'deep.json');
    const s = JSON.parse(readFileSync(join(ROOT, 'scenarios', 'single-neuron.json'), 'utf8'));
    writeFileSync(f, JSON.stringify(s).replace(/}$/, `, "settings": {"a": ${'['.repeat(10_000)}${']'.repeat(10_000)}}}`));
    refused([f], 'settings must be nested at most 64 levels deep, got more');
  });

  test('a YAML alias bomb', () => {
    const f = join(dir, 'bomb.yaml');
    const lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
    for (let k = 1; k < 12; k++) {
      const prev = String.fromCharCode(96 + k);
      const cur = String.fromCharCode(97 + k);
      lines.push(`${cur}: &${cur} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    writeFileSync(f, lines.join('\n') + '\nname: bomb\n');
    refused([f], /^error: .*bomb\.yaml is not valid YAML: Excessive alias count indicates a resource exhaustion attack\n$/);
  });
});

describe('runaway activity stops with one line (limits.max_event_rate_hz)', () => {
  test('CUBA with projections.ee.weight_mv = 1.62e5 is no runaway: it stood still at 20.002 ms (the model, fixed), now runs its 50 ms', () => {
    // Every excitatory neuron fires at its refractory limit (200 Hz), far below the event-rate limit. It once ran
    // for over 400 s, then was stopped by the limit; tests/models/lif-extremes.test.ts has the in-process check.
    const out = join(dir, 'cuba-strong');
    const r = cli(['run', 'cuba', '--set', 'duration_ms=50', '--set', 'projections.ee.weight_mv=1.62e5', '--no-report', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).counts.spikes).toBeGreaterThan(32_000);
  });

  test('zero-delay self-excitation with a huge weight and no refractory period (simulated time stands still)', () => {
    const f = join(dir, 'self.json');
    writeFileSync(f, JSON.stringify(selfExcitation()));
    refused([f], /^error: runaway activity: population n drew 6\.55e4 events \(spikes, threshold checks and inputs\) all at t = 10 ms, simulated time standing still, over limits\.max_event_rate_hz = 1000000; /);
  });
});
