/**
 * Simulation.limitEventRate: a window of events faster than the limit (in simulated time) calls onExceeded with the
 * events per receiver, after a diagnostic window that confirms it; a finite burst does not; claims count, and are
 * capped per chunk, so that a receiver claiming forever still reaches a chunk's end. The receivers stop on their
 * own after a million events, so that a broken limit fails these tests instead of hanging them.
 */
import { describe, expect, it } from 'vitest';
import { Simulation, type EventReceiver, type RateExceeded } from '../../src/kernel/simulation.js';
import { Phase } from '../../src/kernel/event-queue.js';

const CAP = 1_000_000;

/** Reschedules itself `dt` later until it has handled `n` events; counts them. */
class Ticker implements EventReceiver {
  readonly id: number;
  handled = 0;
  constructor(private readonly sim: Simulation, private readonly dt: (k: number) => number, private readonly n = CAP) {
    this.id = sim.register(this);
  }
  handleEvent(t: number): void {
    if (++this.handled < this.n) this.sim.schedule(t + this.dt(this.handled), Phase.SPIKE, this.id, 0, 0);
  }
}

/** Runs to tEnd; the first RateExceeded, if any (onExceeded throws it, as the network's does). */
function run(sim: Simulation, tEnd: number): RateExceeded | null {
  try {
    sim.runUntil(tEnd);
    return null;
  } catch (e) {
    if ((e as { counts?: unknown }).counts) return e as RateExceeded;
    throw e;
  }
}

const limited = (perMs: number, window = 1000) => {
  const sim = new Simulation();
  sim.limitEventRate(perMs, window, (e) => {
    throw e;
  });
  return sim;
};

describe('limitEventRate', () => {
  it('stops a receiver whose events stand still in time, naming it by its counts', () => {
    const sim = limited(10);
    const quiet = new Ticker(sim, () => 1, 50); // 50 events, 1 ms apart
    const loop = new Ticker(sim, () => 0);
    sim.schedule(0, Phase.SPIKE, quiet.id, 0, 0);
    sim.schedule(5, Phase.SPIKE, loop.id, 0, 0);
    const e = run(sim, 100);
    expect(e).not.toBeNull();
    expect(loop.handled).toBeLessThan(CAP);
    expect(e!.toMs).toBe(5);
    expect(e!.fromMs).toBe(5); // the diagnostic window: all at t = 5
    expect(e!.counts[loop.id]).toBe(e!.events);
    expect(e!.counts[quiet.id]).toBe(0);
  });

  it('stops events that advance, but faster than the limit; lets them run under it', () => {
    const fast = limited(10);
    const a = new Ticker(fast, () => 0.01, 200_000); // 100 events per ms
    fast.schedule(0, Phase.SPIKE, a.id, 0, 0);
    const e = run(fast, 1e9);
    expect(e).not.toBeNull();
    expect(e!.events / (e!.toMs - e!.fromMs)).toBeCloseTo(100, 6);
    const slow = limited(200);
    const b = new Ticker(slow, () => 0.01, 200_000);
    slow.schedule(0, Phase.SPIKE, b.id, 0, 0);
    expect(run(slow, 1e9)).toBeNull();
    expect(b.handled).toBe(200_000);
  });

  it('lets a finite burst through: windows hold at least windowEvents events', () => {
    // 5000 events at t = 1 (a synchronous volley), then one per ms: under the window of 10^4 events, never tripped.
    const sim = limited(10, 10_000);
    const r = new Ticker(sim, (k) => (k < 5000 ? 0 : 1), 70_000);
    sim.schedule(1, Phase.SPIKE, r.id, 0, 0);
    expect(run(sim, 1e9)).toBeNull();
    expect(r.handled).toBe(70_000);
  });

  it('counts claims, and caps them per chunk so that a receiver that only claims reaches a chunk end', () => {
    const sim = limited(10);
    let claimed = 0;
    const claimer: EventReceiver = {
      // Claims its next event at the same time while allowed (as a population handling due neurons at once), and
      // queues it when a claim is refused (as a population requeues).
      handleEvent(t: number) {
        while (claimed < CAP && sim.claimNext(t)) claimed++;
        if (claimed < CAP) sim.schedule(t, Phase.SPIKE, id, 0, 0);
      },
    };
    const id = sim.register(claimer);
    sim.schedule(0, Phase.SPIKE, id, 0, 0);
    const e = run(sim, 100);
    expect(e).not.toBeNull();
    expect(claimed).toBeLessThan(CAP);
    expect(e!.counts[id]).toBe(e!.events);
  });
});
