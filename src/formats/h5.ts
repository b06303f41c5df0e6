/**
 * h5wasm (HDF5 compiled to WebAssembly), loaded once on first use so that commands writing no HDF5 never pay for
 * it, and an HDF5 writer whose files are byte-identical from run to run.
 *
 * HDF5 stamps every object header with its access, modification, change and birth times (the `track_times`
 * property, on by default, which h5wasm does not expose). Those stamps come from the WebAssembly module's clock,
 * Emscripten's `Date.now()`, so writeH5 holds that clock at SOURCE_DATE_EPOCH (seconds; 0 when unset, the
 * reproducible-builds convention) while the file is written: the same scenario and seed then give the same bytes.
 */
export type H5 = typeof import('h5wasm/node').default;
export type H5File = InstanceType<H5['File']>;

let ready: Promise<H5> | null = null;
let loaded: H5 | null = null;

/** h5wasm, loaded and ready. Its WebAssembly module loads asynchronously, once per process (or worker thread). */
export function h5(): Promise<H5> {
  ready ??= import('h5wasm/node').then(async (m) => {
    await m.default.ready;
    loaded = m.default;
    return m.default;
  });
  return ready;
}

/**
 * h5wasm if h5() has resolved in this process, else null. Once it is ready every call of h5wasm is synchronous, so
 * a synchronous reader (the scenario loader's `from_sonata`, scenario/from-sonata.ts) awaits h5() once up front.
 */
export function h5Now(): H5 | null {
  return loaded;
}

/** Time stamped into the file's object headers (ms since the epoch). */
function fixedClockMs(): number {
  const s = Number(process.env.SOURCE_DATE_EPOCH ?? 0);
  return Number.isFinite(s) && s >= 0 ? Math.floor(s) * 1000 : 0;
}

/** Creates (or truncates) the HDF5 file at path and fills it with `fill`, synchronously, on a fixed clock. */
export async function writeH5(path: string, fill: (f: H5File) => void): Promise<void> {
  const lib = await h5();
  const now = Date.now;
  const fixed = fixedClockMs();
  Date.now = () => fixed;
  try {
    const f = new lib.File(path, 'w');
    try {
      fill(f);
    } finally {
      f.close();
    }
  } finally {
    Date.now = now;
  }
}
