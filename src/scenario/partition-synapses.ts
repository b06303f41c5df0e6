/**
 * A plastic projection's final weights after a threaded run (scenario/windowed.ts): each partition holds the
 * synapses onto its own neurons, in the order a whole network would hold them restricted to those (rows by
 * presynaptic neuron, each by delay, then postsynaptic neuron, then the order they were drawn: synapses/projection.ts).
 * Partitions own contiguous, increasing blocks of neurons, so the whole network's order is, row by row and delay by
 * delay, partition 0's synapses of that row and delay, then partition 1's, and so on: mergeSynapses rebuilds it, and
 * the weight files are the ones one thread writes.
 */
import type { Projection } from '../synapses/projection.js';

/** One partition's share of a projection: its delay groups (by presynaptic neuron), targets and weights. */
export interface PartitionSynapses {
  groupPtr: Int32Array;
  groupDelay: Float64Array;
  groupStart: Int32Array;
  post: Int32Array;
  weight: Float64Array;
}

/** A projection's synapses in storage order: presynaptic and postsynaptic neuron and weight (mV) of each. */
export interface SynapseTable {
  pre: Int32Array;
  post: Int32Array;
  weight: Float64Array;
}

export function partitionSynapses(p: Projection): PartitionSynapses {
  return { groupPtr: p.groupPtr, groupDelay: p.groupDelay, groupStart: p.groupStart, post: p.post, weight: p.weight };
}

/** The partitions' shares (in partition order) merged into the whole projection's order (see the header). */
export function mergeSynapses(parts: readonly PartitionSynapses[]): SynapseTable {
  const count = parts.reduce((n, q) => n + q.post.length, 0);
  const pre = new Int32Array(count);
  const post = new Int32Array(count);
  const weight = new Float64Array(count);
  const nPre = parts[0].groupPtr.length - 1;
  const at = new Int32Array(parts.length);
  let m = 0;
  for (let i = 0; i < nPre; i++) {
    parts.forEach((q, k) => (at[k] = q.groupPtr[i]));
    for (;;) {
      // The least delay still to merge in this row, then every partition's group of that delay, in partition order.
      let d = Infinity;
      parts.forEach((q, k) => {
        if (at[k] < q.groupPtr[i + 1] && q.groupDelay[at[k]] < d) d = q.groupDelay[at[k]];
      });
      if (d === Infinity) break;
      parts.forEach((q, k) => {
        if (!(at[k] < q.groupPtr[i + 1] && q.groupDelay[at[k]] === d)) return;
        const g = at[k]++;
        for (let s = q.groupStart[g]; s < q.groupStart[g + 1]; s++) {
          pre[m] = i;
          post[m] = q.post[s];
          weight[m] = q.weight[s];
          m++;
        }
      });
    }
  }
  return { pre, post, weight };
}
