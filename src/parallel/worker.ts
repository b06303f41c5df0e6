/**
 * Worker thread entry: runs registered chunk functions on the payloads it is sent. An entry point, like the
 * command line, so it may import the top-level registry (the table of chunk functions by name).
 */
import { parentPort } from 'node:worker_threads';
import { chunkFunctions } from '../registry.js';

parentPort!.on('message', (m: { name: string; payload: unknown }) => {
  parentPort!.postMessage(chunkFunctions[m.name].run(m.payload));
});
