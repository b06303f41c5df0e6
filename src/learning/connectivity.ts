/**
 * Connectivity masks for the rate-coded learners, stored [pre][post] like the weights (mask[i * nPost + j] = 1 if
 * pre i reaches post j).
 *
 * `sparseMasks(nPre, nPost, keep)` gives a forward mask (pre -> post) and a feedback mask (post -> pre, still
 * indexed [pre][post]) that never share a pair: each pair is forward-only with probability `keep`, feedback-only
 * with probability `keep`, and unlinked otherwise (keep <= 1/2). So each keeps about `keep` of the possible links,
 * and no neuron pair is linked in both directions (science.md claim 7). For the input layer, which receives no
 * feedback, only the forward mask is used.
 */
import type { Rng } from '../kernel/rng.js';

export interface MaskPair {
  forward: Uint8Array;
  feedback: Uint8Array;
}

export function sparseMasks(nPre: number, nPost: number, keep: number, rng: Rng): MaskPair {
  if (!(keep > 0 && keep <= 0.5)) throw new Error(`sparse keep fraction must be in (0, 0.5], got ${keep}`);
  const forward = new Uint8Array(nPre * nPost);
  const feedback = new Uint8Array(nPre * nPost);
  for (let k = 0; k < forward.length; k++) {
    const u = rng.uniform();
    if (u < keep) forward[k] = 1;
    else if (u < 2 * keep) feedback[k] = 1;
  }
  return { forward, feedback };
}
