// Hidden tests of notebook 08, "Attention and the Transformer" (see types.ts for how observers are
// used). Sizes vary with the case (queries L, keys S, widths d and dv, lengths T, widths E, odd and
// even), so a function that only works for the notebook's shapes fails; the attention exercises are
// also observed through the tape (the gradients of a random weighting of the output), and attention
// with a causal mask and with a mask of another pattern (some keys hidden from some queries). The
// multi-head layer is observed at H heads of dh features (1 to 4 each), with and without the causal
// mask, its output, its head-averaged weights and the gradients reaching x and every parameter.
import type { Rng, Tensor } from "kernel-lib";
import type { Kl, Observers } from "./types";

const snapshot = (ts: Tensor[]) => ts.map((t) => Array.from(t.data));
const unchanged = (ts: Tensor[], before: number[][]) => ts.every((t, k) => t.data.length === before[k].length && before[k].every((v, i) => Object.is(t.data[i], v)));

/** The same numbers, requiring gradients (a leaf of the tape). */
const leaf = (kl: Kl, t: Tensor) => kl.fromFlat(t.data, t.shape, { requiresGrad: true });

/** An additive mask [L, S]: -Infinity where `hidden(t, s)`, else 0. */
function maskOf(kl: Kl, L: number, S: number, hidden: (t: number, s: number) => boolean): Tensor {
  const data = new Float64Array(L * S);
  for (let t = 0; t < L; t++) for (let s = 0; s < S; s++) data[t * S + s] = hidden(t, s) ? -Infinity : 0;
  return kl.fromFlat(data, [L, S]);
}

/** A mask that hides random keys from each query but always leaves each query one key (a padding-like pattern). */
function randomMask(kl: Kl, rng: Rng, L: number, S: number): Tensor {
  const keep = Array.from({ length: L }, () => rng.int(S));
  const hide = Array.from({ length: L * S }, () => rng.int(3) === 0);
  return maskOf(kl, L, S, (t, s) => s !== keep[t] && hide[t * S + s]);
}

/**
 * Calls `f` on leaves made of `inputs`; returns its result, whether it left its arguments as they
 * were, and the gradients of sum(g ⊙ result) for each input (when the result is on the tape and
 * has g's shape).
 */
function throughTape(kl: Kl, f: (...xs: Tensor[]) => unknown, inputs: Tensor[], g: Tensor, extra: Tensor[] = []) {
  const leaves = inputs.map((t) => leaf(kl, t));
  const args = [...leaves, ...extra];
  const before = snapshot(args);
  const out = f(...leaves);
  const argumentsUnchanged = unchanged(args, before);
  let gradients: unknown = "the result is not on the tape";
  if (out instanceof kl.Tensor && out.requiresGrad && out.shape.join() === g.shape.join()) {
    kl.sum(kl.mul(out, g)).backward();
    gradients = leaves.map((t) => t.grad);
  }
  return { out, argumentsUnchanged, gradients };
}

