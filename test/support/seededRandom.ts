// A small seeded PRNG (mulberry32): print the seed, replay the run.
export interface SeededRandom {
  seed: number;
  /** [0, 1) */
  next(): number;
  float(): number;
  /** 0 … n-1 */
  int(n: number): number;
  pick<T>(arr: readonly T[]): T;
  chance(p: number): boolean;
}

export function seededRandom(seed: number = Number(process.env.SEED) || (Date.now() ^ (Math.random() * 2 ** 31)) >>> 0): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed,
    next,
    float: next,
    int: (n) => Math.floor(next() * n),
    pick: (arr) => {
      if (arr.length === 0) throw new Error('pick from an empty array');
      return arr[Math.floor(next() * arr.length)];
    },
    chance: (p) => next() < p,
  };
}
