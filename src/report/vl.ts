/**
 * What every chronoprop figure spec shares: the Vega-Lite schema, the look (config) and stable colors. Each spec is
 * self-contained (data inline, config inline), so figures/<name>.vl.json opens as it is in the Vega editor, in
 * Python (`altair.Chart.from_dict(json.load(f))`) or in a notebook, and renders the same as in the report.
 */

export type VlSpec = Record<string, unknown>;

/** A standard figure: the file stem under figures/ and its spec. */
export interface Figure {
  name: string;
  spec: VlSpec;
}

export const WIDTH = 820;

export const CONFIG = {
  font: 'Helvetica Neue, Helvetica, Arial, sans-serif',
  background: 'white',
  padding: 8,
  // No ARIA attributes per mark: a raster of 20,000 spikes would otherwise carry 20,000 text labels.
  aria: false,
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#eee', domainColor: '#888', tickColor: '#888' },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' },
  title: { fontSize: 14, anchor: 'start', offset: 10 },
  header: { labelFontSize: 12, titleFontSize: 12 },
};

/** Colors by population or projection name, the same in every figure of a report. */
export function colorScale(domain: string[]): VlSpec {
  return { domain, scheme: 'tableau10' };
}

export function baseSpec(title: string, description: string, values: unknown[]): VlSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    description,
    config: CONFIG,
    data: { values },
  };
}

/** Title text of any spec (string, array of lines or {text}), for captions. */
export function specTitle(spec: VlSpec): string {
  const t = spec.title as unknown;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.join(' ');
  if (t && typeof t === 'object' && 'text' in t) return specTitle({ title: (t as { text: unknown }).text });
  return '';
}
