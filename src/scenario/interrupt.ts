/**
 * Cleanup on SIGINT and SIGTERM while files are being written: `cleanup` runs (it removes the partial folder), then
 * the process exits with the conventional code, 128 + the signal's number (130, 143), as it would have ended
 * without a handler but through process.exit, so that 'exit' listeners (the command line's progress bar) still run.
 * A host program with listeners of its own for the signal decides itself what happens next; only the cleanup is done
 * here. The handlers are there only while `work` runs: a simulation (synchronous) is never held up by them.
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
