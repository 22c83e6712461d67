// Several models behind one interface, so that one data pipeline can train each in turn
// (makemore's idea): the tanh RNN, the LSTM and the GRU (kl.nn.RecurrentModel) and a small causal
// Transformer reading the same input vectors (kl.nn.AttentionModel). Chapter 08 compares them on
// delayed recall and names, and reads the gradient each passes back (kl.metrics.gradientByPosition).
//
//   const model = kl.tasks.sequenceModel("transformer", 25, 8, { size: 32, rng: new kl.Rng(0) });
//   model.forward(x)   // x [T, B, 25] → [T, B, 8], position t computed from positions 0..t only
import { Rng, defaultRng } from "../random";
import { Tensor } from "../tensor";
import { index } from "../ops";
import { AttentionModel, type AttentionModelOptions } from "../nn/attention-model";
import { RecurrentModel } from "../nn/recurrent-model";

export type { AttentionModelOptions };

/** The models one pipeline can train in turn. */
export type SequenceModelKind = "rnn" | "lstm" | "gru" | "transformer";
export const SEQUENCE_MODEL_KINDS: readonly SequenceModelKind[] = ["rnn", "lstm", "gru", "transformer"];

export interface SequenceModelOptions {
  /** The hidden size (recurrent) or embedDim (transformer). */
  size: number;
  rng?: Rng;
  /** The transformer's settings besides its width (see AttentionModelOptions). */
  transformer?: Omit<AttentionModelOptions, "embedDim" | "rng">;
  /** The LSTM's initial forget-gate bias (default: PyTorch's draw). */
  forgetBias?: number;
}

/** One model of any kind, seen the same way: forward(x [T, B, I]) → [T, B, O], and its parameters. */
export interface SequenceModel {
  kind: SequenceModelKind;
  /** The model itself (a kl.nn.RecurrentModel or an AttentionModel). */
  module: RecurrentModel | AttentionModel;
  forward(x: Tensor): Tensor;
  /** The output at the last position only, [B, O]. */
  forwardLast(x: Tensor): Tensor;
  parameters(): Tensor[];
  numParameters(): number;
}

/** A model of `kind` from inputSize to outputSize features per position. */
export function sequenceModel(kind: SequenceModelKind, inputSize: number, outputSize: number, options: SequenceModelOptions): SequenceModel {
  if (!SEQUENCE_MODEL_KINDS.includes(kind)) throw new Error(`sequenceModel: kind must be one of ${SEQUENCE_MODEL_KINDS.map((k) => `"${k}"`).join(", ")}, got ${JSON.stringify(kind)}`);
  const rng = options.rng ?? defaultRng();
  if (kind === "transformer") {
    const m = new AttentionModel(inputSize, outputSize, { ...(options.transformer ?? {}), embedDim: options.size, rng });
    const forward = (x: Tensor) => m.forward(x);
    return { kind, module: m, forward, forwardLast: (x) => index(forward(x), 0, x.shape[0] - 1), parameters: () => m.parameters(), numParameters: () => m.numParameters() };
  }
  const m = new RecurrentModel(kind, inputSize, options.size, outputSize, {
    rng, readout: "every", ...(kind === "lstm" && options.forgetBias !== undefined ? { forgetBias: options.forgetBias } : {}),
  });
  return {
    kind, module: m, forward: (x) => m.forward(x).out,
    // The read-out of the last state only: one product instead of T.
    forwardLast: (x) => { const r = m.rnn.forward(x); return m.head.forward(r.hs[r.hs.length - 1]); },
    parameters: () => m.parameters(), numParameters: () => m.numParameters(),
  };
}
