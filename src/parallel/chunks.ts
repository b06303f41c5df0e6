/** Chunk functions by name, for runChunks and the worker threads. Each registers here with one line. */
import { runDerivativeChunk, type DerivativeChunk } from '../experiments/derivative-filter-chunk.js';
import { runFaTestChunk, type FaTestChunk } from '../learning/spiking/fa-test-chunk.js';

export const chunkFunctions: Readonly<Record<string, (payload: unknown) => Record<string, unknown>>> = {
  'derivative-filter': (p) => runDerivativeChunk(p as DerivativeChunk) as unknown as Record<string, unknown>,
  'fa-digits-test': (p) => runFaTestChunk(p as FaTestChunk),
};
