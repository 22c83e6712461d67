// Running a reference case through kernel-lib: the same model, inputs and training loop as the
// PyTorch script that wrote the case, with every number we compute handed to a Comparison.
// The attention and layer-norm cases run through the public layers (kl.nn.MultiheadAttention,
// kl.nn.LayerNorm, imported from the nn index that kl.nn is) loaded with the case's state_dict.
import { Nested, StateDict, toNested } from "../io/state-dict";
import { crossEntropy, index, mul, oneHot, reshape, stack, sum } from "../ops";
import { LayerNorm, MultiheadAttention } from "../nn";
import { CellMode } from "../nn/cell-base";
import { Embedding } from "../nn/embedding";
import { GRUCell } from "../nn/gru-cell";
import { Linear } from "../nn/linear";
import { LSTMCell } from "../nn/lstm-cell";
import { Module } from "../nn/module";
import { GRU, LSTM, RNN } from "../nn/recurrent";
import { RNNCell } from "../nn/rnn-cell";
import { Adam } from "../optim/adam";
import { clipGradNorm } from "../optim/clip";
import { Rng } from "../random";
import { Tensor, tensor } from "../tensor";
import { Comparison } from "./compare";
import { CellCase, CrossAttentionCase, LayerNormCase, ModelCase, SelfAttentionCase, TrainCase } from "./format";

export interface RunOptions {
  /**
   * For cell cases: run the sequence layer (RNN/LSTM/GRU with one layer, "layer", the default)
   * or unroll the single-step cell module in a loop ("cell").
   */
  via?: "layer" | "cell";
}

/** PyTorch's cell parameter names → the one-layer sequence layer's (weight_ih → weight_ih_l0). */
function toLayerNames(params: StateDict): StateDict {
  const out: StateDict = {};
  for (const [k, v] of Object.entries(params)) out[`${k}_l0`] = v;
  return out;
}

/** A one-layer sequence layer's parameters under the cell names the cases use (weight_ih_l0 → weight_ih). */
function cellNamed(layer: Module): [string, Tensor][] {
  return layer.namedParameters().map(([n, t]) => [n.replace(/_l0$/, ""), t]);
}

/** The one-layer sequence layer for a cell type (its initial weights are overwritten from the case). */
function makeLayer(cell: CellMode, inputSize: number, hiddenSize: number): RNN | LSTM | GRU {
  const rng = new Rng(0);
  switch (cell) {
    case "rnn_tanh":
    case "rnn_relu":
      return new RNN(inputSize, hiddenSize, { nonlinearity: cell === "rnn_tanh" ? "tanh" : "relu", rng });
    case "lstm":
      return new LSTM(inputSize, hiddenSize, { rng });
    case "gru":
      return new GRU(inputSize, hiddenSize, { rng });
  }
}

/** One forward pass of a cell case: the hidden (and cell) state after every step, and d/dx. */
interface CellRun {
  hs: Tensor[];
  cs: Tensor[];
  /** dLoss/dx [T, B, I] after backward(). */
  xGrad(): Nested;
}

/** The model of a cell case, built once; `forward` unrolls it over the case's x. */
interface CellModel {
  module: Module;
  /** Parameters under PyTorch's cell names (weight_ih, ...). */
  params: Map<string, Tensor>;
  forward(h0: Tensor, c0: Tensor | undefined): CellRun;
}

/** The case through a one-layer sequence layer, x given as one [T, B, I] tensor. */
function layerModel(c: CellCase): CellModel {
  const layer = makeLayer(c.cell, c.inputSize, c.hiddenSize);
  layer.loadStateDict(toLayerNames(c.params));
  const params = new Map(cellNamed(layer));
  const forward = (h0: Tensor, c0: Tensor | undefined): CellRun => {
    const x = tensor(c.x, undefined, { requiresGrad: true });
    const xGrad = () => gradOf(x);
    if (layer instanceof LSTM) {
      const out = layer.forward(x, { h: h0, c: c0 });
      return { hs: out.hs, cs: out.cs, xGrad };
    }
    return { hs: (layer as RNN | GRU).forward(x, h0).hs, cs: [], xGrad };
  };
  return { module: layer, params, forward };
}

