/**
 * HDF5 datasets written in slices, so that a dataset larger than memory can be written from a stream: created at
 * its final size (known beforehand), then filled slice by slice with `write_slice`, in order.
 *
 * h5wasm's `create_dataset` takes the whole data at once: its C++ side (hdf5_util.cc) creates the dataset, then
 * writes the data from the pointer it was given. Given a null pointer, HDF5 refuses that write ("no input buffer")
 * and leaves the dataset created, contiguous and without storage yet, which the first `write_slice` allocates as
 * the one write would have: the file is byte for byte the file that the whole data in one `create_dataset` gives
 * (tests/recording/spike-spill.test.ts compares them). HDF5's default error handler prints the refused write's error
 * stack to stderr (Emscripten writes it to file descriptor 2 with fs.writeSync), which is muted for that one
 * synchronous call; nothing else runs meanwhile. The dataset's existence and size are checked after it.
 */
import fs from 'node:fs';
import { h5, type H5File } from './h5.js';

type H5Module = typeof import('h5wasm/node');
type Group = ReturnType<H5File['create_group']>;
type Dataset = ReturnType<Group['create_dataset']>;

export type SlicedDtype = '<Q' | '<d';

let lib: H5Module | null = null;

/** Loads h5wasm (once), so that `sizedDataset` may be called synchronously, e.g. inside writeH5's fill. */
export async function loadSlices(): Promise<void> {
  await h5();
  lib ??= await import('h5wasm/node');
}

/** Creates `name` in group `g`: a contiguous, one-dimensional dataset of n elements, to be filled with write_slice. */
export function sizedDataset(g: Group, name: string, n: number, dtype: SlicedDtype): Dataset {
  if (lib === null) throw new Error('sizedDataset: call loadSlices() first');
  const { Module, dtype_to_metadata } = lib;
  const metadata = {
    ...dtype_to_metadata(dtype),
    shape: [BigInt(n)],
    maxshape: [BigInt(n)],
    chunks: null,
    compression: 0,
    compression_opts: [],
    track_order: false,
  };
  const write = fs.writeSync;
  fs.writeSync = ((fd: number, ...rest: Parameters<typeof fs.writeSync> extends [unknown, ...infer R] ? R : never) => {
    if (fd !== 2) return (write as (...a: unknown[]) => number)(fd, ...rest);
    const [data, a, b] = rest as unknown as [string | ArrayBufferView, number?, number?];
    return typeof data === 'string' ? Buffer.byteLength(data) : typeof a === 'number' && typeof b === 'number' ? b : data.byteLength;
  }) as typeof fs.writeSync;
  try {
    Module.create_dataset(g.file_id, `${g.path}/${name}`, 0n, metadata as Parameters<typeof Module.create_dataset>[3]);
  } finally {
    fs.writeSync = write;
  }
  const d = g.get(name) as Dataset | null;
  const shape = d?.shape ?? null;
  if (!d || !shape || shape.length !== 1 || shape[0] !== n) throw new Error(`HDF5 dataset ${g.path}/${name} of ${n} elements could not be created`);
  return d;
}
