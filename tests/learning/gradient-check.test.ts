import { describe, it, expect } from 'vitest';
import { createRng } from '../../src/kernel/rng.js';
import { createMlp, forward, Activity, type MlpSpec } from '../../src/learning/mlp.js';
import { Grads, TrainScratch, accumulate, finalize } from '../../src/learning/gradients.js';
import { outputDelta, type OutputKind } from '../../src/learning/loss.js';
import { NO_NOISE } from '../../src/learning/hidden-noise.js';

/** Loss summed over examples, from the clean forward pass alone (the oracle knows nothing of the backward pass). */
function totalLoss(net: ReturnType<typeof createMlp>, xs: Float64Array[], ts: Float64Array[]): number {
  const s = new Activity(net.sizes);
  const d = new Float64Array(net.sizes[net.L]);
  let sum = 0;
  for (let k = 0; k < xs.length; k++) sum += outputDelta(net.output, forward(net, xs[k], s), ts[k], d);
  return sum;
}

function check(spec: MlpSpec): void {
  const net = createMlp(spec, 3);
  const rng = createRng(2, 'gc');
  const nIn = spec.sizes[0];
  const nOut = spec.sizes[spec.sizes.length - 1];
  const xs = Array.from({ length: 4 }, () => Float64Array.from({ length: nIn }, () => (rng.uniform() < 0.3 ? 0 : rng.uniform())));
  const ts = Array.from({ length: 4 }, (_, k) => Float64Array.from({ length: nOut }, (_, i) => (i === k % nOut ? 1 : 0)));
  const g = new Grads(net);
  const s = new TrainScratch(net.sizes);
  for (let k = 0; k < xs.length; k++) accumulate(net, xs[k], ts[k], 'bp', NO_NOISE, rng, g, s);
  finalize(net, g);
  const h = 1e-5;
  const params = [...net.W.map((w, l) => [w, g.gW[l]] as const), ...net.b.map((b, l) => [b, g.gb[l]] as const)];
  for (const [p, grad] of params) {
    for (let k = 0; k < p.length; k++) {
      const keep = p[k];
      p[k] = keep + h;
      net.refreshOffset();
      const up = totalLoss(net, xs, ts);
      p[k] = keep - h;
      net.refreshOffset();
      const down = totalLoss(net, xs, ts);
      p[k] = keep;
      net.refreshOffset();
      const fd = (up - down) / (2 * h);
      expect(Math.abs(grad[k] - fd)).toBeLessThan(1e-7 + 1e-6 * Math.abs(fd));
    }
  }
}

describe('backprop gradients match central finite differences of the loss', () => {
  for (const output of ['sigmoid-mse', 'softmax-ce', 'linear-mse'] as OutputKind[]) {
    it(`sigmoid hidden units, ${output} output, two hidden layers`, () => check({ sizes: [6, 5, 4, 3], output, init_scale: 2 }));
  }
  it('linear hidden units', () => check({ sizes: [5, 4, 3], hidden: 'linear', output: 'linear-mse' }));
  it('centred inputs (the c = W^T mu shortcut and its gradient correction)', () =>
    check({ sizes: [6, 5, 3], input_offset: Float64Array.from([0.1, 0.5, 0, 0.9, 0.3, 0.2]), init_scale: 2 }));
  it('sparse forward links (a masked network: missing links are zero weights)', () =>
    check({ sizes: [8, 8, 4], keep: 0.25, init_scale: 2 }));
});