/** The case through the single-step cell module in a loop, x given as T separate [B, I] tensors. */
function cellModel(c: CellCase): CellModel {
  const { cell, inputSize: I, hiddenSize: H } = c;
  const rng = new Rng(0); // the weights are overwritten from the fixture
  const m =
    cell === "lstm" ? new LSTMCell(I, H, { rng }) :
    cell === "gru" ? new GRUCell(I, H, { rng }) :
    new RNNCell(I, H, { nonlinearity: cell === "rnn_tanh" ? "tanh" : "relu", rng });
  m.loadStateDict(c.params);
  const forward = (h0: Tensor, c0: Tensor | undefined): CellRun => {
    const xs = (c.x as Nested[]).map((xt) => tensor(xt, undefined, { requiresGrad: true }));
    const hs: Tensor[] = [];
    const cs: Tensor[] = [];
    let h = h0;
    let cc = c0;
    for (const xt of xs) {
      if (m instanceof LSTMCell) {
        ({ h, c: cc } = m.forward(xt, { h, c: cc }));
        cs.push(cc);
      } else {
        h = (m as RNNCell | GRUCell).forward(xt, h);
      }
      hs.push(h);
    }
    return { hs, cs, xGrad: () => xs.map(gradOf) };
  };
  return { module: m, params: new Map(m.namedParameters()), forward };
}

/** A tensor's gradient as nested arrays (zeros if backward never reached it). */
function gradOf(t: Tensor): Nested {
  return t.grad === null ? toNested(new Float64Array(t.size), t.shape) : t.grad.toArray();
}

/** Frobenius norm of a tensor's gradient. */
function gradNorm(t: Tensor): number {
  if (t.grad === null) return 0;
  let s = 0;
  for (const g of t.grad.data) s += g * g;
  return Math.sqrt(s);
}

/**
 * Runs a cell case: forward over the sequence, loss = sum(outputs * loss_weights), backward;
 * then, on a fresh forward, the last-step loss and the norms of dLoss/dh_t.
 */
export function runCellCase(c: CellCase, options: RunOptions = {}): Comparison {
  const cmp = new Comparison();
  const model = options.via === "cell" ? cellModel(c) : layerModel(c);
  const lstm = c.cell === "lstm";
  const h0 = tensor(c.h0, undefined, { requiresGrad: true });
  const c0 = lstm ? tensor(c.c0!, undefined, { requiresGrad: true }) : undefined;

  // 1. The full loss and every gradient.
  const run = model.forward(h0, c0);
  const T = run.hs.length;
  cmp.check("outputs", c.outputs, run.hs.map((h) => h.toArray()));
  cmp.check("h_n", c.h_n, run.hs[T - 1]);
  if (lstm) cmp.check("c_n", c.c_n!, run.cs[T - 1]);
  const weights = tensor(c.loss_weights); // [T, B, H]
  const loss = sum(mul(stack(run.hs, 0), weights));
  cmp.check("loss", c.loss, loss.item());
  loss.backward();
  for (const [name, expected] of Object.entries(c.grads)) {
    let actual: Nested;
    if (name === "x") actual = run.xGrad();
    else if (name === "h0") actual = gradOf(h0);
    else if (name === "c0") actual = gradOf(c0!);
    else actual = gradOf(model.params.get(name)!);
    cmp.check(`grads.${name}`, expected, actual);
  }

  // 2. The gradient-norm-over-time curve: loss on the last hidden state only.
  model.module.zeroGrad();
  const again = model.forward(h0, c0);
  for (const h of again.hs) h.retainGrad();
  sum(mul(again.hs[T - 1], tensor((c.loss_weights as Nested[])[T - 1]))).backward();
  cmp.check("last_step_loss_grad_norms", c.last_step_loss_grad_norms, again.hs.map(gradNorm));
  return cmp;
}

/**
 * Runs a training case: recurrent layer (zero initial state) + linear head on one-hot inputs,
 * mean cross-entropy, then per step: zero grads, forward, backward, clip, Adam.
 */
