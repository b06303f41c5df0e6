import { describe, it, expect } from 'vitest';
import { loadMnist } from '../../src/data/mnist.js';
import { fromMnist } from '../../src/learning/dataset.js';
import { createMlp } from '../../src/learning/mlp.js';
import { Trainer, errorRate } from '../../src/learning/trainer.js';
import { sparseMasks } from '../../src/learning/connectivity.js';
import { createRng } from '../../src/kernel/rng.js';

const FIXTURE = 'tests/fixtures/mnist-tiny';
const train = fromMnist(loadMnist('train', { dir: FIXTURE }));
const test = fromMnist(loadMnist('test', { dir: FIXTURE }));

describe('training on the MNIST fixture', { timeout: 30_000 }, () => {
  it('one example per step in place equals a mini-batch of one through the gradient buffer', () => {
    // Centring forces the buffered path; an all-zero offset centres nothing, so both must give the same weights.
    const a = createMlp({ sizes: [784, 20, 10] }, 1);
    const b = createMlp({ sizes: [784, 20, 10], input_offset: new Float64Array(784) }, 1);
    new Trainer(a, train, { rule: 'fa', lr: 0.1, seed: 2 }).epoch();
    new Trainer(b, train, { rule: 'fa', lr: 0.1, seed: 2 }).epoch();
    for (let l = 0; l < 2; l++) for (let k = 0; k < a.W[l].length; k++) expect(a.W[l][k]).toBeCloseTo(b.W[l][k], 12);
  });

  it('is deterministic for a seed, and another seed trains differently', () => {
    const run = (seed: number) => {
      const net = createMlp({ sizes: [784, 16, 10] }, seed);
      new Trainer(net, train, { rule: 'bp', noise: { kind: 'poisson', max_count: 5 }, lr: 0.1, seed }).epoch();
      return Array.from(net.W[0]);
    };
    expect(run(4)).toEqual(run(4));
    expect(run(4)).not.toEqual(run(5));
  });

  it('BP and FA both fit 100 digits (training error 0) and beat chance on 50 unseen ones', () => {
    for (const rule of ['bp', 'fa'] as const) {
      const net = createMlp({ sizes: [784, 100, 10], feedback_scale: 8 }, 1);
      const tr = new Trainer(net, train, { rule, lr: 0.3, seed: 1 });
      for (let e = 0; e < 40; e++) tr.epoch();
      expect(errorRate(net, train)).toBe(0);
      expect(errorRate(net, test)).toBeLessThan(0.5);
    }
  });

  it('sparse masks: no pair linked both ways, about a quarter each, missing links stay zero through training', () => {
    const m = sparseMasks(200, 100, 0.25, createRng(1, 'm'));
    let f = 0;
    let b = 0;
    for (let k = 0; k < m.forward.length; k++) {
      expect(m.forward[k] & m.feedback[k]).toBe(0);
      f += m.forward[k];
      b += m.feedback[k];
    }
    // Binomial(20000, 1/4): sd 61; 5 sd.
    expect(Math.abs(f - 5000)).toBeLessThan(306);
    expect(Math.abs(b - 5000)).toBeLessThan(306);
    for (const batch of [1, 10]) {
      const net = createMlp({ sizes: [784, 30, 10], keep: 0.25 }, 2);
      new Trainer(net, train, { rule: 'fa', lr: 0.1, batch, seed: 1 }).epoch();
      for (let l = 0; l < 2; l++) {
        for (let k = 0; k < net.W[l].length; k++) if (!net.maskW[l]![k]) expect(net.W[l][k]).toBe(0);
        if (l > 0) for (let k = 0; k < net.B[l].length; k++) expect(net.maskW[l]![k] && net.B[l][k] !== 0).toBeFalsy();
      }
    }
  });
});
