/**
 * Signals. Cleanup on SIGINT and SIGTERM while files are being written: `cleanup` runs (it removes the partial folder), then
 * the process exits with the conventional code, 128 + the signal's number (130, 143), as it would have ended
 * without a handler but through process.exit, so that 'exit' listeners (the command line's progress bar) still run.
 * A host program with listeners of its own for the signal decides itself what happens next; only the cleanup is done
 * here. The handlers are there only while `work` runs: a simulation (synchronous) is never held up by them.
 *
 * A run with checkpoints stops at its next safe point instead, with a checkpoint there (SignalLatch, RunInterrupted;
 * docs/checkpoint.md), so that a polite kill between two checkpoints loses nothing.
 */
import { constants } from 'node:os';

export async function cleanUpIfInterrupted<T>(cleanup: () => void, work: () => Promise<T>): Promise<T> {
  const onSignal = (sig: NodeJS.Signals): void => {
    cleanup();
    if (process.listenerCount(sig) === 1) process.exit(128 + constants.signals[sig as 'SIGINT' | 'SIGTERM']);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * The run stopped at a safe point on SIGINT or SIGTERM, after writing a checkpoint there (a run with
 * `--checkpoint-every`; runner.ts). `exitCode` is the signal's conventional one (130, 143); the command line exits
 * with it, and `chronoprop resume` continues from the checkpoint.
 */
export class RunInterrupted extends Error {
  readonly exitCode: number;

  constructor(
    readonly signal: 'SIGINT' | 'SIGTERM',
    /** Where the checkpoint was written: simulated ms or training examples done. */
    readonly position: number,
    readonly unit: string,
    /** The results folder the run writes (resume it with `chronoprop resume <out>`). */
    readonly out: string,
  ) {
    super(`interrupted by ${signal}: checkpoint written at ${position} ${unit === 'ms' ? 'simulated ms' : unit}; continue with \`chronoprop resume ${out}\``);
    this.name = 'RunInterrupted';
    this.exitCode = 128 + constants.signals[signal];
  }
}

/** Wall time between two turns of the event loop at safe points: how long a signal may wait to be seen (ms). */
export const SAFE_POINT_MS = 50;

/**
 * Holds SIGINT and SIGTERM for a run with checkpoints while it goes from safe point to safe point (runner.ts). A
 * synchronous simulation never lets a signal listener run; the run's loop therefore calls `turn` at each safe point
 * (between events or examples), which lets the event loop run once every SAFE_POINT_MS of wall time, so that a
 * signal that came is seen there: `take` gives it (and forgets it), and the caller writes a checkpoint and stops.
 *
 * `arm` installs the listeners (at the first safe point), `release` removes them (after the last, or when the run
 * ends): from then on the signals do what they did without checkpoints. A signal that came but was not taken (the
 * run ended first, or failed) is raised again on release, so the process ends as it would have; so is a second
 * signal while the first waits for a safe point (press Ctrl-C twice to stop at once).
 *
 * The race `release` closes: Node's own signal handler only notes a signal; the listeners run at the event loop's
 * next poll. A signal that arrived after the last turn was therefore lost when the listeners were removed (the run
 * ended with exit 0 and no checkpoint at the signal). `release` lets the loop poll first, so that such a signal
 * reaches `onSignal` and is raised again; only one that arrives in the few microseconds between that poll and the
 * removal can still be missed.
 */
export class SignalLatch {
  private pending: 'SIGINT' | 'SIGTERM' | null = null;
  private armed = false;
  private last = performance.now();

  private readonly onSignal = (sig: NodeJS.Signals): void => {
    if (this.pending === null) this.pending = sig as 'SIGINT' | 'SIGTERM';
    else this.detach();
  };

  arm(): void {
    if (this.armed) return;
    this.armed = true;
    this.last = performance.now();
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  /** Lets the event loop run once (signals are delivered there) if it has not for SAFE_POINT_MS. */
  async turn(): Promise<void> {
    if (performance.now() - this.last < SAFE_POINT_MS) return;
    await new Promise((done) => setImmediate(done));
    this.last = performance.now();
  }

  /** The signal that came, if any, now handled by the caller. */
  take(): 'SIGINT' | 'SIGTERM' | null {
    const s = this.pending;
    this.pending = null;
    return s;
  }

  /**
   * Removes the listeners once a signal the process already received has reached them; a signal that came and was
   * not taken is raised again.
   */
  async release(): Promise<void> {
    if (this.armed) await pollOnce();
    this.detach();
  }

  private detach(): void {
    if (this.armed) {
      process.off('SIGINT', this.onSignal);
      process.off('SIGTERM', this.onSignal);
      this.armed = false;
    }
    const s = this.take();
    if (s !== null) process.kill(process.pid, s);
  }
}

/**
 * Resolves after the event loop has polled at least once: two turns of setImmediate, since a first one set from
 * the poll phase runs in the same iteration's check phase, before any new poll, and a second one set from the
 * check phase runs only in the next iteration, after its poll (Node's event loop phases).
 */
async function pollOnce(): Promise<void> {
  await new Promise((done) => setImmediate(done));
  await new Promise((done) => setImmediate(done));
}
