/**
 * The registry: what chronoprop knows by name, in one place at the top of the tree. The command line
 * (cli/main.ts), the library entry (index.ts) and the worker threads' entry (parallel/worker.ts) import it; nothing
 * below them does. Lower layers are handed what they need of it instead (the worker pool the chunk function).
 * Each entry registers here with one line.
 */
import type { ChunkFunction } from './parallel/pool.js';
import { derivativeFilterChunk } from './experiments/derivative-filter-chunk.js';
import { faTestChunk } from './learning/spiking/fa-test-chunk.js';

/** Chunk functions by name, for the worker threads (parallel/worker.ts): the names runChunks sends them. */
export const chunkFunctions: Readonly<Record<string, ChunkFunction>> = {
  [derivativeFilterChunk.name]: derivativeFilterChunk,
  [faTestChunk.name]: faTestChunk,
};
