/**
 * Renders a Vega-Lite spec to SVG headlessly: vega-lite compiles it to a Vega spec, and a Vega View with no
 * renderer (no DOM, no canvas) writes the SVG. Vega and Vega-Lite load on first use, so commands that draw nothing
 * never pay for them.
 *
 * The SVG is then made fit for inlining next to other figures in one HTML page: coordinates are rounded to 0.01 px
 * (Vega writes 15 significant digits, which doubles the size of a 20,000-mark raster), and element ids get a
 * per-figure prefix, since two inline SVGs in one document share one id space.
 */
import type { VlSpec } from './vl.js';

type Libs = { vega: typeof import('vega'); vl: typeof import('vega-lite') };
let libs: Promise<Libs> | null = null;

function load(): Promise<Libs> {
  libs ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vl]) => ({ vega, vl }));
  return libs;
}

const GEOMETRY_ATTR = / (d|transform|x|y|x1|y1|x2|y2|width|height)="([^"]*)"/g;

export function compactSvg(svg: string, idPrefix: string): string {
  return svg
    .replace(GEOMETRY_ATTR, (_, a: string, v: string) => ` ${a}="${v.replace(/(\.\d\d)\d+/g, '$1')}"`)
    .replace(/ id="([^"]+)"/g, ` id="${idPrefix}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${idPrefix}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${idPrefix}-$1"`);
}

/** SVG text of a Vega-Lite spec. */
export async function renderSvg(spec: VlSpec, idPrefix: string): Promise<string> {
  const { vega, vl } = await load();
  const compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return compactSvg(await view.toSVG(), idPrefix);
  } finally {
    view.finalize();
  }
}
