/**
 * The binary files shared with the Brian2 peer: spikes (perf/spike-files.ts) and the exported network
 * (perf/network-files.ts). Oracles: the values written by hand, and the scenario's own explicit pair list.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSpikes, writeSpikes } from '../../scripts/perf/spike-files.js';
import { writeNetwork } from '../../scripts/perf/network-files.js';
import { Network } from '../../src/scenario/network.js';
import { loadScenario } from '../../src/scenario/load.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'chronoprop-perf-'));

describe('spike files', () => {
  it('round-trip ids and times exactly, also from views into larger buffers', () => {
    const dir = tmp();
    const neuron = new Int32Array([9, 3, 2, 7, 1]).subarray(1, 4);
    const t = new Float64Array([0, 0.1, 1 / 3, 2.5e-9, 7]).subarray(1, 4);
    writeSpikes(dir, 'exc', { neuron, t });
    const back = readSpikes(dir, 'exc');
    expect(Array.from(back.neuron)).toEqual([3, 2, 7]);
    expect(Array.from(back.t)).toEqual([0.1, 1 / 3, 2.5e-9]);
    rmSync(dir, { recursive: true });
  });
});

describe('network files', () => {
  it('export every synapse as (pre, post, weight, delay) and the initial state', () => {
    const pre = [0, 2, 2, 1, 0];
    const post = [1, 0, 2, 2, 0];
    const net = new Network(
      loadScenario({
        name: 'export',
        seed: 3,
        duration_ms: 1,
        populations: [{ name: 'a', model: 'lif', size: 3, init: { v_mv: { uniform: [-60, -50] } } }],
        projections: [
          { name: 'p', from: 'a', to: 'a', receptor: 'exc', connect: { rule: 'pairs', pre, post }, weight_mv: 0.5, delay_ms: 1.5 },
        ],
      }),
    );
    const dir = tmp();
    writeNetwork(net, dir);
    const i32 = (f: string) => Array.from(new Int32Array(new Uint8Array(readFileSync(join(dir, f))).buffer));
    const f64 = (f: string) => Array.from(new Float64Array(new Uint8Array(readFileSync(join(dir, f))).buffer));
    const got = i32('p.pre.i32').map((i, k) => `${i}->${i32('p.post.i32')[k]}`).sort();
    expect(got).toEqual(pre.map((i, k) => `${i}->${post[k]}`).sort());
    expect(f64('p.weight_mv.f64')).toEqual([0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(f64('p.delay_ms.f64')).toEqual([1.5, 1.5, 1.5, 1.5, 1.5]);
    const v = f64('a.v_mv.f64');
    expect(v).toEqual(Array.from(net.populations.get('a')!.group.state.v_mv.toArray()));
    expect(v.every((x) => x >= -60 && x < -50)).toBe(true);
    rmSync(dir, { recursive: true });
  });
});
