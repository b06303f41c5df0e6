/**
 * Rate recirculation (Hinton & McClelland 1988) against the published update written out by hand for a 2-visible,
 * 1-hidden loop, and the 4-2-4 encoder as the claim's behaviour: it learns with the regression lambda and not
 * without it (lambda 0: the hidden difference h1 - h3 is no longer a small, derivative-like change).
 */
import { describe, it, expect } from 'vitest';
import { Recirculation, encoderPatterns, trainUntilReconstructed } from '../../../src/learning/recirculation/rate.js';
import { createRng } from '../../../src/kernel/rng.js';

const f = (a: number) => 1 / (1 + Math.exp(-a));

describe('rate recirculation', () => {
  it('one step equals the published formulas (2 visible, 1 hidden), signs included', () => {
    const eps = 0.7, lambda = 0.6;
    const net = new Recirculation(2, 1, { eps, lambda, init: 1 }, createRng(3, 'recirc-test'));
    net.bh[0] = 0.2;
    net.bv.set([-0.1, 0.3]);
    const [a, b] = [net.Whv[0], net.Whv[1]]; // visible 0, 1 -> hidden
    const [c, d] = [net.Wvh[0], net.Wvh[1]]; // hidden -> visible 0, 1
    const v0 = [1, 0];
    const h1 = f(a * v0[0] + b * v0[1] + 0.2);
    const v2 = [lambda * v0[0] + (1 - lambda) * f(c * h1 - 0.1), lambda * v0[1] + (1 - lambda) * f(d * h1 + 0.3)];
    const h3 = f(a * v2[0] + b * v2[1] + 0.2);
    net.learn(v0);
    const close = (x: number, y: number) => expect(Math.abs(x - y)).toBeLessThan(1e-15);
    close(net.Wvh[0] - c, eps * (v0[0] - v2[0]) * h1);
    close(net.Wvh[1] - d, eps * (v0[1] - v2[1]) * h1);
    close(net.Whv[0] - a, eps * (h1 - h3) * v2[0]);
    close(net.Whv[1] - b, eps * (h1 - h3) * v2[1]);
    close(net.bh[0] - 0.2, eps * (h1 - h3));
    // The unit that was on moves its top-down weight up (its reconstruction fell short of 1), the other down.
    expect(net.Wvh[0] - c).toBeGreaterThan(0);
    expect(net.Wvh[1] - d).toBeLessThan(0);
  });

  it('solves the 4-2-4 encoder with lambda 0.75 on every seed, and never with lambda 0', () => {
    const patterns = encoderPatterns(4);
    for (let seed = 1; seed <= 10; seed++) {
      const good = new Recirculation(4, 2, { eps: 3, lambda: 0.75, init: 0.5 }, createRng(seed, 'recirc'));
      expect(trainUntilReconstructed(good, patterns, 0.2, 2000)).not.toBeNull();
      const none = new Recirculation(4, 2, { eps: 3, lambda: 0, init: 0.5 }, createRng(seed, 'recirc'));
      expect(trainUntilReconstructed(none, patterns, 0.2, 2000)).toBeNull();
    }
  });
});
