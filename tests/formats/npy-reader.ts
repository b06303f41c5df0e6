/**
 * A deliberately independent NPY reader for the tests, written from the format description (numpy.lib.format),
 * not from src/formats/npy.ts: it checks the magic, the version, the 64-byte alignment of the data, parses the
 * header dict with regular expressions and decodes records field by field with DataView.
 */
export interface ParsedNpy {
  version: number;
  headerText: string;
  dataOffset: number;
  shape: number[];
  /** Plain arrays: descr string; structured: list of [name, type, subshape]. */
  fields: { name: string; type: string; sub: number[] }[] | null;
  descr: string | null;
  /** Field name (or '' for a plain array) -> values, row-major. */
  columns: Map<string, number[]>;
}

function dims(s: string): number[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '')
    .map(Number);
}

export function parseNpy(bytes: Uint8Array): ParsedNpy {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = [0x93, ...'NUMPY'.split('').map((c) => c.charCodeAt(0))];
  magic.forEach((b, k) => {
    if (bytes[k] !== b) throw new Error(`bad magic at byte ${k}`);
  });
  const version = bytes[6];
  const hlen = version === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = version === 1 ? 10 : 12;
  const dataOffset = start + hlen;
  const headerText = String.fromCharCode(...bytes.subarray(start, dataOffset));
  if (!headerText.endsWith('\n')) throw new Error('header does not end with a newline');
  if (dataOffset % 64 !== 0) throw new Error(`data offset ${dataOffset} is not a multiple of 64`);
  if (!/'fortran_order': False/.test(headerText)) throw new Error('expected C order');
  const shape = dims(/'shape': \(([^)]*)\)/.exec(headerText)![1]);
  const plain = /'descr': '([^']+)'/.exec(headerText);
  const size = (t: string) => Number(t.slice(2));
  const read = (t: string, p: number) => (t === '<f8' ? dv.getFloat64(p, true) : t === '<i4' ? dv.getInt32(p, true) : NaN);
  const columns = new Map<string, number[]>();
  const n = shape.reduce((a, b) => a * b, 1);
  if (plain) {
    const t = plain[1];
    columns.set('', Array.from({ length: n }, (_, k) => read(t, dataOffset + k * size(t))));
    return { version, headerText, dataOffset, shape, fields: null, descr: t, columns };
  }
  const fields = [...headerText.matchAll(/\('([^']+)', '([^']+)'(?:, \(([^)]*)\))?\)/g)].map((m) => ({
    name: m[1],
    type: m[2],
    sub: m[3] ? dims(m[3]) : [],
  }));
  const itemsize = fields.reduce((a, f) => a + size(f.type) * f.sub.reduce((x, y) => x * y, 1), 0);
  if (dataOffset + n * itemsize !== bytes.length) throw new Error(`expected ${dataOffset + n * itemsize} bytes, found ${bytes.length}`);
  let off = 0;
  for (const f of fields) {
    const per = f.sub.reduce((x, y) => x * y, 1);
    const vals: number[] = [];
    for (let r = 0; r < n; r++) for (let c = 0; c < per; c++) vals.push(read(f.type, dataOffset + r * itemsize + off + c * size(f.type)));
    columns.set(f.name, vals);
    off += per * size(f.type);
  }
  return { version, headerText, dataOffset, shape, fields, descr: null, columns };
}
