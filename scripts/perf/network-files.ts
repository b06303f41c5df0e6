/**
 * Exports a built network for the Brian2 peer's "same network" mode (scripts/peer/brian_model.py reads it): per
 * projection <name>.pre.i32, <name>.post.i32, <name>.weight_mv.f64, <name>.delay_ms.f64 (one entry per synapse);
 * per neuron population and state variable <pop>.<var>.f64 (the initial state). Little-endian, as spike-files.ts.
 * With it, connectivity and initial state are the same realization in both simulators; only the integration
 * (exact crossings against a dt grid) and the Poisson trains differ.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Network } from '../../src/scenario/network.js';

function write(dir: string, file: string, a: Int32Array | Float64Array): void {
  writeFileSync(join(dir, file), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

/** Call after the network is built and before it runs. */
export function writeNetwork(net: Network, dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, p] of net.projections) {
    const delay = new Float64Array(p.count);
    for (let g = 0; g < p.nGroups; g++) delay.fill(p.groupDelay[g], p.groupStart[g], p.groupStart[g + 1]);
    write(dir, `${name}.pre.i32`, p.synapsePre());
    write(dir, `${name}.post.i32`, p.post);
    write(dir, `${name}.weight_mv.f64`, p.weight);
    write(dir, `${name}.delay_ms.f64`, delay);
  }
  for (const [name, pop] of net.populations) {
    for (const [v, col] of Object.entries(pop.group.state)) write(dir, `${name}.${v}.f64`, col.toArray());
  }
}
