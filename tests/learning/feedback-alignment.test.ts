import { describe, it, expect } from 'vitest';
import { linearTask, mean } from './linear-task.js';
import { createRng } from '../../src/kernel/rng.js';
import { createMlp } from '../../src/learning/mlp.js';
import { Grads, TrainScratch, accumulate } from '../../src/learning/gradients.js';
import { NO_NOISE } from '../../src/learning/hidden-noise.js';
import { weightAngle } from '../../src/learning/alignment.js';

describe('feedback alignment, linear task of Lillicrap et al. 2016 (30-20-10, y = T x)', () => {
  const fa = linearTask('fa', 2000, 0.005);
  const bp = linearTask('bp', 2000, 0.005);

  it('the FA hidden signal B e starts unrelated to the BP signal W e and aligns well below 90 degrees', () => {
    // Random B and W: the first angles scatter around 90 degrees.
    expect(mean(fa.angle.slice(0, 5))).toBeGreaterThan(60);
    expect(mean(fa.angle.slice(-200))).toBeLessThan(45);
    // Control: backprop never uses B, so nothing aligns W with it.
    expect(mean(bp.angle.slice(-200))).toBeGreaterThan(70);
    // The forward weights themselves come to align with the feedback.
    expect(weightAngle(fa.net)).toBeLessThan(weightAngle(bp.net) - 20);
  });

  it('the loss falls by more than 99% under both rules', () => {
    for (const r of [fa, bp]) expect(mean(r.loss.slice(-200))).toBeLessThan(0.01 * mean(r.loss.slice(0, 100)));
  });
});

describe('feedback alignment with B = W is backprop', () => {
  it('gives bit-identical gradients in every layer', () => {
    const sizes = [12, 9, 7, 4];
    const net = createMlp({ sizes, feedback_scale: 3 }, 5);
    for (let l = 1; l < net.L; l++) net.B[l].set(net.W[l]);
    const rng = createRng(1, 'x');
    const gBp = new Grads(net);
    const gFa = new Grads(net);
    const s = new TrainScratch(sizes);
    for (let k = 0; k < 5; k++) {
      const x = Float64Array.from({ length: 12 }, () => rng.uniform());
      const t = Float64Array.from({ length: 4 }, (_, i) => (i === k % 4 ? 1 : 0));
      accumulate(net, x, t, 'bp', NO_NOISE, rng, gBp, s);
      accumulate(net, x, t, 'fa', NO_NOISE, rng, gFa, s);
    }
    for (let l = 0; l < net.L; l++) {
      expect(Array.from(gFa.gW[l])).toEqual(Array.from(gBp.gW[l]));
      expect(Array.from(gFa.gb[l])).toEqual(Array.from(gBp.gb[l]));
    }
    // And with an independent random B they differ below the top layer.
    const other = createMlp({ sizes, feedback_scale: 3 }, 6);
    for (let l = 1; l < net.L; l++) net.B[l].set(other.B[l]);
    gFa.zero();
    const x = Float64Array.from({ length: 12 }, () => rng.uniform());
    const t = Float64Array.from({ length: 4 }, (_, i) => (i === 0 ? 1 : 0));
    gBp.zero();
    accumulate(net, x, t, 'bp', NO_NOISE, rng, gBp, s);
    accumulate(net, x, t, 'fa', NO_NOISE, rng, gFa, s);
    expect(Array.from(gFa.gW[2])).toEqual(Array.from(gBp.gW[2]));
    expect(Array.from(gFa.gW[0])).not.toEqual(Array.from(gBp.gW[0]));
  });
});

describe('the frozen rule (the rate-coded ablation of hidden learning)', () => {
  it('gives backprop\'s top-layer gradient and no gradient at all below it', () => {
    const sizes = [12, 9, 4];
    const net = createMlp({ sizes }, 7);
    const rng = createRng(2, 'x');
    const gBp = new Grads(net);
    const gFr = new Grads(net);
    const s = new TrainScratch(sizes);
    for (let k = 0; k < 5; k++) {
      const x = Float64Array.from({ length: 12 }, () => rng.uniform());
      const t = Float64Array.from({ length: 4 }, (_, i) => (i === k % 4 ? 1 : 0));
      accumulate(net, x, t, 'bp', NO_NOISE, rng, gBp, s);
      accumulate(net, x, t, 'frozen', NO_NOISE, rng, gFr, s);
    }
    expect(Array.from(gFr.gW[1])).toEqual(Array.from(gBp.gW[1]));
    expect(Array.from(gFr.gb[1])).toEqual(Array.from(gBp.gb[1]));
    expect(gFr.gW[0].every((v) => v === 0) && gFr.gb[0].every((v) => v === 0)).toBe(true);
    expect(gBp.gW[0].some((v) => v !== 0)).toBe(true);
  });
});
