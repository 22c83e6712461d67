// How much of a loss's gradient reaches each time step: the curve the course draws to show
// gradients vanishing through a tanh RNN (04), surviving along an LSTM's cell (05), and the three
// cells side by side (06).
//
//   const g = kl.metrics.gradientByStep(lstm, xs);   // xs [T, B, I]
//   g.h[t] = ‖∂L/∂h_t‖, g.c[t] = ‖∂L/∂c_t‖ (LSTM), g.x[t] = ‖∂L/∂x_t‖, g.distance[t] = T − 1 − t
//
// The loss sits on the last step only, L = Σ_b v_b · h_{T,b} with v a fixed random direction
// (seeded), so everything that reaches step t has travelled T − 1 − t steps back. Norms are
// Frobenius norms over the batch. The layer's parameters keep the gradients they had before.
import { mul, sum } from "../ops";
import { Rng } from "../random";
import { Tensor, fromFlat, randn } from "../tensor";
import { shapeStr } from "../errors";
import type { GRU, LSTM, RNN } from "../nn/recurrent";

export interface GradientByStep {
  /** ‖∂L/∂h_t‖ for t = 0 .. T−1 (the last layer's hidden state). */
  h: number[];
  /** ‖∂L/∂c_t‖, for an LSTM (its cell state); absent for RNN and GRU. */
  c?: number[];
  /** ‖∂L/∂x_t‖: what reaches the input at step t. */
  x: number[];
  /** T − 1 − t: how many steps back the gradient travelled to reach step t. */
  distance: number[];
}

export interface GradientByStepOptions {
  /** Seed of the loss's random direction v (default 0). */
  seed?: number;
}

function norm(t: Tensor | null, what: string): number {
  if (t === null) throw new Error(`gradientByStep: no gradient reached ${what}`);
  let s = 0;
  for (let i = 0; i < t.size; i++) s += t.data[i] * t.data[i];
  return Math.sqrt(s);
}

/** The gradient of a last-step loss at every step of `layer` run on `x` [T, B, I] (see above). */
export function gradientByStep(layer: RNN | LSTM | GRU, x: Tensor, options: GradientByStepOptions = {}): GradientByStep {
  if (x.rank !== 3) throw new RangeError(`gradientByStep: x has shape ${shapeStr(x.shape)}, expected [seqLen,batch,${layer.inputSize}]`);
  const [T, B, I] = x.shape;
  const input = fromFlat(x.data, x.shape, { requiresGrad: true });
  const params = layer.parameters();
  const before = params.map((p) => p.grad);
  for (const p of params) p.grad = null;
  try {
    const out: { hs: Tensor[]; cs?: Tensor[] } = layer.forward(input);
    for (const h of out.hs) h.retainGrad();
    for (const c of out.cs ?? []) c.retainGrad();
    const v = randn([B, layer.hiddenSize], new Rng(options.seed ?? 0));
    sum(mul(out.hs[T - 1], v)).backward();
    const stepNorm = (t: number) => {
      let s = 0;
      for (let i = t * B * I; i < (t + 1) * B * I; i++) s += input.grad!.data[i] ** 2;
      return Math.sqrt(s);
    };
    return {
      h: out.hs.map((h, t) => norm(h.grad, `h at step ${t}`)),
      ...(out.cs ? { c: out.cs.map((c, t) => norm(c.grad, `c at step ${t}`)) } : {}),
      x: Array.from({ length: T }, (_, t) => stepNorm(t)),
      distance: Array.from({ length: T }, (_, t) => T - 1 - t),
    };
  } finally {
    params.forEach((p, i) => (p.grad = before[i]));
  }
}
