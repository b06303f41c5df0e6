/**
 * The streaming reader reads what parseNumericCsv reads from the same text, whatever the block size: rows, UTF-8
 * characters and CRLF line ends split across blocks, and the same messages for bad rows. Blocks of 1 to 13 bytes put
 * a boundary at every position of these short texts; the expected tables are also written out by hand.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseNumericCsv } from '../../src/formats/csv-read.js';
import { readNumericCsv, streamNumericCsv } from '../../src/formats/csv-stream.js';

const dir = mkdtempSync(join(tmpdir(), 'csv-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const file = (text: string | Buffer) => {
  const p = join(dir, `t${files++}.csv`);
  writeFileSync(p, text);
  return p;
};
const BLOCKS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 1 << 22];

/** Columns as plain arrays, for comparisons that see NaN as NaN. */
const plain = (t: { header: string[]; rows: number; columns: Float64Array[] }) => ({ header: t.header, rows: t.rows, columns: t.columns.map((c) => Array.from(c)) });

const cases: [string, string, { header: string[]; columns: number[][] }][] = [
  ['plain', 'a,b\n1,2\n3.5,-4\n', { header: ['a', 'b'], columns: [[1, 3.5], [2, -4]] }],
  ['CRLF line ends', 'x,y\r\n1,2\r\n3,4\r\n', { header: ['x', 'y'], columns: [[1, 3], [2, 4]] }],
  ['empty fields and NaN', 'examples,accuracy,rate\n0,,\n500,0.75,\r\n1000,NaN,2\n', { header: ['examples', 'accuracy', 'rate'], columns: [[0, 500, 1000], [NaN, 0.75, NaN], [NaN, NaN, 2]] }],
  ['no line end after the last row', 'a,b\n1,2\n3,4', { header: ['a', 'b'], columns: [[1, 3], [2, 4]] }],
  ['blank lines', 'a\n1\n\n2\n\n', { header: ['a'], columns: [[1, 2]] }],
  ['multi-byte UTF-8 names', 'Vₘ_mv,τ_ms,ü€𝄞\n1,2,3\n-0.5,1e-300,5e-324\n', { header: ['Vₘ_mv', 'τ_ms', 'ü€𝄞'], columns: [[1, -0.5], [2, 1e-300], [3, 5e-324]] }],
  ['a row longer than a block', 't_ms,neuron,v_mv\n0.30000000000000004,123456,-65.12345678901234\n', { header: ['t_ms', 'neuron', 'v_mv'], columns: [[0.30000000000000004], [123456], [-65.12345678901234]] }],
  ['header only', 'neuron,t_ms\n', { header: ['neuron', 't_ms'], columns: [[], []] }],
  ['header without a line end', 'neuron,t_ms', { header: ['neuron', 't_ms'], columns: [[], []] }],
  ['empty file', '', { header: [''], columns: [[]] }],
];

describe('reads the same table as parseNumericCsv, whatever the block size', () => {
  for (const [name, text, want] of cases) {
    test(name, () => {
      const expected = { header: want.header, rows: want.columns[0].length, columns: want.columns };
      expect(plain(parseNumericCsv(text))).toEqual(expected);
      const p = file(text);
      for (const b of BLOCKS) expect(plain(readNumericCsv(p, 'f.csv', undefined, b)), `block ${b}`).toEqual(expected);
    });
  }
});

test('a 4-byte character split across every block boundary decodes whole', () => {
  const text = '𝄞a,€b\n1,2\n';
  const bytes = Buffer.from(text);
  expect(bytes.length).toBeGreaterThan(text.length); // multi-byte indeed
  const p = file(bytes);
  for (let b = 1; b <= bytes.length; b++) expect(readNumericCsv(p, 'f.csv', undefined, b).header).toEqual(['𝄞a', '€b']);
});

test('malformed rows say where, in any block', () => {
  const few = file('x,y\n1,2\n3,4\n5\n6,7\n');
  const bad = file('x,y\r\n1,2\r\n3,4\r\n5,abc\r\n');
  for (const b of BLOCKS) {
    expect(() => readNumericCsv(few, 'f.csv', undefined, b)).toThrow('f.csv: row 3 has fewer than 2 columns');
    expect(() => readNumericCsv(bad, 'f.csv', undefined, b)).toThrow('f.csv: row 3, column y is not a number');
  }
  expect(() => readNumericCsv(file('x,y\n1\n'), 'g.csv')).toThrow('g.csv: row 1 has fewer than 2 columns');
  expect(() => readNumericCsv(file('x,y\n1,abc\n'), 'g.csv')).toThrow('g.csv: row 1, column y is not a number');
  expect(() => readNumericCsv(file('x\n1\n'), 'g.csv').col('z')).toThrow('g.csv: no column "z" (columns: x)');
});

test('rows come in one reused array, numbered from 0, after the header', () => {
  const seen: number[][] = [];
  const arrays = new Set<Float64Array>();
  const order: string[] = [];
  const out = streamNumericCsv(
    file('a,b\n1,2\n\n3,4\n5,6\n'),
    'f.csv',
    {
      header: (names) => order.push(`header ${names.join('|')}`),
      row: (v, r) => {
        order.push(`row ${r}`);
        arrays.add(v);
        seen.push(Array.from(v));
      },
    },
    3,
  );
  expect(out).toEqual({ header: ['a', 'b'], rows: 3 });
  expect(order).toEqual(['header a|b', 'row 0', 'row 1', 'row 2']);
  expect(seen).toEqual([[1, 2], [3, 4], [5, 6]]);
  expect(arrays.size).toBe(1);
});

test('keep: only the rows it keeps are stored, columns grown past their first capacity', () => {
  const n = 5000;
  const lines = ['k,sq'];
  for (let k = 0; k < n; k++) lines.push(`${k},${k * k}`);
  const p = file(lines.join('\n') + '\n');
  const headers: string[][] = [];
  const t = readNumericCsv(
    p,
    'f.csv',
    (header) => {
      headers.push([...header]);
      const kc = header.indexOf('k');
      return (v, r) => v[kc] % 3 === 0 && r < 4000;
    },
    4096,
  );
  const want: number[] = [];
  for (let k = 0; k < 4000; k += 3) want.push(k);
  expect(headers).toEqual([['k', 'sq']]);
  expect(t.rows).toBe(want.length);
  expect(Array.from(t.col('k'))).toEqual(want);
  expect(Array.from(t.col('sq'))).toEqual(want.map((k) => k * k));
  expect(Array.from(readNumericCsv(p, 'f.csv').col('sq'))).toEqual(Array.from({ length: n }, (_, k) => k * k));
});
