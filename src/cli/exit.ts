/**
 * How every command-line entry point ends on an error: bad input (ScenarioError) prints one `error:` line per
 * problem and exits 2; a run stopped by SIGINT or SIGTERM at a checkpoint (RunInterrupted) says where it stopped and
 * how to continue, and exits 130 or 143; anything else prints its stack and exits 1.
 */
import { ScenarioError } from '../scenario/errors.js';
import { RunInterrupted } from '../scenario/interrupt.js';

export function exitOnError(e: unknown): never {
  if (e instanceof RunInterrupted) {
    console.error(`note: ${e.message}`);
    process.exit(e.exitCode);
  }
  if (e instanceof ScenarioError) {
    for (const p of e.problems) console.error(`error: ${p}`);
    process.exit(2);
  }
  console.error(`error: ${(e as Error).stack ?? e}`);
  process.exit(1);
}
