// Hidden tests of notebook 13, "Project: "dog bites man" or "man bites dog"? Word order in speech"
// (see types.ts for how observers are used). The inputs are drawn at random: T from 1 to 20 steps,
// B from 1 to 6 sequences, F from 1 to 5 features (each with a level of its own), and numbers of
// segments from 1 to T (every case K = 1, K = T, one drawn between them, and one that does not
// divide T whenever T >= 3); the observer also reports whether the frames were left unchanged.
import type { Observers } from "./types";

export const observers: Observers = {
  "ch13-segment-means": (s, kl, rng) => {
    const T = 1 + rng.int(20), B = 1 + rng.int(6), F = 1 + rng.int(5);
    const level = Array.from({ length: F }, () => rng.uniform(-20, 20));
    const data = new Float64Array(T * B * F);
    for (let i = 0; i < data.length; i++) data[i] = level[i % F] + 3 * rng.normal();
    // K = 1, K = T, one drawn from 1 … T, and one that does not divide T (when T >= 3 has one).
    const nonDivisors = Array.from({ length: T }, (_, i) => i + 1).filter((K) => T % K !== 0);
    const Ks = [1, T, 1 + rng.int(T)];
    if (nonDivisors.length > 0) Ks.push(nonDivisors[rng.int(nonDivisors.length)]);
    return Ks.map((K) => {
      const frames = kl.fromFlat(data, [T, B, F]);
      const means = s.segmentMeans(frames, K);
      return { means, unchanged: frames.data.every((v: number, i: number) => Object.is(v, data[i])) };
    });
  },
};
