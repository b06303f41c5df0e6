/**
 * The discrete-event loop. It knows no neuron and no rule: it pops timestamped events in (time, phase, seq) order and
 * hands each to the receiver that was registered for it (a population, a projection, a source, a recorder).
 *
 * Time runs over the half-open interval [0, duration): an event at exactly `tEnd` is left in the queue, so running
 * [0, a) and then [a, b) is the same as running [0, b).
 */
import { EventQueue, type Phase } from './event-queue.js';

export interface EventReceiver {
  /** Handles one popped event; `a` and `b` are the integer payload the receiver scheduled it with. */
  handleEvent(t: number, a: number, b: number): void;
}

export class Simulation {
  readonly queue = new EventQueue();
  private receivers: EventReceiver[] = [];
  /** Time of the event being handled (ms). */
  now = 0;
  /** Events handled so far. */
  eventsHandled = 0;
  /** End of the run in progress (runUntil's tEnd); -Infinity outside a run. */
  private runEnd = -Infinity;

  /** Registers a receiver and returns the target id it schedules its events with. */
  register(receiver: EventReceiver): number {
    this.receivers.push(receiver);
    return this.receivers.length - 1;
  }

  schedule(t: number, phase: Phase, target: number, a: number, b: number): void {
    if (!(t >= this.now)) throw new Error(`event scheduled in the past: t=${t} < now=${this.now}`);
    this.queue.push(t, phase, target, a, b);
  }

  /**
   * Lets a receiver that keeps its own pending times (a population's heap) handle its next one, at t, at once
   * instead of queueing it and popping it straight back: allowed only when t comes strictly before every queued
   * event and before the end of the run, so the order is exactly the one the queue would give. On true, `now` is t
   * and the event counts as handled.
   */
  claimNext(t: number): boolean {
    if (!(t < this.runEnd && t < this.queue.peekTime())) return false;
    this.now = t;
    this.eventsHandled++;
    return true;
  }

  /**
   * Handles every event with time < tEnd. `onChunk(now)` is called every `chunkEvents` events (progress bars,
   * checkpoints); it must not schedule anything.
   */
  runUntil(tEnd: number, onChunk?: (now: number) => void, chunkEvents = 1 << 16): void {
    const { queue, receivers } = this;
    let sinceChunk = 0;
    let handled = 0;
    this.runEnd = tEnd;
    while (queue.length > 0 && queue.peekTime() < tEnd) {
      const h = queue.pop();
      const t = queue.time[h];
      this.now = t;
      receivers[queue.target[h]].handleEvent(t, queue.a[h], queue.b[h]);
      handled++;
      if (onChunk !== undefined && ++sinceChunk === chunkEvents) {
        sinceChunk = 0;
        onChunk(t);
      }
    }
    this.eventsHandled += handled;
    this.runEnd = -Infinity;
    this.now = tEnd;
  }
}