export function runTrainCase(c: TrainCase): Comparison {
  const cmp = new Comparison();
  const { vocab: V, hiddenSize: H, seqLen: T, batch: B } = c;
  const rnn = makeLayer(c.cell, V, H);
  const head = new Linear(H, V, { rng: new Rng(0) });
  const { recurrent, headParams } = splitTrainParams(c.init_params);
  rnn.loadStateDict(toLayerNames(recurrent));
  head.loadStateDict(headParams);
  // Recurrent parameters first, then the head: the order the case's README prescribes.
  const params = [...rnn.parameters(), ...head.parameters()];
  const optimizer = new Adam(params, { lr: c.lr });

  const inputs = reshape(oneHot(c.tokens.slice(0, T).flat(), V), [T, B, V]);
  const targets = c.tokens.slice(1).flat(); // [T*B]: row t*B + b of the logits is predicting tokens[t+1][b]
  const losses: number[] = [];
  const norms: number[] = [];
  for (let k = 0; k < c.steps; k++) {
    optimizer.zeroGrad();
    const { output } = rnn.forward(inputs); // [T, B, H]
    const logits = reshape(head.forward(output), [T * B, V]);
    const loss = crossEntropy(logits, targets, "mean");
    losses.push(loss.item());
    loss.backward();
    norms.push(clipGradNorm(params, c.clipNorm));
    optimizer.step();
  }
  cmp.check("losses", c.losses, losses);
  cmp.check("grad_norms_before_clip", c.grad_norms_before_clip, norms);
  const byName = new Map([...cellNamed(rnn), ...head.namedParameters().map(([n, t]) => [`head.${n}`, t] as [string, Tensor])]);
  for (const [name, expected] of Object.entries(c.final_params)) cmp.check(`final_params.${name}`, expected, byName.get(name)!);
  return cmp;
}

/** Splits a training case's parameters into the recurrent layer's (cell names) and the head's (no "head." prefix). */
function splitTrainParams(params: StateDict): { recurrent: StateDict; headParams: StateDict } {
  const recurrent: StateDict = {};
  const headParams: StateDict = {};
  for (const [k, v] of Object.entries(params)) {
    if (k.startsWith("head.")) headParams[k.slice("head.".length)] = v;
    else recurrent[k] = v;
  }
  return { recurrent, headParams };
}

/**
 * The model of a model case, written as a learner writes it in PyTorch: a class whose fields are
 * its layers, so that its state_dict names (embed.weight, rnn.weight_ih_l0, ..., head.bias) are
 * found from the fields. The weights it starts with are overwritten from the case.
 */
class CharModel extends Module {
  embed: Embedding;
  rnn: LSTM;
  head: Linear;
  constructor(V: number, E: number, H: number, numLayers: number, rng: Rng) {
    super();
    this.embed = new Embedding(V, E, { rng });
    this.rnn = new LSTM(E, H, { numLayers, rng });
    this.head = new Linear(H, V, { rng });
  }
  /** tokens [T, B] → logits [T, B, V] */
  forward(tokens: Tensor): Tensor {
    return this.head.forward(this.rnn.forward(this.embed.forward(tokens)).output);
  }
}

/**
 * Runs a model case: PyTorch's state_dict loaded (strict) into the same model, whose state_dict
 * keys must come out in PyTorch's order; forward on tokens[0..T-1], mean cross-entropy against
 * tokens[1..T], backward; logits, loss and every parameter's gradient compared.
 */
export function runModelCase(c: ModelCase): Comparison {
  const cmp = new Comparison();
  const { vocab: V, embeddingDim: E, hiddenSize: H, numLayers: L, seqLen: T, batch: B } = c;
  const model = new CharModel(V, E, H, L, new Rng(0));
  model.loadStateDict(c.state_dict); // strict: a missing or unexpected key is an error
  const ours = Object.keys(model.stateDict());
  const theirs = Object.keys(c.state_dict);
  if (ours.length !== theirs.length || ours.some((k, i) => k !== theirs[i])) {
    throw new Error(`state_dict keys differ in name or order: the model's are ${ours.join(", ")}; PyTorch's are ${theirs.join(", ")}`);
  }

  const logits = model.forward(tensor(c.tokens.slice(0, T))); // [T, B, V]
  cmp.check("logits", c.logits, logits);
  const targets = c.tokens.slice(1).flat(); // [T*B]: row t*B + b of the logits predicts tokens[t+1][b]
  const loss = crossEntropy(reshape(logits, [T * B, V]), targets, "mean");
  cmp.check("loss", c.loss, loss.item());
  loss.backward();
  const params = new Map(model.namedParameters());
  for (const [name, expected] of Object.entries(c.grads)) {
    const p = params.get(name);
    if (p === undefined) throw new Error(`grads.${name}: the model has no parameter of that name`);
    cmp.check(`grads.${name}`, expected, gradOf(p));
  }
  return cmp;
}

/**
 * The case's parameters loaded into a layer (strictly: a missing or unexpected name is an error,
 * so the layer's parameters are exactly the case's), and the layer's parameters by name.
 */
