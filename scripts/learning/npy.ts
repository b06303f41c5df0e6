/** The values of a float64 .npy file (format 1.0 or 2.0, little-endian, as chronoprop writes them). */
import { readFileSync } from 'node:fs';

export function npyValues(path: string): Float64Array {
  const b = readFileSync(path);
  const headerLen = b[6] === 1 ? b.readUInt16LE(8) + 10 : b.readUInt32LE(8) + 12;
  return new Float64Array(b.buffer.slice(b.byteOffset + headerLen, b.byteOffset + b.length));
}
