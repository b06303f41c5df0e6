/**
 * Memory accounting for benchmarks: the bytes a network keeps in typed arrays, by part.
 *
 *     synapse_bytes    = typed arrays reachable from the projections (CSR rows, delay groups, targets, weights)
 *     plasticity_bytes = typed arrays reachable from the plasticity rules (traces, reverse index)
 *     bytes_per_synapse = (synapse_bytes + plasticity_bytes) / synapses
 *
 * Counting walks each part's own fields (objects, arrays, typed arrays) and adds the byteLength of every distinct
 * ArrayBuffer once, so views sharing a buffer are not counted twice and a view counts its whole buffer (what is
 * held). The walk never follows a reference into another part (the simulation, a population, a recorder), so a
 * rule's pointer to its projection adds nothing. JS objects and arrays of numbers are not counted: the hot state of
 * chronoprop lives in typed arrays by design. This is an account for benchmarks, not a heap profile: compare it with
 * the process's peak resident memory.
 */
import type { Network } from './network.js';

export interface MemoryAccount {
  synapses: number;
  synapse_bytes: number;
  plasticity_bytes: number;
  neuron_bytes: number;
  queue_bytes: number;
  bytes_per_synapse: number;
}

/**
 * Bytes in the distinct ArrayBuffers reachable from `roots` through own fields, arrays, Maps and Sets, never
 * entering an object in `stop` (other than a root itself). `seen` carries buffers already counted across calls.
 */
export function typedArrayBytes(
  roots: Iterable<object>,
  stop: ReadonlySet<object> = new Set(),
  seen: Set<ArrayBufferLike> = new Set(),
): number {
  let bytes = 0;
  const visited = new Set<object>();
  const walk = (v: unknown, isRoot: boolean): void => {
    if (v === null || typeof v !== 'object') return;
    if (ArrayBuffer.isView(v)) {
      if (!seen.has(v.buffer)) {
        seen.add(v.buffer);
        bytes += v.buffer.byteLength;
      }
      return;
    }
    if (v instanceof ArrayBuffer) {
      if (!seen.has(v)) {
        seen.add(v);
        bytes += v.byteLength;
      }
      return;
    }
    if (visited.has(v) || (!isRoot && stop.has(v))) return;
    visited.add(v);
    const children = v instanceof Map || v instanceof Set ? v.values() : Object.values(v);
    for (const c of children) walk(c, false);
  };
  for (const r of roots) walk(r, true);
  return bytes;
}

/** The typed-array bytes of a built network, by part (see the header). */
export function networkMemory(net: Network): MemoryAccount {
  const parts: object[] = [
    net.sim,
    ...net.emitters.values(),
    ...net.projections.values(),
    ...net.rules.values(),
    ...net.spikes.values(),
    ...net.state,
    ...net.weights,
  ];
  const stop = new Set<object>(parts);
  const seen = new Set<ArrayBufferLike>();
  const synapse_bytes = typedArrayBytes(net.projections.values(), stop, seen);
  const plasticity_bytes = typedArrayBytes(net.rules.values(), stop, seen);
  const neuron_bytes = typedArrayBytes(net.populations.values(), stop, seen);
  const queue_bytes = typedArrayBytes([net.sim.queue], stop, seen);
  let synapses = 0;
  for (const p of net.projections.values()) synapses += p.count;
  return {
    synapses,
    synapse_bytes,
    plasticity_bytes,
    neuron_bytes,
    queue_bytes,
    bytes_per_synapse: synapses > 0 ? (synapse_bytes + plasticity_bytes) / synapses : 0,
  };
}
