/**
 * SONATA spike files (the HDF5 layout of the Allen Institute and Blue Brain's SONATA format, read by bmtk, NEST's
 * SONATA tools, h5py and pandas), written and read with h5wasm:
 *
 *   /                               attributes magic = 0x0A7A (uint32), version = [0, 1] (uint32)
 *   /spikes/<population>            attribute sorting = "by_time"
 *   /spikes/<population>/node_ids   uint64, the neuron index within the population
 *   /spikes/<population>/timestamps float64, attribute units = "ms"
 *
 * Spikes are sorted by time, simultaneous ones by node id (the order of spikes/<population>.csv). The `sorting`
 * attribute is a string, as bmtk writes it; libsonata expects an HDF5 enum there instead.
 */
import type { SpikeSlices, SpikeTrains } from '../recording/spikes.js';

import { h5, writeH5, type H5 } from './h5.js';
import { loadSlices, sizedDataset } from './h5-slices.js';

/**
 * Writes the spike file. A population given as SpikeSlices (a recorder that spilled to disk) is streamed: each
 * dataset is created at its final size and written a slice at a time, node_ids in one pass and timestamps in a
 * second, so that the file's layout is that of writing each dataset whole (h5-slices.ts) and no more than a slice
 * is ever held.
 */
export async function writeSonataSpikes(path: string, populations: ReadonlyMap<string, SpikeTrains | SpikeSlices>): Promise<void> {
  await loadSlices();
  await writeH5(path, (f) => {
    f.create_attribute('magic', 0x0a7a, null, '<I');
    f.create_attribute('version', new Uint32Array([0, 1]), [2], '<I');
    f.create_group('spikes');
    for (const [name, tr] of populations) {
      const g = f.create_group(`spikes/${name}`);
      g.create_attribute('sorting', 'by_time');
      const src: SpikeSlices = 'slices' in tr ? tr : { count: tr.t.length, slices: () => [tr] };
      const n = src.count;
      if (n === 0) {
        g.create_dataset({ name: 'node_ids', data: new BigUint64Array(0), shape: [0], dtype: '<Q' });
        g.create_dataset({ name: 'timestamps', data: new Float64Array(0), shape: [0], dtype: '<d' }).create_attribute('units', 'ms');
        continue;
      }
      const ids = sizedDataset(g, 'node_ids', n, '<Q');
      let o = 0;
      for (const s of src.slices()) {
        const m = s.t.length;
        const big = new BigUint64Array(m);
        for (let k = 0; k < m; k++) big[k] = BigInt(s.neuron[k]);
        ids.write_slice([[o, o + m]], big);
        o += m;
      }
      if (o !== n) throw new Error(`spikes of ${name}: ${n} counted, ${o} read`);
      const ts = sizedDataset(g, 'timestamps', n, '<d');
      o = 0;
      for (const s of src.slices()) {
        ts.write_slice([[o, o + s.t.length]], s.t);
        o += s.t.length;
      }
      ts.create_attribute('units', 'ms');
    }
  });
}

export interface SonataPopulation extends SpikeTrains {
  sorting: string | null;
  units: string | null;
}

/** Reads every population of a SONATA spike file. */
export async function readSonataSpikes(path: string): Promise<Map<string, SonataPopulation>> {
  const lib = await h5();
  const f = new lib.File(path, 'r');
  try {
    const out = new Map<string, SonataPopulation>();
    const spikes = f.get('spikes') as InstanceType<H5['Group']>;
    for (const name of spikes.keys()) {
      const g = f.get(`spikes/${name}`) as InstanceType<H5['Group']>;
      const ids = (f.get(`spikes/${name}/node_ids`) as InstanceType<H5['Dataset']>).value as BigUint64Array;
      const ts = f.get(`spikes/${name}/timestamps`) as InstanceType<H5['Dataset']>;
      const neuron = new Int32Array(ids.length);
      for (let k = 0; k < ids.length; k++) neuron[k] = Number(ids[k]);
      out.set(name, {
        neuron,
        t: Float64Array.from(ts.value as Float64Array),
        sorting: (g.attrs.sorting?.value as string | undefined) ?? null,
        units: (ts.attrs.units?.value as string | undefined) ?? null,
      });
    }
    return out;
  } finally {
    f.close();
  }
}
