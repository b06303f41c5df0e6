/**
 * The discrete-event loop. It knows no neuron and no rule: it pops timestamped events in (time, phase, seq) order and
 * hands each to the receiver that was registered for it (a population, a projection, a source, a recorder).
 *
 * Time runs over the half-open interval [0, duration): an event at exactly `tEnd` is left in the queue, so running
 * [0, a) and then [a, b) is the same as running [0, b).
 *
 * An event-rate limit (limitEventRate) stops runaway activity: events (popped and claimed) are counted in windows
 * of at least `windowEvents`; a window whose events per ms of simulated time exceed the limit is followed at once by
 * a diagnostic window that counts events per receiver, and if that one exceeds it too, `onExceeded` is called with
 * those counts (it is expected to throw). Checks happen only between chunks of `chunkEvents` events, so the loop
 * itself does no more than count; claims are capped at `chunkEvents` per chunk so that a chunk always ends.
 */
import { TIME_ZERO_MS } from './units.js';
import { EventQueue, type Phase } from './event-queue.js';
import { CheckpointMismatch, type StateReader, type StateWriter } from './state-io.js';

export interface EventReceiver {
  /** Handles one popped event; `a` and `b` are the integer payload the receiver scheduled it with. */
  handleEvent(t: number, a: number, b: number): void;
}

export class Simulation {
  readonly queue = new EventQueue();
  private receivers: EventReceiver[] = [];
  /** Time of the event being handled (ms). */
  now = TIME_ZERO_MS;
  /** Events handled so far. */
  eventsHandled = 0;
  /** End of the run in progress (runUntil's tEnd); -Infinity outside a run. */
  private runEnd = -Infinity;
  /** Claims still allowed in the current chunk (claimNext). */
  private claimsLeft = Infinity;
  /** Claims so far (counted in eventsHandled too). */
  private claims = 0;
  /** The event-rate limit: events per ms, the least events per window, what to call when exceeded. */
  private rateLimit: { perMs: number; windowEvents: number; onExceeded: (e: RateExceeded) => void } | null = null;
  /** The current window: its start time and the events handled before it. */
  private windowT = TIME_ZERO_MS;
  private windowStartEvents = 0;

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
   * For a receiver that keeps its own time-ordered stream of pending events and holds only the stream's head in the
   * queue (a spike source): it takes an insertion number where it would have scheduled an event (reserve), and
   * queues the head under the number taken for it (scheduleReserved). Ties then pop exactly as if every event of
   * the stream had been scheduled on its own, provided the stream is in (time, insertion) order.
   */
  reserve(): number {
    return this.queue.reserve();
  }

  scheduleReserved(t: number, phase: Phase, seq: number, target: number, a: number, b: number): void {
    if (!(t >= this.now)) throw new Error(`event scheduled in the past: t=${t} < now=${this.now}`);
    this.queue.pushReserved(t, phase, seq, target, a, b);
  }

  /**
   * Lets a receiver that keeps its own pending times (a population's heap) handle its next one, at t, at once
   * instead of queueing it and popping it straight back: allowed only when t comes strictly before every queued
   * event and before the end of the run, so the order is exactly the one the queue would give. On true, `now` is t
   * and the event counts as handled.
   */
  claimNext(t: number): boolean {
    if (!(t < this.runEnd && t < this.queue.peekTime()) || this.claimsLeft <= 0) return false;
    this.claimAt(t);
    return true;
  }

  /**
   * claimNext for an event whose insertion number was taken earlier (reserve): allowed also at the time of the
   * queue's first event when (phase, seq) puts it first among them, which is again exactly the queue's order. A
   * source whose stream shares a time grid with another's takes its spikes at each grid time this way, instead of
   * queueing each one and popping it straight back.
   */
  claimNextReserved(t: number, phase: Phase, seq: number): boolean {
    if (!(t < this.runEnd && this.queue.precedesHead(t, phase, seq)) || this.claimsLeft <= 0) return false;
    this.claimAt(t);
    return true;
  }

  /** A claim granted at t: the clock moves there and the event counts as handled. */
  private claimAt(t: number): void {
    this.claimsLeft--;
    this.claims++;
    this.now = t;
    this.eventsHandled++;
  }

  /**
   * Counts an event that a receiver handled at once instead of queueing it at the time being handled and popping
   * it straight back (a delivery without delay from a spike source: Projection.onSpike). It counts as a claim.
   */
  countAtOnce(): void {
    this.claims++;
    this.eventsHandled++;
  }