export const observers: Observers = {
  "ch08-attention-weights": (s, kl, rng, { case: c }) => {
    // d ≥ 2 and S ≠ d, so that no scaling, a scale by d and a scale by √S all differ from √d; the
    // second case is square (L = S), the others not necessarily.
    const d = 2 + rng.int(7), S = d + 1 + rng.int(4);
    const L = c === 1 ? S : 1 + rng.int(7);
    const q = kl.randn([L, d], rng).mul(1.5), k = kl.randn([S, d], rng);
    const g = kl.randn([L, S], rng);
    const r = throughTape(kl, (qq, kk) => s.attentionWeights(qq, kk), [q, k], g);
    return { weights: r.out, argumentsUnchanged: r.argumentsUnchanged, gradients: r.gradients };
  },

  "ch08-causal-mask": (s, kl, rng, { case: c }) => {
    // One length per size class, the class of the case first: 1-3, 4-11, 12-29.
    const lengths = [1 + rng.int(3), 4 + rng.int(8), 12 + rng.int(18)];
    const order = [c % 3, (c + 1) % 3, (c + 2) % 3];
    return order.map((i) => s.causalMask(lengths[i]));
  },

  "ch08-attention": (s, kl, rng, { case: c }) => {
    const d = 2 + rng.int(6), dv = 1 + rng.int(5);
    // Without a mask: queries and keys of different numbers.
    const L = 1 + rng.int(6), S = 1 + rng.int(7);
    const plain = throughTape(kl, (q, k, v) => s.attention(q, k, v), [kl.randn([L, d], rng), kl.randn([S, d], rng), kl.randn([S, dv], rng)], kl.randn([L, dv], rng));
    // With a mask: a causal one on self-attention (L = S = T), or in the middle case a mask of
    // another pattern on cross-attention.
    const T = 2 + rng.int(7);
    const [Lm, Sm] = c === 1 ? [2 + rng.int(5), 2 + rng.int(6)] : [T, T];
    const mask = c === 1 ? randomMask(kl, rng, Lm, Sm) : maskOf(kl, T, T, (t, u) => u > t);
    const masked = throughTape(kl, (q, k, v) => s.attention(q, k, v, mask), [kl.randn([Lm, d], rng), kl.randn([Sm, d], rng), kl.randn([Sm, dv], rng)], kl.randn([Lm, dv], rng), [mask]);
    return {
      output: plain.out, gradients: plain.gradients,
      maskedOutput: masked.out, maskedGradients: masked.gradients,
      argumentsUnchanged: plain.argumentsUnchanged && masked.argumentsUnchanged,
    };
  },

  "ch08-multihead": (s, kl, rng, { case: c }) => {
    // E = H·dh with H and dh in 1..4; the first case has at least two heads of at least two
    // features over at least two steps (so a scale by √E, heads cut wrongly and head 0's weights
    // alone all show), the others any sizes. Each case without a mask and with the causal one.
    const H = c === 0 ? 2 + rng.int(3) : 1 + rng.int(4);
    const dh = c === 0 ? 2 + rng.int(3) : 1 + rng.int(4);
    const E = H * dh, T = c === 0 ? 2 + rng.int(5) : 1 + rng.int(6), B = 1 + rng.int(3);
    const w: Record<string, Tensor> = {
      in_proj_weight: kl.randn([3 * E, E], rng).mul(0.5),
      in_proj_bias: kl.randn([3 * E], rng).mul(0.2),
      "out_proj.weight": kl.randn([E, E], rng).mul(0.4),
      "out_proj.bias": kl.randn([E], rng).mul(0.2),
    };
    const names = Object.keys(w);
    const observe = (mask: Tensor | undefined) => {
      const x = leaf(kl, kl.randn([T, B, E], rng));
      const params: Record<string, Tensor> = Object.fromEntries(names.map((n) => [n, leaf(kl, w[n])]));
      const args = [x, ...names.map((n) => params[n]), ...(mask ? [mask] : [])];
      const before = snapshot(args);
      const r = mask ? s.multiheadFromOps(x, params, H, mask) : s.multiheadFromOps(x, params, H);
      const argumentsUnchanged = unchanged(args, before);
      const g = kl.randn([T, B, E], rng), gw = kl.randn([B, T, T], rng);
      const output = r !== null && typeof r === "object" ? r.output : r;
      const weights = r !== null && typeof r === "object" ? r.weights : undefined;
      let gradients: unknown = "the result is not on the tape";
      if (output instanceof kl.Tensor && weights instanceof kl.Tensor && output.requiresGrad && weights.requiresGrad
        && output.shape.join() === g.shape.join() && weights.shape.join() === gw.shape.join()) {
        kl.add(kl.sum(kl.mul(output, g)), kl.sum(kl.mul(weights, gw))).backward();
        gradients = [x.grad, ...names.map((n) => params[n].grad)];
      }
      return { output, weights, gradients, argumentsUnchanged };
    };
    return { plain: observe(undefined), causal: observe(maskOf(kl, T, T, (t, u) => u > t)) };
  },

  "ch08-sinusoidal": (s, kl, rng, { case: c }) => {
    // An even width, an odd width, and one of either; lengths up to 60 (angles of many turns).
    const E = c === 0 ? 2 * (1 + rng.int(16)) : c === 1 ? 3 + 2 * rng.int(10) : 1 + rng.int(40);
    const T = 1 + rng.int(60);
    return [s.sinusoidalEncoding(T, E), s.sinusoidalEncoding(1 + rng.int(3), 2 + rng.int(6))];
  },

  "ch08-cost": (s, kl, rng, { case: c }) => {
    // Short and long sequences, narrow and wide layers, on both sides of the crossover n = 2d.
    const sizes: [number, number][] = Array.from({ length: 6 }, (_, i) => {
      const d = 1 + rng.int(i % 2 === 0 ? 64 : 512);
      const n = 1 + rng.int(c === 2 ? 4096 : 4 * d);
      return [n, d];
    });
    return sizes.map(([n, d]) => {
      const r = s.multiplyAdds(n, d);
      return r !== null && typeof r === "object" ? { lstm: r.lstm, attention: r.attention } : r;
    });
  },
};
