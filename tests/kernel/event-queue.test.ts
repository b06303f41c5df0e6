/** The queue's total order (time, phase, insertion) against a brute-force sort of the same events. */
import { describe, expect, it } from 'vitest';
import { EventQueue, Phase } from '../../src/kernel/event-queue.js';
import { createRng } from '../../src/kernel/rng.js';

describe('EventQueue', () => {
  it('pops hand-placed simultaneous events by phase, then by insertion order', () => {
    const q = new EventQueue(2); // tiny capacity: exercises growth too
    q.push(5, Phase.SAMPLE, 0, 1, 0);
    q.push(5, Phase.SPIKE, 0, 2, 0);
    q.push(5, Phase.DELIVER, 0, 3, 0);
    q.push(1, Phase.SAMPLE, 0, 4, 0);
    q.push(5, Phase.DELIVER, 0, 5, 0);
    q.push(5, Phase.SPIKE, 0, 6, 0);
    const order: number[] = [];
    while (q.length > 0) order.push(q.a[q.pop()]);
    expect(order).toEqual([4, 3, 5, 2, 6, 1]);
  });

  it('matches a stable sort on (time, phase) for random events with many ties', () => {
    const rng = createRng(3, 'queue');
    const q = new EventQueue(4);
    const ref: { t: number; p: number; id: number }[] = [];
    let id = 0;
    let popped: number[] = [];
    const expected: number[] = [];
    for (let round = 0; round < 50; round++) {
      for (let k = 0; k < 40; k++) {
        const t = Math.floor(rng.uniform() * 10) + 10 * round; // coarse times: many exact ties
        const p = rng.int(3) as 0 | 1 | 2;
        q.push(t, p, 0, id, 0);
        ref.push({ t, p, id: id++ });
      }
      // Pop half, interleaving pushes and pops as a simulation does.
      for (let k = 0; k < 20; k++) popped.push(q.a[q.pop()]);
    }
    while (q.length > 0) popped.push(q.a[q.pop()]);
    // The reference is not a global sort (pops interleave pushes), so replay it with a plain array.
    const pending: typeof ref = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let k = 0; k < 40; k++) pending.push(ref[next++]);
      for (let k = 0; k < 20; k++) expected.push(takeMin(pending));
    }
    while (pending.length > 0) expected.push(takeMin(pending));
    expect(popped).toEqual(expected);
    popped = [];
  });
});

function takeMin(xs: { t: number; p: number; id: number }[]): number {
  let best = 0;
  for (let k = 1; k < xs.length; k++) {
    const a = xs[k];
    const b = xs[best];
    if (a.t < b.t || (a.t === b.t && (a.p < b.p || (a.p === b.p && a.id < b.id)))) best = k;
  }
  return xs.splice(best, 1)[0].id;
}
