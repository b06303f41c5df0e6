import { describe, it, expect } from 'vitest';
import { StridedColumn } from '../../src/neurons/strided.js';
import { Network } from '../../src/scenario/network.js';
import { loadScenario } from '../../src/scenario/load.js';

describe('StridedColumn', () => {
  it('reads and writes field `offset` of records of `stride` values, and copies the column out', () => {
    const data = Float64Array.from({ length: 12 }, (_, k) => k);
    const col = new StridedColumn(data, 2, 4, 3);
    expect([col.get(0), col.get(1), col.get(2)]).toEqual([2, 6, 10]);
    col.set(1, -5);
    expect(data[6]).toBe(-5);
    expect(Array.from(data).filter((x) => x < 0)).toEqual([-5]);
    expect(Array.from(col.toArray())).toEqual([2, -5, 10]);
  });

  it("lif's columns are its state: each writes only its own field, and the model reads what was written", () => {
    const sc = loadScenario('single-neuron', { set: ['duration_ms=10'] });
    const net = new Network(sc);
    const pop = [...net.populations.values()][0];
    const { v_mv, i_exc_mv, i_inh_mv } = pop.group.state;
    expect(v_mv.length).toBe(pop.size);
    // Each column is its own field: writing one leaves the others.
    const before = [i_exc_mv.get(0), i_inh_mv.get(0)];
    v_mv.set(0, -42);
    expect(v_mv.get(0)).toBe(-42);
    expect([i_exc_mv.get(0), i_inh_mv.get(0)]).toEqual(before);
    // The model reads what was written: sample() at the last update time returns the state itself.
    const out = new Float64Array(3);
    pop.group.sample(0, 0, out);
    expect(out[0]).toBe(-42);
  });
});
