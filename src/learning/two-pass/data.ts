/**
 * The two-pass data set (science.md claim 5): small, synthetic, fully known. 8 x 8 binary images, each one of
 * `templates` random binary s x s templates (label) drawn at one of the given shifts (pose), then every pixel
 * flipped with probability `flip` (the noise that makes examples differ; held-out examples are fresh draws).
 *
 *     x[(dy + r) * 8 + (dx + c)] = T_label[r * s + c]        (pose = index of the shift (dx, dy))
 *     x_i <- 1 - x_i with probability flip
 *
 * Templates: each pixel on with probability 1/2 (stream `two-pass/templates`), redrawn until every pair differs in
 * at least s pixels, so that labels are distinct at every shift. Pixels are in {0, 1} (unitless activities).
 */
import type { Rng } from '../../kernel/rng.js';

export const SIDE = 8;
/** Template draws before giving up (too many templates for their size). */
const MAX_DRAWS = 100000;

export interface TwoPassDataOptions {
  templates: number;
  template_size: number;
  /** Shifts (dx, dy) in pixels; the template must fit in the 8 x 8 image at each. */
  shifts: [number, number][];
  flip: number;
}

export interface Example {
  x: Float64Array;
  label: number;
  pose: number;
}

export function makeTemplates(o: TwoPassDataOptions, rng: Rng): Float64Array[] {
  const n = o.template_size * o.template_size;
  const hamming = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + (v !== b[i] ? 1 : 0), 0);
  const out: Float64Array[] = [];
  for (let tries = 0; out.length < o.templates; tries++) {
    if (tries === MAX_DRAWS) throw new Error(`settings.data: no ${o.templates} templates of ${o.template_size} x ${o.template_size} pixels differing pairwise in ${o.template_size} pixels found in ${MAX_DRAWS} draws`);
    const t = Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 1 : 0));
    if (out.every((u) => hamming(t, u) >= o.template_size)) out.push(t);
  }
  return out;
}

/** Problems with the data settings, one line each, before anything is drawn. */
export function dataProblems(o: TwoPassDataOptions): string[] {
  const s = o.template_size;
  return o.shifts.flatMap(([dx, dy], k) => (dx + s > SIDE || dy + s > SIDE ? [`settings.data.shifts[${k}]: (${dx}, ${dy}) puts a ${s} x ${s} template outside the 8 x 8 image`] : []));
}

/** The clean image of template `label` at shift `pose`. */
export function cleanImage(templates: Float64Array[], o: TwoPassDataOptions, label: number, pose: number): Float64Array {
  const s = o.template_size;
  const [dx, dy] = o.shifts[pose];
  if (dx < 0 || dy < 0 || dx + s > SIDE || dy + s > SIDE) throw new Error(`shift (${dx}, ${dy}) puts a ${s} x ${s} template outside the 8 x 8 image`);
  const x = new Float64Array(SIDE * SIDE);
  for (let r = 0; r < s; r++) for (let c = 0; c < s; c++) x[(dy + r) * SIDE + dx + c] = templates[label][r * s + c];
  return x;
}

/** `perClass` noisy examples of every (label, pose), in a fixed order, noise from `rng`. */
export function makeExamples(templates: Float64Array[], o: TwoPassDataOptions, perClass: number, rng: Rng): Example[] {
  const out: Example[] = [];
  for (let k = 0; k < perClass; k++) {
    for (let label = 0; label < templates.length; label++) {
      for (let pose = 0; pose < o.shifts.length; pose++) {
        const x = cleanImage(templates, o, label, pose);
        for (let i = 0; i < x.length; i++) if (rng.uniform() < o.flip) x[i] = 1 - x[i];
        out.push({ x, label, pose });
      }
    }
  }
  return out;
}
