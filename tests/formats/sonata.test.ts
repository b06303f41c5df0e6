import { afterAll, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';
import { readSonataSpikes, writeSonataSpikes } from '../../src/formats/sonata.js';

const dir = mkdtempSync(join(tmpdir(), 'chronoprop-sonata-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('layout, types and attributes follow the SONATA spike file spec (read with h5wasm directly)', async () => {
  const path = join(dir, 'spikes.h5');
  const exc = { neuron: new Int32Array([2, 0, 1, 2]), t: new Float64Array([0.5, 1 / 3 + 1, 1 / 3 + 1, 7.25]) };
  const empty = { neuron: new Int32Array(0), t: new Float64Array(0) };
  await writeSonataSpikes(path, new Map([['exc', exc], ['silent', empty]]));
  await h5wasm.ready;
  const f = new h5wasm.File(path, 'r');
  try {
    expect(f.attrs.magic.value).toBe(0x0a7a);
    expect(Array.from(f.attrs.version.value as Uint32Array)).toEqual([0, 1]);
    expect((f.get('spikes') as InstanceType<typeof h5wasm.Group>).keys().sort()).toEqual(['exc', 'silent']);
    const g = f.get('spikes/exc') as InstanceType<typeof h5wasm.Group>;
    expect(g.attrs.sorting.value).toBe('by_time');
    const ids = f.get('spikes/exc/node_ids') as InstanceType<typeof h5wasm.Dataset>;
    const ts = f.get('spikes/exc/timestamps') as InstanceType<typeof h5wasm.Dataset>;
    expect(ids.dtype).toBe('<Q');
    expect(ts.dtype).toBe('<d');
    expect(ts.attrs.units.value).toBe('ms');
    expect(Array.from(ids.value as BigUint64Array)).toEqual([2n, 0n, 1n, 2n]);
    expect(Array.from(ts.value as Float64Array)).toEqual(Array.from(exc.t));
    expect((f.get('spikes/silent/node_ids') as InstanceType<typeof h5wasm.Dataset>).shape).toEqual([0]);
  } finally {
    f.close();
  }
  const back = await readSonataSpikes(path);
  expect(Array.from(back.get('exc')!.neuron)).toEqual([2, 0, 1, 2]);
  expect(back.get('exc')!.sorting).toBe('by_time');
  expect(back.get('silent')!.t.length).toBe(0);
});

test('the same spikes give the same bytes whenever they are written (HDF5 time stamps held fixed)', async () => {
  // HDF5 stamps object headers with the time of writing; the oracle is byte equality of two writes made at clock
  // readings a day apart (Date.now is what the WebAssembly module's clock reads).
  const spikes = new Map([['exc', { neuron: new Int32Array([0, 1]), t: new Float64Array([1, 2]) }]]);
  const now = Date.now;
  try {
    Date.now = () => 1.7e12;
    await writeSonataSpikes(join(dir, 'a.h5'), spikes);
    Date.now = () => 1.7e12 + 86_400_000;
    await writeSonataSpikes(join(dir, 'b.h5'), spikes);
  } finally {
    Date.now = now;
  }
  expect(Buffer.compare(readFileSync(join(dir, 'a.h5')), readFileSync(join(dir, 'b.h5')))).toBe(0);
});
