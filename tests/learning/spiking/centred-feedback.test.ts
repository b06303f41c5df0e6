/** Centred feedback (settings.centre_feedback): every hidden neuron's feedback weights sum to zero over the
 * outputs, and the differences between outputs, which carry the credit, are those of the random draw. */
import { describe, it, expect } from 'vitest';
import { SpikingFa } from '../../../src/learning/spiking/spiking-fa.js';
import { denseWeights } from '../../../src/learning/spiking/dense.js';
import { toyScenario, protocol } from './toy.js';

describe('centred feedback', () => {
  it('leaves each hidden neuron feedback weights with zero mean over the outputs, differences between outputs kept', () => {
    const sc = toyScenario({ seed: 4, nIn: 10, nHid: 7, nOut: 3, wIn: [0.3, 0.1], wOut: [0.3, 0.1], b: 2, a: 0.01, hidBias: 16, outBias: 16 });
    const B0 = denseWeights(new SpikingFa(sc, protocol()).outHid); // [out][hid]
    const B = denseWeights(new SpikingFa(sc, protocol({ centre_feedback: true })).outHid);
    for (let h = 0; h < 7; h++) {
      let s = 0;
      for (let j = 0; j < 3; j++) s += B[j * 7 + h];
      expect(Math.abs(s)).toBeLessThan(1e-12);
      for (let j = 1; j < 3; j++) expect(B[j * 7 + h] - B[h]).toBeCloseTo(B0[j * 7 + h] - B0[h], 12);
    }
    expect(Array.from(B)).not.toEqual(Array.from(B0));
  });
});
