/**
 * Seeded random streams. All randomness in chronoprop goes through here (never Math.random).
 *
 * Each stream is an Alea generator from `seedrandom`, seeded by the string `${seed}/${stream}`. Streams are derived by
 * name (a population, a projection, a trial), so adding one stream never changes the numbers another one draws.
 * Generator state is a plain object (`state()`), so a run can be checkpointed and resumed.
 */
import seedrandom from 'seedrandom';

export const RNG_ALGORITHM = 'alea (seedrandom 3), streams seeded by "<seed>/<stream>"';

export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Exponential with the given mean (> 0). */
  exponential(mean: number): number;
  /** Standard normal (Box-Muller, one value per call; the second is discarded to keep state simple). */
  normal(): number;
  /** Integer uniform in [0, n). */
  int(n: number): number;
  /** Serializable generator state. */
  state(): object;
  /** Continues from a state that state() returned (a checkpoint's). */
  setState(state: object): void;
}

export function createRng(seed: number | string, stream: string, state?: object): Rng {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let prng = seedrandom.alea(`${seed}/${stream}`, { state: (state ?? true) as any });
  const u = (): number => prng();
  return {
    uniform: u,
    exponential: (mean) => -mean * Math.log(1 - u()),
    normal: () => {
      let a = u();
      while (a === 0) a = u();
      return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * u());
    },
    int: (n) => Math.floor(u() * n),
    state: () => (prng as unknown as { state(): object }).state(),
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    setState: (st) => (prng = seedrandom.alea(`${seed}/${stream}`, { state: st as any })),
  };
}
