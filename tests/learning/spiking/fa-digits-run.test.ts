/**
 * The fa-digits experiment end to end on the committed MNIST fixture (100 training, 50 test digits) with a small
 * hidden layer: the results folder holds the metrics and the weights, and the weights obey what the protocol
 * promises (the feedback is fixed; the forward weights moved, only on existing synapses, within their bounds).
 */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadScenario } from '../../../src/scenario/load.js';
import { runScenario } from '../../../src/api.js';
import { Network } from '../../../src/scenario/network.js';
import { denseWeights } from '../../../src/learning/spiking/dense.js';
import { parseNpy } from '../../formats/npy-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'chronoprop-fa-digits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const weights = (file: string) => {
  const bytes = new Uint8Array(readFileSync(file));
  const p = parseNpy(bytes);
  return { shape: p.shape, data: new Float64Array(bytes.slice(p.dataOffset).buffer) };
};

describe('fa-digits on the fixture', () => {
  it('writes metrics, a learning curve and the weights; feedback fixed, forward weights moved within bounds', async () => {
    const sc = loadScenario('fa-digits', {
      set: [
        'settings.data_dir=tests/fixtures/mnist-tiny', 'settings.train_examples=30', 'settings.block_examples=15',
        'settings.validation_examples=20', 'settings.block_validation_examples=10', 'settings.final_test_examples=20',
        'populations.hid.size=40', 'projections.in_hid.connect.n=20', 'settings.plasticity_decay=0.5',
      ],
    });
    const out = join(dir, 'run');
    await runScenario(sc, out, { workers: 1, report: true });
    // The same scenario and seed again: every result file byte for byte (timings live only in run.json).
    const again = join(dir, 'again');
    await runScenario(sc, again, { workers: 1, report: false });
    for (const f of ['learning-curve.csv', 'weights/in_hid.npy', 'weights/hid_out.npy', 'weights/out_hid.npy']) {
      expect(readFileSync(join(again, f)).equals(readFileSync(join(out, f)))).toBe(true);
    }
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.metrics.final_test_examples).toBe(20);
    expect(run.metrics.validation_examples).toBe(20);
    for (const k of ['validation_accuracy', 'final_test_accuracy']) {
      expect(run.metrics[k]).toBeGreaterThanOrEqual(0);
      expect(run.metrics[k]).toBeLessThanOrEqual(1);
    }
    expect(run.metrics.ablation).toEqual({ hidden_learning: 'on', feedback: 'random', consolidation: 'example', from_example: 0, nudge_input: 'fresh', nudge_from: 'continue', feedback_target: 'soma' });
    expect(run.metrics.learning_curve.map((p: { examples: number }) => p.examples)).toEqual([0, 15, 30]);
    expect(run.metrics.learning_curve.map((p: { plasticity_scale: number }) => p.plasticity_scale)).toEqual([1, 1, 0.5]);
    expect(readFileSync(join(out, 'learning-curve.csv'), 'utf8').split('\n')[0]).toContain('validation_accuracy');
    // Before any training example the online accuracy and free-phase rates are not defined: an empty field and null,
    // never NaN (issue 20; the runner refuses a NaN).
    const lines = readFileSync(join(out, 'learning-curve.csv'), 'utf8').split('\n').map((l) => l.split(','));
    for (const c of ['online_train_accuracy', 'hid_rate_free_hz', 'out_rate_free_hz']) {
      expect(lines[1][lines[0].indexOf(c)]).toBe('');
      expect(run.metrics.learning_curve[0][c]).toBeNull();
      expect(lines[2][lines[0].indexOf(c)]).toMatch(/^\d/);
    }
    expect(run.metrics.rate_twins.map((t: { rule: string; train_examples: number }) => [t.rule, t.train_examples])).toEqual([['bp', 30], ['fa', 30], ['frozen-ridge', 30]]);
    const curve = JSON.parse(readFileSync(join(out, 'figures', 'learning_curve.vl.json'), 'utf8'));
    expect(JSON.stringify(curve)).toContain('rate-coded twin fa (784-40-10), final validation');
    expect(existsSync(join(out, 'figures', 'alignment.vl.json'))).toBe(true);

    // Reference: the same scenario built afresh as a plain network (initial weights drawn from the same streams and
    // clipped to the plastic bounds), with no training.
    const fresh = new Network(sc);
    const initial = (name: string) => denseWeights(fresh.projections.get(name)!);
    const fb = weights(join(out, 'weights', 'out_hid.npy'));
    expect(fb.shape).toEqual([10, 40]);
    expect(Array.from(fb.data)).toEqual(Array.from(initial('out_hid')));
    for (const name of ['in_hid', 'hid_out']) {
      const w = weights(join(out, 'weights', `${name}.npy`));
      const w0 = initial(name);
      // Synapses per (pre, post), counted from the projection: the dense file would sum parallel synapses, if any.
      const pr = fresh.projections.get(name)!;
      const pre = pr.synapsePre();
      const count = new Int32Array(w0.length);
      for (let q = 0; q < pr.count; q++) count[pre[q] * pr.target.size + pr.post[q]]++;
      const spec = sc.projections.find((p) => p.name === name)!.plasticity!;
      let moved = 0;
      for (let k = 0; k < w0.length; k++) {
        if (count[k] === 0) expect(w.data[k]).toBe(0); // no synapse, no weight
        else if (w.data[k] !== w0[k]) {
          moved++;
          if (count[k] > 1) continue; // a sum of parallel synapses may lie outside one synapse's bounds
          expect(w.data[k]).toBeGreaterThanOrEqual(spec.w_min_mv!);
          expect(w.data[k]).toBeLessThanOrEqual(spec.w_max_mv!);
        }
      }
      expect(moved).toBeGreaterThan(0);
    }
    expect(weights(join(out, 'weights', 'in_hid.npy')).shape).toEqual([784, 40]);
  });
});

describe('fa-digits determinism over worker threads', () => {
  it('the learning curve and the final accuracy are the same with 1 and 2 workers (tests run in fixed chunks)', () => {
    const cli = new URL('../../../dist/chronoprop.js', import.meta.url).pathname;
    const args = [
      'run', 'fa-digits', '-q', '--no-report', '--set', 'settings.data_dir=tests/fixtures/mnist-tiny', '--set', 'settings.train_examples=20',
      '--set', 'settings.block_examples=10', '--set', 'settings.validation_examples=20', '--set', 'settings.block_validation_examples=12', '--set', 'settings.final_test_examples=30',
      '--set', 'settings.test_chunk_examples=7', '--set', 'populations.hid.size=30', '--set', 'projections.in_hid.connect.n=20',
    ];
    const acc: number[] = [];
    for (const w of ['1', '2']) {
      const r = spawnSync(process.execPath, [cli, ...args, '--workers', w, '--out', join(dir, `w${w}`)], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      acc.push(JSON.parse(readFileSync(join(dir, `w${w}`, 'run.json'), 'utf8')).metrics.final_test_accuracy);
    }
    expect(acc[1]).toBe(acc[0]);
    expect(Math.round(acc[0] * 30)).toBeCloseTo(acc[0] * 30, 9); // a count of 30 digits
    expect(readFileSync(join(dir, 'w2', 'learning-curve.csv'), 'utf8')).toBe(readFileSync(join(dir, 'w1', 'learning-curve.csv'), 'utf8'));
  });
});
