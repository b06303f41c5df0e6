/**
 * Independent work split into chunks, run in worker threads or in-process, with results identical whatever the
 * number of workers: a chunk's result depends only on its payload (each chunk derives its own random streams from
 * its index), and results are returned in chunk order.
 *
 * The caller hands over the chunk function itself: it runs in-process, and a worker finds the same function by its
 * name in the registry's table (src/registry.ts, imported by the worker entry worker.ts). The worker entry is the
 * bundled dist/worker.js beside the running bundle. Without a bundle (tests run from sources), work stays
 * in-process. At most one thread per chunk and per core is started, whatever `workers` asks.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * A function that worker threads can run: `name` is its key in the registry's chunkFunctions, `run` maps a
 * payload (structured-cloneable) to a result that depends on the payload alone.
 */
export interface ChunkFunction<P = unknown, R = unknown> {
  readonly name: string;
  run(payload: P): R;
}

/** The bundled worker entry beside the running bundle, or null when running from sources. */
export function workerEntry(): string | null {
  const url = new URL('./worker.js', import.meta.url);
  const path = fileURLToPath(url);
  return path.endsWith('.js') && existsSync(path) && !import.meta.url.endsWith('.ts') ? path : null;
}

export async function runChunks<P, R>(
  chunk: ChunkFunction<P, R>,
  payloads: P[],
  workers: number,
  onDone?: (done: number, total: number) => void,
): Promise<R[]> {
  const results: R[] = new Array(payloads.length);
  const entry = workerEntry();
  let done = 0;
  if (workers <= 1 || payloads.length <= 1 || entry === null) {
    for (let k = 0; k < payloads.length; k++) {
      results[k] = chunk.run(payloads[k]);
      onDone?.(++done, payloads.length);
    }
    return results;
  }
  let next = 0;
  const runOne = (w: Worker): Promise<void> =>
    new Promise((resolve, reject) => {
      const take = () => {
        if (next >= payloads.length) return resolve();
        const k = next++;
        w.once('message', (r: R) => {
          results[k] = r;
          onDone?.(++done, payloads.length);
          take();
        });
        w.postMessage({ name: chunk.name, payload: payloads[k] });
      };
      w.once('error', reject);
      take();
    });
  // No more threads than chunks or cores: more would only hold memory (about 92 MB each) and wait.
  const pool = Array.from({ length: Math.min(workers, payloads.length, availableParallelism()) }, () => new Worker(entry));
  try {
    await Promise.all(pool.map(runOne));
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
