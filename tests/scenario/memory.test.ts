import { describe, expect, it } from 'vitest';
import { typedArrayBytes, networkMemory } from '../../src/scenario/memory.js';
import { Network } from '../../src/scenario/network.js';
import { loadScenario } from '../../src/scenario/load.js';

describe('typedArrayBytes', () => {
  it('adds each distinct buffer once, through nested objects, arrays and maps', () => {
    const a = new Float64Array(10); // 80 bytes
    const obj = {
      a,
      view: a.subarray(2, 5), // same buffer: nothing more
      nested: { b: new Int32Array(5), list: [new Uint8Array(3)] }, // 20 + 3
      map: new Map([['c', new Float32Array(4)]]), // 16
      n: 7,
      s: 'text',
    };
    expect(typedArrayBytes([obj])).toBe(80 + 20 + 3 + 16);
  });

  it('does not enter objects in the stop set, except a root', () => {
    const other = { big: new Float64Array(1000) };
    const root = { own: new Int32Array(2), other };
    expect(typedArrayBytes([root], new Set([other]))).toBe(8);
    expect(typedArrayBytes([root, other], new Set([root, other]))).toBe(8 + 8000);
  });

  it('survives cycles and shares the seen set across calls', () => {
    const x: Record<string, unknown> = { arr: new Float64Array(2) };
    x.self = x;
    const seen = new Set<ArrayBufferLike>();
    expect(typedArrayBytes([x], new Set(), seen)).toBe(16);
    expect(typedArrayBytes([x], new Set(), seen)).toBe(0);
  });
});

/**
 * A two-population network with an explicit list of `pairs` synapses, optionally plastic, with one shared weight
 * (1 mV) or one drawn per synapse.
 */
function pairsNetwork(nPost: number, pairs: number, plastic: boolean, drawnWeights = false): Network {
  const pre = Array.from({ length: pairs }, (_, k) => k % 10);
  const post = Array.from({ length: pairs }, (_, k) => k % nPost);
  return new Network(
    loadScenario({
      name: 'mem',
      seed: 1,
      duration_ms: 10,
      populations: [
        { name: 'src', model: 'spike_source', size: 10, params: { spike_times_ms: Array.from({ length: 10 }, () => []) } },
        { name: 'dst', model: 'lif', size: nPost },
      ],
      projections: [
        {
          name: 'p', from: 'src', to: 'dst', receptor: 'exc', connect: { rule: 'pairs', pre, post },
          weight_mv: drawnWeights ? { uniform: [0.5, 1.5] } : 1,
          ...(plastic ? { plasticity: { rule: 'stdp', a_plus: 0.1, a_minus: 0.1, tau_plus_ms: 20, tau_minus_ms: 20, w_max_mv: 2 } } : {}),
        },
      ],
    }),
  );
}

describe('networkMemory', () => {
  it('counts the synapses made and at least a target index and a weight per synapse (projection.ts layout)', () => {
    const m = networkMemory(pairsNetwork(20, 500, false, true));
    expect(m.synapses).toBe(500);
    expect(m.synapse_bytes).toBeGreaterThanOrEqual(12 * 500);
    expect(m.plasticity_bytes).toBe(0);
    expect(m.bytes_per_synapse).toBeCloseTo(m.synapse_bytes / 500, 12);
  });

  it('stores a weight shared by every synapse once: 8 bytes per synapse less, until the weights are read', () => {
    const drawn = networkMemory(pairsNetwork(20, 500, false, true));
    const net = pairsNetwork(20, 500, false);
    const shared = networkMemory(net);
    expect(shared.synapse_bytes).toBe(drawn.synapse_bytes - 8 * 500 + 8);
    // Reading the weights expands them to one per synapse, all equal to the shared one.
    expect([...new Set(net.projections.get('p')!.weight)]).toEqual([1]);
    expect(networkMemory(net).synapse_bytes).toBe(drawn.synapse_bytes);
  });

  it('does not charge the target population to the synapses', () => {
    // Same synapses onto a population 1000 times larger: only neuron bytes may grow.
    const small = networkMemory(pairsNetwork(20, 500, false));
    const large = networkMemory(pairsNetwork(20000, 500, false));
    expect(large.synapse_bytes).toBe(small.synapse_bytes);
    expect(large.neuron_bytes).toBeGreaterThan(small.neuron_bytes * 100);
  });

  it('charges plasticity state separately, at least one trace slot per target neuron', () => {
    const m = networkMemory(pairsNetwork(20, 500, true));
    expect(m.plasticity_bytes).toBeGreaterThanOrEqual(8 * 20);
    expect(m.bytes_per_synapse).toBeCloseTo((m.synapse_bytes + m.plasticity_bytes) / 500, 12);
  });
});
