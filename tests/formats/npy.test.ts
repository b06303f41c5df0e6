import { describe, expect, test } from 'vitest';
import { npyArray, npyTable } from '../../src/formats/npy.js';
import { parseNpy } from './npy-reader.js';

describe('npy writer', () => {
  test('a plain float64 array: header as numpy writes it, data little-endian', () => {
    const data = new Float64Array([0.1, -2.5, 1 / 3, Number.MAX_VALUE]);
    const bytes = npyArray(data, [2, 2]);
    const p = parseNpy(bytes);
    expect(p.version).toBe(1);
    expect(p.headerText.startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }")).toBe(true);
    expect(p.shape).toEqual([2, 2]);
    expect(p.columns.get('')).toEqual(Array.from(data));
    // Byte-level check of one value: 0.1 is 0x3FB999999999999A, stored least significant byte first.
    expect(Array.from(bytes.subarray(p.dataOffset, p.dataOffset + 8))).toEqual([0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xb9, 0x3f]);
  });

  test('a one-dimensional shape is written as a Python one-tuple', () => {
    expect(parseNpy(npyArray(new Int32Array([1, 2, 3]))).headerText).toContain("'shape': (3,)");
  });

  test('a structured table with a sub-array field, packed records', () => {
    const t = new Float64Array([0, 0.5, 1]);
    const ids = new Int32Array([7, 9, 7, 9, 7, 9]);
    const v = new Float64Array([-70, -65, -69.5, -64, -69, -63.25]);
    const p = parseNpy(npyTable(3, [{ name: 't_ms', data: t }, { name: 'neuron', data: ids, shape: [2] }, { name: 'v_mv', data: v, shape: [2] }]));
    expect(p.fields).toEqual([
      { name: 't_ms', type: '<f8', sub: [] },
      { name: 'neuron', type: '<i4', sub: [2] },
      { name: 'v_mv', type: '<f8', sub: [2] },
    ]);
    expect(p.shape).toEqual([3]);
    expect(p.columns.get('t_ms')).toEqual([0, 0.5, 1]);
    expect(p.columns.get('neuron')).toEqual([7, 9, 7, 9, 7, 9]);
    expect(p.columns.get('v_mv')).toEqual(Array.from(v));
  });

  test('empty tables are valid files', () => {
    const p = parseNpy(npyTable(0, [{ name: 'pre', data: new Int32Array(0) }, { name: 'w', data: new Float64Array(0) }]));
    expect(p.shape).toEqual([0]);
  });

  test('a header longer than 65535 bytes switches to format 2.0', () => {
    const fields = Array.from({ length: 3000 }, (_, k) => ({ name: `a_long_field_name_${k}`, data: new Float64Array([k]) }));
    const p = parseNpy(npyTable(1, fields));
    expect(p.version).toBe(2);
    expect(p.columns.get('a_long_field_name_2999')).toEqual([2999]);
  });

  test('mismatched lengths are refused', () => {
    expect(() => npyTable(2, [{ name: 'x', data: new Float64Array(3) }])).toThrow(/needs 2 values/);
    expect(() => npyArray(new Float64Array(3), [2, 2])).toThrow(/needs 4 values/);
  });
});
