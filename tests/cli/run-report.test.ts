/**
 * `chronoprop run` and `chronoprop report` end to end on the smallest built-in scenario: the results folder, the
 * report and its figures, and the SONATA file read back with h5wasm against the CSV.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';
import { cli, ensureBuilt } from './cli.js';
import { parseNumericCsv } from '../../src/formats/csv-read.js';
import { markCount } from '../report/fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'chronoprop-cli-run-'));
const out = join(dir, 'sn');
let run: ReturnType<typeof cli>;
beforeAll(() => {
  ensureBuilt();
  run = cli(['run', 'single-neuron', '--out', out, '--seed', '4', '--set', 'duration_ms=150']);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spikes = (pop: string) => parseNumericCsv(readFileSync(join(out, 'spikes', `${pop}.csv`), 'utf8'));

describe('run', () => {
  test('exits 0 with a summary naming the results', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^chronoprop \S+: single-neuron \(seed 4\)$/m);
    expect(run.stdout).toMatch(/^ {2}input +2 neurons/m);
    expect(run.stdout).toMatch(/^results: .*sn\/ \(report\.html, run\.json, spikes\/, state\/, spikes\.h5\)$/m);
  });

  test('run.json records the overrides and the command line', () => {
    const j = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(j.seed).toBe(4);
    expect(j.scenario.duration_ms).toBe(150);
    expect(j.provenance.command).toEqual(['run', 'single-neuron', '--out', out, '--seed', '4', '--set', 'duration_ms=150']);
  });

  test('the report holds the expected figures, and the raster one tick per recorded spike', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    for (const name of ['raster', 'rate', 'isi', 'cv', 'trace-neuron']) {
      expect(html).toContain(`id="fig-${name}"`);
      expect(existsSync(join(out, 'figures', `${name}.svg`))).toBe(true);
      expect(existsSync(join(out, 'figures', `${name}.vl.json`))).toBe(true);
    }
    const recorded = spikes('input').rows + spikes('neuron').rows;
    expect(recorded).toBeGreaterThan(0);
    expect(markCount(readFileSync(join(out, 'figures', 'raster.svg'), 'utf8'))).toBe(recorded);
    // The trace panel draws each recorded variable of the one neuron as one line.
    expect(markCount(readFileSync(join(out, 'figures', 'trace-neuron.svg'), 'utf8'), 'line')).toBe(3);
  });

  test('spikes.h5 read back with h5wasm equals the CSV files', async () => {
    await h5wasm.ready;
    const f = new h5wasm.File(join(out, 'spikes.h5'), 'r');
    try {
      for (const pop of ['input', 'neuron']) {
        const csv = spikes(pop);
        const ids = (f.get(`spikes/${pop}/node_ids`) as InstanceType<typeof h5wasm.Dataset>).value as BigUint64Array;
        const ts = (f.get(`spikes/${pop}/timestamps`) as InstanceType<typeof h5wasm.Dataset>).value as Float64Array;
        expect(Array.from(ids, Number)).toEqual(Array.from(csv.col('neuron')));
        expect(Array.from(ts)).toEqual(Array.from(csv.col('t_ms')));
      }
    } finally {
      f.close();
    }
  });

  test('--quiet prints nothing; --no-report leaves the report for later', () => {
    const quiet = join(dir, 'quiet');
    expect(cli(['run', 'single-neuron', '--out', quiet, '--set', 'duration_ms=20', '--quiet', '--no-report'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(existsSync(join(quiet, 'run.json'))).toBe(true);
    expect(existsSync(join(quiet, 'report.html'))).toBe(false);
    expect(existsSync(join(quiet, 'figures'))).toBe(false);
  }, 30_000);
});

describe('report', () => {
  test('rebuilds the page from the files, e.g. after deleting it; --spike-cap below the spike count gives a density raster', () => {
    rmSync(join(out, 'report.html'));
    const r = cli(['report', out, '--spike-cap', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/report\.html: 5 figures \(raster, rate, isi, cv, trace-neuron\) in [\d.]+ s\n$/);
    expect(statSync(join(out, 'report.html')).size).toBeGreaterThan(10_000);
    expect(JSON.parse(readFileSync(join(out, 'figures', 'raster.vl.json'), 'utf8')).title).toBe('Spike raster (density)');
  }, 30_000);

  test('a folder that is not a run: one line, exit 2', () => {
    writeFileSync(join(dir, 'not-a-run.txt'), '');
    expect(cli(['report', dir])).toEqual({ code: 2, stdout: '', stderr: `error: ${dir} has no run.json: not a chronoprop results folder\n` });
  });
});
