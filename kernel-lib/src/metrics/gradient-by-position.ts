// How much of the last output's gradient reaches each input position, for ANY sequence model: the
// measurement behind "maximum path length" (Vaswani et al. 2017, Table 1). Through a recurrent
// layer the gradient from the last step reaches input s through T − 1 − s steps of the recurrence,
// and shrinks (or not) at each; through self-attention every position is one step from every
// other. gradientByStep (04-06) measures the recurrent layers from inside (their hidden states);
// this one needs only the model's forward pass, so the RNN, the LSTM, the GRU and a Transformer are
// measured in the same way on the same input:
//
//   const g = kl.metrics.gradientByPosition((x) => model.forward(x).out, xs);   // xs [T, B, I]
//   g.x[s] = ‖∂L/∂x_s‖,  g.distance[s] = T − 1 − s
//
// The loss sits on the last position only, L = Σ_b Σ_o w_{b,o} · out[T−1, b, o], with w a fixed
// random direction (seeded) unless given; norms are Frobenius norms over the batch. This is the
// `last_position_input_grad_norms` of the PyTorch attention fixtures (../shared/fixtures, with
// w = loss_weights[T − 1]); for an RNN layer it equals gradientByStep's `x` with the same seed.
import { index, mul, sum } from "../ops";
import { Rng } from "../random";
import { Tensor, fromFlat, randn } from "../tensor";
import { shapeStr } from "../errors";

export interface GradientByPosition {
  /** ‖∂L/∂x_s‖ for s = 0 .. T−1: what reaches input position s from the last output. */
  x: number[];
  /** T − 1 − s: how far position s is from the last one. */
  distance: number[];
}

export interface GradientByPositionOptions {
  /** Seed of the loss's random direction w (default 0), drawn as randn([B, O]). */
  seed?: number;
  /** The direction w itself, [B, O] (instead of a seeded one). */
  weights?: Tensor;
  /**
   * The model's parameters: their gradients are put back as they were afterwards (the backward
   * pass would otherwise add into them). Pass model.parameters().
   */
  parameters?: readonly Tensor[];
}

/**
 * The gradient of a last-position loss reaching each position of x [T, B, I], for the model
 * `forward`: x [T, B, I] → [T, B, O] (every position's output), or → [B, O] (a model that reads
 * out its last position only). See the top of this file.
 */
export function gradientByPosition(forward: (x: Tensor) => Tensor, x: Tensor, options: GradientByPositionOptions = {}): GradientByPosition {
  if (typeof forward !== "function") throw new TypeError("gradientByPosition: the first argument is the model as a function, (x) => output, e.g. (x) => model.forward(x).out");
  if (!(x instanceof Tensor) || x.rank !== 3) {
    throw new RangeError(`gradientByPosition: x has shape ${x instanceof Tensor ? shapeStr(x.shape) : typeof x}, expected [seqLen,batch,features] (time-major)`);
  }
  const [T, B, I] = x.shape;
  const input = fromFlat(x.data, x.shape, { requiresGrad: true });
  const params = options.parameters ?? [];
  const before = params.map((p) => p.grad);
  for (const p of params) p.grad = null;
  try {
    const out = forward(input);
    if (!(out instanceof Tensor)) throw new TypeError(`gradientByPosition: the model returned ${typeof out}, not a tensor (return the output [T,B,O], e.g. (x) => model.forward(x).out)`);
    let last: Tensor;
    if (out.rank === 3 && out.shape[0] === T && out.shape[1] === B) last = index(out, 0, T - 1);
    else if (out.rank === 2 && out.shape[0] === B) last = out;
    else throw new RangeError(`gradientByPosition: the model's output has shape ${shapeStr(out.shape)}; expected [${T},${B},outputs] (every position) or [${B},outputs] (the last one)`);
    const O = last.shape[1];
    const w = options.weights ?? randn([B, O], new Rng(options.seed ?? 0));
    if (w.rank !== 2 || w.shape[0] !== B || w.shape[1] !== O) throw new RangeError(`gradientByPosition: weights have shape ${shapeStr(w.shape)}, expected [${B},${O}] (batch, outputs)`);
    sum(mul(last, w)).backward();
    const g = input.grad;
    if (g === null) throw new Error("gradientByPosition: no gradient reached the input (does the model detach it, or run under noGrad?)");
    const norms = Array.from({ length: T }, (_, s) => {
      let acc = 0;
      for (let i = s * B * I; i < (s + 1) * B * I; i++) acc += g.data[i] * g.data[i];
      return Math.sqrt(acc);
    });
    return { x: norms, distance: Array.from({ length: T }, (_, s) => T - 1 - s) };
  } finally {
    params.forEach((p, i) => (p.grad = before[i]));
  }
}
