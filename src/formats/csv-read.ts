/**
 * Reads the numeric CSV tables chronoprop writes (scenario/csv.ts): a header line of column names, then rows of
 * numbers separated by commas, no quoting. Columns come back as Float64Array, parsed with Number() so that every
 * value written in shortest round-trip form reads back bit-identical. A general CSV parser (quoting, strings) would
 * allocate a string per cell; this one scans the text once. An empty field (a value that is not defined) reads as
 * NaN, as does `NaN` itself (folders written before NaN was refused).
 */

export interface NumericTable {
  header: string[];
  rows: number;
  columns: Float64Array[];
  /** A column by name; throws if the table has none of that name. */
  col(name: string): Float64Array;
}

export function parseNumericCsv(text: string, origin = 'csv'): NumericTable {
  const firstEnd = text.indexOf('\n');
  const headLine = (firstEnd < 0 ? text : text.slice(0, firstEnd)).replace(/\r$/, '');
  const header = headLine.split(',');
  const w = header.length;
  let rows = 0;
  for (let p = firstEnd + 1; firstEnd >= 0 && p < text.length; ) {
    const e = text.indexOf('\n', p);
    if (e !== p) rows++;
    p = e < 0 ? text.length : e + 1;
  }
  const columns = header.map(() => new Float64Array(rows));
  let r = 0;
  for (let p = firstEnd + 1; firstEnd >= 0 && p < text.length; ) {
    let e = text.indexOf('\n', p);
    if (e < 0) e = text.length;
    if (e > p) {
      let a = p;
      for (let c = 0; c < w; c++) {
        let b = c === w - 1 ? e : text.indexOf(',', a);
        if (b < 0 || b > e) throw new Error(`${origin}: row ${r + 1} has fewer than ${w} columns`);
        if (c === w - 1 && text.charCodeAt(b - 1) === 13) b--;
        // An empty field is a value that is not defined (docs/limits.md): NaN here, not Number('')'s 0.
        const v = b === a ? NaN : Number(text.slice(a, b));
        if (Number.isNaN(v) && b !== a && text.slice(a, b) !== 'NaN') throw new Error(`${origin}: row ${r + 1}, column ${header[c]} is not a number`);
        columns[c][r] = v;
        a = b + 1;
      }
      r++;
    }
    p = e + 1;
  }
  return {
    header,
    rows,
    columns,
    col(name: string): Float64Array {
      const k = header.indexOf(name);
      if (k < 0) throw new Error(`${origin}: no column "${name}" (columns: ${header.join(', ')})`);
      return columns[k];
    },
  };
}
