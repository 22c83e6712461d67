// Every generator takes a seed or an Rng. A number starts a fresh generator (the same data every
// run); an Rng continues one (several generators can share one stream, in a fixed order).
import { Rng } from "../random";

export type SeedLike = number | Rng;

export function toRng(seed: SeedLike): Rng {
  return seed instanceof Rng ? seed : new Rng(seed);
}

/**
 * n class labels in 0..classes-1, as equal in number as n allows (counts differ by at most 1), in
 * random order. Balanced classes make "accuracy 50%" mean "chance" without looking at the counts.
 */
export function balancedLabels(n: number, classes: number, rng: Rng): Int32Array {
  const labels = Array.from({ length: n }, (_, i) => i % classes);
  return Int32Array.from(rng.shuffle(labels));
}
