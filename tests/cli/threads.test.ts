/**
 * `chronoprop run --threads N` through the built command line, on real worker threads (scenario/threads.ts): the
 * results folder's spike files are byte for byte those of `--threads 1` (the windowed protocol in one thread), and
 * the counts and metrics in run.json agree. A network that cannot run in partitions (CUBA: zero delays) runs on one
 * thread, says why in one note, and gives what it gives without --threads. Bad values are refused (exit 2).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ensureBuilt, hasStack, ROOT } from './cli.js';
import { estimateMemory } from '../../src/scenario/budget.js';
import { loadScenario } from '../../src/scenario/load.js';

beforeAll(ensureBuilt);
const dir = mkdtempSync(join(tmpdir(), 'chronoprop-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A built-in scaling network (scaling, or scaling-stdp: pair STDP on ee) at N = 2,000 with 1 ms delays (its own
 * are 0), for 400 ms (an epoch move at 320 ms).
 */
function scalingD1(name = 'scaling'): string {
  const sc = JSON.parse(readFileSync(join(ROOT, 'scenarios', `${name}.json`), 'utf8'));
  sc.name = `${name}-d1`;
  sc.duration_ms = 400;
  sc.populations[0].size = 1600;
  sc.populations[1].size = 400;
  for (const p of sc.projections) p.delay_ms = 1;
  const file = join(dir, `${name}-d1.json`);
  writeFileSync(file, JSON.stringify(sc));
  return file;
}

const FILES = ['spikes/exc.csv', 'spikes/inh.csv', 'spikes.h5'];
const read = (out: string, f: string) => readFileSync(join(out, f));
const runJson = (out: string) => JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));

describe('--threads', () => {
  const STATE = 'record.state=[{"population":"exc","neurons":[1599,0,800,3],"vars":["v_mv","i_exc_mv"],"every_ms":0.5}]';
  it.each([
    ['static synapses', 'scaling', [], FILES],
    ['pair STDP: the final weights too', 'scaling-stdp', [], [...FILES, 'weights/ee.csv', 'weights/ee.npy']],
    ['recorded membrane potentials', 'scaling', ['--set', STATE], [...FILES, 'state/exc.csv', 'state/exc.npy']],
  ])('gives the same files on 2 threads as on 1 (%s)', (label, name, extra, files) => {
    const file = scalingD1(name);
    const outs = [1, 2].map((n) => {
      const out = join(dir, `${name}-${label.length}-t${n}`);
      const r = cli(['run', file, '--out', out, '--threads', String(n), '--no-report', '-q', ...extra]);
      expect(r.code, r.stderr).toBe(0);
      const threads = Math.min(n, availableParallelism());
      const on = threads === 1 ? 'one thread' : `${threads} threads`;
      expect(r.stderr).toBe(`note: --threads ${threads}: ${threads} partition${threads === 1 ? '' : 's'} on ${on}, in windows of 1 ms\n`);
      return out;
    });
    for (const f of files) expect(read(outs[1], f).equals(read(outs[0], f)), f).toBe(true);
    const [a, b] = outs.map(runJson);
    expect(a.counts.spikes).toBeGreaterThan(3000);
    expect(b.counts).toEqual(a.counts);
    expect(b.metrics).toEqual(a.metrics);
    expect(b.provenance.threads).toBe(Math.min(2, availableParallelism()));
  });

  it.each([
    ['zero delays', 'scaling', [], /its least delay between neuron populations is 0 ms \(projection ee\), under 0.1 ms/],
    ['recorded weights', scalingD1('scaling-stdp'), ['--set', 'record.weights=[{"projection":"ee","every_ms":50}]'], /record.weights reads synapses of every partition/],
  ])('runs a network with %s on one thread, says why, and gives what the classic loop gives', (label, name, set, why) => {
    const outs = [[], ['--threads', '2']].map((extra, k) => {
      const out = join(dir, `one-${label.length}-${k}`);
      const r = cli(['run', name, '--set', 'duration_ms=200', ...set, '--out', out, '--no-report', '-q', ...extra]);
      expect(r.code, r.stderr).toBe(0);
      if (k === 1) {
        expect(r.stderr).toMatch(/^note: --threads \d: the network runs on one thread: [^\n]+\n$/);
        expect(r.stderr).toMatch(why);
      }
      return out;
    });
    for (const f of FILES) expect(read(outs[1], f).equals(read(outs[0], f)), f).toBe(true);
  });

  it('counts every partition against the memory budget: refused on 2 threads under a budget that 1 thread fits', () => {
    const file = scalingD1();
    const one = estimateMemory(loadScenario(file)).bytes;
    const budget = String(Math.round(one + 64 * 2 ** 20)); // bytes: one thread fits, a second network and thread do not
    const ok = cli(['run', file, '--out', join(dir, 'budget1'), '--threads', '1', '--max-memory', budget, '--no-report', '-q']);
    expect(ok.code, ok.stderr).toBe(0);
    if (availableParallelism() < 2) return; // --threads is capped at the cores: one thread here
    const out = join(dir, 'budget2');
    const r = cli(['run', file, '--out', out, '--threads', '2', '--max-memory', budget, '--no-report', '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: the run would need about [\d.]+ MiB of memory, over the budget of [\d.]+ MiB \(--max-memory \d+\); most of it for --threads: 1 more partition building the whole network in a worker thread \([\d.]+ [KM]iB and 128 MiB\), [\d.]+ MiB\n$/);
    expect(existsSync(out)).toBe(false);
  });

  it('caps --threads at the cores and says so', () => {
    const cores = availableParallelism();
    const r = cli(['run', scalingD1(), '--set', 'duration_ms=20', '--out', join(dir, 'capped'), '--threads', String(cores + 3), '--no-report', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const threads = cores === 1 ? 'one thread' : `${cores} threads`;
    expect(r.stderr).toBe(
      `note: --threads ${cores + 3}: capped at the machine's ${cores} cores (the output is the same for any number)\n` +
        `note: --threads ${cores}: ${cores} partition${cores === 1 ? '' : 's'} on ${threads}, in windows of 1 ms\n`,
    );
  });

  it.each([
    ['0', 'must be >= 1, got 0'],
    ['1.5', 'must be an integer, got "1.5"'],
    ['two', 'must be an integer, got "two"'],
  ])('refuses --threads %s in one line', (v, line) => {
    const r = cli(['run', 'cuba', '--threads', v, '--out', join(dir, 'bad')]);
    expect(r.code).toBe(2);
    expect(hasStack(r.stderr)).toBe(false);
    expect(r.stderr).toBe(`error: --threads ${line}\n`);
  });
});
