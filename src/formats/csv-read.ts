/**
 * Reads the numeric CSV tables chronoprop writes (scenario/csv.ts): a header line of column names, then rows of
 * numbers separated by commas, no quoting. Columns come back as Float64Array, parsed with Number() so that every
 * value written in shortest round-trip form reads back bit-identical. A general CSV parser (quoting, strings) would
 * allocate a string per cell; this one scans the text once. An empty field (a value that is not defined) reads as
 * NaN, as does `NaN` itself (folders written before NaN was refused).
 *
 * parseRows is the one row parser: parseNumericCsv runs it over a whole text, csv-stream.ts over a file block by
 * block, so both read the same rows and throw the same messages.
 */

export interface NumericTable {
  header: string[];
  rows: number;
  columns: Float64Array[];
  /** A column by name; throws if the table has none of that name. */
  col(name: string): Float64Array;
}

/** The header line (text up to its first '\n', without a trailing '\r') split into column names. */
export function headerNames(line: string): string[] {
  return line.replace(/\r$/, '').split(',');
}

/** Index of column `name` in `header`; throws, naming the file and its columns, if there is none. */
export function columnIndex(header: readonly string[], name: string, origin: string): number {
  const k = header.indexOf(name);
  if (k < 0) throw new Error(`${origin}: no column "${name}" (columns: ${header.join(', ')})`);
  return k;
}

export function numericTable(header: string[], columns: Float64Array[], rows: number, origin: string): NumericTable {
  return { header, rows, columns, col: (name: string) => columns[columnIndex(header, name, origin)] };
}

/**
 * Parses the lines of text[from, end) (each ended by '\n', the last one by `end` too; empty lines skipped): each
 * line's `header.length` values into `row`, then onRow(row, r), r counting rows from `firstRow`. `row` is reused for
 * every line. Returns the number of rows parsed.
 */
export function parseRows(
  text: string,
  from: number,
  end: number,
  header: readonly string[],
  row: Float64Array,
  firstRow: number,
  origin: string,
  onRow: (row: Float64Array, r: number) => void,
): number {
  const w = header.length;
  let r = firstRow;
  for (let p = from; p < end; ) {
    let e = text.indexOf('\n', p);
    if (e < 0 || e > end) e = end;
    if (e > p) {
      let a = p;
      for (let c = 0; c < w; c++) {
        let b = c === w - 1 ? e : text.indexOf(',', a);
        if (b < 0 || b > e) throw new Error(`${origin}: row ${r + 1} has fewer than ${w} columns`);
        if (c === w - 1 && text.charCodeAt(b - 1) === 13) b--;
        // An empty field is a value that is not defined (docs/limits.md): NaN here, not Number('')'s 0.
        const v = b === a ? NaN : Number(text.slice(a, b));
        if (Number.isNaN(v) && b !== a && text.slice(a, b) !== 'NaN') throw new Error(`${origin}: row ${r + 1}, column ${header[c]} is not a number`);
        row[c] = v;
        a = b + 1;
      }
      onRow(row, r);
      r++;
    }
    p = e + 1;
  }
  return r - firstRow;
}

export function parseNumericCsv(text: string, origin = 'csv'): NumericTable {
  const firstEnd = text.indexOf('\n');
  const header = headerNames(firstEnd < 0 ? text : text.slice(0, firstEnd));
  const w = header.length;
  let rows = 0;
  for (let p = firstEnd + 1; firstEnd >= 0 && p < text.length; ) {
    const e = text.indexOf('\n', p);
    if (e !== p) rows++;
    p = e < 0 ? text.length : e + 1;
  }
  const columns = header.map(() => new Float64Array(rows));
  if (firstEnd >= 0) {
    parseRows(text, firstEnd + 1, text.length, header, new Float64Array(w), 0, origin, (row, r) => {
      for (let c = 0; c < w; c++) columns[c][r] = row[c];
    });
  }
  return numericTable(header, columns, rows, origin);
}
