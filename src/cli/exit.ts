/**
 * How every command-line entry point ends on an error: bad input (ScenarioError) prints one `error:` line per
 * problem and exits 2; anything else prints its stack and exits 1.
 */
import { ScenarioError } from '../scenario/errors.js';

export function exitOnError(e: unknown): never {
  if (e instanceof ScenarioError) {
    for (const p of e.problems) console.error(`error: ${p}`);
    process.exit(2);
  }
  console.error(`error: ${(e as Error).stack ?? e}`);
  process.exit(1);
}
