import { expect, test } from 'vitest';
import { parseNumericCsv } from '../../src/formats/csv-read.js';
import { spikesCsv, tableCsv } from '../../src/scenario/csv.js';

test('reads back what csv.ts writes, bit for bit', () => {
  const a = new Float64Array([0.1 + 0.2, 1e-300, -7.25, 123456789.125, 5e-324]);
  const b = new Int32Array([1, -2, 3, 4, 2147483647]);
  const t = parseNumericCsv(tableCsv(['a', 'b'], [a, b]));
  expect(t.header).toEqual(['a', 'b']);
  expect(t.rows).toBe(5);
  expect(Array.from(t.col('a'))).toEqual(Array.from(a));
  expect(Array.from(t.col('b'))).toEqual(Array.from(b));
  const s = parseNumericCsv(spikesCsv({ neuron: new Int32Array([3, 0]), t: new Float64Array([1.5, 2 / 3]) }));
  expect(Array.from(s.col('t_ms'))).toEqual([1.5, 2 / 3]);
});

test('a header-only file has no rows; CRLF line ends are accepted', () => {
  expect(parseNumericCsv('neuron,t_ms\n').rows).toBe(0);
  const t = parseNumericCsv('x,y\r\n1,2\r\n3,4\r\n');
  expect(Array.from(t.col('y'))).toEqual([2, 4]);
});

test('malformed rows and missing columns say where', () => {
  expect(() => parseNumericCsv('x,y\n1\n', 'f.csv')).toThrow('f.csv: row 1 has fewer than 2 columns');
  expect(() => parseNumericCsv('x,y\n1,abc\n', 'f.csv')).toThrow('f.csv: row 1, column y is not a number');
  expect(() => parseNumericCsv('x\n1\n', 'f.csv').col('z')).toThrow('no column "z"');
});

test('an empty field (a value that is not defined) reads back as NaN, not 0; NaN itself still reads', () => {
  const t = parseNumericCsv('examples,accuracy,rate\n0,,\n500,0.75,\r\n1000,NaN,2\n');
  expect(Array.from(t.col('examples'))).toEqual([0, 500, 1000]);
  expect(Array.from(t.col('accuracy'))).toEqual([NaN, 0.75, NaN]);
  expect(Array.from(t.col('rate'))).toEqual([NaN, NaN, 2]);
});
