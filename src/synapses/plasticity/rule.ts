/**
 * The plasticity contract. A rule attaches to one projection: it sees each presynaptic arrival of a delay group
 * (before the group's weights are delivered) and each spike of the projection's target population, and changes
 * `projection.weight` in place. Its state lives in typed arrays, so a run can be checkpointed.
 */
import type { PreArrivalHook, Projection } from '../projection.js';
import type { SpikeListener } from '../../neurons/emitter.js';
import type { Checkpointable } from '../../kernel/state-io.js';

/** saveState/loadState: the rule's traces and anything else that changes in a run (the weights are the projection's). */
export interface PlasticRule extends PreArrivalHook, SpikeListener, Checkpointable {
  readonly name: string;
  readonly projection: Projection;
  /**
   * For a rule whose traces share a time origin (pair STDP: Traces): move it only when moveEpoch says, at a threaded
   * run's window ends (scenario/windowed.ts), as NeuronGroup.holdEpoch does for neurons. A rule without them cannot
   * run in partitions.
   */
  holdEpoch?(): void;
  moveEpoch?(t: number): void;
}

/**
 * Reverse index: for each postsynaptic neuron j, the synapses onto it, syn[ptr[j]] .. syn[ptr[j + 1] - 1], and the
 * delay group of each of those entries, group[k] for synapse syn[k]. Stored in the reverse order (not by synapse) so
 * that a postsynaptic spike reads both arrays sequentially.
 */
export interface ReverseIndex {
  ptr: Int32Array;
  syn: Int32Array;
  group: Int32Array;
}

export function reverseIndex(p: Projection): ReverseIndex {
  const nPost = p.target.size;
  const ptr = new Int32Array(nPost + 1);
  for (let s = 0; s < p.count; s++) ptr[p.post[s] + 1]++;
  for (let j = 0; j < nPost; j++) ptr[j + 1] += ptr[j];
  const fill = ptr.slice(0, nPost);
  const syn = new Int32Array(p.count);
  for (let s = 0; s < p.count; s++) syn[fill[p.post[s]]++] = s;
  // The same walk over s again (groups cover s in order), so entry k gets the group of syn[k].
  fill.set(ptr.subarray(0, nPost));
  const group = new Int32Array(p.count);
  for (let g = 0; g < p.nGroups; g++) {
    for (let s = p.groupStart[g]; s < p.groupStart[g + 1]; s++) group[fill[p.post[s]]++] = g;
  }
  return { ptr, syn, group };
}
