/**
 * The IDX file format of the MNIST distribution (LeCun et al., http://yann.lecun.com/exdb/mnist/): a 4-byte magic
 * number `0x00 0x00 <type> <ndims>`, then `ndims` big-endian uint32 sizes, then the data in row-major order.
 * Only type 0x08 (unsigned byte), the one MNIST uses, is read and written here.
 *
 *     images: magic 0x00000803, sizes [count, rows, cols], count * rows * cols bytes
 *     labels: magic 0x00000801, sizes [count],             count bytes
 */
import { ScenarioError } from '../errors.js';

export interface IdxArray {
  /** Sizes per dimension, outermost first. */
  dims: number[];
  /** The bytes, row-major (a view into the buffer read). */
  data: Uint8Array;
}

const UBYTE = 0x08;

/**
 * Parses an IDX buffer of unsigned bytes with the expected number of dimensions. `origin` names the file in errors,
 * which are one line each: what was expected and what was found.
 */
export function readIdx(buf: Uint8Array, ndims: number, origin: string): IdxArray {
  const expect = `0x000008${ndims.toString(16).padStart(2, '0')}`;
  const bad = (msg: string) => new ScenarioError([`${origin} ${msg}`]);
  if (buf.length < 4) throw bad(`is not an IDX file: ${buf.length} bytes, too short for a magic number`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = view.getUint32(0);
  if (buf[0] !== 0 || buf[1] !== 0 || buf[2] !== UBYTE || buf[3] !== ndims) {
    throw bad(`must start with the IDX magic number ${expect} (unsigned bytes, ${ndims} dims), got 0x${magic.toString(16).padStart(8, '0')}`);
  }
  if (buf.length < 4 + 4 * ndims) throw bad(`is not an IDX file: ${buf.length} bytes, too short for a ${ndims}-d header`);
  const dims: number[] = [];
  for (let d = 0; d < ndims; d++) dims.push(view.getUint32(4 + 4 * d));
  const start = 4 + 4 * ndims;
  const size = dims.reduce((a, b) => a * b, 1);
  if (buf.length !== start + size) {
    throw bad(`must hold ${size} data bytes for sizes [${dims.join(', ')}], got ${buf.length - start}`);
  }
  return { dims, data: buf.subarray(start) };
}

/** Encodes unsigned bytes with the given sizes as an IDX buffer (the inverse of readIdx). */
export function writeIdx(dims: number[], data: Uint8Array): Uint8Array {
  const size = dims.reduce((a, b) => a * b, 1);
  if (data.length !== size) throw new Error(`writeIdx: ${data.length} bytes do not match sizes [${dims.join(', ')}]`);
  const start = 4 + 4 * dims.length;
  const out = new Uint8Array(start + size);
  const view = new DataView(out.buffer);
  out[2] = UBYTE;
  out[3] = dims.length;
  dims.forEach((n, d) => view.setUint32(4 + 4 * d, n));
  out.set(data, start);
  return out;
}
