/**
 * mathjs, loaded on first use. Importing it costs about 0.9 s of start-up (its module graph), which every command,
 * library import and worker thread would otherwise pay before doing anything, while only linear model equations,
 * their flows, the derivative filter's fit and the ridge readout use it. `require` through createRequire loads its
 * CommonJS build synchronously where it is first needed; the functions are the same as the ES module's.
 */
import { createRequire } from 'node:module';
import type * as MathJs from 'mathjs';

let loaded: typeof MathJs | null = null;

export function mathjs(): typeof MathJs {
  return (loaded ??= createRequire(import.meta.url)('mathjs') as typeof MathJs);
}
