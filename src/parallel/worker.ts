/** Worker thread entry: runs registered chunk functions on the payloads it is sent. */
import { parentPort } from 'node:worker_threads';
import { chunkFunctions } from './chunks.js';

parentPort!.on('message', (m: { name: string; payload: unknown }) => {
  parentPort!.postMessage(chunkFunctions[m.name](m.payload));
});
