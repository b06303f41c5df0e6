/**
 * The window's-end exchange of a threaded run: the spikes in canonical order (parallel/spike-list.ts) against a
 * brute-force sort of the same spikes with the array's own sort, on lists with many equal times; and the shared
 * exchange's rounds (parallel/shared-exchange.ts) with slots smaller than a window's spikes.
 */
import { describe, expect, it } from 'vitest';
import { SpikeList, mergeLists, KEY_SPAN } from '../../src/parallel/spike-list.js';
import { PartitionAborted, SharedExchange, exchangeBuffers } from '../../src/parallel/shared-exchange.js';

const byCanon = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];
const pairs = (l: SpikeList) => Array.from({ length: l.n }, (_, k) => [l.t[k], l.key[k]] as [number, number]);

/** n spikes at times on a coarse grid (ties), keys over three populations, times nondecreasing as a partition's. */
function partitionLike(n: number, seed: number): [number, number][] {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const out: [number, number][] = [];
  let t = 0;
  for (let k = 0; k < n; k++) {
    if (rnd() < 0.4) t += Math.floor(rnd() * 3) * 0.25;
    out.push([t, Math.floor(rnd() * 3) * KEY_SPAN + Math.floor(rnd() * 1000)]);
  }
  return out;
}

describe('SpikeList', () => {
  it('sorts a partition\'s spikes into (t, population, neuron) order, growing as needed', () => {
    const spikes = partitionLike(3000, 7);
    const l = new SpikeList();
    for (const [t, key] of spikes) l.push(t, key);
    l.sort();
    expect(pairs(l)).toEqual([...spikes].sort(byCanon));
  });

  it('merges sorted lists of several partitions into the order of all of them sorted together', () => {
    for (const count of [1, 2, 3, 5]) {
      const lists = Array.from({ length: count }, (_, q) => {
        const l = new SpikeList();
        for (const [t, key] of partitionLike(500 + 97 * q, q + 1)) l.push(t, key);
        l.sort();
        return l;
      });
      const out = new SpikeList();
      out.push(99, 1); // cleared by the merge
      mergeLists(lists, out);
      expect(pairs(out)).toEqual(lists.flatMap(pairs).sort(byCanon));
    }
  });
});

describe('SharedExchange', () => {
  it('posts a window\'s spikes over as many rounds as its slots need, and hands them back whole and in order', () => {
    // One partition: the barrier lets it through at once, so the rounds run in this thread (the threads themselves
    // are tested through the command line, tests/cli/threads.test.ts).
    const ex = new SharedExchange(exchangeBuffers(1, 4), 0);
    const out = new SpikeList();
    for (const n of [0, 3, 4, 5, 11, 2]) {
      const own = new SpikeList();
      for (const [t, key] of partitionLike(n, n + 1)) own.push(t, key);
      own.sort();
      ex.gather(own, out);
      expect(pairs(out)).toEqual(pairs(own));
    }
  });
});

describe('a failed partition', () => {
  it('stops its partners at their next barrier instead of leaving them waiting for ever', () => {
    // Two partitions, the second never coming: partition 0 would wait at the barrier; the abort flag (set here as
    // a failing partner sets it) makes it throw PartitionAborted instead, within one poll (a hang would time out).
    const buffers = exchangeBuffers(2, 4);
    const mine = new SharedExchange(buffers, 0);
    new SharedExchange(buffers, 1).abort();
    expect(() => mine.gather(new SpikeList(), new SpikeList())).toThrow(PartitionAborted);
  });
});