function loaded(module: Module, params: StateDict): Map<string, Tensor> {
  module.loadStateDict(params);
  return new Map(module.namedParameters());
}

/** Compares every parameter's gradient (`grads.<name>`) with the case's; inputs are compared by the caller. */
function checkParamGrads(cmp: Comparison, grads: StateDict, params: Map<string, Tensor>, inputs: Record<string, Tensor>): void {
  for (const [name, expected] of Object.entries(grads)) {
    const t = inputs[name] ?? params.get(name);
    if (t === undefined) throw new Error(`grads.${name}: the layer has no parameter or input of that name`);
    cmp.check(`grads.${name}`, expected, gradOf(t));
  }
}

/** A fresh MultiheadAttention for an attention case (its initial weights are overwritten from the case). */
function attentionLayer(c: SelfAttentionCase | CrossAttentionCase): { mha: MultiheadAttention; params: Map<string, Tensor> } {
  const mha = new MultiheadAttention(c.embedDim, c.numHeads, { rng: new Rng(0) });
  return { mha, params: loaded(mha, c.params) };
}

/**
 * Runs a self-attention case: query = key = value = x (one tensor, so dx adds up its three uses),
 * causal mask if the case asks; output, head-averaged weights, loss = sum(output * loss_weights)
 * and every gradient; then, on a fresh forward, the loss on the last position only and the norm
 * over the batch of dloss/dx_s for every position s.
 */
export function runSelfAttentionCase(c: SelfAttentionCase): Comparison {
  const cmp = new Comparison();
  const { mha, params } = attentionLayer(c);
  const T = c.seqLen;
  const x = tensor(c.x, undefined, { requiresGrad: true });
  const { output, weights } = mha.forward(x, x, x, { causal: c.causal });
  cmp.check("attn_output", c.attn_output, output);
  cmp.check("attn_weights", c.attn_weights, weights);
  const loss = sum(mul(output, tensor(c.loss_weights)));
  cmp.check("loss", c.loss, loss.item());
  loss.backward();
  checkParamGrads(cmp, c.grads, params, { x });

  mha.zeroGrad();
  const again = tensor(c.x, undefined, { requiresGrad: true });
  const last = index(mha.forward(again, again, again, { causal: c.causal }).output, 0, T - 1); // [B, E]
  sum(mul(last, tensor((c.loss_weights as Nested[])[T - 1]))).backward();
  // dloss/dx is [T, B, E] row-major: position s is the s-th run of B·E numbers.
  const g = again.grad === null ? new Float64Array(again.size) : again.grad.data;
  const n = c.batch * c.embedDim;
  const norms = Array.from({ length: T }, (_, s) => Math.sqrt(g.subarray(s * n, (s + 1) * n).reduce((acc, v) => acc + v * v, 0)));
  cmp.check("last_position_input_grad_norms", c.last_position_input_grad_norms, norms);
  return cmp;
}

/** Runs a cross-attention case: separate query, key and value, no mask; output, weights, loss, every gradient. */
export function runCrossAttentionCase(c: CrossAttentionCase): Comparison {
  const cmp = new Comparison();
  const { mha, params } = attentionLayer(c);
  const query = tensor(c.query, undefined, { requiresGrad: true });
  const key = tensor(c.key, undefined, { requiresGrad: true });
  const value = tensor(c.value, undefined, { requiresGrad: true });
  const { output, weights } = mha.forward(query, key, value);
  cmp.check("attn_output", c.attn_output, output);
  cmp.check("attn_weights", c.attn_weights, weights);
  const loss = sum(mul(output, tensor(c.loss_weights)));
  cmp.check("loss", c.loss, loss.item());
  loss.backward();
  checkParamGrads(cmp, c.grads, params, { query, key, value });
  return cmp;
}

/** Runs a layer-norm case: LayerNorm(D, eps) over the last axis of x [N, D]; output, loss, every gradient. */
export function runLayerNormCase(c: LayerNormCase): Comparison {
  const cmp = new Comparison();
  const norm = new LayerNorm(c.dim, { eps: c.eps });
  const params = loaded(norm, c.params);
  const x = tensor(c.x, undefined, { requiresGrad: true });
  const output = norm.forward(x);
  cmp.check("output", c.output, output);
  const loss = sum(mul(output, tensor(c.loss_weights)));
  cmp.check("loss", c.loss, loss.item());
  loss.backward();
  checkParamGrads(cmp, c.grads, params, { x });
  return cmp;
}