  /**
   * Stops runs whose events come faster than `perMs` per ms of simulated time, measured over windows of at least
   * `windowEvents` events (see the header). `onExceeded` gets the diagnostic window's counts per receiver (indexed
   * by target id), its events and its span in ms; it should throw, or the run goes on.
   */
  limitEventRate(perMs: number, windowEvents: number, onExceeded: (e: RateExceeded) => void): void {
    this.rateLimit = { perMs, windowEvents, onExceeded };
  }

  /**
   * The kernel's state between runs (checkpoints): the clock, the counters, the event-rate window and the queue.
   * Receivers are not part of it: a network built from the same scenario registers the same ones in the same order.
   */
  saveState(w: StateWriter): void {
    if (this.runEnd !== -Infinity) throw new Error('Simulation.saveState: only between runs (runUntil)');
    w.num('now', this.now);
    w.num('eventsHandled', this.eventsHandled);
    w.num('claims', this.claims);
    w.num('windowT', this.windowT);
    w.num('windowStartEvents', this.windowStartEvents);
    w.num('receivers', this.receivers.length);
    this.queue.saveState(w.scope('queue'));
  }

  loadState(r: StateReader): void {
    const n = r.num('receivers');
    if (n !== this.receivers.length) throw new CheckpointMismatch(`${n} event receivers saved, the network has ${this.receivers.length}`);
    this.now = r.num('now');
    this.eventsHandled = r.num('eventsHandled');
    this.claims = r.num('claims');
    this.windowT = r.num('windowT');
    this.windowStartEvents = r.num('windowStartEvents');
    this.queue.loadState(r.scope('queue'));
  }

  /** The receiver registered under a target id. */
  receiver(target: number): EventReceiver {
    return this.receivers[target];
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
    this.claimsLeft = chunkEvents;
    while (queue.length > 0 && queue.peekTime() < tEnd) {
      const h = queue.pop();
      const t = queue.time[h];
      this.now = t;
      receivers[queue.target[h]].handleEvent(t, queue.a[h], queue.b[h]);
      handled++;
      if (++sinceChunk === chunkEvents) {
        sinceChunk = 0;
        this.claimsLeft = chunkEvents;
        if (this.rateLimit !== null && this.overRate(t, handled)) handled += this.diagnose(tEnd);
        if (onChunk !== undefined) onChunk(t);
      }
    }
    this.eventsHandled += handled;
    this.runEnd = -Infinity;
    this.claimsLeft = Infinity;
    this.now = tEnd;
  }

  /** Events handled so far in this run (popped, `handled`) and before it, claims included. */
  private eventsSoFar(handled: number): number {
    return this.eventsHandled + handled;
  }

  /** At a chunk's end: closes the window once it holds enough events; true if it was over the limit. */
  private overRate(t: number, handled: number): boolean {
    const { perMs, windowEvents } = this.rateLimit!;
    const events = this.eventsSoFar(handled) - this.windowStartEvents;
    if (events < windowEvents) return false;
    const over = events > perMs * (t - this.windowT);
    this.windowT = t;
    this.windowStartEvents += events;
    return over;
  }

  /**
   * The diagnostic window: the same loop, counting events per receiver (a claim counts for the receiver whose event
   * was being handled). Returns the events popped. If the window's rate is over the limit, calls onExceeded.
   */
  private diagnose(tEnd: number): number {
    const { queue, receivers } = this;
    const { perMs, windowEvents, onExceeded } = this.rateLimit!;
    const counts = new Float64Array(receivers.length);
    const t0 = this.windowT;
    let popped = 0;
    let events = 0;
    while (events < windowEvents && queue.length > 0 && queue.peekTime() < tEnd) {
      const h = queue.pop();
      const t = queue.time[h];
      const target = queue.target[h];
      const c0 = this.claims;
      this.now = t;
      this.claimsLeft = windowEvents;
      receivers[target].handleEvent(t, queue.a[h], queue.b[h]);
      popped++;
      counts[target] += 1 + this.claims - c0;
      events += 1 + this.claims - c0;
    }
    this.windowT = this.now;
    this.windowStartEvents += events;
    if (events >= windowEvents && events > perMs * (this.now - t0)) {
      this.eventsHandled += popped;
      this.runEnd = -Infinity;
      onExceeded({ counts, events, fromMs: t0, toMs: this.now });
      this.eventsHandled -= popped; // onExceeded returned: the run goes on, and runUntil adds them
      this.runEnd = tEnd;
    }
    return popped;
  }
}

/** A window over the event-rate limit: events per receiver (by target id), in all, over [fromMs, toMs]. */
export interface RateExceeded {
  counts: Float64Array;
  events: number;
  fromMs: number;
  toMs: number;
}
