/**
 * Reads a numeric CSV file (csv-read.ts's format and messages) in bounded memory: synchronously, block by block,
 * each block decoded with a StringDecoder (a UTF-8 character split across two blocks decodes whole) and its complete
 * lines parsed by csv-read.ts's parseRows; the unfinished last line waits for the next block. A recording can be
 * larger than the longest string V8 allows (about 512 MiB), so a results file is never read into one string: memory
 * is one block of text plus what the caller keeps.
 *
 * streamNumericCsv hands each row to a callback in one reused Float64Array; readNumericCsv builds the NumericTable
 * of the rows a filter keeps, its columns doubled when full (amortized growth, no allocation per row).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { headerNames, numericTable, parseRows, type NumericTable } from './csv-read.js';

/**
 * Bytes read at a time. Small on purpose: a block's text then stays a young, regular heap object, while a string over
 * about 128 KiB lives in V8's large-object space until a full collection. Measured (readRun of a 320 MB state CSV,
 * peak resident memory; 51 MB without the file): 66 MB at 32 KiB, 83 MB at 64 KiB, 102 MB at 128 KiB, 144 MB at
 * 4 MiB, the same CPU time at each (about 3.3 s).
 */
export const CSV_BLOCK_BYTES = 32 << 10;

export interface CsvVisitor {
  /** Called once with the column names, before any row. */
  header?(names: string[]): void;
  /** Called per row; `values` (one per column) is the same array every time: copy what must outlive the call. */
  row(values: Float64Array, r: number): void;
}

/** Streams the rows of the CSV at `path` to `visit`; returns the header and the number of rows. */
export function streamNumericCsv(path: string, origin: string, visit: CsvVisitor, blockBytes = CSV_BLOCK_BYTES): { header: string[]; rows: number } {
  if (!(Number.isInteger(blockBytes) && blockBytes > 0)) throw new Error(`block size must be a positive integer, not ${blockBytes}`);
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(blockBytes);
    const decoder = new StringDecoder('utf8');
    const onRow = (values: Float64Array, r: number) => visit.row(values, r);
    let text = '';
    let header: string[] | null = null;
    let row = new Float64Array(0);
    let rows = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, blockBytes, null);
      const eof = n === 0;
      text += eof ? decoder.end() : decoder.write(buf.subarray(0, n));
      let from = 0;
      if (header === null) {
        const nl = text.indexOf('\n');
        if (nl < 0 && !eof) continue;
        header = headerNames(nl < 0 ? text : text.slice(0, nl));
        visit.header?.(header);
        row = new Float64Array(header.length);
        if (nl < 0) break; // a header without a line end: no rows, as parseNumericCsv
        from = nl + 1;
      }
      // Complete lines only, except at the end of the file, where the last line may lack its '\n'.
      const end = Math.max(from, eof ? text.length : text.lastIndexOf('\n') + 1);
      rows += parseRows(text, from, end, header, row, rows, origin, onRow);
      if (eof) break;
      text = text.slice(end);
    }
    return { header, rows };
  } finally {
    closeSync(fd);
  }
}

/** A copy of `a` with twice the length (at least `min`), the first elements copied. */
export function doubled(a: Float64Array, min = 1024): Float64Array {
  const b = new Float64Array(Math.max(min, 2 * a.length));
  b.set(a);
  return b;
}

/**
 * The CSV at `path` as a NumericTable of the rows `keep` keeps (all rows without it). `keep` is made from the
 * header (to find its columns) and sees each row before it is stored.
 */
export function readNumericCsv(
  path: string,
  origin: string,
  keep?: (header: readonly string[]) => (values: Float64Array, r: number) => boolean,
  blockBytes = CSV_BLOCK_BYTES,
): NumericTable {
  let columns: Float64Array[] = [];
  let kept = 0;
  let test: ((values: Float64Array, r: number) => boolean) | undefined;
  const { header } = streamNumericCsv(
    path,
    origin,
    {
      header(names) {
        columns = names.map(() => new Float64Array(0));
        test = keep?.(names);
      },
      row(values, r) {
        if (test && !test(values, r)) return;
        if (kept === columns[0].length) columns = columns.map((c) => doubled(c));
        for (let c = 0; c < values.length; c++) columns[c][kept] = values[c];
        kept++;
      },
    },
    blockBytes,
  );
  return numericTable(header, columns.map((c) => c.subarray(0, kept)), kept, origin);
}
