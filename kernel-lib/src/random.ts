// Seeded random numbers.
//
// Why not Math.random? A notebook must give the same numbers on every run and every machine, so
// that "the loss after 100 steps is 2.31" in the text is what the learner sees. Math.random can't
// be seeded. This generator uses only 32-bit integer arithmetic (Math.imul, shifts, xor), whose
// results are exactly specified by JavaScript, so a seed gives the same stream everywhere.
//
// The core is xoshiro128** (Blackman & Vigna): four 32-bit words of state, fast, and good enough
// statistically for initialisation, shuffling, dropout masks and sampling. The four words are
// filled from the seed with splitmix32, which spreads even seeds like 0, 1, 2 into unrelated states.

/** One step of splitmix32: returns [next state, output]. Used only to expand a seed. */
function splitmix32(state: number): [number, number] {
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [state, (z ^ (z >>> 16)) >>> 0];
}

export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  /** Box-Muller makes normals in pairs; the second one waits here for the next call. */
  private spare: number | null = null;

  /** `seed` is any integer (negative and values above 2^32 are fine). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new RangeError(`Rng: seed must be an integer, got ${seed}`);
    }
    // Fold the high bits in too, so seeds 1 and 2^32 + 1 differ.
    let state = (seed | 0) ^ Math.imul(Math.floor(seed / 4294967296) | 0, 0x27d4eb2f);
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, out] = splitmix32(state);
      state = next;
      words.push(out);
    }
    [this.s0, this.s1, this.s2, this.s3] = words;
    // All-zero state would stay zero forever; splitmix32 never gives four zeros, but be safe.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A uniformly random 32-bit unsigned integer (xoshiro128**). */
  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1), with 32 random bits. */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /**
   * Standard normal (mean 0, variance 1) by the Box-Muller transform: two uniforms u1, u2 give two
   * independent normals r·cos(θ) and r·sin(θ) with r = sqrt(-2 ln u1), θ = 2π u2.
   */
  normal(): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return z;
    }
    const u1 = 1 - this.next(); // in (0, 1]: log(0) would be -Infinity
    const u2 = this.next();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** Uniform integer in [0, n). (The bias of floor(next()·n) is below n / 2^32: negligible here.) */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296) {
      throw new RangeError(`Rng.int: n must be a positive integer up to 2^32, got ${n}`);
    }
    return Math.floor(this.next() * n);
  }

  /** Shuffles `a` in place (Fisher-Yates) and returns it. */
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
    return a;
  }

  /**
   * Draws index i with probability probs[i] / sum(probs). The weights need not sum to 1 (a
   * softmax output rarely sums to exactly 1 in floating point), but must be non-negative.
   */
  categorical(probs: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < probs.length; i++) {
      const p = probs[i];
      if (!(p >= 0) || !Number.isFinite(p)) {
        throw new RangeError(`Rng.categorical: probs[${i}] = ${p}; probabilities must be finite and >= 0`);
      }
      total += p;
    }
    if (!(total > 0)) {
      throw new RangeError(`Rng.categorical: probabilities sum to ${total}; need a positive sum (got ${probs.length} values)`);
    }
    const u = this.next() * total;
    let cumulative = 0;
    for (let i = 0; i < probs.length; i++) {
      cumulative += probs[i];
      if (u < cumulative) return i;
    }
    // Rounding can leave u just above the last cumulative sum: return the last index with p > 0.
    for (let i = probs.length - 1; i >= 0; i--) if (probs[i] > 0) return i;
    return probs.length - 1;
  }

  /**
   * A new, independent generator seeded from this one. Give each consumer (data shuffling,
   * dropout, sampling) its own fork so that adding a dropout layer does not change the batch order.
   */
  fork(): Rng {
    return new Rng(this.uint32() + 4294967296 * (this.uint32() & 0x1fffff));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

// A module-level generator for the factories (randn, uniform, dropout) when none is passed.
// It starts from a fixed seed, so notebooks are reproducible even without calling seed().
let defaultGenerator = new Rng(0);

/** Resets the default generator: `seed(42)` at the top of a notebook makes every run identical. */
export function seed(n: number): void {
  defaultGenerator = new Rng(n);
}

/** The generator used when an op or factory is not given one explicitly. */
export function defaultRng(): Rng {
  return defaultGenerator;
}
