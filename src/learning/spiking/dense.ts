/** A projection's weights as a dense [pre][post] matrix (absent links 0; parallel synapses summed). */
import type { Projection } from '../../synapses/projection.js';

export function denseWeights(p: Projection): Float64Array {
  const nPost = p.target.size;
  const m = new Float64Array(p.source.size * nPost);
  const pre = p.synapsePre();
  for (let s = 0; s < p.count; s++) m[pre[s] * nPost + p.post[s]] += p.weight[s];
  return m;
}

/** The transpose of a dense rows x cols matrix. */
export function transpose(m: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(m.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = m[i * cols + j];
  return t;
}
