/**
 * NumPy `.npy` writer (format version 1.0, or 2.0 when the header exceeds 65535 bytes), so that `numpy.load` opens
 * our tables without any parsing code. The format (numpy.lib.format, NEP 1):
 *
 *   magic "\x93NUMPY" | major, minor (1 byte each) | header length (uint16 LE in 1.0, uint32 LE in 2.0)
 *   | header: a Python dict literal {'descr': ..., 'fortran_order': False, 'shape': (...), } padded with spaces and
 *     ended by "\n" so that the data starts at a multiple of 64 bytes | raw C-order little-endian data.
 *
 * Tables are written as structured arrays: `descr` is a list of fields `('name', '<f8')`, or `('name', '<f8', (n,))`
 * for a field holding n values per row, so `np.load(path)['weight_mv']` selects a column by name. Records are packed
 * (no alignment padding), as numpy itself writes them.
 *
 * Why hand-written: the one maintained npm writer (npyjs 1.2 `dump`) writes plain arrays only, no structured dtypes,
 * and aligns its header to 8 bytes instead of the 64 the format asks for. The format is short and stable.
 */

export type NpyData = Float64Array | Int32Array;

export interface NpyField {
  name: string;
  /** Row-major values: rows * (product of `shape`) of them. */
  data: NpyData;
  /** Values per row for a sub-array field, e.g. [3]; omitted for a scalar column. */
  shape?: number[];
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

function descrOf(d: NpyData): string {
  return d instanceof Float64Array ? '<f8' : '<i4';
}

function tuple(dims: number[]): string {
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

function header(descr: string, shape: number[]): Uint8Array {
  const dict = `{'descr': ${descr}, 'fortran_order': False, 'shape': ${tuple(shape)}, }`;
  for (const v1 of [true, false]) {
    const pre = v1 ? 10 : 12;
    const total = Math.ceil((pre + dict.length + 1) / 64) * 64;
    const len = total - pre;
    if (v1 && len > 0xffff) continue;
    const out = new Uint8Array(total);
    out.set(MAGIC, 0);
    out[6] = v1 ? 1 : 2;
    out[7] = 0;
    const dv = new DataView(out.buffer);
    if (v1) dv.setUint16(8, len, true);
    else dv.setUint32(8, len, true);
    const text = dict.padEnd(len - 1, ' ') + '\n';
    for (let k = 0; k < text.length; k++) out[pre + k] = text.charCodeAt(k);
    return out;
  }
  throw new Error('unreachable');
}

/** A plain n-dimensional array (C order). */
export function npyArray(data: NpyData, shape: number[] = [data.length]): Uint8Array {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== data.length) throw new Error(`npyArray: shape ${tuple(shape)} needs ${n} values, got ${data.length}`);
  const h = header(`'${descrOf(data)}'`, shape);
  const out = new Uint8Array(h.length + data.byteLength);
  out.set(h, 0);
  const dv = new DataView(out.buffer, h.length);
  const w = data instanceof Float64Array ? 8 : 4;
  for (let k = 0; k < data.length; k++) {
    if (w === 8) dv.setFloat64(k * 8, data[k], true);
    else dv.setInt32(k * 4, data[k], true);
  }
  return out;
}

/** A one-dimensional structured array of `rows` records with the given named fields. */
export function npyTable(rows: number, fields: NpyField[]): Uint8Array {
  const h = npyTableHeader(rows, fields);
  const out = new Uint8Array(h.length + rows * recordBytes(fields));
  out.set(h, 0);
  npyRecordsInto(out, h.length, rows, fields);
  return out;
}

/**
 * npyTable's first bytes, its header, for `rows` records of these fields (their arrays give the types; their
 * lengths are not looked at): with npyRecords of consecutive slices of the rows after it, a table written in pieces
 * (scenario/record-files.ts) is byte for byte npyTable's.
 */
export function npyTableHeader(rows: number, fields: readonly NpyField[]): Uint8Array {
  const descr = `[${fields.map((f) => `('${f.name}', '${descrOf(f.data)}'${f.shape ? `, ${tuple(f.shape)}` : ''})`).join(', ')}]`;
  return header(descr, [rows]);
}

/** The data of `rows` records (npyTable's bytes after its header). */
export function npyRecords(rows: number, fields: readonly NpyField[]): Uint8Array {
  const out = new Uint8Array(rows * recordBytes(fields));
  npyRecordsInto(out, 0, rows, fields);
  return out;
}

const valuesPer = (f: NpyField) => (f.shape ?? []).reduce((a, b) => a * b, 1);
const widthOf = (f: NpyField) => (f.data instanceof Float64Array ? 8 : 4);

function recordBytes(fields: readonly NpyField[]): number {
  return fields.reduce((a, f) => a + valuesPer(f) * widthOf(f), 0);
}

/** Writes `rows` packed records of `fields` into out from byte `at`. */
function npyRecordsInto(out: Uint8Array, at: number, rows: number, fields: readonly NpyField[]): void {
  const record = recordBytes(fields);
  const dv = new DataView(out.buffer, out.byteOffset + at, rows * record);
  let offset = 0;
  for (const f of fields) {
    const per = valuesPer(f);
    const width = widthOf(f);
    if (f.data.length !== rows * per) throw new Error(`npyTable: field ${f.name} needs ${rows * per} values, got ${f.data.length}`);
    const { data } = f;
    const isFloat = width === 8;
    for (let r = 0; r < rows; r++) {
      let p = r * record + offset;
      for (let c = 0; c < per; c++, p += width) {
        if (isFloat) dv.setFloat64(p, data[r * per + c], true);
        else dv.setInt32(p, data[r * per + c], true);
      }
    }
    offset += per * width;
  }
}
